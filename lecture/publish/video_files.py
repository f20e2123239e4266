"""Join the scene videos into one lecture without re-encoding the picture (remux with PyAV), with
chapters, and the scenes' narration as one AAC track.

The video packets are copied. The audio is decoded and encoded once more, as one track: AAC frames
are 1024 samples long and each scene's AAC starts with 1024 samples of encoder priming, so copied
audio packets would overlap or leave gaps at every scene boundary (no scene length is a whole
number of AAC frames) and drift by up to 21 ms a scene. Decoding each scene's track, placing it
at its scene's first sample and encoding the sum keeps every clip where the scene put it.
"""
from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

AUDIO_RATE = 48000
AAC_PRIMING = 1024  # samples ffmpeg's AAC encoder puts before the first real one
LANGUAGE_TAGS = {"zh": "zho", "en": "eng"}  # ISO 639-2/T, the MP4 stream language


def probe(path: Path) -> dict:
    """Duration, picture and codec of a video, as a player sees them."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        ctx = stream.codec_context
        return {"duration": round(float(container.duration) / 1e6, 3), "width": ctx.width, "height": ctx.height,
                "frame_rate": round(float(stream.guessed_rate or stream.average_rate), 3),
                "codec": ctx.name, "pixel_format": ctx.pix_fmt, "frames": stream.frames,
                "chapters": [{"title": c["metadata"].get("title", ""), "start": float(c["start"] * c["time_base"]),
                              "end": float(c["end"] * c["time_base"])} for c in container.chapters()],
                "audio": audio_info(container)}


def audio_info(container) -> dict | None:
    """Codec, rate, channels, language and length of the first audio stream (None: silent)."""
    if not container.streams.audio:
        return None
    stream = container.streams.audio[0]
    ctx = stream.codec_context
    return {"codec": ctx.name, "sample_rate": ctx.sample_rate, "channels": ctx.channels,
            "language": stream.metadata.get("language"),
            "duration": round(float(stream.duration * stream.time_base), 3) if stream.duration else None}


def scene_audio(path: Path, seconds: float) -> np.ndarray | None:
    """The scene's audio as (1, samples) float32 at 48 kHz (mono: the narration is one voice),
    aligned with its picture and exactly
    ``seconds`` long (None when the scene has no audio). Manim muxes an ADTS AAC file without an
    edit list, so its priming samples come first (the first packet at pts 0); they are dropped."""
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        first = next((p for p in container.demux(stream) if p.pts is not None), None)
        skip = AAC_PRIMING if stream.codec_context.name == "aac" and first is not None and first.pts >= 0 else 0
        container.seek(0)
        resampler = av.AudioResampler(format="fltp", layout="mono", rate=AUDIO_RATE)
        chunks = [f.to_ndarray() for frame in container.decode(stream) for f in resampler.resample(frame)]
        chunks += [f.to_ndarray() for f in resampler.resample(None)]
    audio = np.concatenate(chunks, axis=1)[:, skip:] if chunks else np.zeros((1, 0), np.float32)
    want = round(seconds * AUDIO_RATE)
    if audio.shape[1] < want:
        audio = np.pad(audio, ((0, 0), (0, want - audio.shape[1])))
    return audio[:, :want].astype(np.float32)


def mixed_audio(clips: list[tuple[Path, float]], seconds: float) -> np.ndarray:
    """The narration of a scene as (1, samples) float32 at 48 kHz, exactly ``seconds`` long: each
    clip (a 48 kHz mono WAV of the voice cache) placed where the scene placed it. Manim places a
    sound at whole milliseconds (pydub), so this does too: the same samples as the scene's own
    track, without the scene's AAC generation in between."""
    import wave

    audio = np.zeros((1, round(seconds * AUDIO_RATE)), np.float32)
    for path, start in clips:
        with wave.open(str(path)) as w:
            if w.getframerate() != AUDIO_RATE or w.getsampwidth() != 2 or w.getnchannels() != 1:
                raise ValueError(f"{path} is not 48 kHz mono 16-bit audio")
            pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0
        at = int(1000 * start) * AUDIO_RATE // 1000
        end = min(audio.shape[1], at + len(pcm))
        audio[0, at:end] += pcm[:end - at]
    return audio


