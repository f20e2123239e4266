"""Marks in narration lines: ``{@name}`` before a word, so that a storyboard can wait for the voice
to say it (``self.wait_for("name")``, scenes/lesson.py), as manim-voiceover's bookmarks do, but
timed from the voice's own durations instead of a speech recogniser.

A mark is not shown and not spoken. While a line is a template, each mark stands as one
private-use character (U+E000 + its number in the line), which ``str.format`` leaves alone; once
the line is filled, ``extract`` removes them and gives each mark's character offset in the
subtitle.
"""
from __future__ import annotations

import re

MARK = re.compile(r"\{@([A-Za-z_][A-Za-z0-9_]*)\}")
LOOSE = re.compile(r"\{@([^}]*)\}?")   # anything written as a mark, well-formed or not
FIRST = 0xE000


def sentinel(number: int) -> str:
    return chr(FIRST + number)


def encode(template: str) -> tuple[str, list[str], list[str]]:
    """``template`` with its marks as sentinels, the marks' names in order, and the problems
    (each a description) of anything written like a mark that is not one."""
    names: list[str] = []
    problems: list[str] = []

    def replace(match: re.Match) -> str:
        name = match[1]
        if name in names:
            problems.append(f"marks {{@{name}}} twice")
        names.append(name)
        return sentinel(len(names) - 1)

    encoded = MARK.sub(replace, template)
    for bad in LOOSE.finditer(encoded):
        problems.append(f"has {bad.group(0)!r}, which is not a mark (a mark is {{@name}}: letters, digits and _)")
    return encoded, names, problems


def extract(text: str, names: list[str]) -> tuple[str, dict[str, int]]:
    """The filled ``text`` without its sentinels, and each mark's offset in that text."""
    clean, offsets = [], {}
    for char in text:
        number = ord(char) - FIRST
        if 0 <= number < len(names):
            offsets[names[number]] = len(clean)
        else:
            clean.append(char)
    return "".join(clean), offsets


def strip(text: str) -> str:
    """``text`` without marks (for a spoken line, where marks mean nothing)."""
    return MARK.sub("", text)
