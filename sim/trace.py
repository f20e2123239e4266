"""The trace format: the contract between sim/ (which writes) and scenes/ (which reads).

A trace NAME in a directory DIR is two files:

* ``DIR/NAME.npz``: numeric arrays only, loadable with ``np.load(..., allow_pickle=False)``.
  Per-epoch arrays share one leading axis: index k is the state after k updates; ``loss[k]``
  and ``grad_*[k]`` are evaluated at that state; index 0 is the initial state.
* ``DIR/NAME.json``: metadata: ``schema``, ``name``, ``config`` (every hyperparameter and the
  data), ``versions`` (Python, NumPy, Paddle), ``arrays_sha256`` (see ``arrays_digest``),
  ``arrays`` (name -> shape), ``source_sha256`` (the recorder's code), ``results`` (scalars and
  strings a run produced, such as file sizes), and a ``description``.

This module imports only NumPy and the standard library: scenes use it without Paddle.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from sim.errors import TraceError

SCHEMA_VERSION = 1
NUMERIC_KINDS = "biuf"  # bool, signed, unsigned, float: never object, string or void
RECORD_HINT = "record the traces again with ./render.sh traces"


@dataclass(frozen=True)
class Trace:
    name: str
    arrays: Mapping[str, np.ndarray]
    meta: dict = field(repr=False)

    def __getitem__(self, key: str) -> np.ndarray:
        try:
            return self.arrays[key]
        except KeyError:
            raise TraceError(f"trace {self.name!r} has no array {key!r}; it has "
                             f"{', '.join(sorted(self.arrays))}. {RECORD_HINT}") from None

    @property
    def config(self) -> dict:
        return self.meta["config"]

    @property
    def results(self) -> dict:
        return self.meta.get("results", {})


def arrays_digest(arrays: Mapping[str, np.ndarray]) -> str:
    """SHA-256 over every array's name, dtype, shape and bytes, in name order."""
    h = hashlib.sha256()
    for name in sorted(arrays):
        a = np.ascontiguousarray(arrays[name])
        h.update(name.encode() + b"\0" + a.dtype.str.encode() + b"\0" + repr(a.shape).encode() + b"\0")
        h.update(a.tobytes())
    return h.hexdigest()


def _check_numeric(name: str, arrays: Mapping[str, np.ndarray]) -> None:
    for key, a in arrays.items():
        if not isinstance(a, np.ndarray) or a.dtype.kind not in NUMERIC_KINDS:
            kind = type(a).__name__ if not isinstance(a, np.ndarray) else f"dtype {a.dtype}"
            raise TraceError(f"trace {name!r}: array {key!r} is {kind}; traces hold numeric NumPy "
                             "arrays only (convert tensors with .numpy(), scalars with float())")


def _atomic_write(path: Path, write) -> None:
    """Write through a temporary file in the same directory, then rename it into place."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; give the usual permissions
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, doc: Any) -> None:
    text = json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    _atomic_write(Path(path), lambda fh: fh.write(text.encode("utf-8")))


def write_trace(directory: str | Path, name: str, arrays: Mapping[str, np.ndarray], meta: dict) -> Path:
    """Write NAME.npz then NAME.json atomically; return the JSON path.

    ``meta`` gets the schema, name, digest and array shapes filled in here.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    arrays = {k: np.asarray(v) for k, v in arrays.items()}
    _check_numeric(name, arrays)
    doc = {"schema": SCHEMA_VERSION, "name": name, **meta,
           "arrays_sha256": arrays_digest(arrays),
           "arrays": {k: list(v.shape) for k, v in sorted(arrays.items())}}
    _atomic_write(directory / f"{name}.npz", lambda fh: np.savez(fh, **arrays))
    write_json(directory / f"{name}.json", doc)
    return directory / f"{name}.json"


def read_meta(directory: str | Path, name: str) -> dict:
    path = Path(directory) / f"{name}.json"
    if not path.is_file():
        raise TraceError(f"no trace {name!r} in {directory} ({path.name} is missing); {RECORD_HINT}")
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise TraceError(f"{path} is not valid JSON ({exc}); {RECORD_HINT}") from None
    if not isinstance(meta, dict):
        raise TraceError(f"{path} is not a trace's metadata; {RECORD_HINT}")
    schema = meta.get("schema")
    if schema != SCHEMA_VERSION:
        raise TraceError(f"{path} has trace schema {schema!r}, but this code reads schema "
                         f"{SCHEMA_VERSION}; {RECORD_HINT}")
    if meta.get("name") != name:
        raise TraceError(f"{path} names itself {meta.get('name')!r}, not {name!r}; {RECORD_HINT}")
    return meta


def read_trace(directory: str | Path, name: str, required: tuple[str, ...] = ()) -> Trace:
    """Load and verify a trace. Never unpickles: an object array is refused, not loaded."""
    meta = read_meta(directory, name)
    path = Path(directory) / f"{name}.npz"
    if not path.is_file():
        raise TraceError(f"no trace {name!r} in {directory} ({path.name} is missing); {RECORD_HINT}")
    arrays: dict[str, np.ndarray] = {}
    try:
        with np.load(path, allow_pickle=False) as npz:
            for key in npz.files:
                arrays[key] = npz[key]
    except ValueError as exc:
        if "allow_pickle" in str(exc):
            raise TraceError(f"{path} contains a pickled object array; traces hold numeric arrays "
                             f"only and pickles are never loaded. Delete it and {RECORD_HINT}") from None
        raise TraceError(f"{path} is not a readable .npz ({exc}); {RECORD_HINT}") from None
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:  # truncated or corrupt
        raise TraceError(f"{path} is not a readable .npz ({type(exc).__name__}: {exc}); {RECORD_HINT}") from None
    _check_numeric(name, arrays)
    if arrays_digest(arrays) != meta.get("arrays_sha256"):
        raise TraceError(f"{path} does not match the hash in {name}.json (changed or half-written "
                         f"since it was recorded); {RECORD_HINT}")
    missing = [k for k in required if k not in arrays]
    if missing:
        raise TraceError(f"trace {name!r} lacks {', '.join(missing)}; {RECORD_HINT}")
    return Trace(name=name, arrays=arrays, meta=meta)
