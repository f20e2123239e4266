"""What a render is made from: the trace directory, the language and the pacing.

render.sh passes them to every manim process through the environment:

* ``LECTURE_TRACES``: directory of the recorded traces (default: ``traces/``)
* ``LECTURE_LANG``: language of the on-screen text, a file in ``assets/text/`` (default: ``zh``)
* ``LECTURE_VIDEO``: the pacing file (default: ``assets/video.toml``)
* ``LECTURE_NARRATION``: a narration file (JSON, written by lecture/runner/narration.py): beat
  key -> the clip to play at that beat (``audio`` path, ``duration``, ``speech_start``,
  ``speech_end``, ``text``). Unset: no audio, beats held for reading (silent cut).
* ``LECTURE_MODE``: ``storyboard`` when the storyboard runs only for its beats and their values
  (scenes/lesson.py); unset for a render.
* ``LECTURE_ERRORS``: where a render writes the authoring errors it stopped on (JSON), for the
  process that started it to print.

The pacing file is read with lesson_text's TOML reader: every problem names the file, the line,
the key and the fix.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

from lesson_text import AuthoringError, Problem, lesson_text, read_toml
from paths import TRACES
from paths import VIDEO_FILE as DEFAULT_VIDEO

DEFAULT_LANG = "zh"


@dataclass(frozen=True)
class Pacing:
    fit_seconds: float     # seconds one training run takes on screen, whatever its epochs
    ease_power: float      # > 1 gives the early epochs, where most change happens, more time
    beat_seconds: float    # pause after each beat
    write_seconds: float   # run time of a typical Write / Create / Transform
    readout_rate: float    # live numbers change at most this many times per second of video
    curve_samples: int     # points per drawn trace curve, whatever the number of epochs


def traces_dir() -> Path:
    return Path(os.environ.get("LECTURE_TRACES", TRACES))


def languages() -> list[str]:
    """The languages a cut can be made in: each has its on-screen text and its narration file."""
    return lesson_text().languages()


def language() -> str:
    lang = os.environ.get("LECTURE_LANG", DEFAULT_LANG)
    if lang not in languages():
        raise AuthoringError(Problem("LECTURE_LANG", None, None, f"'{lang}' has no text and narration file",
                                     f"use one of: {', '.join(languages())}"))
    return lang


def storyboard_only() -> bool:
    """The storyboard runs for its beats and their values only (no holds, no subtitles)."""
    return os.environ.get("LECTURE_MODE") == "storyboard"


def video_file() -> Path:
    return Path(os.environ.get("LECTURE_VIDEO", DEFAULT_VIDEO))


def _table(path: Path, name: str) -> tuple[dict, object]:
    located = read_toml(path)
    table = located.doc.get(name)
    if not isinstance(table, dict):
        raise AuthoringError(Problem(str(path), located.line_of(name), name, f"the [{name}] table is missing",
                                     "add it back (git show HEAD:assets/video.toml)"))
    return table, located


def _number(path, located, key, value, kind=float, minimum=0.0, strict=True) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and not isinstance(value, int)) \
            or (value <= minimum if strict else value < minimum):
        bound = f"{'above' if strict else 'at least'} {minimum:g}"
        raise AuthoringError(Problem(str(path), located.line_of(key), key, f"is {value!r}",
                                     f"set it to a {'whole ' if kind is int else ''}number {bound}"))
    return kind(value)


@cache
def reading_speeds(path: Path | None = None) -> dict[str, float]:
    """Characters per second a viewer reads, per language with a narration file."""
    path = Path(path or video_file())
    table, located = _table(path, "reading")
    return {lang: _number(path, located, f"reading.{lang}", table.get(lang)) for lang in languages()}


@cache
def pacing(path: Path | None = None) -> Pacing:
    path = Path(path or video_file())
    table, located = _table(path, "pacing")
    values, problems = {}, []
    for f in fields(Pacing):
        key = f"pacing.{f.name}"
        if f.name not in table:
            problems.append(Problem(str(path), located.line_of("pacing"), key, "is missing",
                                    "add it under [pacing] (git show HEAD:assets/video.toml has every key)"))
            continue
        try:
            values[f.name] = _number(path, located, key, table[f.name], int if f.type == "int" else float)
        except AuthoringError as error:
            problems += error.problems
    for unknown in sorted(set(table) - {f.name for f in fields(Pacing)}):
        problems.append(Problem(str(path), located.line_of(f"pacing.{unknown}"), f"pacing.{unknown}",
                                "is not a pacing setting", f"use one of: {', '.join(f.name for f in fields(Pacing))}"))
    if problems:
        raise AuthoringError(problems)
    return Pacing(**values)


@cache
def voice_pause(path: Path | None = None) -> float:
    """Seconds of picture held after a beat's clip ends, before the next beat (``[voice]``)."""
    path = Path(path or video_file())
    table, located = _table(path, "voice")
    return _number(path, located, "voice.pause_seconds", table.get("pause_seconds"), strict=False)


def check(path: Path | None = None) -> None:
    """The whole pacing file, checked (AuthoringError naming every problem)."""
    problems = []
    for part in (pacing, reading_speeds, voice_pause):
        try:
            part(path)
        except AuthoringError as error:
            problems += [p for p in error.problems if p not in problems]
    if problems:
        raise AuthoringError(problems)


@cache
def _narration_file(path: str) -> dict:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        clips = doc["clips"]
        for key, clip in clips.items():
            for field in ("audio", "duration", "speech_start", "speech_end", "text"):
                clip[field]  # noqa: B018 (each must be present)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AuthoringError(Problem(path, None, "LECTURE_NARRATION", f"cannot be read as a narration file ({exc!r})",
                                     "render through ./render.sh, which writes it, or unset LECTURE_NARRATION")) from exc
    missing = [clip["audio"] for clip in clips.values() if not Path(clip["audio"]).is_file()]
    if missing:
        raise AuthoringError(Problem(path, None, "LECTURE_NARRATION", f"names audio that is not there: {', '.join(missing[:3])}",
                                     "run ./render.sh again (it synthesises missing clips)"))
    return clips


def narration_audio() -> dict[str, dict]:
    """Beat key -> its clip, from the file ``LECTURE_NARRATION`` names ({} when unset)."""
    path = os.environ.get("LECTURE_NARRATION")
    return _narration_file(path) if path else {}
