"""``--voice none``: no narration. Each beat is held until its line can be read."""
from __future__ import annotations

from voice.services.base import VoiceService


class Silent(VoiceService):
    source, name, voice = "none", None, None

    def __init__(self, lang: str):
        self.lang = lang

    def info(self) -> dict:
        return {"source": "none", "lang": self.lang, "engine": None, "voice": None, "version": None}

    def clips(self, lines, cache, config, make=True):
        return []
