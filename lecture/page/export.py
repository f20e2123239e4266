"""The recorded runs as the student page draws them: one compact JSON, downsampled to screen
resolution (a plot is a few hundred pixels wide), written as ``data/lesson.js``.

Slider positions keep every recorded state up to ``STATE_LIMIT`` (so epoch 250 of a 500-epoch run
is the trace's index 250 exactly, at full precision); longer runs keep evenly spaced states.
Drawn curves keep at most ``CURVE_LIMIT`` points, rounded to ``DIGITS`` significant digits.
Contour lines are computed here by contourpy, as the scenes draw them.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from sim.trace import read_trace

STATE_LIMIT = 501   # slider positions per training run
CURVE_LIMIT = 400   # points per drawn curve
DIGITS = 5          # significant digits of drawn (not read out) values
CONTOUR_LEVELS = 10


def sample(n: int, limit: int) -> np.ndarray:
    """Indices of at most ``limit`` evenly spaced items of ``n``, the first and the last included."""
    if n <= limit:
        return np.arange(n)
    return np.unique(np.round(np.linspace(0, n - 1, limit)).astype(int))


def rounded(values, digits: int = DIGITS) -> list:
    """Floats to ``digits`` significant digits (for drawing: far below a pixel)."""
    out = []
    for v in np.asarray(values, dtype=float).ravel():
        out.append(float(f"{v:.{digits}g}") if np.isfinite(v) else None)
    return out


def exact(values) -> list:
    """Floats as recorded (shortest repr that reads back the same double): for readouts and answers."""
    return [float(v) for v in np.asarray(values, dtype=float).ravel()]


def training_run(tr, results_key: str | None = None) -> dict:
    """Slider states (epoch, w, b, loss) and the loss curve of a run with per-epoch arrays."""
    n = len(tr["w"])
    states = sample(n, STATE_LIMIT)
    curve = sample(n, CURVE_LIMIT)
    return {
        "epochs": n - 1,
        "x": exact(tr["x"]), "y": exact(tr["y"]),
        "epoch": [int(e) for e in tr["epoch"][states]],
        "w": exact(tr["w"][states]), "b": exact(tr["b"][states]), "loss": exact(tr["loss"][states]),
        "curve": {"epoch": [int(e) for e in tr["epoch"][curve]], "loss": rounded(tr["loss"][curve])},
        "learning_rate": tr.config["learning_rate"],
        "plot": tr.results.get("plot", {}),
    }


def activations(act) -> dict:
    names = list(act.results["scalar_functions"])
    x = np.asarray(act["x"])
    # Every s-th point counted from x = 0, so that the kinks at 0 stay on the grid; the ends too.
    stride = -(-(len(x) - 1) // (2 * CURVE_LIMIT - 1))
    zero = int(np.argmin(np.abs(x)))
    idx = np.unique(np.concatenate([[0], np.arange(zero % stride, len(x), stride), [len(x) - 1]]))
    return {
        "names": names,
        "x": rounded(act["x"][idx]),
        "f": {n: rounded(act[n][idx]) for n in names},
        "d": {n: rounded(act[f"d_{n}"][idx]) for n in names},
        "zero_centred": act.results["zero_centred"],  # computed and recorded by sim/
        "plot": act.results.get("plot", {}),
    }


def contour_paths(xs, ys, z) -> list[dict]:
    """Contour lines of z[j, i] (at xs[i], ys[j]) spaced geometrically from the minimum up (as
    scenes.kit.contours draws them), as SVG path data in the grid's coordinates."""
    import contourpy

    generator = contourpy.contour_generator(xs, ys, z)
    lo, hi = float(z.min()), float(z.max())
    span = max(float(np.ptp(xs)), float(np.ptp(ys)))
    places = max(0, 3 - int(np.floor(np.log10(span))))  # about 1/1000 of the plot
    out = []
    for level in lo + (hi - lo) * np.geomspace(1e-3, 1.0, CONTOUR_LEVELS, endpoint=False):
        parts = []
        for line in generator.lines(level):
            if len(line) > 1:
                pts = [f"{px:.{places}f},{py:.{places}f}" for px, py in line]
                parts.append("M" + "L".join(pts))
        out.append({"level": rounded([level])[0], "d": "".join(parts)})
    return out


def zigzag_path(tr) -> dict:
    w = np.asarray(tr["w"])
    steps = sample(len(w), STATE_LIMIT)
    return {
        "step": [int(s) for s in tr["step"][steps]],
        "w0": exact(w[steps, 0]), "w1": exact(w[steps, 1]), "loss": exact(tr["loss"][steps]),
        "same_sign": [int(c) for c in tr["same_sign_count"][steps]],
        "steps_to_target": tr.results["steps_to_target"],
        "target_loss": tr.config["target_loss"],
        "w_star": exact(tr["w_star"]),
        "extent": {"w0": [float(tr["grid_w0"][0]), float(tr["grid_w0"][-1])],
                   "w1": [float(tr["grid_w1"][0]), float(tr["grid_w1"][-1])]},
        "contours": contour_paths(tr["grid_w0"], tr["grid_w1"], tr["grid_loss"]),
    }


def lesson_data(traces: Path) -> dict:
    """Everything the page's 'Explore the run' panels draw, from the traces in ``traces``."""
    seq, sig, act = (read_trace(traces, n) for n in ("linreg_sequential", "sigmoid_fit", "activations"))
    regression = training_run(seq)
    regression["least_squares"] = seq.results["least_squares"]
    sigmoid = training_run(sig)
    sigmoid["line_fit"] = sig.results["line_fit"]
    return {
        "lesson": seq.config.get("lesson", "default"),
        "regression": regression,
        "sigmoid": sigmoid,
        "activations": activations(act),
        "zigzag": {name: zigzag_path(read_trace(traces, f"zigzag_{name}")) for name in ("sigmoid", "centred")},
    }


def to_js(name: str, data) -> str:
    """``data`` as a script that sets ``window.<name>``: a page opened from file:// may load
    scripts but not fetch() JSON."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return f"window.{name} = {text};\n"
