"""Which traces a render reads: a user's --traces directory is read and never written; this code
records only its own directories (traces/, traces/<lesson>/), and variants never share one."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from helpers import write_variant
from lecture.store import layout
from lecture.runner.recording import given_traces, lesson_traces
from paths import REPO
from sim.errors import SimError, TraceError
from sim.record import TRACE_NAMES, staleness
from sim.trace import read_trace


def snapshot(directory, deep=True):
    """Every file's bytes and modification time (recursively, or only the directory's own)."""
    return {str(p.relative_to(directory)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(directory.rglob("*") if deep else directory.glob("*")) if p.is_file()}


@pytest.fixture
def users_recording(traces_dir, tmp_path):
    """A user's recording that this code would call stale: made by other code, from another file."""
    out = tmp_path / "runs" / "long"
    shutil.copytree(traces_dir, out)
    for name in TRACE_NAMES:
        meta = json.loads((out / f"{name}.json").read_text())
        meta["source_sha256"] = "0" * 64
        meta["config"]["sha256"] = "f" * 64
        meta["config"]["lesson"] = "my_lesson"
        (out / f"{name}.json").write_text(json.dumps(meta))
    return out


def test_a_given_recording_is_read_as_it_is_and_never_written(users_recording, lesson):
    assert staleness(lesson, users_recording), "the fixture must look stale to the default lesson"
    before = snapshot(users_recording)
    recording = given_traces(users_recording)
    assert recording.given and recording.traces == users_recording.resolve()
    assert recording.lesson == "my_lesson"
    assert layout.quality_dir(recording.lesson, "preview") == layout.OUT / "my_lesson" / "preview"
    assert snapshot(users_recording) == before


def truncate(path, keep=0.5):
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def test_a_truncated_npz_is_a_clear_trace_error(users_recording):
    truncate(users_recording / "sigmoid_fit.npz")
    with pytest.raises(TraceError, match=r"sigmoid_fit\.npz is not a readable \.npz"):
        read_trace(users_recording, "sigmoid_fit")


@pytest.mark.parametrize("damage", ["truncate", "garbage", "missing", "schema"])
def test_an_unreadable_given_recording_is_refused_and_left_alone(users_recording, tmp_path, damage):
    if damage == "truncate":
        truncate(users_recording / "linreg_fit.npz")
    elif damage == "garbage":
        (users_recording / "linreg_fit.npz").write_bytes(b"PK\x03\x04 not really a zip file")
    elif damage == "missing":
        (users_recording / "linreg_fit.npz").unlink()
    else:
        meta = json.loads((users_recording / "linreg_fit.json").read_text())
        (users_recording / "linreg_fit.json").write_text(json.dumps({**meta, "schema": 99}))
    before = snapshot(users_recording)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-m", "lecture.commands.render", "--traces", str(users_recording),
                           "--out", str(out), "LinearRegressionFit"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "linreg_fit" in proc.stderr and "nothing in it was changed" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(users_recording) == before
    assert not out.exists()


def test_variants_record_into_their_own_directories(lesson, traces_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(layout, "TRACES", tmp_path / "traces")
    default = layout.lesson_traces(layout.DEFAULT_LESSON_NAME)
    shutil.copytree(traces_dir, default)  # a current recording of the default lesson
    before = snapshot(default, deep=False)  # variants are recorded below it, in traces/<lesson>/
    logged = []
    assert lesson_traces(lesson.source, log=logged.append).traces == default and logged == []
    (tmp_path / "lessons").mkdir()
    variant = write_variant(tmp_path / "lessons", "[linreg]\nlearning_rate = 0.1\n", name="fast.toml")
    made = lesson_traces(variant, log=logged.append)
    assert made.traces == tmp_path / "traces" / "fast" and len(logged) == 1
    assert read_trace(made.traces, "linreg_sequential").config["learning_rate"] == 0.1
    assert snapshot(default, deep=False) == before, "the default lesson's traces were touched"
    again = snapshot(made.traces)
    assert lesson_traces(variant, log=logged.append).traces == made.traces and len(logged) == 1
    assert snapshot(made.traces) == again, "a current variant was recorded again"
    # another file with the same name would take that directory: refused, nothing written
    other = tmp_path / "elsewhere"
    other.mkdir()
    clash = write_variant(other, "[linreg]\nlearning_rate = 0.2\n", name="fast.toml")
    with pytest.raises(SimError, match="same name"):
        lesson_traces(clash, log=logged.append)
    assert snapshot(made.traces) == again
