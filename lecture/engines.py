"""Engines run render jobs. ``local`` (the default) renders each job in a manim process on this
machine, ``-j`` at a time. Every engine gets the same jobs and reports to the same progress
display; the outputs are written into place, atomically, on the machine that runs the command.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from lecture.jobs import Job, RenderError, expected_seconds, render
from lecture.layout import shown


def label(job: Job) -> str:
    course = getattr(job, "lesson", "")  # a course's job (lecture.catalogue) names its lesson and quality
    return f"{course}/{job.quality} {job.scene} [{job.lang}]" if course else f"{job.scene} [{job.lang}]"


class LocalEngine:
    name = "local"

    def __init__(self, parallel: int):
        self.parallel = parallel

    def run(self, jobs: list[Job], inputs: dict, progress) -> list[Job]:
        """Render ``jobs``; return the ones that failed (each reported to ``progress``)."""
        failed = []

        def one(job: Job):
            seconds = expected_seconds(job)
            progress.add(label(job), round(seconds * job.fps) if seconds else None)
            try:
                what, _ = render(job, inputs[job], on_frames=lambda n: progress.frames(label(job), n))
                progress.finished(label(job), f"{shown(job.target)}: {what}")
            except RenderError as exc:
                failed.append(job)
                progress.finished(label(job), str(exc), error=True)

        with ThreadPoolExecutor(max_workers=self.parallel) as pool:
            list(pool.map(one, jobs))
        return failed
