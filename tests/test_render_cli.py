"""The render command's own logic: progress from Manim's bars, and a lecture that is not
assembled again when nothing it depends on changed."""
from __future__ import annotations

import argparse
import json

from lecture import jobs, render
from lecture.jobs import FrameCounter, Job


def test_frame_counter_adds_up_manim_progress_bars():
    seen = []
    counter = FrameCounter(seen.append)
    for segment in ["Animation 0: FadeIn(Text('a')):   0%|          | 0/15 [00:00<?, ?it/s]",
                    "Animation 0: FadeIn(Text('a')):  60%|######    | 9/15 [00:00<00:00, 80.1it/s]",
                    "Animation 0: FadeIn(Text('a')): 100%|##########| 15/15 [00:00<00:00, 80.1it/s]",
                    "Manim Community v0.22.0",
                    "Waiting 1:  50%|#####     | 10/20 [00:00<00:00, 99it/s]",
                    "Waiting 1: 100%|##########| 20/20 [00:00<00:00, 99it/s]",
                    "Animation 2: Create(Axes 1/2):  10%|#  | 3/30 [00:00<00:00, 9it/s]"]:
        counter.feed(segment)
    assert seen == [0, 9, 15, 25, 35, 38]


def test_an_unchanged_lecture_is_not_assembled_again(tmp_path, traces_dir, monkeypatch):
    built = []
    monkeypatch.setattr("lecture.build.build", lambda *args, **kwargs: built.append(args))
    cut = tmp_path / "zh"
    scene_jobs = [Job(s, "preview", "zh", traces_dir, cut, tmp_path / "video.toml") for s in ("A", "B")]
    for n, job in enumerate(scene_jobs):
        jobs.write_json(job.stamp, {"inputs": {"scene": job.scene, "n": n}})
    args = argparse.Namespace(burn_subtitles=False, voice="none", force=False)
    render.assemble(cut, traces_dir, "zh", "preview", scene_jobs, args)
    assert len(built) == 1
    (cut / "manifest.json").write_text("{}")
    render.assemble(cut, traces_dir, "zh", "preview", scene_jobs, args)
    assert len(built) == 1, "assembled again though nothing changed"
    jobs.write_json(scene_jobs[1].stamp, {"inputs": {"scene": "B", "n": 5}})  # one scene re-rendered
    render.assemble(cut, traces_dir, "zh", "preview", scene_jobs, args)
    assert len(built) == 2
    render.assemble(cut, traces_dir, "zh", "preview", scene_jobs, argparse.Namespace(**{**vars(args), "voice": "espeak"}))
    assert len(built) == 3
    assert json.loads((cut / ".stamps" / "lecture.json").read_text())["inputs"]["options"]["voice"] == "espeak"
