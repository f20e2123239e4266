"""The scenes' one way to read recorded runs. Scenes never train: they only read traces."""
from __future__ import annotations

from functools import cache

from scenes.settings import traces_dir
from sim.errors import TraceError
from sim.trace import RECORD_HINT, Trace, read_trace


loaded: set[str] = set()  # names read since the last clear (tests compare them with SCENES)


@cache
def _load(directory: str, name: str) -> Trace:
    return read_trace(directory, name)


def load(name: str, *required: str) -> Trace:
    """The trace ``name`` from ``$LECTURE_TRACES``, checked (schema, hash, required arrays)."""
    loaded.add(name)
    trace = _load(str(traces_dir()), name)
    missing = [k for k in required if k not in trace.arrays]
    if missing:
        raise TraceError(f"trace {name!r} lacks {', '.join(missing)}; {RECORD_HINT}")
    return trace
