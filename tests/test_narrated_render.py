"""One real narrated render (slow): LinearRegressionFit through ./render.sh's own command with
recorded takes made of test signals, decoded and measured; then one take made longer, which
renders again only the animations it changed (Manim's partial movies), and gives the frames a
cold render gives; and the scene's sound spans its picture, in each language."""
from __future__ import annotations

import json
import re

import av
import numpy as np
import pytest
import srt

from lecture.commands import render
from lecture.publish.video_files import probe, scene_audio
from scenes.settings import voice_pause
from tests.voice_signals import record_takes

pytestmark = pytest.mark.slow
SCENE, FPS = "LinearRegressionFit", 15


def record(takes, seconds: dict) -> list[str]:
    return record_takes(takes, SCENE, "zh", seconds)


def run(takes, out, traces_dir, capsys, monkeypatch, lang="zh"):
    monkeypatch.setattr("voice.config.CACHE_DIR", out.parent / "voice-cache")  # not the user's out/.voice-cache
    code = render.main([SCENE, "--voice", "recorded", "--takes", str(takes), "--traces", str(traces_dir),
                        "--out", str(out), "-j", "1", "--lang", lang])
    printed = capsys.readouterr().out
    assert code == 0, printed
    cut = out / lang
    return cut, json.loads((cut / f"{SCENE}.beats.json").read_text(encoding="utf-8")), printed


def frame_digests(video) -> list[str]:
    import hashlib

    with av.open(str(video)) as c:
        return [hashlib.sha256(f.to_ndarray(format="rgb24").tobytes()).hexdigest() for f in c.decode(video=0)]


def audio_spans_picture(video) -> None:
    """The scene file's sound lasts as long as its picture, within one AAC frame."""
    with av.open(str(video)) as c:
        picture = float(c.streams.video[0].duration * c.streams.video[0].time_base)
        stream = c.streams.audio[0]
        sound = sum(f.samples for f in c.decode(stream)) / stream.rate - 1024 / stream.rate  # less the priming
    assert abs(sound - picture) <= 1024 / 48000 + 1e-6, (sound, picture)


def sounding(audio: np.ndarray, threshold: float = 0.01) -> np.ndarray:
    """Per 10 ms block: is anything audible."""
    blocks = np.abs(audio[0][: len(audio[0]) // 480 * 480]).reshape(-1, 480).max(axis=1)
    return blocks > threshold


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, traces_dir):
    return tmp_path_factory.mktemp("narrated-render")


def test_a_narrated_scene_follows_its_takes(rendered, traces_dir, capsys, monkeypatch):
    takes, out = rendered / "takes", rendered / "out"
    keys = record(takes, {})
    cut, doc, _ = run(takes, out, traces_dir, capsys, monkeypatch)
    info = probe(cut / f"{SCENE}.mp4")
    assert info["audio"]["codec"] == "aac" and info["audio"]["sample_rate"] == 48000
    audio = scene_audio(cut / f"{SCENE}.mp4", info["duration"])
    on = sounding(audio)
    beats = doc["beats"]
    assert [b["key"] for b in beats] == keys and all("audio" in b for b in beats)
    for beat, after in zip(beats, beats[1:] + [None]):
        a = beat["audio"]
        assert a["start"] == pytest.approx(beat["start"], abs=1e-6)
        first = np.flatnonzero(on[int(beat["start"] * 100):]).min() / 100 + int(beat["start"] * 100) / 100
        assert abs(first - a["speech_start"]) <= 1 / FPS  # heard within a frame of its beat (spans are in scene time)
        end = after["start"] if after else info["duration"]
        assert a["end"] <= end + 1e-6 and not on[int((a["end"] + 0.03) * 100):int(end * 100)].any()  # over before the next
        assert end >= a["end"] + voice_pause() - 1e-6  # and the pause after it is kept, in whole frames
    assert info["duration"] >= beats[-1]["audio"]["end"] + voice_pause() - 1e-6  # the scene outlasts its narration
    assert info["duration"] >= sum(b["audio"]["end"] - b["audio"]["start"] for b in beats)
    cues = list(srt.parse((cut / f"{SCENE}.srt").read_text(encoding="utf-8")))
    for cue, beat in zip(cues, beats):  # Manim's subtitles: the audio's speech spans
        assert cue.start.total_seconds() == pytest.approx(beat["audio"]["speech_start"], abs=2e-3)
        assert cue.end.total_seconds() == pytest.approx(beat["audio"]["speech_end"], abs=2e-3)
    import pyloudnorm

    speech = np.concatenate([audio[:, int(b["audio"]["start"] * 48000):int(b["audio"]["end"] * 48000)] for b in beats], axis=1)
    assert pyloudnorm.Meter(48000).integrated_loudness(speech.T) == pytest.approx(-16, abs=1)
    with av.open(str(cut / f"{SCENE}.mp4")) as c:  # the scene's video decodes, every frame
        assert sum(1 for _ in c.decode(video=0)) == round(info["duration"] * FPS)


def test_a_longer_take_grows_the_scene_by_the_difference(rendered, traces_dir, capsys, monkeypatch):
    takes, out = rendered / "takes", rendered / "out"
    cut, before, printed = run(takes, out, traces_dir, capsys, monkeypatch)
    assert "0 to render, 1 unchanged" in printed and "0 made now" in printed  # nothing to do
    record(takes, {"linreg_fit.data": 8.5})  # one take re-recorded 2.5 s longer
    cut, after, printed = run(takes, out, traces_dir, capsys, monkeypatch)
    assert "rendered in" in printed and "1 made now" in printed
    assert f"{SCENE} [zh]: the clip of beat data changed" in printed
    log = (cut / "logs" / f"{SCENE}.log").read_text(encoding="utf-8")
    animations = set(re.findall(r"Animation (\d+) :", log))
    reused = set(re.findall(r"Animation (\d+) : Using cached", log))
    assert len(animations - reused) <= 3, f"only {len(reused)} of {len(animations)} animations came from the cache"
    grown = after["beats"][1]["audio"]["end"] - before["beats"][1]["audio"]["end"]
    assert grown == pytest.approx(2.5, abs=0.1)
    assert after["duration"] - before["duration"] == pytest.approx(grown, abs=1 / FPS)
    assert [b["start"] for b in after["beats"][2:]] == pytest.approx([b["start"] + after["duration"] - before["duration"]
                                                                      for b in before["beats"][2:]], abs=1e-6)


def test_a_scene_rendered_again_from_its_partial_movies_has_the_frames_of_a_cold_render(rendered, traces_dir, capsys,
                                                                                         monkeypatch):
    takes, warm = rendered / "takes", rendered / "out"
    cold = rendered / "cold"
    run(takes, cold, traces_dir, capsys, monkeypatch)  # the same inputs, no partial movies yet
    assert frame_digests(cold / "zh" / f"{SCENE}.mp4") == frame_digests(warm / "zh" / f"{SCENE}.mp4")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_scene_files_sound_spans_its_picture(rendered, traces_dir, capsys, monkeypatch, lang):
    takes, out = rendered / f"takes-{lang}", rendered / f"out-{lang}"
    record_takes(takes, SCENE, lang, {})
    cut, _, _ = run(takes, out, traces_dir, capsys, monkeypatch, lang=lang)
    audio_spans_picture(cut / f"{SCENE}.mp4")
