"""Text and narration strings by key, without Manim: the lecture builder reads them too.

A key is ``section.name``; values may hold ``{placeholders}`` filled from trace numbers.
"""
from __future__ import annotations

import tomllib
from functools import cache

from scenes.settings import NARRATION_DIR, TEXT_DIR, language
from sim.errors import ConfigError


@cache
def table(lang: str, directory=TEXT_DIR) -> dict[str, str]:
    path = directory / f"{lang}.toml"
    with open(path, "rb") as fh:
        doc = tomllib.load(fh)
    flat = {}
    for section, entries in doc.items():
        for key, value in entries.items():
            if not key.endswith("_spoken"):  # a narration line's spoken form (voice/lines.py), not a string
                flat[f"{section}.{key}"] = value
    return flat


def narration(key: str, lang: str | None = None, **values) -> str:
    """The narration line ``key`` (``scene.beat``) from ``assets/narration/<lang>.toml``."""
    lang = lang or language()
    strings = table(lang, NARRATION_DIR)
    if key not in strings:
        raise ConfigError(str(NARRATION_DIR / f"{lang}.toml"), key, "is missing",
                          "add the narration line (every language file has the same keys)")
    return strings[key].format(**values) if values else strings[key]



def text_string(key: str, lang: str, **values) -> str:
    """The on-screen string ``key`` in ``lang`` (what scenes.text.t gives inside a render)."""
    strings = table(lang)
    if key not in strings:
        raise ConfigError(str(TEXT_DIR / f"{lang}.toml"), key, "is missing",
                          "add it (every language file has the same keys)")
    return strings[key].format(**values) if values else strings[key]
