"""The low-level regression traces against independent references."""
from __future__ import annotations

import numpy as np
import pytest

ARRAYS = ("epoch", "w", "b", "loss", "grad_w", "grad_b", "x", "y")
# What the lesson's code prints at epoch 1 (float(loss) of the first forward pass), measured with
# paddlepaddle 3.3.1 on the CPU; test_first_loss_is_what_the_lesson_prints re-derives it by running
# the lesson's own loop.
LESSON_FIRST_LOSS = 3142.04248046875


def lesson_data(lesson):
    data = np.asarray(lesson.linreg.data)
    return data[:, 0], data[:, 1]


@pytest.mark.parametrize("name", ["linreg_sequential", "linreg_layer"])
def test_layout(load, lesson, name):
    t = load(name)
    n = lesson.linreg.epochs + 1
    assert set(ARRAYS) <= set(t.arrays)
    for key in ("epoch", "w", "b", "loss", "grad_w", "grad_b"):
        assert t[key].shape == (n,), key
    np.testing.assert_array_equal(t["epoch"], np.arange(n))
    x, y = lesson_data(lesson)
    np.testing.assert_array_equal(t["x"], x)
    np.testing.assert_array_equal(t["y"], y)
    assert t.config["learning_rate"] == 0.01 and t.config["epochs"] == 500 and t.config["seed"] == 1
    assert t.meta["versions"]["paddlepaddle"]


def test_sequential_and_layer_are_identical(load):
    a, b = load("linreg_sequential"), load("linreg_layer")
    for key in ARRAYS:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)


@pytest.mark.parametrize("name", ["linreg_sequential", "linreg_layer", "linreg_fit"])
def test_end_point_is_least_squares(load, lesson, name):
    t = load(name)
    x, y = lesson_data(lesson)
    (w_ls, b_ls), *_ = np.linalg.lstsq(np.stack([x, np.ones_like(x)], axis=1), y, rcond=None)
    assert t["w"][-1] == pytest.approx(w_ls, rel=1e-3)
    assert t["b"][-1] == pytest.approx(b_ls, rel=1e-3)
    optimum = np.mean((w_ls * x + b_ls - y) ** 2)
    assert t["loss"][-1] == pytest.approx(optimum, rel=1e-4)
    assert t["loss"][-1] < 0.02 * t["loss"][0]
    # the recorded reference agrees with the normal equations solved here
    ls = t.results["least_squares"]
    w_ne = np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2)
    assert ls["w"] == pytest.approx(w_ne, rel=1e-12) and ls["b"] == pytest.approx(y.mean() - w_ne * x.mean(), rel=1e-12)
    assert ls["loss"] == pytest.approx(optimum, rel=1e-12)


def test_first_loss_is_what_the_lesson_prints(load, lesson):
    """Run the lesson's loop as it is written (seed, model, print at epoch 1) and compare."""
    from sim.paddle_env import paddle

    x, y = lesson_data(lesson)
    paddle.seed(1)
    model = paddle.nn.Sequential(paddle.nn.Linear(1, 1))
    criterion = paddle.nn.MSELoss()
    optimizer = paddle.optimizer.SGD(learning_rate=0.01, parameters=model.parameters())
    x_train = paddle.to_tensor(x, dtype=paddle.float32)
    y_train = paddle.to_tensor(y, dtype=paddle.float32)
    printed = []
    for epoch in range(1, 11):
        y_prd = model(x_train.unsqueeze(1))
        loss = criterion(y_prd.squeeze(1), y_train)
        optimizer.clear_grad()
        loss.backward()
        optimizer.step()
        if epoch % 10 == 0 or epoch == 1:
            printed.append(float(loss))
    t = load("linreg_sequential")
    assert t["loss"][0] == printed[0] == LESSON_FIRST_LOSS
    assert t["loss"][9] == printed[1]  # the lesson's epoch-10 line is the state after 9 updates
    assert t["b"][0] == 0.0  # Paddle initialises the bias to zero


def test_loss_and_gradients_match_numpy(load, lesson):
    """Paddle's recorded loss and backward gradients against the closed-form derivatives."""
    t = load("linreg_sequential")
    x, y = lesson_data(lesson)
    residual = t["w"][:, None] * x + t["b"][:, None] - y
    np.testing.assert_allclose(t["loss"], np.mean(residual ** 2, axis=1), rtol=1e-5)
    scale = np.abs(t["grad_w"]).max()
    np.testing.assert_allclose(t["grad_w"], np.mean(2 * residual * x, axis=1), rtol=1e-4, atol=1e-5 * scale)
    np.testing.assert_allclose(t["grad_b"], np.mean(2 * residual, axis=1), rtol=1e-4, atol=1e-5 * scale)


def test_every_update_is_an_sgd_step(load, lesson):
    """A second implementation: float64 gradient descent from the recorded start."""
    t = load("linreg_layer")
    x, y = lesson_data(lesson)
    w, b = t["w"][0], t["b"][0]
    ws, bs = [w], [b]
    for _ in range(lesson.linreg.epochs):
        r = w * x + b - y
        w, b = w - 0.01 * np.mean(2 * r * x), b - 0.01 * np.mean(2 * r)
        ws.append(w)
        bs.append(b)
    np.testing.assert_allclose(t["w"], ws, rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(t["b"], bs, rtol=1e-5, atol=1e-4)


def test_stable_learning_rate_bound(load, lesson):
    """2 / lambda_max of the Hessian; checked by running GD just below and just above it."""
    t = load("linreg_sequential")
    bound = t.meta["stable_lr_bound"]
    assert bound == pytest.approx(0.677, abs=5e-4)
    x, y = lesson_data(lesson)

    def final_loss(lr, steps=3000):
        w = b = 0.0
        for _ in range(steps):
            r = w * x + b - y
            w, b = w - lr * np.mean(2 * r * x), b - lr * np.mean(2 * r)
        return np.mean((w * x + b - y) ** 2)

    assert final_loss(0.99 * bound) < t["loss"][-1] * 1.01
    with np.errstate(over="ignore", invalid="ignore"):
        assert not final_loss(1.01 * bound) < 1e6


@pytest.mark.parametrize("name", ["linreg_sequential", "linreg_layer", "linreg_fit"])
def test_each_state_is_one_float32_sgd_step_from_the_last(load, lesson, name):
    """state[k+1] = state[k] - lr * grad[k], bit for bit as SGD computes it in float32."""
    t = load(name)
    lr = np.float32(lesson.linreg.learning_rate)
    for key in ("w", "b"):
        value, grad = t[key].astype(np.float32), t[f"grad_{key}"].astype(np.float32)
        np.testing.assert_array_equal(value[1:], value[:-1] - lr * grad[:-1], err_msg=key)
