"""Subtitles drawn into the picture (``--burn-subtitles``): the lecture is decoded, each cue's
text is composited onto its frames, and the result is encoded again (H.264, yuv420p), keeping
the chapters and the narration track (its packets copied). Each cue's overlay is drawn once, not
per frame."""
from __future__ import annotations

import os
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw

from lecture.publish.posters import font as cjk_font
from lecture.publish.subtitles import Cue
from lecture.publish.video_files import mux_interleaved, set_chapters

PRESET = {"preview": "veryfast", "hd": "veryfast", "4k": "medium"}


def overlay(lines: tuple[str, ...], width: int, height: int, font) -> tuple[np.ndarray, np.ndarray, int]:
    """(RGB, alpha, top row) of a subtitle band: white text with a dark outline, bottom centre."""
    size = font.size
    band_h = int(size * 1.35 * len(lines) + size * 0.6)
    img = Image.new("RGBA", (width, band_h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        w = draw.textlength(line, font=font)
        draw.text(((width - w) / 2, size * 0.3 + i * size * 1.35), line, font=font, fill=(255, 255, 255, 255),
                  stroke_width=max(2, size // 12), stroke_fill=(0, 0, 0, 230))
    rgba = np.asarray(img, dtype=np.float32)
    top = height - band_h - int(height * 0.04)
    return rgba[..., :3], rgba[..., 3:] / 255.0, top


def burn(src: Path, target: Path, cues: list[Cue], chapters: list[dict], quality: str) -> None:
    tmp = target.with_name(f".{target.name}.burn.tmp")
    with av.open(str(src)) as inp:
        vin = inp.streams.video[0]
        width, height = vin.codec_context.width, vin.codec_context.height
        font = cjk_font(max(14, height // 22))
        with av.open(str(tmp), "w", format="mp4", options={"movflags": "+faststart"}) as out:
            rate = vin.guessed_rate or vin.average_rate
            vout = out.add_stream("libx264", rate=rate, options={"preset": PRESET.get(quality, "veryfast"), "crf": "23"})
            vout.width, vout.height, vout.pix_fmt = width, height, "yuv420p"
            audio = []
            if inp.streams.audio:  # the narration, copied
                with av.open(str(src)) as sound:
                    aout = out.add_stream_from_template(sound.streams.audio[0])
                    aout.metadata["language"] = sound.streams.audio[0].metadata.get("language", "und")
                    for packet in sound.demux(sound.streams.audio[0]):
                        if packet.dts is not None:
                            packet.stream = aout
                            audio.append(packet)
            mux_interleaved(out, encoded(inp, vin, vout, cues, width, height, font), audio)
            set_chapters(out, chapters)
    os.replace(tmp, target)


def encoded(inp, vin, vout, cues: list[Cue], width: int, height: int, font):
    """The lecture's frames with their cue drawn in, encoded: packets in decoding order."""
    cache: dict[int, tuple] = {}
    k = 0
    for frame in inp.decode(vin):
        t = float(frame.pts * vin.time_base)
        while k < len(cues) and cues[k].end <= t:
            k += 1
        img = frame.to_ndarray(format="rgb24")
        if k < len(cues) and cues[k].start <= t:
            if k not in cache:
                cache = {k: overlay(cues[k].lines, width, height, font)}
            rgb, alpha, top = cache[k]
            region = img[top:top + rgb.shape[0]].astype(np.float32)
            img[top:top + rgb.shape[0]] = (region * (1 - alpha) + rgb * alpha).astype(np.uint8)
        new = av.VideoFrame.from_ndarray(img, format="rgb24")
        new.pts, new.time_base = frame.pts, vin.time_base
        yield from vout.encode(new)
    yield from vout.encode()
