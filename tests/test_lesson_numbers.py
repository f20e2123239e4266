"""The numbers the lesson states are computed in sim/ and recorded; checked here against
independent computations."""
from __future__ import annotations

import numpy as np
import pytest


def test_excess_loss_is_the_mse_above_the_polyfit_line(load):
    trace = load("linreg_sequential")
    x, y = trace["x"].astype(float), trace["y"].astype(float)
    w_ls, b_ls = np.polyfit(x, y, 1)
    floor = np.mean((w_ls * x + b_ls - y) ** 2)
    for k in (0, 10, 100, len(trace["w"]) - 1):
        mse = np.mean((trace["w"][k] * x + trace["b"][k] - y) ** 2)
        assert trace["excess_loss"][k] == pytest.approx(mse - floor, rel=1e-9, abs=1e-12)
    assert (trace["excess_loss"] >= -1e-9).all()
    assert trace["excess_loss"][-1] < trace["excess_loss"][0] * 1e-6


def test_plot_spans_hold_everything_drawn_on_them(load):
    trace = load("linreg_sequential")
    (x0, x1, _), (y0, y1, _) = trace.results["plot"]["x"], trace.results["plot"]["y"]
    assert x0 <= trace["x"].min() and trace["x"].max() <= x1
    lines = np.concatenate([trace["w"] * x0 + trace["b"], trace["w"] * x1 + trace["b"], trace["y"]])
    assert y0 <= lines.min() and lines.max() <= y1
    for lo, hi, step in (trace.results["plot"]["x"], trace.results["plot"]["y"]):
        assert lo / step == pytest.approx(round(lo / step)) and hi / step == pytest.approx(round(hi / step))
        assert (hi - lo) / step <= 6
    fit = load("sigmoid_fit")
    plot, line = fit.results["plot"], fit.results["line_fit"]
    assert plot["x"][0] <= fit["x"].min() and fit["x"].max() <= plot["x"][1]
    ends = [line["w"] * plot["x"][0] + line["b"], line["w"] * plot["x"][1] + line["b"]]
    assert plot["y_with_line"][0] <= min(ends + [0]) and max(ends + [1]) <= plot["y_with_line"][1]


@pytest.mark.parametrize("name", ["zigzag_sigmoid", "zigzag_centred"])
def test_zigzag_counts(load, name):
    trace = load(name)
    w, loss, target = trace["w"], trace["loss"], trace.config["target_loss"]
    first = next((k for k, value in enumerate(loss) if value <= target), None)  # a plain loop
    assert trace.results["steps_to_target"] == first
    same = [int(np.sign(b[0] - a[0]) == np.sign(b[1] - a[1])) for a, b in zip(w[:-1], w[1:])]
    assert list(trace["same_sign_count"]) == [0] + list(np.cumsum(same))
    assert trace.results["same_sign_total"] == sum(same)


def test_activation_list_and_span_come_from_the_recording(load, lesson):
    trace = load("activations")
    assert trace.results["scalar_functions"] == ["sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu"]
    assert all(name in trace.arrays and f"d_{name}" in trace.arrays for name in trace.results["scalar_functions"])
    assert trace.results["plot"]["y"][:2] == list(lesson.activations.plot_y)
