"""Part 2 of the lesson: fitting a sigmoid curve by hand-written gradient descent, in NumPy.

Model a = sigmoid(z), z = w x + b; loss L = mean((y - a)^2). The chain rule, per point i:
    dL/dw = mean_i( dE_i/da_i * da_i/dz_i * dz_i/dw ),  dE_i/da_i = -2 (y_i - a_i),
    da_i/dz_i = a_i (1 - a_i),  dz_i/dw = x_i,  dz_i/db = 1,
where E_i = (y_i - a_i)^2 is the point's squared error (the mean supplies the 1/n).
"""
from __future__ import annotations

import numpy as np

from sim.config import SigmoidFitConfig
from sim.errors import DivergenceError


def sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-z)) without overflow for large |z|."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))


def chain_factors(w: float, b: float, x: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """Per-point values of the forward pass and of each chain-rule factor."""
    z = w * x + b
    a = sigmoid(z)
    return {"z": z, "a": a, "dL_da": -2.0 * (y - a), "da_dz": a * (1.0 - a),
            "dz_dw": x.astype(np.float64), "dz_db": np.ones_like(x, dtype=np.float64)}


def loss_and_grad(w: float, b: float, x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    f = chain_factors(w, b, x, y)
    delta = f["dL_da"] * f["da_dz"]
    return float(np.mean((y - f["a"]) ** 2)), float(np.mean(delta * f["dz_dw"])), float(np.mean(delta))


def loss_grid(x: np.ndarray, y: np.ndarray, ws: np.ndarray, bs: np.ndarray) -> np.ndarray:
    """loss[j, i] at (w = ws[i], b = bs[j]), for contour plots."""
    a = sigmoid(ws[None, :, None] * x[None, None, :] + bs[:, None, None])
    return np.mean((y - a) ** 2, axis=-1)


def padded_range(values: np.ndarray, n: int) -> np.ndarray:
    """n points spanning values with a quarter of their span (at least 0.25) added on each side."""
    lo, hi = float(values.min()), float(values.max())
    pad = 0.25 * max(hi - lo, 1.0)
    return np.linspace(lo - pad, hi + pad, n)


def fit(cfg: SigmoidFitConfig, trace: str) -> dict[str, np.ndarray]:
    """Run the lesson's loop; arrays for every state 0..epochs plus chain-rule and grid extras."""
    data = np.asarray(cfg.data, dtype=np.float64)
    x, y = data[:, 0], data[:, 1]
    n = cfg.epochs + 1
    rec = {k: np.empty(n) for k in ("w", "b", "loss", "grad_w", "grad_b")}
    w, b = cfg.w0, cfg.b0
    for k in range(n):
        loss, gw, gb = loss_and_grad(w, b, x, y)
        for key, value in (("w", w), ("b", b), ("loss", loss), ("grad_w", gw), ("grad_b", gb)):
            if not np.isfinite(value):
                raise DivergenceError(trace, k, key, value, "sigmoid_fit.learning_rate",
                                      cfg.learning_rate, None, "")
            rec[key][k] = value
        w, b = w - cfg.learning_rate * gw, b - cfg.learning_rate * gb

    chain = [chain_factors(rec["w"][k], rec["b"][k], x, y) for k in cfg.chain_epochs]
    grid_w, grid_b = padded_range(rec["w"], cfg.grid_points), padded_range(rec["b"], cfg.grid_points)
    report = [1] + list(range(cfg.report_every, cfg.epochs + 1, cfg.report_every))
    return {
        "epoch": np.arange(n), **rec, "x": x, "y": y,
        # The lesson prints at epoch e the loss of state e - 1 and plots the state e.
        "report_epochs": np.array(sorted(set(report))),
        "chain_epoch": np.array(cfg.chain_epochs),
        **{f"chain_{key}": np.stack([c[key] for c in chain]) for key in chain[0]},
        "grid_w": grid_w, "grid_b": grid_b, "grid_loss": loss_grid(x, y, grid_w, grid_b),
    }


def describe() -> str:
    return ("Sigmoid curve fit a = sigmoid(w x + b) to the tadpole data by hand-written gradient descent "
            "(NumPy). chain_* arrays (one row per chain_epoch, one column per point) hold z, a and the "
            "factors dL_da = -2 (y - a) (derivative of the point's squared error), da_dz = a (1 - a), "
            "dz_dw = x, dz_db = 1; grad_w = mean(dL_da * da_dz * dz_dw). grid_loss[j, i] is the loss "
            "at (grid_w[i], grid_b[j]). The lesson prints at epoch e the loss[e - 1] and draws state e.")