def encode_audio(out, audio: np.ndarray, lang: str | None):
    """Add an AAC 48 kHz mono stream with the language tag to ``out``; return its packets."""
    stream = out.add_stream("aac", rate=AUDIO_RATE, layout="mono")
    if lang:
        stream.metadata["language"] = LANGUAGE_TAGS.get(lang, lang)
    packets, size = [], 1024
    for i in range(0, audio.shape[1], size):
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(audio[:, i:i + size]), format="fltp", layout="mono")
        frame.sample_rate, frame.pts, frame.time_base = AUDIO_RATE, i, Fraction(1, AUDIO_RATE)
        packets += stream.encode(frame)
    packets += stream.encode(None)
    return packets


def mux_interleaved(out, video, audio: list) -> None:
    """Mux video packets (an iterable) and audio packets (a list) in time order; each is in
    decoding order already."""
    k = 0
    for packet in video:
        t = float(packet.dts * packet.time_base)
        while k < len(audio) and float(audio[k].dts * audio[k].time_base) <= t:
            out.mux(audio[k])
            k += 1
        out.mux(packet)
    for packet in audio[k:]:
        out.mux(packet)


def set_chapters(container, chapters: list[dict]) -> None:
    """Write ``chapters`` (title, start and end in seconds) as MP4 chapters, in milliseconds."""
    container.set_chapters([{"id": i + 1, "start": round(c["start"] * 1000), "end": round(c["end"] * 1000),
                             "time_base": Fraction(1, 1000), "metadata": {"title": c["title"]}}
                            for i, c in enumerate(chapters)])


def join(videos: list[Path], titles: list[str], target: Path, lang: str | None = None,
         clips: list[list[tuple[Path, float]] | None] | None = None) -> list[dict]:
    """Write ``target`` from ``videos`` (same codec, size and rate), one chapter per video.

    Video packets are copied, not decoded: timestamps of each video are shifted by the length of
    the ones before it. When any video has audio, the lecture gets one AAC track tagged ``lang``,
    each scene's audio at its chapter's start, as long as the picture: mixed from the scene's
    clips when ``clips`` gives them (clip, start in the scene), else decoded from the scene's
    track. Written to a temporary name and renamed into place.
    """
    tmp = target.with_name(f".{target.name}.tmp")
    with av.open(str(videos[0])) as first:
        template = first.streams.video[0]
        base, width = template.time_base, template.codec_context.width
    chapters, offset, lengths = [], 0, []  # offset in the video stream's time base
    for path, title in zip(videos, titles):  # first pass: lengths, without decoding
        with av.open(str(path)) as src:
            s = src.streams.video[0]
            if s.time_base != base or s.codec_context.width != width:
                raise ValueError(f"{path.name} differs in time base or size from {videos[0].name}: "
                                 "render all scenes at one quality")
            end = max([p.pts + (p.duration or 0) for p in src.demux(s) if p.dts is not None], default=0)
        lengths.append(end)
        chapters.append({"title": title, "start": float(offset * base), "end": float((offset + end) * base)})
        offset += end
    clips = clips or [None] * len(videos)
    sounds = [mixed_audio(placed, float(length * base)) if placed else scene_audio(path, float(length * base))
              for path, length, placed in zip(videos, lengths, clips)]
    first = av.open(str(videos[0]))
    try:
        with av.open(str(tmp), "w", format="mp4", options={"movflags": "+faststart"}) as out:
            stream = out.add_stream_from_template(first.streams.video[0])
            audio = []
            if any(sound is not None for sound in sounds):
                silent = [np.zeros((1, round(float(n * base) * AUDIO_RATE)), np.float32) for n in lengths]
                audio = encode_audio(out, np.concatenate([s if s is not None else z for s, z in zip(sounds, silent)],
                                                         axis=1), lang)
            mux_interleaved(out, copied(videos, lengths, stream), audio)
            set_chapters(out, chapters)
    finally:
        first.close()
    os.replace(tmp, target)
    return chapters


def copied(videos: list[Path], lengths: list[int], stream):
    """Every video packet of ``videos``, shifted by the length of the videos before it."""
    offset = 0
    for path, length in zip(videos, lengths):
        with av.open(str(path)) as src:
            for packet in src.demux(src.streams.video[0]):
                if packet.dts is None:
                    continue
                packet.pts += offset
                packet.dts += offset
                packet.stream = stream
                yield packet
        offset += length


def chapters_txt(chapters: list[dict]) -> str:
    """One ``MM:SS title`` line per chapter, the form video sites read from a description."""
    lines = []
    for c in chapters:
        seconds = int(c["start"])
        lines.append(f"{seconds // 60:02d}:{seconds % 60:02d} {c['title']}")
    return "\n".join(lines) + "\n"
