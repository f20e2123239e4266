"""Engines run render jobs: ``local`` (the default) runs each job's Manim process on this machine,
``-j`` at a time; ``ray`` (lecture.runner.ray_engine) runs each as a Ray task. Every engine gets
the same jobs, videos and slides alike, reports to the same progress display, and its outputs
are moved into place, atomically, on the machine that runs the command
(lecture.runner.manim_process).

An engine is a context manager: entering it checks that it can run at all (for Ray: connects
and checks the cluster), before anything is written.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from lecture.runner.jobs import EngineError, Job, RenderError
from lecture.runner.manim_process import render_into_place
from lecture.runner.progress import expected_frames
from lecture.store.layout import shown

__all__ = ["EngineError", "LocalEngine", "make_engine"]


class LocalEngine:
    name = "local"

    def __init__(self, parallel: int):
        self.parallel = parallel

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def run(self, jobs: list[Job], inputs: dict, progress) -> list[Job]:
        """Render ``jobs`` (the stale ones: the caller decides); return the ones that failed,
        each reported to ``progress``."""
        failed = []

        def one(job: Job):
            progress.add(job.label, expected_frames(job))
            try:
                seconds = render_into_place(job, inputs[job], on_frames=lambda n: progress.frames(job.label, n))
                progress.finished(job.label, f"{shown(job.target)}: rendered in {seconds:.1f} s")
            except RenderError as exc:
                failed.append((job, exc))
                progress.finished(job.label, str(exc), error=True)

        with ThreadPoolExecutor(max_workers=self.parallel) as pool:
            list(pool.map(one, jobs))
        self.errors = dict(failed)
        return [job for job, _ in failed]


def make_engine(name: str, parallel: int, address: str | None = None):
    """The engine ``--engine NAME`` names."""
    if name == "local":
        if address:
            raise EngineError("--address needs --engine ray")
        return LocalEngine(parallel)
    if name == "ray":
        from lecture.runner.ray_engine import RayEngine

        return RayEngine(address, parallel)
    raise EngineError(f"unknown engine '{name}'; valid engines: local, ray")
