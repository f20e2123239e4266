"""Record every trace of a lesson into a directory, all or nothing.

Traces are first written to a staging directory beside the target; only when every run has
finished (and reads back cleanly) are the files renamed into place. A bad config, a diverging
run or an interrupt leaves the previous traces exactly as they were.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import platform
import shutil
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import numpy as np

from sim import plot_spans
from sim.closed_form import excess_loss, least_squares, stable_lr_bound
from sim.config import REPO, LessonConfig
from sim.errors import SimError
from sim.trace import SCHEMA_VERSION, read_trace, write_json, write_trace

TRACE_NAMES = ("linreg_sequential", "linreg_layer", "linreg_fit", "sigmoid_fit",
               "activations", "zigzag_sigmoid", "zigzag_centred")
SECTION_OF = {"linreg_sequential": "linreg", "linreg_layer": "linreg", "linreg_fit": "linreg",
              "sigmoid_fit": "sigmoid_fit", "activations": "activations",
              "zigzag_sigmoid": "zigzag", "zigzag_centred": "zigzag"}
INDEX = "index.json"


def source_digest() -> str:
    """SHA-256 of the recorder's own code: a trace made by other code is stale."""
    h = hashlib.sha256()
    for path in sorted((REPO / "sim").glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def versions() -> dict:
    return {"python": platform.python_version(), "numpy": np.__version__,
            "paddlepaddle": importlib.metadata.version("paddlepaddle")}


def _run(name: str, lesson: LessonConfig) -> tuple[dict, str, dict]:
    """Run one recording; returns (arrays, description, extra metadata).

    The numbers the lesson states about a run (closed-form references, steps to a target, plot
    spans, the code shown) are computed here, once, and recorded in the trace's ``results``.
    """
    if name.startswith("linreg_"):
        from sim import linreg, linreg_fit, shown_code
        if name == "linreg_fit":
            arrays, results = linreg_fit.fit_and_save(lesson.linreg, name)
            description = linreg_fit.describe()
        else:
            style = name.removeprefix("linreg_")
            arrays, results, description = linreg.train_loop(lesson.linreg, style, name), {}, linreg.describe(style)
        x, y = arrays["x"], arrays["y"]
        results["least_squares"] = least_squares(x, y)
        arrays["excess_loss"] = excess_loss(x, y, arrays["w"], arrays["b"])
        results["plot"] = plot_spans.regression(x, y, arrays["w"], arrays["b"])
        results["code"] = shown_code.regression_code(lesson.linreg)
        return arrays, description, {"stable_lr_bound": stable_lr_bound(x), "results": results}
    if name == "sigmoid_fit":
        from sim import sigmoid_fit
        arrays = sigmoid_fit.fit(lesson.sigmoid_fit, name)
        # the best straight line through the same points, for "a line cannot fit this"
        line = least_squares(arrays["x"], arrays["y"])
        return arrays, sigmoid_fit.describe(), {"results": {
            "line_fit": line, "plot": plot_spans.curve_fit(arrays["x"], line["w"], line["b"])}}
    if name == "activations":
        from sim import activations
        arrays, meta = activations.record(lesson.activations)
        return arrays, activations.describe(), meta
    if name in ("zigzag_sigmoid", "zigzag_centred"):
        from sim import zigzag
        arrays = zigzag.run(lesson.zigzag, name)
        arrays["same_sign_count"] = zigzag.same_sign_count(arrays["w"])
        target = lesson.zigzag.target_loss
        return arrays, zigzag.describe(name), {"results": {
            "target_loss": target, "steps_to_target": zigzag.steps_to_reach(arrays["loss"], target),
            "same_sign_total": int(arrays["same_sign_count"][-1]), "updates": len(arrays["w"]) - 1}}
    raise ValueError(f"unknown trace {name!r}; known: {', '.join(TRACE_NAMES)}")


def record_all(lesson: LessonConfig, out_dir: str | Path, names: tuple[str, ...] = TRACE_NAMES,
               log: Callable[[str], None] = print) -> dict:
    """Record ``names`` into ``out_dir``; returns the index written beside them."""
    unknown = [n for n in names if n not in TRACE_NAMES]
    if unknown:
        raise ValueError(f"unknown trace {unknown[0]!r}; known: {', '.join(TRACE_NAMES)}")
    out = Path(out_dir).resolve()
    if out.exists() and not out.is_dir():
        raise SimError(f"--out {out} is a file, not a directory; pass a directory for the traces")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    except OSError as exc:
        raise SimError(f"cannot write traces beside {out} ({exc.strerror}); pass a writable --out") from None
    common = {"versions": versions(), "source_sha256": source_digest()}
    entries = {}
    try:
        for name in names:
            start = time.perf_counter()
            arrays, description, extra = _run(name, lesson)
            section = SECTION_OF[name]
            meta = {"description": description,
                    "config": {"lesson": lesson.name, "file": _shown(lesson.source),
                               "section": section, "sha256": lesson.digest(), **lesson.section(section)},
                    **common, **extra}
            write_trace(staging, name, arrays, meta)
            trace = read_trace(staging, name)  # what the scenes will read, checked before it lands
            seconds = time.perf_counter() - start
            entries[name] = {"arrays_sha256": trace.meta["arrays_sha256"], "seconds": round(seconds, 3),
                             "bytes": sum((staging / f"{name}.{ext}").stat().st_size for ext in ("npz", "json"))}
            log(f"  {name:<18} {len(trace.arrays):>3} arrays  {entries[name]['bytes'] / 1024:7.1f} KiB"
                f"  {seconds:6.2f} s")
        out.mkdir(exist_ok=True)
        for name in names:  # the .npz first: a .json always describes the .npz beside it
            for ext in ("npz", "json"):
                (staging / f"{name}.{ext}").replace(out / f"{name}.{ext}")
        index = {"schema": SCHEMA_VERSION, "lesson": lesson.name, "config_file": _shown(lesson.source),
                 "config_sha256": lesson.digest(), **common,
                 "recorded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                 "traces": entries}
        write_json(out / INDEX, index)
        return index
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def staleness(lesson: LessonConfig, out: str | Path) -> list[str]:
    """Why the traces in ``out`` are not a current recording of ``lesson`` (empty: they are).

    Reads only the metadata: whether the arrays are intact is read_trace's job.
    """
    from sim.trace import read_meta

    out, problems = Path(out), []
    for name in TRACE_NAMES:
        try:
            meta = read_meta(out, name)
        except SimError as exc:
            problems.append(str(exc))
            continue
        if not (out / f"{name}.npz").is_file():
            problems.append(f"{name}.npz is missing")
        elif meta.get("source_sha256") != source_digest():
            problems.append(f"{name} was recorded by other code than sim/ holds now")
        elif meta["config"].get("sha256") != lesson.digest():
            problems.append(f"{name} was recorded from another config than {lesson.source}")
    return problems


def _shown(path: str) -> str:
    p = Path(path).resolve()
    return str(p.relative_to(REPO)) if p.is_relative_to(REPO) else str(p)
