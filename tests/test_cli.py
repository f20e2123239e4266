"""The recorder as a user runs it: exit codes, messages, and nothing lost on failure."""
from __future__ import annotations

import filecmp
import os
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from helpers import run_cli, write_variant
from sim.config import REPO
from sim.record import TRACE_NAMES
from sim.trace import read_trace


def snapshot(directory):
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def leftovers(parent):
    return [p.name for p in parent.iterdir() if ".staging-" in p.name or p.name.endswith(".part")]


@pytest.fixture
def previous(traces_dir, tmp_path):
    """A directory holding a good earlier recording."""
    out = tmp_path / "traces"
    shutil.copytree(traces_dir, out)
    return out


def test_second_recording_is_identical(traces_dir, tmp_path):
    out = tmp_path / "again"
    proc = run_cli("record", "--out", out)
    assert proc.returncode == 0, proc.stderr
    for name in TRACE_NAMES:
        assert "written" not in proc.stderr
        a, b = read_trace(traces_dir, name), read_trace(out, name)
        assert a.meta["arrays_sha256"] == b.meta["arrays_sha256"], name
        for key in a.arrays:
            np.testing.assert_array_equal(a[key], b[key], err_msg=f"{name}.{key}")
        assert filecmp.cmp(traces_dir / f"{name}.json", out / f"{name}.json", shallow=False), name
    assert "wrote 7 traces" in proc.stdout and "s wall time" in proc.stdout
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("body,field", [
    ("[linreg]\nlearning_rate = -0.5\n", "linreg.learning_rate"),
    ('[sigmoid_fit]\nlearning_rate = "fast"\n', "sigmoid_fit.learning_rate"),
    ("[linreg]\nepochs = 0\n", "linreg.epochs"),
    ("[linreg]\ndata = []\n", "linreg.data"),
    ("[sigmoid_fit]\ndata = [[0.8, 0], [1.1]]\n", "sigmoid_fit.data"),
    ("[linreg]\ndata = [[0.5, nan], [1.0, 2.0]]\n", "linreg.data"),
])
def test_bad_config_exits_with_the_field_and_writes_nothing(tmp_path, body, field):
    out = tmp_path / "out"
    proc = run_cli("record", "--out", out, "--config", write_variant(tmp_path, body))
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and field in proc.stderr and "Fix:" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()
    assert leftovers(tmp_path) == []


def test_divergence_names_the_epoch_and_the_bound(previous, tmp_path):
    before = snapshot(previous)
    proc = run_cli("record", "--out", previous, "--config",
                   write_variant(tmp_path, "[linreg]\nlearning_rate = 1.0\n"))
    assert proc.returncode == 3, proc.stderr
    assert "linreg_sequential: the loss became inf at epoch" in proc.stderr
    assert "learning_rate < 0.6769" in proc.stderr and "linreg.learning_rate" in proc.stderr
    assert "warning: linreg.learning_rate = 1 is at or above the stable bound" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(previous) == before
    assert leftovers(tmp_path) == []


def test_status_tells_current_from_stale(previous, tmp_path):
    proc = run_cli("status", "--out", previous)
    assert proc.returncode == 0 and "current" in proc.stdout
    proc = run_cli("status", "--out", previous, "--config", write_variant(tmp_path, "[linreg]\nepochs = 400\n"))
    assert proc.returncode == 1 and "another config" in proc.stdout
    (previous / "sigmoid_fit.npz").unlink()
    proc = run_cli("status", "--out", previous)
    assert proc.returncode == 1 and "sigmoid_fit.npz is missing" in proc.stdout
    proc = run_cli("status", "--out", tmp_path / "empty")
    assert proc.returncode == 1 and "no trace 'linreg_sequential'" in proc.stdout


def test_interrupted_recording_leaves_previous_traces(previous, tmp_path):
    """A real Ctrl-C in the middle of a long run."""
    before = snapshot(previous)
    config = write_variant(tmp_path, "[linreg]\nepochs = 400000\n")
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "sim", "record", "--out", str(previous), "--config", str(config)],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert "recording the traces" in proc.stdout.readline()
        time.sleep(1.0)  # inside the first training loop
        staging = [p for p in tmp_path.iterdir() if ".staging-" in p.name]
        assert staging, "the run should be writing to a staging directory"
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted: nothing was written" in err
    assert snapshot(previous) == before
    assert leftovers(tmp_path) == []


def test_interrupt_between_traces_in_process(previous, tmp_path, lesson, monkeypatch):
    """Interrupted after some traces are done: none of them reaches the directory."""
    import sim.record as record

    real_run, calls = record._run, []

    def run_then_stop(name, lesson_):
        calls.append(name)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return real_run(name, lesson_)

    before = snapshot(previous)
    monkeypatch.setattr(record, "_run", run_then_stop)
    with pytest.raises(KeyboardInterrupt):
        record.record_all(lesson, previous, log=lambda line: None)
    assert snapshot(previous) == before
    assert leftovers(tmp_path) == []


def test_out_must_be_a_directory(tmp_path):
    target = tmp_path / "a_file"
    target.write_text("keep me")
    proc = run_cli("record", "--out", target)
    assert proc.returncode == 2 and "is a file, not a directory" in proc.stderr
    assert target.read_text() == "keep me"
    assert leftovers(tmp_path) == []


def test_summary_reads_its_numbers_from_the_traces(traces_dir, load):
    proc = run_cli("summary", "--out", traces_dir)
    assert proc.returncode == 0, proc.stderr
    seq, sig = load("linreg_sequential"), load("sigmoid_fit")
    assert f"first loss {seq['loss'][0]:.4f}" in proc.stdout
    assert f"w = {seq['w'][-1]:.3f}, b = {seq['b'][-1]:.3f}" in proc.stdout
    assert f"predicts {load('linreg_fit').results['prediction']['high_level_api']:.3f} at x = 1.5" in proc.stdout
    assert f"loss = {sig['loss'][-1]:.4f}" in proc.stdout
    assert "steps with sigmoid inputs" in proc.stdout
