"""Every scene rendered again after an edit (slow): its first line made longer, on a copy of the
repository, then ``./render.sh``'s command again. The partial movies of every animation the edit
did not change are reused, and the video is the first one with the longer hold put in: frame for
frame, nothing else differs (a cached animation leaves the scene as a rendered one does)."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import av
import pytest

from paths import REPO
from scenes import SCENES

pytestmark = pytest.mark.slow
LONGER = "，" * 20  # the silent cut holds a beat until it can be read: 20 characters more, up to 4 s more


@pytest.fixture(scope="module")
def copy(tmp_path_factory, traces_dir):
    target = tmp_path_factory.mktemp("edits") / "repo"
    shutil.copytree(REPO, target, ignore=shutil.ignore_patterns(".venv", ".voices", "out", "traces", ".git", "tests",
                                                                "__pycache__", "*.pyc"))
    if (REPO / "out" / ".cache").is_dir():  # LaTeX and text SVGs: content-addressed, safe to share
        shutil.copytree(REPO / "out" / ".cache", target / "out" / ".cache")
    return target


def render(copy: Path, scene: str, traces: Path) -> Path:
    done = subprocess.run([sys.executable, "-m", "lecture.commands.render", scene, "--traces", str(traces), "--out",
                           str(copy / "cuts"), "-j", "1", "--no-lecture"], cwd=copy,
                          env={**os.environ, "PYTHONPATH": str(copy)}, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return copy / "cuts" / "zh" / f"{scene}.mp4"


def digests(video: Path) -> list[str]:
    with av.open(str(video)) as container:
        return [hashlib.sha256(f.to_ndarray(format="rgb24").tobytes()).hexdigest() for f in container.decode(video=0)]


@pytest.mark.parametrize("scene", list(SCENES))
def test_an_edited_line_renders_again_only_its_hold_and_the_rest_is_the_same_video(copy, traces_dir, scene):
    before = digests(render(copy, scene, traces_dir))
    narration = copy / "assets" / "narration" / "zh.toml"
    text = narration.read_text(encoding="utf-8")
    section = text.index(f"[{SCENES[scene].key}]")
    first = re.compile(r'^intro = "(.*)"$', re.M).search(text, section)
    narration.write_text(text[:first.end(1)] + LONGER + text[first.end(1):], encoding="utf-8")
    after = digests(render(copy, scene, traces_dir))
    log = (copy / "cuts" / "zh" / "logs" / f"{scene}.log").read_text(encoding="utf-8")
    animations = set(re.findall(r"Animation (\d+) :", log))
    rendered = animations - set(re.findall(r"Animation (\d+) : Using cached", log))
    assert len(rendered) == 1, f"{scene}: animations {sorted(rendered, key=int)} of {len(animations)} rendered again"
    added = len(after) - len(before)
    assert 15 <= added <= 4 * 15 + 1  # a longer hold: up to 4 s more at 15 frames a second
    i = next(n for n, (a, b) in enumerate(zip(before, after)) if a != b)  # where the hold grew
    assert set(after[i:i + added]) <= {after[i - 1]}, "the frames put in are not the held frame"
    assert after[i + added:] == before[i:], f"{scene}: the video differs after the longer hold"
    assert after[:i] == before[:i]
