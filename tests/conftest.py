"""Shared fixtures: the default lesson, recorded once per test session (Paddle imported once)."""
from __future__ import annotations

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
    from sim.record import record_all

    out = tmp_path_factory.mktemp("traces")
    record_all(lesson, out, log=lambda line: None)
    return out


@pytest.fixture(scope="session")
def load(traces_dir):
    cache = {}

    def _load(name):
        if name not in cache:
            cache[name] = read_trace(traces_dir, name)
        return cache[name]

    return _load
