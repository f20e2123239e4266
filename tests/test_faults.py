"""Faults that producers meet: two runs on one cut, and a full disk. One writer per folder, named
to whoever finds it taken; never two processes in one scratch folder; a full disk said in one
line (the folder, the space needed, the space free), its scratch removed, the previous videos
untouched."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from lecture.runner.jobs import Job, RenderError
from lecture.runner.manim_process import render, scratch
from lecture.store.locks import FolderBusy, folder_lock
from paths import REPO, VIDEO_FILE


def command(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "lecture.commands.render", *map(str, args)], cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=timeout)


def test_a_second_run_on_the_same_cut_names_the_first_and_stops_with_no_wait(tmp_path, traces_dir):
    out = tmp_path / "out"
    with folder_lock(out / "zh"):
        done = command("LineCannotFit", "--traces", traces_dir, "--out", out, "--no-wait", "--no-lecture")
    assert done.returncode == 3, done.stdout + done.stderr
    assert f"being written by another run (pid {os.getpid()}" in done.stderr and "Traceback" not in done.stderr
    assert "--no-wait" in done.stderr and not list(out.rglob("*.mp4"))


def test_a_second_run_waits_for_the_first_and_says_so(tmp_path):
    said, order = [], []
    with folder_lock(tmp_path / "cut"):
        def second():
            with folder_lock(tmp_path / "cut", wait=True, log=said.append):
                order.append("second")

        waiter = threading.Thread(target=second)
        waiter.start()
        time.sleep(0.5)
        order.append("first done")
    waiter.join(timeout=10)
    assert order == ["first done", "second"]
    assert len(said) == 1 and said[0].startswith("waiting:") and f"pid {os.getpid()}" in said[0]
    with folder_lock(tmp_path / "cut"), pytest.raises(FolderBusy):  # the lock is per process too
        with folder_lock(tmp_path / "cut", wait=False):
            pass


def test_two_processes_never_share_a_scratch_folder(tmp_path):
    job = Job("LineCannotFit", "preview", "zh", tmp_path, tmp_path / "cut", VIDEO_FILE)
    with scratch(job, job.scene) as one, scratch(job, job.scene) as two:
        assert one != two and one.parent == two.parent == tmp_path / "cut" / ".work"
    assert not (tmp_path / "cut" / ".work").exists()


def test_a_disk_too_small_for_the_last_render_is_said_before_rendering(tmp_path, traces_dir):
    job = Job("LineCannotFit", "preview", "zh", traces_dir, tmp_path / "cut", VIDEO_FILE)
    job.stamp.write({"old": 1}, bytes=10 ** 15)  # the last render of this scene wrote a petabyte
    with scratch(job, job.scene) as work, pytest.raises(RenderError) as refused:
        render(job, work)
    message = str(refused.value)
    assert "no space left in" in message and str(job.folder) in message
    assert "are needed there" in message and "are free" in message and "--out DIR" in message
    assert not job.log.exists(), "a render was started"


def tiny_disk(path: Path, kilobytes: int = 200):
    path.mkdir(parents=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kilobytes}k", "tmpfs", str(path)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.strip()}); needs root")


@pytest.mark.slow
def test_a_full_disk_is_one_line_with_the_space_and_the_scratch_goes(tmp_path, traces_dir):
    out = tmp_path / "tiny"
    tiny_disk(out)
    try:
        previous = out / "zh" / "LineCannotFit.mp4"
        previous.parent.mkdir()
        previous.write_bytes(b"the previous video")
        done = command("LineCannotFit", "--traces", traces_dir, "--out", out, "-j", "1", "--no-lecture")
        assert done.returncode != 0, done.stdout
        errors = [line for line in (done.stdout + done.stderr).splitlines() if "no space left" in line]
        assert errors and str(out / "zh") in errors[0], done.stdout + done.stderr
        assert "are needed there" in errors[0] and "are free" in errors[0] and "Traceback" not in done.stderr
        assert previous.read_bytes() == b"the previous video"
        assert not (out / "zh" / ".work").exists(), "the scratch folder was left behind"
        left = [p.name for p in (out / "zh" / ".segments").rglob("*") if p.is_file() and p.suffix != ".lock"] \
            if (out / "zh" / ".segments").exists() else []
        assert left == [], f"this render's partial movies were left behind: {left}"
        assert shutil.disk_usage(out).used < 200_000, "the disk was not given back"
    finally:
        subprocess.run(["umount", str(out)], check=False)
