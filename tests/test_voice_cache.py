"""synthesize(): clips by hash, one engine batch per language, nothing re-made when nothing changed."""
from __future__ import annotations

import json
import wave

import pytest

from tests.voice_signals import CountingEngine
from voice import make_line, synthesize
from voice.errors import VoiceError

LINES = [make_line("linreg_fit.intro", "zh", "接下来让这个循环跑完整个训练过程。"),
         make_line("linreg_fit.data", "zh", "还是这十个样本。"),
         make_line("linreg_fit.train", "zh", "训练 500 轮，损失从 3142 降到 42.68。")]


def test_second_run_makes_nothing_and_one_changed_line_makes_one(tmp_path):
    engine = CountingEngine()
    first = synthesize(LINES, "neural", cache=tmp_path, engine=engine)
    assert engine.calls == 1 and len(engine.texts) == 3 and all(c.synthesized for c in first)
    again = synthesize(LINES, "neural", cache=tmp_path, engine=engine)
    assert engine.calls == 1 and not any(c.synthesized for c in again)
    assert [c.path for c in again] == [c.path for c in first]
    changed = LINES[:2] + [make_line("linreg_fit.train", "zh", "训练 600 轮，损失从 3142 降到 42.68。")]
    third = synthesize(changed, "neural", cache=tmp_path, engine=engine)
    assert engine.calls == 2 and engine.texts[3:] == ["训练六百轮，损失从三千一百四十二降到四十二点六八。"]
    assert [c.synthesized for c in third] == [False, False, True]


def test_a_new_engine_version_makes_everything_again(tmp_path):
    synthesize(LINES, "neural", cache=tmp_path, engine=CountingEngine("1"))
    newer = CountingEngine("2")
    synthesize(LINES, "neural", cache=tmp_path, engine=newer)
    assert len(newer.texts) == 3


def test_clips_report_what_is_in_their_files(tmp_path):
    for clip in synthesize(LINES, "neural", cache=tmp_path, engine=CountingEngine()):
        with wave.open(str(clip.path)) as w:
            assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (48000, 1, 2)
            assert clip.duration == pytest.approx(w.getnframes() / 48000)
        assert 0 < clip.speech_start < clip.speech_end <= clip.duration
        assert abs(clip.lufs + 16) <= 1 and clip.true_peak_dbtp <= -1
        sidecar = json.loads(clip.path.with_suffix(".json").read_text(encoding="utf-8"))
        assert sidecar["engine"] == clip.engine == "counting" and sidecar["spoken"] == clip.spoken


def test_a_longer_line_gives_a_longer_clip(tmp_path):
    short, long = synthesize([make_line("a.short", "zh", "还是这十个样本。"),
                              make_line("a.long", "zh", "还是这十个样本，一开始，直线是随机初始化的，离数据很远。")],
                             "neural", cache=tmp_path, engine=CountingEngine())
    assert long.duration > short.duration + 1.0


def test_a_damaged_cache_entry_is_made_again(tmp_path):
    engine = CountingEngine()
    clip = synthesize(LINES[:1], "neural", cache=tmp_path, engine=engine)[0]
    clip.path.write_bytes(clip.path.read_bytes()[:1000])
    assert synthesize(LINES[:1], "neural", cache=tmp_path, engine=engine)[0].synthesized
    assert engine.calls == 2


def test_none_is_silent_and_bad_sources_are_named(tmp_path):
    assert synthesize(LINES, "none", cache=tmp_path) == []
    with pytest.raises(VoiceError, match="unknown voice 'loud'"):
        synthesize(LINES, "loud", cache=tmp_path)
    with pytest.raises(VoiceError, match="given twice"):
        synthesize(LINES + LINES[:1], "neural", cache=tmp_path, engine=CountingEngine())
