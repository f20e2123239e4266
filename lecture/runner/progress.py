"""What a producer sees while scenes render.

On a terminal: one line per job with its percent done and an estimate of the time left, from
the frames Manim reports against the scene's length at its last render (none yet: frames and
elapsed time only). Elsewhere (CI, a log file): one plain line per finished job.
"""
from __future__ import annotations

import json
import sys
import threading


def expected_frames(job) -> int | None:
    """The frames of the scene at its last render in this language, at any quality (beats are
    the same at every quality): what the progress estimate counts against."""
    for beats in sorted(job.out.parent.parent.glob(f"*/{job.lang}/{job.scene}.beats.json")):
        try:
            return round(float(json.loads(beats.read_text(encoding="utf-8"))["duration"]) * job.fps)
        except (OSError, ValueError, KeyError):
            continue
    return None


class PlainProgress:
    def __init__(self):
        self.lock = threading.Lock()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def add(self, name: str, expected_frames: int | None) -> None:
        pass

    def frames(self, name: str, count: int) -> None:
        pass

    def finished(self, name: str, message: str, error: bool = False) -> None:
        with self.lock:
            print(f"  {'error: ' if error else ''}{name}: {message}", file=sys.stderr if error else sys.stdout,
                  flush=True)


class TerminalProgress(PlainProgress):
    """Rich progress bars (rich comes with Manim)."""

    def __init__(self):
        super().__init__()
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.bars = Progress(TextColumn("  {task.description:<26}", markup=False), BarColumn(bar_width=16),
                             TextColumn("{task.percentage:>3.0f}%"), MofNCompleteColumn(), TimeElapsedColumn(),
                             TextColumn("left"), TimeRemainingColumn(), TextColumn("{task.fields[status]}", markup=False))
        self.tasks: dict[str, int] = {}

    def __enter__(self):
        self.bars.__enter__()
        return self

    def __exit__(self, *exc):
        return self.bars.__exit__(*exc)

    def add(self, name: str, expected_frames: int | None) -> None:
        self.tasks[name] = self.bars.add_task(name, total=expected_frames, status="waiting", start=False)

    def frames(self, name: str, count: int) -> None:
        task = self.tasks[name]
        self.bars.start_task(task)
        total = self.bars.tasks[task].total
        if total is not None and count > total:  # the scene grew since its last render
            self.bars.update(task, total=count)
        self.bars.update(task, completed=count, status="rendering")

    def finished(self, name: str, message: str, error: bool = False) -> None:
        task = self.tasks[name]
        done = self.bars.tasks[task].completed
        self.bars.update(task, total=max(done, 1), completed=max(done, 1), status="FAILED" if error else "done")
        self.bars.console.print(("  error: " if error else "  ") + message, markup=False, highlight=False)


def progress_display():
    return TerminalProgress() if sys.stdout.isatty() else PlainProgress()


class LessonProgress:
    """Passes each job's progress on, and shows one more line per lesson of a course: its jobs done."""

    def __init__(self, inner, lesson_of: dict[str, str]):
        self.inner, self.lesson_of = inner, lesson_of
        self.total = {lesson: list(lesson_of.values()).count(lesson) for lesson in set(lesson_of.values())}
        self.done = dict.fromkeys(self.total, 0)
        self.failed = dict.fromkeys(self.total, 0)
        for lesson in sorted(self.total):
            inner.add(f"lesson {lesson}", self.total[lesson])

    def add(self, name, expected_frames):
        self.inner.add(name, expected_frames)

    def frames(self, name, count):
        self.inner.frames(name, count)

    def finished(self, name, message, error=False):
        self.inner.finished(name, message, error)
        lesson = self.lesson_of[name]
        self.done[lesson] += 1
        self.failed[lesson] += error
        if self.done[lesson] < self.total[lesson]:
            self.inner.frames(f"lesson {lesson}", self.done[lesson])
        else:
            self.inner.finished(f"lesson {lesson}", f"{self.total[lesson]} jobs done, {self.failed[lesson]} failed",
                                error=bool(self.failed[lesson]))
