"""The zig-zag traces: real per-example gradient descent, and the sign property it shows."""
from __future__ import annotations

import numpy as np
import pytest

from sim.zigzag import steps_to_reach

NAMES = ("zigzag_sigmoid", "zigzag_centred")


@pytest.mark.parametrize("name", NAMES)
def test_run_is_gradient_descent(load, lesson, name):
    t = load(name)
    cfg = lesson.zigzag
    n = cfg.steps + 1
    assert t["w"].shape == t["grad"].shape == (n, 2) and t["loss"].shape == (n,)
    np.testing.assert_array_equal(t["w"][0], cfg.w_init)
    h, target = t["h"], t["t"]
    np.testing.assert_allclose(target, h @ np.asarray(cfg.w_star), rtol=1e-14)
    for k in range(n):
        hk = h[k % cfg.samples]
        expected = 2 * (hk @ t["w"][k] - target[k % cfg.samples]) * hk
        np.testing.assert_allclose(t["grad"][k], expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(t["w"][1:], t["w"][:-1] - cfg.learning_rate * t["grad"][:-1], rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(t["loss"], np.mean((t["w"] @ h.T - target) ** 2, axis=1), rtol=1e-12)


def test_gradient_against_central_differences(load):
    t = load("zigzag_sigmoid")
    h, target, eps = t["h"], t["t"], 1e-6
    for k in (0, 3, 40):
        i = int(t["sample"][k])

        def sq(w):
            return (h[i] @ w - target[i]) ** 2

        for j in range(2):
            e = np.zeros(2)
            e[j] = eps
            numeric = (sq(t["w"][k] + e) - sq(t["w"][k] - e)) / (2 * eps)
            assert t["grad"][k, j] == pytest.approx(numeric, rel=1e-6, abs=1e-9)


def test_optimum_needs_one_weight_up_and_one_down(lesson):
    cfg = lesson.zigzag
    move = np.asarray(cfg.w_star) - np.asarray(cfg.w_init)
    assert move[0] * move[1] < 0


def test_sigmoid_inputs_force_same_sign_updates(load):
    t = load("zigzag_sigmoid")
    assert np.all(t["h"] > 0)
    g = t["grad"]
    assert np.all(g[:, 0] * g[:, 1] >= 0)  # every update moves both weights the same way
    moving = np.abs(g).sum(axis=1) > 0
    assert moving.sum() > 20


def test_centred_inputs_allow_opposite_signs(load):
    t = load("zigzag_centred")
    assert (t["h"] < 0).any() and (t["h"] > 0).any()
    g = t["grad"]
    opposite = g[:, 0] * g[:, 1] < 0
    assert opposite.sum() >= 0.25 * len(g[np.abs(g).sum(axis=1) > 0])


def test_zero_centred_inputs_reach_the_target_loss_in_fewer_steps(load, lesson):
    target = lesson.zigzag.target_loss
    slow = steps_to_reach(load("zigzag_sigmoid")["loss"], target)
    fast = steps_to_reach(load("zigzag_centred")["loss"], target)
    assert fast is not None and slow is not None
    assert slow > 3 * fast
    for name in NAMES:  # both head for w_star and end below the target loss
        w = load(name)["w"]
        start, end = (np.linalg.norm(w[i] - lesson.zigzag.w_star) for i in (0, -1))
        assert end < 0.05 * start
        assert load(name)["loss"][-1] < target


def test_same_preactivations(load):
    a, b = load("zigzag_sigmoid"), load("zigzag_centred")
    np.testing.assert_array_equal(a["u"], b["u"])
    np.testing.assert_allclose(a["h"], 1 / (1 + np.exp(-a["u"])), rtol=1e-14)
    np.testing.assert_allclose(b["h"], np.tanh(b["u"]), rtol=1e-14)
