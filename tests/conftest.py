"""Shared fixtures: the default lesson, recorded once per test session (Paddle imported once)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from sim.config import DEFAULT_LESSON, load_lesson
from sim.trace import read_trace


def pytest_addoption(parser):
    # The options Manim's frames_comparison reads: --set_test writes new control frames.
    parser.addoption("--set_test", action="store_true", default=False,
                     help="write the control frames of the frame comparisons instead of checking them")
    parser.addoption("--show_diff", action="store_true", default=False,
                     help="show a picture of the differences when a frame comparison fails")


def pytest_configure(config):
    # Manim skips its cairo frame comparisons below cairo 1.18; Debian 12 ships 1.16. The control
    # frames in tests/control_data/ were made on this cairo, so compare instead of skipping.
    import manim.utils.testing.frames_comparison as frames

    frames.MIN_CAIRO_VERSION = 11600


@pytest.fixture(scope="session")
def lesson():
    return load_lesson(DEFAULT_LESSON)


@pytest.fixture(scope="session")
def traces_dir(lesson, tmp_path_factory) -> Path:
    """The default lesson, recorded once per test run: under pytest-xdist the first worker
    records and the others wait for it (a file lock), then read the same directory."""
    import fcntl

    from sim.record import record_all

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's directory, common to every worker
    out = shared / "traces"
    with open(shared / "traces.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "index.json").is_file():
            record_all(lesson, out, log=lambda line: None)  # all or nothing: index.json comes last
    return out


# Modules whose module-scoped fixtures build a lecture, a site or slides: one worker each.
MODULE_GROUPS = ("test_lecture", "test_narrated_lecture", "test_page", "test_slides", "test_staleness", "test_scorm")
# The groups that take longest (./render.sh test --durations=20), started first.
LONGEST_FIRST = ("ActivationGallery", "SaveLoadPredict", "ModelDefinition", "ChainRule", "test_narrated_lecture")


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(items):
    """Under pytest-xdist (--dist loadgroup), a scene's storyboard runs once per worker that
    needs it: keep every test of one scene on one worker."""
    from scenes import SCENES

    for item in items:
        if item.module.__name__.endswith(MODULE_GROUPS) and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__.rpartition(".")[2]))
            continue
        if item.module.__name__.endswith(("test_scenes", "test_frames")) and not item.get_closest_marker("xdist_group"):
            params = getattr(item, "callspec", None)
            scene = params.params.get("name") if params else None
            scene = scene if scene in SCENES else next((s for s in SCENES if s.lower() in item.name.replace("_", "").lower()
                                   or SCENES[s].key in item.name), None)
            if scene:
                item.add_marker(pytest.mark.xdist_group(scene))
    # The longest groups first, so that no worker starts one when the others are nearly done.
    first = {name: n for n, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: min((first.get(m.args[0], len(first)) for m in item.iter_markers("xdist_group")),
                                    default=len(first)))


@pytest.fixture(scope="session")
def load(traces_dir):
    cache = {}

    def _load(name):
        if name not in cache:
            cache[name] = read_trace(traces_dir, name)
        return cache[name]

    return _load
