"""The narrated lecture: scene videos whose audio is muxed the way Manim 0.22 does it (an ADTS AAC
file remuxed, priming samples included) are joined into one AAC 48 kHz track with the language
tag; the picture's packets are copied; every burst stays where its scene put it, across every
scene boundary; the track is as long as the video; each cut is its own (fast, synthetic)."""
from __future__ import annotations

import json
from fractions import Fraction

import av
import numpy as np
import pytest

from lecture.publish import Cut, publish
from lecture.publish.video_files import probe, scene_audio
from scenes import SCENES
from tests.test_lecture import FPS, write_video

RATE = 48000


def bursts(seconds: float, at: list[float]) -> np.ndarray:
    """Stereo silence with a 60 ms 1 kHz burst at each time of ``at`` (-1/sqrt 2 per channel, as
    Manim's mono-to-stereo AAC has it)."""
    audio = np.zeros((2, int(seconds * RATE)), np.float32)
    t = np.arange(int(0.06 * RATE)) / RATE
    for start in at:
        i = int(round(start * RATE))
        audio[:, i:i + len(t)] = 0.3 * np.sin(2 * np.pi * 1000 * t)
    return audio


def manim_style(video, audio: np.ndarray, target):
    """Mux ``audio`` beside ``video`` as Manim 0.22 does: AAC into an ADTS file, then its packets
    remuxed (no edit list, so the encoder's priming samples play first)."""
    adts = target.with_suffix(".aac")
    with av.open(str(adts), "w", format="adts") as out:
        stream = out.add_stream("aac", rate=RATE, layout="stereo")
        for i in range(0, audio.shape[1], 1024):
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(audio[:, i:i + 1024]), format="fltp", layout="stereo")
            frame.sample_rate, frame.pts, frame.time_base = RATE, i, Fraction(1, RATE)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    with av.open(str(video)) as vin, av.open(str(adts)) as ain, av.open(str(target), "w") as out:
        vs, as_ = out.add_stream_from_template(vin.streams.video[0]), out.add_stream_from_template(ain.streams.audio[0])
        for src, dst in ((vin, vs), (ain, as_)):
            for packet in src.demux(src.streams[0]):
                if packet.dts is not None:
                    packet.stream = dst
                    out.mux(packet)


