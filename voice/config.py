"""Settings of the voice layer, with the reason for each value."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from paths import OUT, REPO

CACHE_DIR = OUT / ".voice-cache"              # synthesised and normalised clips, by hash
TAKES_DIR = REPO / "assets" / "voice"         # recorded takes: <lang>/<Scene>/<beat>.wav|.flac
ZH_ENV = REPO / ".voices" / "zh"              # the Chinese neural voice's own Python environment
ZH_REQUIREMENTS = REPO / "voice" / "zh-requirements.txt"


@dataclass(frozen=True)
class VoiceConfig:
    # loudness: EBU R 128 / streaming practice for speech, measured by ITU-R BS.1770
    target_lufs: float = -16.0      # integrated loudness of every clip
    max_true_peak: float = -1.0     # dBTP ceiling, true peak measured with 4x oversampling
    limiter_margin: float = 0.2     # the limiter aims this far (dB) below the ceiling
    oversampling: int = 4           # true-peak oversampling factor (BS.1770-4 annex 2)
    # output format: what Manim's add_sound and the AAC encoder take without resampling again
    sample_rate: int = 48000        # Hz, every clip mono at this rate, 16-bit PCM WAV
    # trimming: the same rule for every engine and every take, applied after normalisation
    silence_dbfs: float = -50.0     # a 10 ms frame quieter than this (RMS) is silence
    frame_seconds: float = 0.010    # frame length of the silence detection
    pad_seconds: float = 0.100      # silence before the first and after the last speech frame (padded
                                    # with zeros where the engine gave less: at least 80 ms each side)
    min_speech_seconds: float = 0.2  # a clip with less speech than this is treated as silent

    def as_dict(self) -> dict:
        return asdict(self)
