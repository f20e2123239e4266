"""The hand-written sigmoid fit against central differences, Paddle autograd and a second loop."""
from __future__ import annotations

import numpy as np
import pytest


def loss_np(w, b, x, y):
    return np.mean((y - 1.0 / (1.0 + np.exp(-(w * x + b)))) ** 2)


def test_layout(load, lesson):
    t = load("sigmoid_fit")
    cfg = lesson.sigmoid_fit
    n = cfg.epochs + 1
    for key in ("epoch", "w", "b", "loss", "grad_w", "grad_b"):
        assert t[key].shape == (n,), key
    assert (t["w"][0], t["b"][0]) == (0.0, 0.0)
    assert t["loss"][0] == pytest.approx(0.25)  # sigmoid(0) = 0.5 against labels 0 and 1
    assert t["x"].shape == t["y"].shape == (7,)
    assert list(t["report_epochs"]) == [1] + list(range(50, 1001, 50))


def test_gradients_against_central_differences(load):
    t = load("sigmoid_fit")
    x, y, h = t["x"], t["y"], 1e-6
    for k in range(0, 1001, 25):
        w, b = t["w"][k], t["b"][k]
        dw = (loss_np(w + h, b, x, y) - loss_np(w - h, b, x, y)) / (2 * h)
        db = (loss_np(w, b + h, x, y) - loss_np(w, b - h, x, y)) / (2 * h)
        assert t["grad_w"][k] == pytest.approx(dw, rel=1e-6, abs=1e-10), k
        assert t["grad_b"][k] == pytest.approx(db, rel=1e-6, abs=1e-10), k
        assert t["loss"][k] == pytest.approx(loss_np(w, b, x, y), rel=1e-12)


def test_gradients_against_paddle_autograd(load):
    """Every recorded state at once: the same loss written in Paddle, differentiated by backward."""
    from sim.paddle_env import paddle

    t = load("sigmoid_fit")
    w = paddle.to_tensor(t["w"], dtype="float64", stop_gradient=False)
    b = paddle.to_tensor(t["b"], dtype="float64", stop_gradient=False)
    x = paddle.to_tensor(t["x"], dtype="float64")
    y = paddle.to_tensor(t["y"], dtype="float64")
    a = paddle.nn.functional.sigmoid(w.unsqueeze(1) * x + b.unsqueeze(1))
    losses = ((y - a) ** 2).mean(axis=1)
    gw, gb = paddle.grad(losses.sum(), [w, b])
    np.testing.assert_allclose(t["loss"], losses.numpy(), rtol=1e-12)
    np.testing.assert_allclose(t["grad_w"], gw.numpy(), rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(t["grad_b"], gb.numpy(), rtol=1e-9, atol=1e-15)


def test_the_lesson_loop_gives_the_same_run(load, lesson):
    """The lesson's loop written independently (plain exp form of the sigmoid)."""
    t = load("sigmoid_fit")
    cfg = lesson.sigmoid_fit
    x, y = t["x"], t["y"]
    w, b = cfg.w0, cfg.b0
    for i in range(1, cfg.epochs + 1):
        a = 1 / (1 + np.exp(-(w * x + b)))
        deda, dadz = -2 * (y - a), a * (1 - a)
        w, b = w - cfg.learning_rate * np.mean(deda * dadz * x), b - cfg.learning_rate * np.mean(deda * dadz)
        if i in (1, 500, 1000):
            assert (t["w"][i], t["b"][i]) == (pytest.approx(w, rel=1e-12), pytest.approx(b, rel=1e-12))
    # the fit separates the groups: the curve crosses 0.5 between the last "0" and the first "1"
    crossing = -t["b"][-1] / t["w"][-1]
    assert 1.7 < crossing < 3.2
    assert np.all(np.diff(t["loss"]) < 0)  # a small step on this loss: it falls at every update


def test_chain_rule_factors(load, lesson):
    t = load("sigmoid_fit")
    epochs = list(lesson.sigmoid_fit.chain_epochs)
    np.testing.assert_array_equal(t["chain_epoch"], epochs)
    for row, k in enumerate(epochs):
        product = t["chain_dL_da"][row] * t["chain_da_dz"][row]
        assert np.mean(product * t["chain_dz_dw"][row]) == pytest.approx(t["grad_w"][k], rel=1e-12, abs=1e-15)
        assert np.mean(product * t["chain_dz_db"][row]) == pytest.approx(t["grad_b"][k], rel=1e-12, abs=1e-15)
        a = 1 / (1 + np.exp(-(t["w"][k] * t["x"] + t["b"][k])))
        np.testing.assert_allclose(t["chain_a"][row], a, rtol=1e-12)
        np.testing.assert_allclose(t["chain_da_dz"][row], a * (1 - a), rtol=1e-10)


def test_loss_grid_holds_the_path(load):
    t = load("sigmoid_fit")
    gw, gb, grid = t["grid_w"], t["grid_b"], t["grid_loss"]
    assert grid.shape == (gb.size, gw.size)
    assert gw[0] < t["w"].min() and gw[-1] > t["w"].max()
    assert gb[0] < t["b"].min() and gb[-1] > t["b"].max()
    j, i = 7, 11
    assert grid[j, i] == pytest.approx(loss_np(gw[i], gb[j], t["x"], t["y"]), rel=1e-12)


def test_the_best_straight_line_cannot_fit(load, lesson):
    t = load("sigmoid_fit")
    x, y = t["x"], t["y"]
    line = t.results["line_fit"]
    design = np.stack([x, np.ones_like(x)], axis=1)
    w, b = np.linalg.solve(design.T @ design, design.T @ y)  # normal equations
    assert (line["w"], line["b"]) == (pytest.approx(w, rel=1e-10), pytest.approx(b, rel=1e-10))
    assert line["loss"] == pytest.approx(np.mean((w * x + b - y) ** 2), rel=1e-10)
    predicted = w * x + b
    assert line["loss"] > 0.01 and predicted.min() < 0 and predicted.max() > 1  # misses, and leaves [0, 1]
    step = lesson.sigmoid_fit.step_at
    assert np.all((x > step) == (y == 1))  # the step at 2.5 separates the two groups exactly


def test_the_lesson_figure_is_about_2000_updates_in(lesson):
    """The lesson's display shows w = 1.46, b = -3.27, loss 0.03. From its w = b = 0 with lr 0.05,
    the same loop passes there after about 2000 updates; its 1000 epochs reach only w = 1.10."""
    import dataclasses

    from sim.sigmoid_fit import fit

    t = fit(dataclasses.replace(lesson.sigmoid_fit, epochs=3000), "sigmoid_fit")
    k = int(np.argmin(np.hypot(t["w"] - 1.46, t["b"] + 3.27)))
    assert 1950 <= k <= 2050
    assert np.hypot(t["w"][k] - 1.46, t["b"][k] + 3.27) < 0.005
    assert round(t["loss"][k], 2) == 0.03
