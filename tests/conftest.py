"""Shared fixtures: the default lesson, recorded once per test session (Paddle imported once)."""
from __future__ import annotations

from pathlib import Path

import pytest

from sim.config import DEFAULT_LESSON, load_lesson
from sim.trace import read_trace


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
