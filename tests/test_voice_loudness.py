"""Loudness: every clip at -16 LUFS (+-1 LU) with true peak <= -1 dBTP, 48 kHz mono, trimmed.
References: a 997 Hz sine at 0 dBFS reads -3.01 LUFS (ITU-R BS.1770), a sine's true peak is its
amplitude wherever its samples fall, and a 16x FFT-oversampled peak checks the 4x one."""
from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest
from scipy.signal import resample

from tests.voice_signals import speechlike
from voice.config import VoiceConfig
from voice.services.base import read_wav
from voice.errors import VoiceError
from voice.loudness import finish, integrated_lufs, true_peak_dbtp

CONFIG = VoiceConfig()


def reference_peak_db(audio: np.ndarray) -> float:
    return 20 * np.log10(np.max(np.abs(resample(audio, 16 * len(audio)))))


def check(done, config=CONFIG):
    assert abs(done.lufs - config.target_lufs) <= 1.0
    assert done.true_peak_dbtp <= config.max_true_peak
    assert abs(integrated_lufs(done.audio.astype(np.float64), 48000) - done.lufs) < 1e-6  # measured on the output
    assert reference_peak_db(done.audio.astype(np.float64)) <= config.max_true_peak + 0.1


def test_a_sine_lands_where_bs1770_says():
    t = np.arange(48000 * 3) / 48000
    done = finish(0.05 * np.sin(2 * np.pi * 997 * t), 48000)
    check(done)
    # -16 LUFS for a 997 Hz sine means amplitude 10 ** ((-16 + 3.01) / 20)
    assert np.max(np.abs(done.audio)) == pytest.approx(10 ** ((-16 + 3.01) / 20), rel=0.02)


def test_true_peak_sees_between_samples():
    n = np.arange(4800)
    quarter = np.sin(2 * np.pi * n / 4 + np.pi / 4)   # samples at +-0.707, the wave itself reaches 1
    assert 20 * np.log10(np.max(np.abs(quarter))) == pytest.approx(-3.01, abs=0.01)
    assert true_peak_dbtp(quarter) == pytest.approx(0.0, abs=0.3)


@pytest.mark.parametrize("level", [0.005, 0.3, 0.95])
def test_speechlike_clips_at_any_level(level):
    check(finish(speechlike(3.0, level=level), 22050))


def test_peaky_clip_is_limited_not_just_turned_down():
    audio = speechlike(3.0, level=0.05)
    audio[::2205] = 0.99  # clicks: far above the ceiling once the speech is at -16 LUFS
    done = finish(audio, 22050)
    check(done)
    assert abs(done.lufs - CONFIG.target_lufs) <= 0.2


def test_output_is_48k_mono_and_trimmed_the_same_way():
    stereo = np.stack([speechlike(2.0, rate=44100, lead=1.0, tail=1.5)] * 2)
    done = finish(stereo, 44100)
    assert done.audio.ndim == 1
    # 1.0 s of silence, 2 s of 4 Hz bursts (the last one ends at 1.875 s), then 1.5 s of silence
    body = 1.875
    assert len(done.audio) / 48000 == pytest.approx(body + 2 * CONFIG.pad_seconds, abs=0.03)
    assert done.speech_start == pytest.approx(CONFIG.pad_seconds, abs=0.015)
    assert done.speech_end - done.speech_start == pytest.approx(body, abs=0.03)


def test_speech_to_the_first_and_last_sample_gets_silence_padded_not_cut():
    # what an engine gave: full level within the first 10 ms, speech up to its last sample
    rate = 24000
    t = np.arange(int(1.5 * rate)) / rate
    speech = 0.3 * np.sin(2 * np.pi * 220 * t) * (1 + 0.3 * np.sin(2 * np.pi * 3 * t))
    done = finish(speech, rate)
    edge = int(0.080 * 48000)
    assert np.max(np.abs(done.audio[:edge])) == 0 and np.max(np.abs(done.audio[-edge:])) == 0
    assert done.speech_start >= 0.080 and len(done.audio) / 48000 - done.speech_end >= 0.080
    # nothing of the speech is gone: its length is kept, and the engine's times move by ``shift``
    assert done.speech_end - done.speech_start == pytest.approx(1.5, abs=0.011)
    assert done.shift == pytest.approx(done.speech_start, abs=1e-9)


def test_silence_and_nan_are_refused():
    with pytest.raises(VoiceError, match="silent"):
        finish(np.zeros(48000), 48000)
    with pytest.raises(VoiceError, match="NaN"):
        finish(np.full(48000, np.nan), 48000)


@pytest.mark.skipif(not shutil.which("espeak-ng"), reason="espeak-ng is not installed (./render.sh --voice espeak installs it)")
@pytest.mark.parametrize("lang, voice, text", [("en", "en-us", "The loss falls from three thousand to forty two."),
                                              ("zh", "cmn", "损失从三千一百四十二降到四十二点六八。")])
def test_real_speech_from_espeak(lang, voice, text):
    out = subprocess.run(["espeak-ng", "-v", voice, "--stdout", text], capture_output=True, check=True).stdout
    audio, rate = read_wav(out)
    check(finish(audio, rate))
