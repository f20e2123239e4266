"""Test signals and a counting engine for the voice tests (no neural voice needed)."""
from __future__ import annotations

import wave
from fractions import Fraction
from pathlib import Path

import numpy as np

from voice.services.base import Synthesized as Engine


def speechlike(seconds: float, rate: int = 22050, level: float = 0.3, seed: int = 0,
               lead: float = 0.3, tail: float = 0.4) -> np.ndarray:
    """Syllable-rate (4 Hz) bursts of a 150 Hz harmonic voice with noise, between silences."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    voice = sum(np.sin(2 * np.pi * 150 * k * t) / k for k in range(1, 12))
    voice += 0.2 * rng.standard_normal(len(t))
    envelope = np.clip(np.sin(2 * np.pi * 4 * t), 0, None) ** 0.5
    body = level * voice * envelope / np.max(np.abs(voice))
    return np.concatenate([np.zeros(int(lead * rate)), body, np.zeros(int(tail * rate))]).astype(np.float32)


class CountingEngine(Engine):
    """A stand-in voice: 0.08 s of speech-like sound per character, counting what it is asked."""
    source, name, voice, lang = "neural", "counting", "tones", "zh"

    def __init__(self, version: str = "1"):
        self._version, self.calls, self.texts = version, 0, []

    @property
    def version(self) -> str:
        return self._version

    def render(self, texts):
        self.calls += 1
        self.texts.extend(texts)
        return [(speechlike(0.08 * len(text), seed=len(text)), 22050) for text in texts]


def write_wav(path: Path, audio: np.ndarray, rate: int) -> Path:
    """(samples,) or (channels, samples) float -> 16-bit PCM WAV."""
    audio = np.atleast_2d(audio)
    pcm = (np.clip(audio.T, -1, 0.99997) * 32768).astype("<i2")
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(audio.shape[0])
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return path


def encode(path: Path, audio: np.ndarray, rate: int, codec: str, fmt: str) -> Path:
    """Encode mono float audio with PyAV (an MP3 or FLAC take)."""
    import av

    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        fmt_name = "s16p" if codec == "libmp3lame" else "s16"
        pcm = (np.clip(audio, -1, 0.99997) * 32768).astype(np.int16).reshape(1, -1)
        step = 1152
        for i in range(0, pcm.shape[1], step):
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(pcm[:, i:i + step]), format=fmt_name, layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = rate, i, Fraction(1, rate)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def record_takes(takes: Path, scene: str, lang: str = "zh", seconds: dict | None = None) -> list[str]:
    """A take of test speech for every beat of ``scene`` (6 s, or ``seconds[key]``), where
    ``--voice recorded --takes`` looks for it; returns the beats' keys."""
    from lesson_text import lesson_text
    from scenes import SCENES

    keys = [k for k in lesson_text().lines(lang) if k.startswith(SCENES[scene].key + ".")]
    for n, key in enumerate(keys):
        write_wav(takes / lang / scene / f"{key.split('.')[1]}.wav",
                  speechlike((seconds or {}).get(key, 6.0), 44100, seed=n), 44100)
    return keys
