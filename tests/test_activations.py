"""Activation functions: analytic derivatives against Paddle autograd and central differences."""
from __future__ import annotations

import numpy as np
import pytest

from sim.activations import NAMES


def test_grid(load, lesson):
    t = load("activations")
    cfg = lesson.activations
    assert t["x"].shape == (cfg.points,)
    assert t["x"][0] == cfg.x_min and t["x"][-1] == cfg.x_max
    assert 0.0 in t["x"]  # the kinks are on the grid


@pytest.mark.parametrize("name", NAMES)
def test_values_and_derivative_agree_with_paddle(load, name):
    t = load("activations")
    np.testing.assert_allclose(t[name], t[f"{name}_paddle"], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(t[f"d_{name}"], t[f"d_{name}_paddle"], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", NAMES)
def test_derivative_against_central_differences(load, name):
    """Away from the kink at 0, the slope of the recorded values is the recorded derivative."""
    t = load("activations")
    x, f, df = t["x"], t[name], t[f"d_{name}"]
    inner = (np.abs(x[1:-1]) > 0.015)
    slope = (f[2:] - f[:-2]) / (x[2:] - x[:-2])
    # central-difference error on a 0.01 grid: h^2 max|f'''| / 6 <= 3.4e-5 (tanh: |f'''| <= 2)
    np.testing.assert_allclose(slope[inner], df[1:-1][inner], atol=4e-5)


def test_reference_values(load, lesson):
    t = load("activations")
    x, cfg = t["x"], lesson.activations
    zero = np.flatnonzero(x == 0.0)[0]
    assert t["sigmoid"][zero] == 0.5 and t["d_sigmoid"][zero] == 0.25  # sigmoid' peaks at 1/4
    assert t["d_tanh"][zero] == 1.0
    assert t["d_sigmoid"].max() == 0.25 and t["d_tanh"].max() == 1.0
    assert t["relu"][0] == 0.0 and t["leaky_relu"][0] == cfg.leaky_slope * x[0]
    assert t["prelu"][0] == cfg.prelu_alpha * x[0]
    assert t["elu"][0] == pytest.approx(cfg.elu_alpha * np.expm1(x[0]))
    # Paddle's derivatives at the kink, as recorded in the metadata
    at0 = load("activations").meta["derivative_at_0"]
    values = {"0": 0.0, "1": 1.0, "alpha": cfg.prelu_alpha}
    for name, rule in at0.items():
        assert t[f"d_{name}"][zero] == values[rule], name
    # vanishing gradients: sigmoid and tanh flatten at the ends of the grid
    assert t["d_sigmoid"][0] < 0.003 and t["d_tanh"][0] < 3e-5


@pytest.mark.parametrize("key", ["softmax", "softmax_sweep"])
def test_softmax_is_a_vector_map(load, key):
    t = load("activations")
    z, s, jac, jac_paddle = t[f"{key}_logits"], t[key], t[f"d_{key}"], t[f"d_{key}_paddle"]
    m, k = z.shape
    assert s.shape == (m, k) and jac.shape == (m, k, k)
    np.testing.assert_allclose(s.sum(axis=1), 1.0, rtol=1e-14)
    np.testing.assert_allclose(s, np.exp(z) / np.exp(z).sum(axis=1, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(jac, jac_paddle, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(jac.sum(axis=1), 0.0, atol=1e-15)  # sum_i ds_i/dz_j = 0
    h = 1e-6
    for row in range(0, m, max(1, m // 7)):
        for j in range(k):
            e = np.zeros(k)
            e[j] = h
            up, down = np.exp(z[row] + e), np.exp(z[row] - e)
            column = (up / up.sum() - down / down.sum()) / (2 * h)
            np.testing.assert_allclose(jac[row, :, j], column, atol=1e-8)
