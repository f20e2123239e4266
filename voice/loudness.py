"""Every clip the same: 48 kHz mono, -16 LUFS integrated (ITU-R BS.1770 via pyloudnorm), true peak
at or below -1 dBTP (4x oversampled), leading and trailing silence trimmed by one rule and then
padded, so that every clip starts and ends with ``pad_seconds`` of silence (never speech cut).

``finish(audio, rate)`` does all of it and reports what it measured on the samples it returns.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import resample_poly

from voice.config import VoiceConfig
from voice.errors import VoiceError


@dataclass(frozen=True)
class Finished:
    audio: np.ndarray       # float32 mono at config.sample_rate, already quantised to 16 bit
    lufs: float             # integrated loudness of ``audio``
    true_peak_dbtp: float   # true peak of ``audio``
    speech_start: float     # seconds from the start of ``audio`` to its first speech frame
    speech_end: float       # seconds from the start of ``audio`` to the end of its last speech frame
    shift: float = 0.0      # a time t (s) of the engine's audio is at t + shift in ``audio``


def to_mono(audio: np.ndarray) -> np.ndarray:
    """(samples,) or (channels, samples) -> (samples,) float64, channels averaged."""
    audio = np.asarray(audio, dtype=np.float64)
    return audio.mean(axis=0) if audio.ndim == 2 else audio


def resample(audio: np.ndarray, rate: int, target: int) -> np.ndarray:
    if rate == target:
        return audio
    ratio = Fraction(target, rate)
    return resample_poly(audio, ratio.numerator, ratio.denominator)


def true_peak_dbtp(audio: np.ndarray, factor: int = 4) -> float:
    """The highest sample of the signal oversampled ``factor`` times, in dB (BS.1770-4 annex 2)."""
    if len(audio) == 0:
        return float("-inf")
    peak = np.max(np.abs(resample_poly(audio, factor, 1)))
    return float(20 * np.log10(peak)) if peak > 0 else float("-inf")


def integrated_lufs(audio: np.ndarray, rate: int) -> float:
    import pyloudnorm

    block = int(0.4 * rate)  # BS.1770 needs at least one 400 ms gating block
    if len(audio) < block:
        audio = np.concatenate([audio, np.zeros(block - len(audio))])
    with np.errstate(divide="ignore"):
        return float(pyloudnorm.Meter(rate).integrated_loudness(audio))


def limit(audio: np.ndarray, rate: int, ceiling_dbtp: float, factor: int = 4,
          lookahead: float = 0.005) -> np.ndarray:
    """A look-ahead peak limiter on the true-peak signal: the gain at each sample is at most what
    keeps every oversampled value within ``lookahead`` of it under the ceiling, and changes smoothly."""
    ceiling = 10 ** (ceiling_dbtp / 20)
    over = np.abs(resample_poly(audio, factor, 1))[:len(audio) * factor]
    peak = np.pad(over, (0, len(audio) * factor - len(over))).reshape(len(audio), factor).max(axis=1)
    need = np.minimum(1.0, ceiling / np.maximum(peak, 1e-12))
    if need.min() >= 1.0:
        return audio
    half = max(1, int(lookahead * rate))
    gain = minimum_filter1d(need, size=2 * half + 1, mode="nearest")
    gain = uniform_filter1d(gain, size=half, mode="nearest")  # an average of values each <= need[n]
    return audio * gain


def speech_span(audio: np.ndarray, rate: int, config: VoiceConfig) -> tuple[int, int] | None:
    """First and last sample (end exclusive) of the frames louder than config.silence_dbfs."""
    frame = max(1, int(config.frame_seconds * rate))
    count = len(audio) // frame
    if count == 0:
        return None
    frames = audio[:count * frame].reshape(count, frame)
    with np.errstate(divide="ignore"):
        level = 10 * np.log10(np.mean(frames ** 2, axis=1))
    loud = np.flatnonzero(level > config.silence_dbfs)
    if len(loud) == 0:
        return None
    return int(loud[0] * frame), int((loud[-1] + 1) * frame)


def quantise(audio: np.ndarray) -> np.ndarray:
    return np.round(np.clip(audio, -1, 32767 / 32768) * 32768) / 32768


def finish(audio: np.ndarray, rate: int, config: VoiceConfig = VoiceConfig(), name: str = "clip") -> Finished:
    """Resample to mono ``config.sample_rate``, normalise, limit, trim; measure the result."""
    out_rate = config.sample_rate
    audio = resample(to_mono(audio), rate, out_rate)
    if not np.all(np.isfinite(audio)):
        raise VoiceError(f"{name}: the audio holds NaN or infinite samples. Fix: record or synthesise it again.")
    lufs = integrated_lufs(audio, out_rate)
    if not np.isfinite(lufs):
        raise VoiceError(f"{name} is silent. Fix: record or synthesise it again.")
    audio = audio * 10 ** ((config.target_lufs - lufs) / 20)

    span = speech_span(audio, out_rate, config)
    if span is None or (span[1] - span[0]) < config.min_speech_seconds * out_rate:
        raise VoiceError(f"{name} holds less than {config.min_speech_seconds} s of speech above "
                         f"{config.silence_dbfs} dBFS. Fix: record or synthesise it again.")
    pad = int(config.pad_seconds * out_rate)
    start, end = max(0, span[0] - pad), min(len(audio), span[1] + pad)
    lead, tail = pad - (span[0] - start), pad - (end - span[1])  # silence the source lacks
    audio = np.concatenate([np.zeros(lead), audio[start:end], np.zeros(tail)])
    speech = ((span[0] - start + lead) / out_rate, (span[1] - start + lead) / out_rate)

    aim = config.max_true_peak - config.limiter_margin
    for attempt in range(6):  # limiting lowers the loudness; make up and limit again until both hold
        audio = quantise(audio)
        peak = true_peak_dbtp(audio, config.oversampling)
        if peak > config.max_true_peak:
            audio = quantise(limit(audio, out_rate, aim, config.oversampling))
            peak = true_peak_dbtp(audio, config.oversampling)
            if peak > config.max_true_peak:  # the smoothed gain overshot between samples: scale down
                audio = quantise(audio * 10 ** ((config.max_true_peak - 0.05 - peak) / 20))
                peak = true_peak_dbtp(audio, config.oversampling)
        lufs = integrated_lufs(audio, out_rate)
        if abs(lufs - config.target_lufs) <= 0.1 or attempt == 5:
            break
        audio = audio * 10 ** ((config.target_lufs - lufs) / 20)
    if peak > config.max_true_peak:
        raise VoiceError(f"{name}: true peak {peak:.2f} dBTP stays above {config.max_true_peak} dBTP.")
    return Finished(audio.astype(np.float32), lufs, peak, *speech, shift=(lead - start) / out_rate)
