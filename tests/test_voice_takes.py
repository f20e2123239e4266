"""Recorded takes: found by scene and beat, any rate and channel count, every problem named at
once, and the takes folder never written to. The recording script says where each take goes."""
from __future__ import annotations

import csv

import numpy as np
import pytest

from tests.voice_signals import encode, snapshot, speechlike, write_wav
from voice import by_scene, make_line, synthesize
from voice.config import VoiceConfig
from voice.errors import BadTakeError, MissingTakesError
from voice.services.recorded import write_script

# each line knows its scene (the caller, lecture/, says which): voice/ reads nothing of scenes/
LINES = [make_line("linreg_fit.intro", "zh", "接下来让这个循环跑完整个训练过程。", scene="LinearRegressionFit"),
         make_line("linreg_fit.data", "zh", "还是这十个样本。", scene="LinearRegressionFit"),
         make_line("zigzag.intro", "zh", "为什么说输出不以零为中心不好？", scene="ZigZagUpdates")]


def record_all(takes, rate=48000):
    write_wav(takes / "zh/LinearRegressionFit/intro.wav", speechlike(2.0, rate), rate)
    encode(takes / "zh/LinearRegressionFit/data.flac", speechlike(1.0, rate), rate, "flac", "flac")
    stereo = np.stack([speechlike(3.0, 44100, seed=1), 0.5 * speechlike(3.0, 44100, seed=2)])
    write_wav(takes / "zh/ZigZagUpdates/intro.wav", stereo, 44100)


def test_takes_of_any_format_become_48k_mono_clips(tmp_path):
    takes = tmp_path / "takes"
    record_all(takes)
    before = snapshot(takes)
    clips = synthesize(LINES, "recorded", takes=takes, cache=tmp_path / "cache")
    assert [c.engine for c in clips] == ["recorded"] * 3
    assert clips[2].duration == pytest.approx(2.875 + 2 * VoiceConfig().pad_seconds, abs=0.05)  # 44.1 kHz stereo, trimmed, padded
    assert all(abs(c.lufs + 16) <= 1 and c.true_peak_dbtp <= -1 for c in clips)
    assert snapshot(takes) == before
    assert not any(c.synthesized for c in synthesize(LINES, "recorded", takes=takes, cache=tmp_path / "cache"))


def test_a_longer_take_gives_a_longer_clip(tmp_path):
    takes = tmp_path / "takes"
    record_all(takes)
    first = synthesize(LINES, "recorded", takes=takes, cache=tmp_path / "cache")
    write_wav(takes / "zh/LinearRegressionFit/intro.wav", speechlike(4.0, 48000), 48000)
    second = synthesize(LINES, "recorded", takes=takes, cache=tmp_path / "cache")
    assert second[0].duration == pytest.approx(first[0].duration + 2.0, abs=0.05)
    assert [c.synthesized for c in second] == [True, False, False]


def test_missing_takes_are_all_listed_with_their_paths(tmp_path):
    takes = tmp_path / "takes"
    write_wav(takes / "zh/LinearRegressionFit/intro.wav", speechlike(2.0, 48000), 48000)
    before = snapshot(takes)
    with pytest.raises(MissingTakesError) as caught:
        synthesize(LINES, "recorded", takes=takes, cache=tmp_path / "cache")
    message = str(caught.value)
    assert "2 recorded take(s) missing" in message
    assert "zh:linreg_fit.data" in message and str(takes / "zh/LinearRegressionFit/data.wav") in message
    assert "zh:zigzag.intro" in message and str(takes / "zh/ZigZagUpdates/intro.wav") in message
    assert snapshot(takes) == before and not (tmp_path / "cache").exists()


@pytest.mark.parametrize("name, make, says", [
    ("text", lambda p: p.write_text("not audio at all\n"), "cannot be decoded"),
    ("mp3 renamed", lambda p: encode(p, speechlike(1.0, 44100), 44100, "libmp3lame", "mp3"), "not WAV"),
    ("truncated", lambda p: p.write_bytes(write_wav(p, speechlike(1.0), 48000).read_bytes()[:40]), "take"),
    ("silent", lambda p: write_wav(p, np.zeros(48000), 48000), "silent"),
])
def test_bad_takes_are_named_and_nothing_is_replaced(tmp_path, name, make, says):
    takes = tmp_path / "takes"
    record_all(takes)
    cache = tmp_path / "cache"
    good = synthesize(LINES, "recorded", takes=takes, cache=cache)
    cached = snapshot(cache)
    bad = takes / "zh/LinearRegressionFit/intro.wav"
    bad.unlink()
    make(bad)
    before = snapshot(takes)
    with pytest.raises(BadTakeError) as caught:
        synthesize(LINES, "recorded", takes=takes, cache=cache)
    assert str(bad) in str(caught.value) and says in str(caught.value)
    assert snapshot(takes) == before and snapshot(cache) == cached  # nothing written, nothing replaced
    assert good[0].path.exists()


def test_two_takes_for_one_beat_are_refused(tmp_path):
    takes = tmp_path / "takes"
    record_all(takes)
    encode(takes / "zh/LinearRegressionFit/intro.flac", speechlike(1.0), 48000, "flac", "flac")
    with pytest.raises(BadTakeError, match="two takes"):
        synthesize(LINES, "recorded", takes=takes, cache=tmp_path / "cache")


def test_recording_script_lists_each_scene_in_order_with_take_paths(tmp_path):
    written = write_script(by_scene(LINES), "zh", tmp_path / "takes", tmp_path / "script")
    names = [p.name for p in written]
    assert names == ["01-LinearRegressionFit.md", "02-ZigZagUpdates.md", "takes.csv", "README.md"]
    first = (tmp_path / "script" / names[0]).read_text(encoding="utf-8")
    assert first.index("linreg_fit.intro") < first.index("linreg_fit.data")
    assert "还是这十个样本。" in first and str(tmp_path / "takes/zh/LinearRegressionFit/data.wav") in first
    rows = list(csv.DictReader(open(tmp_path / "script/takes.csv", encoding="utf-8")))
    assert [r["beat"] for r in rows] == [line.key for line in LINES]
    assert rows[2]["take"] == str(tmp_path / "takes/zh/ZigZagUpdates/intro.wav")
