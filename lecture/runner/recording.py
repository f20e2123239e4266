"""Which recorded traces a render reads, and when this code may record them again.

* ``--traces DIR``: a user's recording. It is read as it is (its own config is inside it) and
  never written to; it is refused, with the reason and nothing written, only when this code
  cannot read it (missing trace, schema, hash, pickle, corrupt file).
* otherwise the lesson file (``--config FILE``, default ``assets/lessons/default.toml``) is
  recorded into its own directory (``lecture.layout.lesson_traces``), again only when that is
  missing, unreadable, or was made by other code or from another version of the same file.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from lecture.store import layout
from paths import REPO
from sim.errors import SimError, TraceError
from sim.trace import read_trace


@dataclass(frozen=True)
class Recording:
    lesson: str      # the lesson's name (the stem of its lesson file)
    traces: Path     # the directory the scenes read
    given: bool      # named by the user with --traces: read, never written
    to_record: str | None = None  # (dry run) why it would be recorded first


def unreadable(directory: Path, names) -> list[str]:
    """Why the traces ``names`` in ``directory`` cannot be read (empty: all read and verified)."""
    problems = []
    for name in names:
        try:
            read_trace(directory, name)
        except TraceError as exc:
            problems.append(str(exc))
    return problems


def given_traces(directory: str | Path) -> Recording:
    """A user's recording, checked by reading every trace; nothing is written."""
    from sim.record import TRACE_NAMES
    from sim.trace import read_meta

    directory = Path(directory).resolve()
    if not directory.is_dir():
        raise TraceError(f"--traces {directory} is not a directory. Record one with "
                         f"./render.sh traces --out {directory} [--config FILE], or leave --traces out")
    problems = unreadable(directory, TRACE_NAMES)
    if problems:
        raise TraceError(f"the traces in {directory} cannot be read, so nothing was rendered and "
                         f"nothing in it was changed:\n  " + "\n  ".join(problems))
    lessons = sorted({read_meta(directory, name)["config"]["lesson"] for name in TRACE_NAMES})
    if len(lessons) != 1:
        raise TraceError(f"{directory} mixes recordings of the lessons {', '.join(lessons)}; record it "
                         f"again as one: ./render.sh traces --out DIR --config FILE")
    return Recording(lessons[0], directory, given=True)


def lesson_traces(config: str | Path, log: Callable[[str], None] = print, dry_run: bool = False) -> Recording:
    """The recording of the lesson file ``config`` in its own directory, made when needed
    (``dry_run``: not made; the Recording says why it would be)."""
    import json

    from sim.config import load_lesson
    from sim.record import INDEX, TRACE_NAMES, staleness

    lesson = load_lesson(config)  # every value checked before anything runs
    target = layout.lesson_traces(lesson.name)
    problems = staleness(lesson, target) or unreadable(target, TRACE_NAMES)
    if not problems:
        return Recording(lesson.name, target, given=False)
    index = target / INDEX
    if index.is_file():
        recorded_from = (REPO / json.loads(index.read_text())["config_file"]).resolve()
        if recorded_from != Path(lesson.source).resolve():
            raise SimError(f"{target} holds the recording of another lesson file with the same name "
                           f"({recorded_from}); rename {lesson.source} so that its name is its own")
    if dry_run:
        return Recording(lesson.name, target, given=False, to_record=problems[0])
    log(f"traces in {target} are missing or stale ({problems[0]}): recording them")
    from sim.record import record_all

    record_all(lesson, target)
    return Recording(lesson.name, target, given=False)