def onsets(audio: np.ndarray, threshold: float = 0.05) -> np.ndarray:
    loud = np.abs(audio[0]) > threshold
    starts = np.flatnonzero(loud[1:] & ~loud[:-1]) + 1
    return starts[np.diff(np.concatenate([[-RATE], starts])) > RATE // 10] / RATE  # first edge of each burst


@pytest.fixture(scope="module")
def cuts(tmp_path_factory, traces_dir):
    """Two cuts (zh, en) of eight scenes, each scene with two bursts where its two beats start."""
    root = tmp_path_factory.mktemp("narrated")
    made = {}
    for lang, stretch in (("zh", 1.0), ("en", 1.3)):
        out = root / lang
        out.mkdir()
        starts = {}
        for i, scene in enumerate(SCENES):
            seconds = round((1.0 + 0.2 * i) * stretch * FPS) / FPS  # whole frames, as Manim renders
            second = round(seconds / 2 * FPS) / FPS
            write_video(root / "plain.mp4", seconds, 30 + 20 * i)
            manim_style(root / "plain.mp4", bursts(seconds - 0.1, [0.0, second]), out / f"{scene}.mp4")
            beats = [{"key": "linreg_fit.intro", "start": 0.0, "end": second, "values": {},
                      "audio": {"start": 0.0, "end": 0.06, "speech_start": 0.0, "speech_end": 0.06}},
                     {"key": "zigzag.run_both", "start": second, "end": seconds, "values": {},
                      "audio": {"start": second, "end": second + 0.06, "speech_start": second,
                                "speech_end": second + 0.06}}]
            (out / f"{scene}.beats.json").write_text(json.dumps({"scene": scene, "duration": seconds, "beats": beats}))
            starts[scene] = [0.0, second]
        publish(Cut(out, lang, "preview", traces_dir, voice="recorded"), log=lambda line: None)
        made[lang] = (out, starts, json.loads((out / "manifest.json").read_text(encoding="utf-8")))
    return made


@pytest.mark.parametrize("lang, tag", [("zh", "zho"), ("en", "eng")])
def test_each_cut_carries_its_voice_as_aac_48k_with_its_language(cuts, lang, tag):
    out, _, manifest = cuts[lang]
    info = probe(out / "lecture.mp4")
    assert info["audio"]["codec"] == "aac" and info["audio"]["sample_rate"] == 48000
    assert info["audio"]["language"] == tag
    assert manifest["voice"][lang]["source"] == "recorded" and manifest["voice"][lang]["clips"] == 2 * len(SCENES)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_clip_plays_where_its_scene_put_it_and_the_track_is_as_long_as_the_video(cuts, lang):
    out, starts, manifest = cuts[lang]
    info = probe(out / "lecture.mp4")
    with av.open(str(out / "lecture.mp4")) as c:  # decodes end to end
        decoded = np.concatenate([f.to_ndarray() for f in c.decode(audio=0)], axis=1)
    assert decoded.shape[1] / RATE == pytest.approx(info["duration"], abs=1024 / RATE)
    assert info["audio"]["duration"] == pytest.approx(info["duration"], abs=2e-3)  # both rounded to ms
    audio = scene_audio(out / "lecture.mp4", info["duration"])
    expected = [ch["start"] + t for ch, scene in zip(manifest["chapters"], SCENES) for t in starts[scene]]
    found = onsets(audio)
    assert len(found) == len(expected)
    assert np.abs(found - expected).max() < 0.002  # within 2 ms of its beat, at every scene boundary
    for scene, ch in zip(SCENES, manifest["chapters"]):  # each scene's own track: within one frame
        assert np.abs(onsets(scene_audio(out / f"{scene}.mp4", ch["end"] - ch["start"])) - starts[scene]).max() < 1 / FPS


def test_the_picture_is_copied_and_the_cuts_do_not_share_files(cuts):
    zh, en = cuts["zh"][0], cuts["en"][0]
    for out in (zh, en):
        with av.open(str(out / "lecture.mp4")) as c:
            lecture = [bytes(p) for p in c.demux(video=0) if p.size]
        scenes = []
        for scene in SCENES:
            with av.open(str(out / f"{scene}.mp4")) as c:
                scenes += [bytes(p) for p in c.demux(video=0) if p.size]
        assert lecture == scenes
    assert probe(en / "lecture.mp4")["duration"] > probe(zh / "lecture.mp4")["duration"]  # its own timing
    assert (zh / "lecture.en.srt").read_text() != (en / "lecture.en.srt").read_text()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_both_languages_subtitles_sit_on_this_cuts_audio_spans(cuts, lang):
    import srt

    out, starts, manifest = cuts[lang]
    expected = [ch["start"] + t for ch, scene in zip(manifest["chapters"], SCENES) for t in starts[scene]]
    for code in ("zh", "en"):
        subs = list(srt.parse((out / f"lecture.{code}.srt").read_text(encoding="utf-8")))
        # when each clip starts to speak, a cue is on screen that began no later (in both languages)
        for t in expected:
            assert any(s.start.total_seconds() <= t + 1e-3 < s.end.total_seconds() for s in subs), (code, t)
        assert all(a.end <= b.start for a, b in zip(subs, subs[1:]))


def test_the_lecture_track_is_mixed_from_the_clips_where_the_scenes_placed_them(tmp_path, traces_dir):
    """With the cut's narration files, the lecture's sound is the clips themselves, each at its
    beat (no second AAC generation of the scenes' tracks); the same onsets as the scenes'."""
    from tests.voice_signals import write_wav

    out = tmp_path / "zh"
    out.mkdir()
    (out / ".narration").mkdir()
    burst = bursts(0.1, [0.0])[0]
    expected = []
    offset = 0.0
    for i, scene in enumerate(SCENES):
        seconds = round((1.0 + 0.2 * i) * FPS) / FPS
        second = round(seconds / 2 * FPS) / FPS
        write_video(out / f"{scene}.mp4", seconds, 30 + 20 * i)  # silent picture: the clips are the sound
        clips, beats = {}, []
        for n, (key, start) in enumerate((("linreg_fit.intro", 0.0), ("zigzag.run_both", second))):
            wav = write_wav(tmp_path / "clips" / f"{scene}-{n}.wav", burst, RATE)
            clips[key] = {"audio": str(wav), "clip": wav.stem, "duration": 0.1, "speech_start": 0.0,
                          "speech_end": 0.06, "text": "x"}
            beats.append({"key": key, "start": start, "end": start + 0.1, "values": {},
                          "audio": {"start": start, "end": start + 0.1, "speech_start": start, "speech_end": start + 0.06,
                                    "clip": wav.stem}})
            expected.append(offset + int(1000 * start) / 1000)
        (out / ".narration" / f"{scene}.json").write_text(json.dumps({"source": "recorded", "clips": clips}))
        (out / f"{scene}.beats.json").write_text(json.dumps({"scene": scene, "duration": seconds, "beats": beats}))
        offset += seconds
    publish(Cut(out, "zh", "preview", traces_dir, voice="recorded"), log=lambda line: None)
    info = probe(out / "lecture.mp4")
    assert info["audio"]["codec"] == "aac" and info["audio"]["channels"] == 1
    found = onsets(scene_audio(out / "lecture.mp4", info["duration"]))
    assert len(found) == len(expected) and np.abs(found - expected).max() < 0.002
