"""The lines a voice speaks: a narration line of the lesson, as lesson_text reads and fills it,
with its spoken form written out for a voice (voice.spoken: numbers in words, terms by their
spoken forms). The voice layer reads the lesson's words only through lesson_text.
"""
from __future__ import annotations

from dataclasses import dataclass

from lesson_text import LessonText, lesson_text
from lesson_text import Line as LessonLine
from voice.spoken import speakable


@dataclass(frozen=True)
class Line(LessonLine):
    """A lesson line whose ``spoken`` has numbers and terms written out for a voice."""
    scene: str | None = None  # the scene it belongs to (where its recorded take lives)


def line(key: str, lang: str, values: dict | None = None, words: LessonText | None = None,
         scene: str | None = None) -> Line:
    """The line ``key`` of ``lang`` with its placeholders filled from ``values`` (as the scene
    fills them); an AuthoringError names the file, line and placeholder when it cannot be."""
    filled = (words or lesson_text()).line(key, lang, values)
    return Line(key, lang, filled.text, speakable(filled.spoken, lang), filled.marks, scene=scene)


def make_line(key: str, lang: str, text: str, spoken: str | None = None, scene: str | None = None) -> Line:
    """A Line from an already formatted subtitle (and optional spoken text)."""
    return Line(key, lang, text, speakable(spoken if spoken is not None else text, lang), scene=scene)


def by_scene(lines: list[Line]) -> dict[str, list[Line]]:
    """Lines grouped by their scene, in the given order."""
    grouped: dict[str, list[Line]] = {}
    for item in lines:
        grouped.setdefault(item.scene or item.section, []).append(item)
    return grouped
