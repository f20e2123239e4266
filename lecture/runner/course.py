"""A course file: its lessons (lesson files, or recordings read as they are), languages and
qualities (``assets/course.toml`` is an example)::

    languages = ["zh", "en"]
    qualities = ["preview"]
    lessons = ["lessons/default.toml", "lessons/fast_lr.toml"]   # relative to this file
    # lessons = [{ traces = "runs/long" }]                        # a recording, never written
    # scenes = ["ChainRule"]                                      # only these (no lecture then)

``parse`` checks everything before anything is recorded or rendered: a TOML error, an unknown
key, lesson, language, quality or scene, a bad value in a lesson file. Each is an
AuthoringError naming the file, the line, the key and the fix.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lecture.runner.jobs import QUALITIES
from lesson_text import AuthoringError, Problem, read_toml
from paths import LESSONS_DIR, REPO
from scenes import SCENES

KEYS = ("lessons", "languages", "qualities", "scenes")


@dataclass(frozen=True)
class Course:
    source: Path
    lessons: tuple[tuple[str, Path], ...]  # ("file" or "traces", path)
    languages: tuple[str, ...]
    qualities: tuple[str, ...]
    scenes: tuple[str, ...]                # empty: every scene, and the lectures


def parse(path: str | Path) -> Course:
    """Read and check a course file; nothing is written."""
    from scenes.settings import languages
    from sim.config import load_lesson
    from sim.errors import SimError

    path = Path(path).resolve()
    located = read_toml(path, missing_fix="give an existing course file, e.g. assets/course.toml")
    table = located.doc

    def refuse(key: str | None, problem: str, fix: str):
        raise AuthoringError(Problem(str(path), located.line_of(key) if key else None, key, problem, fix))

    def names(key: str, valid, what: str) -> tuple[str, ...]:
        value = table.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            refuse(key, f"must be a non-empty list of names (it is {value!r})",
                   f"write e.g. {key} = [\"{next(iter(valid))}\"]; valid: {', '.join(valid)}")
        bad = [v for v in value if v not in valid]
        if bad:
            refuse(key, f"names an unknown {what} {', '.join(repr(b) for b in bad)}", f"valid: {', '.join(valid)}")
        if len(set(value)) != len(value):
            refuse(key, f"names a {what} twice", "list each once")
        return tuple(value)

    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        refuse(unknown[0], "is an unknown key", f"valid keys: {', '.join(KEYS)}")
    langs = names("languages", languages(), "language")
    qualities = names("qualities", list(QUALITIES), "quality")
    scenes = names("scenes", list(SCENES), "scene") if "scenes" in table else ()
    entries = table.get("lessons")
    if not isinstance(entries, list) or not entries:
        refuse("lessons" if "lessons" in table else None, "must list the course's lesson files",
               f"write lessons = [\"lessons/default.toml\"] (paths relative to {path.parent})")
    lessons, seen = [], {}
    for entry in entries:
        if isinstance(entry, str):
            entry = {"file": entry}
        if not isinstance(entry, dict) or len(entry) != 1 or next(iter(entry)) not in ("file", "traces") \
                or not isinstance(next(iter(entry.values())), str):
            refuse("lessons", f"has {entry!r}, which is neither a lesson file nor a recording",
                   "give a lesson file (\"lessons/NAME.toml\") or { traces = \"DIR\" }")
        kind, value = next(iter(entry.items()))
        where = (path.parent / value).resolve()
        if kind == "file":
            if not where.is_file():
                known = ", ".join(str(p.relative_to(REPO)) for p in sorted(LESSONS_DIR.glob("*.toml")))
                refuse("lessons", f"names the unknown lesson '{value}' (no file {where})",
                       f"use a lesson file ({known}); paths are relative to {path.parent}")
            try:
                name = load_lesson(where).name  # every value of the lesson checked now
            except SimError as exc:
                refuse("lessons", f"names the lesson '{value}', which cannot be used: {exc}", "fix that lesson file")
        else:
            if not where.is_dir():
                refuse("lessons", f"names the recording {where}, which does not exist",
                       f"record one with ./render.sh traces --out {where} [--config FILE]")
            name = f"(recording {value})"  # its lesson's name is read when it is checked
        if name in seen:
            refuse("lessons", f"names '{seen[name]}' and '{value}', both the lesson '{name}', which would render "
                              f"into the same folders", "list it once")
        seen[name] = value
        lessons.append((kind, where))
    return Course(path, tuple(lessons), langs, qualities, scenes)
