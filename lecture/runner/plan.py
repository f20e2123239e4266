"""What a run will redo, and why: the narration pre-pass, then each job's derived inputs against
its stamp. ``./render.sh`` prints the reasons and renders the stale jobs; ``./render.sh status``
(``--dry-run``) prints them and stops: nothing is run, synthesised or written then, and a scene
whose beats or clips are not known yet is said to be redone for that reason.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lecture.runner import narration, scene_inputs
from lecture.runner.jobs import Job


@dataclass
class Plan:
    jobs: list[Job]
    inputs: dict[Job, dict | None] = field(default_factory=dict)
    reasons: dict[Job, list[str]] = field(default_factory=dict)

    @property
    def stale(self) -> list[Job]:
        return [job for job in self.jobs if self.reasons[job]]

    def say(self, log=print) -> None:
        for job in self.jobs:
            if self.reasons[job]:
                log(f"  {job.label}: {'; '.join(self.reasons[job])}")
        current = len(self.jobs) - len(self.stale)
        log(f"{len(self.stale)} to render, {current} unchanged")


def make_plan(jobs: list[Job], voice: str, takes: Path | None, parallel: int, force: bool = False,
              dry_run: bool = False, log=print) -> Plan:
    """Beats (storyboards when needed), the words checked against them (AuthoringError), the clips
    (voice.VoiceError), then each job's inputs and reasons."""
    found = narration.beats(jobs, parallel, dry_run=dry_run, log=log)
    narration.check_words(found, log)
    videos = [job for job in jobs if job.kind == "video"]
    narrated, docs, missing = narration.narrate(videos, voice, found, takes, dry_run=dry_run, log=log)
    plan = Plan(narrated + [job for job in jobs if job.kind != "video"])
    for job in plan.jobs:
        if job in missing:
            plan.inputs[job] = None
            beats = missing[job]
            plan.reasons[job] = [f"new clip for beat {beats[0]}" + (f" and {len(beats) - 1} more" if len(beats) > 1 else "")
                                 if beats[0][0] != "(" else f"its storyboard runs first {beats[0]}"]
            continue
        plan.inputs[job] = scene_inputs.inputs(job, docs.get((job.scene, job.out)))
        plan.reasons[job] = ["--force"] if force else job.stamp.why_stale(plan.inputs[job], [job.target], job.lang)
    return plan
