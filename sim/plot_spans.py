"""The spans of the plots that show each run, computed once here and recorded in the traces.

A span is ``[low, high, step]``: ends on multiples of a round step (1, 2, 2.5, 3 or 5 times a
power of ten), wide enough that everything the scenes draw on it stays inside, for instance the
regression line at every recorded epoch.
"""
from __future__ import annotations

import math

import numpy as np


def round_steps(start: float):
    """Round steps (1, 2, 2.5, 3, 5 times a power of ten) from the one at or below ``start`` up."""
    power = 10.0 ** math.floor(math.log10(start))
    while True:
        for m in (1.0, 2.0, 2.5, 3.0, 5.0):
            yield m * power
        power *= 10.0


def covering(values, step: float | None = None, ticks: int = 6) -> list[float]:
    """``[low, high, step]`` with low <= every value <= high, both ends multiples of ``step``;
    without a step, the smallest round one that needs at most ``ticks`` intervals."""
    values = np.asarray(values, dtype=float)
    lo, hi = float(values.min()), float(values.max())
    for candidate in ([step] if step else round_steps(max(hi - lo, 1e-9) / ticks / 10)):
        low, high = math.floor(lo / candidate) * candidate, math.ceil(hi / candidate) * candidate
        if step or (high - low) / candidate <= ticks:
            return [low, high, candidate]


def regression(x, y, w, b) -> dict:
    """x covers the data in whole units; y covers the data and the line of every recorded
    state at both ends of the x span, so the moving line never leaves the axes."""
    x_span = covering(x, 1.0)
    ends = np.concatenate([np.asarray(w) * x_span[0] + b, np.asarray(w) * x_span[1] + b])
    return {"x": x_span, "y": covering(np.concatenate([y, ends]))}


def curve_fit(x, line_w: float, line_b: float) -> dict:
    """The sigmoid fit: x covers the data in whole units; ``y`` shows [0, 1] (where a sigmoid
    lives), ``y_with_line`` also the best straight line across the x span."""
    x_span = covering(x, 1.0)
    line = [line_w * x_span[0] + line_b, line_w * x_span[1] + line_b]
    return {"x": x_span, "y": [0.0, 1.0, 0.5], "y_with_line": covering([0.0, 1.0, *line], 0.5)}
