"""The trace contract: schema, safety (no pickles), integrity and atomic writes."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from sim.errors import TraceError
from sim.record import TRACE_NAMES
from sim.trace import SCHEMA_VERSION, arrays_digest, read_trace, write_trace


@pytest.fixture
def one_trace(tmp_path):
    arrays = {"w": np.linspace(0, 1, 5), "epoch": np.arange(5)}
    write_trace(tmp_path, "demo", arrays, {"description": "test", "config": {"lr": 0.1}})
    return tmp_path, arrays


def test_every_trace_has_its_metadata(load, lesson):
    for name in TRACE_NAMES:
        meta = load(name).meta
        assert meta["schema"] == SCHEMA_VERSION and meta["name"] == name
        assert set(meta["versions"]) == {"python", "numpy", "paddlepaddle"}
        assert meta["config"]["sha256"] == lesson.digest()
        assert meta["description"]
        assert meta["arrays"] == {k: list(v.shape) for k, v in load(name).arrays.items()}


def test_round_trip(one_trace):
    directory, arrays = one_trace
    t = read_trace(directory, "demo")
    assert t.config == {"lr": 0.1}
    for key, value in arrays.items():
        np.testing.assert_array_equal(t[key], value)
        assert t[key].dtype == value.dtype
    with pytest.raises(TraceError, match="has no array 'loss'"):
        t["loss"]


def test_wrong_schema_is_refused(one_trace):
    directory, _ = one_trace
    meta_path = directory / "demo.json"
    meta = json.loads(meta_path.read_text())
    meta["schema"] = SCHEMA_VERSION + 1
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(TraceError, match=rf"schema {SCHEMA_VERSION + 1}.*reads schema {SCHEMA_VERSION}.*render.sh traces"):
        read_trace(directory, "demo")


def test_pickle_inside_is_refused_not_loaded(one_trace, tmp_path):
    directory, arrays = one_trace
    marker = tmp_path / "unpickled"

    class Payload:  # would create `marker` if it were ever unpickled
        def __reduce__(self):
            return (open, (str(marker), "w"))

    evil = {**arrays, "note": np.array([Payload()], dtype=object)}
    np.savez(directory / "demo.npz", **evil)  # np.savez pickles object arrays
    with pytest.raises(TraceError, match="pickled object array.*never loaded"):
        read_trace(directory, "demo")
    assert not marker.exists()


def test_changed_arrays_are_detected(one_trace):
    directory, arrays = one_trace
    np.savez(directory / "demo.npz", **{**arrays, "w": arrays["w"] + 1e-12})
    with pytest.raises(TraceError, match="does not match the hash"):
        read_trace(directory, "demo")


def test_missing_trace_says_how_to_make_it(tmp_path):
    with pytest.raises(TraceError, match=r"no trace 'linreg_fit'.*\./render.sh traces"):
        read_trace(tmp_path, "linreg_fit")


def test_non_numeric_arrays_are_not_written(tmp_path):
    with pytest.raises(TraceError, match="numeric NumPy arrays only"):
        write_trace(tmp_path, "bad", {"names": np.array(["a", "b"])}, {})
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_the_previous_trace(one_trace, monkeypatch):
    directory, arrays = one_trace
    before = {p.name: p.read_bytes() for p in directory.iterdir()}

    def broken_savez(fh, **kw):
        fh.write(b"PK\x03\x04 half a zip")
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken_savez)
    with pytest.raises(OSError, match="disk full"):
        write_trace(directory, "demo", {"w": np.zeros(3)}, {})
    assert {p.name: p.read_bytes() for p in directory.iterdir()} == before  # no .part files either
    read_trace(directory, "demo")


def test_digest_depends_on_dtype_shape_and_names():
    a = np.arange(6, dtype=np.float64)
    base = arrays_digest({"a": a})
    assert base != arrays_digest({"a": a.astype(np.float32)})
    assert base != arrays_digest({"a": a.reshape(2, 3)})
    assert base != arrays_digest({"b": a})
    assert base == arrays_digest({"a": a.copy()})


def test_half_copied_directory_is_detected(traces_dir, tmp_path):
    """A .json beside an .npz from another recording fails the hash check."""
    target = tmp_path / "mixed"
    shutil.copytree(traces_dir, target)
    shutil.copy(traces_dir / "linreg_layer.npz", target / "linreg_fit.npz")
    with pytest.raises(TraceError, match="does not match the hash"):
        read_trace(target, "linreg_fit")
