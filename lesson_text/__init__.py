"""The lesson's words (floor 1): on-screen text, narration lines, spoken forms and descriptions.

    from lesson_text import lesson_text
    words = lesson_text()
    words.string("linreg_fit.title", "zh")
    words.line("linreg_fit.train", "en", {"epochs": 500, "loss0": 3142.0, "loss": 42.68})
    words.description("linreg_fit.start", "en", {"w": -1.670, "b": 0.0, "loss": 3142.0, "epochs": 500})

The one reader of ``assets/text/``, ``assets/narration/``, ``assets/narration/spoken.toml`` and
``assets/description/`` (what the screen shows at each beat, for the described transcript):
the scenes, voice/ and the publishing code all read the lesson's words through it, and
``check`` validates all of them before anything runs. It imports nothing of scenes/ or lecture/
and reads none of their files. ``read_toml`` reads any TOML file that producers edit (lessons,
courses, pacing) with errors that name the file, line and column.
"""
from lesson_text.check import check, check_beats, require
from lesson_text.errors import AuthoringError, Problem
from lesson_text.lesson import DESCRIPTION, NARRATION, READS, TEXT, LessonText, Line, lesson_text, recording
from lesson_text.templates import Where, fill, placeholders
from lesson_text.toml import read as read_toml


def string(key: str, lang: str, **values) -> str:
    """The on-screen string ``key`` in ``lang`` of the lesson in ``assets/``, filled from ``values``."""
    return lesson_text().string(key, lang, **values)


def narration_line(key: str, lang: str, **values) -> str:
    """The subtitle of the narration line ``key`` in ``lang``, filled from ``values``."""
    return lesson_text().line(key, lang, values).text


def description(key: str, lang: str, **values) -> str:
    """What the screen shows at the beat ``key`` in ``lang``, filled from the beat's ``values``."""
    return lesson_text().description(key, lang, values)


__all__ = ["description", "narration_line", "string", "DESCRIPTION", "NARRATION", "READS", "TEXT", "AuthoringError",
           "LessonText", "Line", "Problem", "Where", "check", "check_beats", "fill", "lesson_text", "placeholders",
           "read_toml", "recording", "require"]
