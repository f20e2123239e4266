"""Why non-zero-centred outputs make updates zig-zag: a real gradient-descent run.

One unit p = w0 h0 + w1 h1 learns targets t = w_star . h, one example per update, with loss
L(w) = mean over examples of (p - t)^2. The gradient from example n is 2 (p_n - t_n) h_n: when
the inputs h are sigmoid outputs (all positive), both components carry the sign of the error,
so w0 and w1 must move the same way at every step, and reaching a w_star that needs one weight
up and the other down takes a zig-zag. With zero-centred inputs (tanh of the same
pre-activations) the two components can differ in sign and the path heads straight there.
"""
from __future__ import annotations

import numpy as np

from sim.config import ZigZagConfig
from sim.errors import DivergenceError
from sim.sigmoid_fit import padded_range, sigmoid

INPUTS = {"zigzag_sigmoid": ("sigmoid", sigmoid), "zigzag_centred": ("tanh", np.tanh)}


def inputs(cfg: ZigZagConfig) -> tuple[np.ndarray, np.ndarray]:
    """The shared pre-activations u (samples, 2) and their sigmoid and tanh outputs."""
    u = np.random.default_rng(cfg.seed).normal(0.0, cfg.input_scale, size=(cfg.samples, 2))
    return u, {name: act(u) for name, (_, act) in INPUTS.items()}


def full_loss(w: np.ndarray, h: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Mean squared error at one or many weight vectors w (..., 2)."""
    return np.mean((np.asarray(w) @ h.T - t) ** 2, axis=-1)


def run(cfg: ZigZagConfig, name: str) -> dict[str, np.ndarray]:
    u, outputs = inputs(cfg)
    h = outputs[name]
    w_star = np.asarray(cfg.w_star)
    t = h @ w_star
    n = cfg.steps + 1
    w = np.empty((n, 2))
    grad = np.empty((n, 2))
    sample = np.arange(n) % cfg.samples  # example used for the update from state k
    w[0] = cfg.w_init
    for k in range(n):
        h_k = h[sample[k]]
        grad[k] = 2.0 * (h_k @ w[k] - t[sample[k]]) * h_k
        if not np.all(np.isfinite(grad[k])):
            raise DivergenceError(name, k, "gradient", float(np.abs(grad[k]).max()), "zigzag.learning_rate",
                                  cfg.learning_rate, 1.0 / float(np.max(np.sum(h * h, axis=1))),
                                  "1 / (largest |h|^2) for one-example steps")
        if k < cfg.steps:
            w[k + 1] = w[k] - cfg.learning_rate * grad[k]
    loss = full_loss(w, h, t)
    g0, g1 = (padded_range(np.append(w[:, i], w_star[i]), cfg.grid_points) for i in (0, 1))
    grid = np.stack(np.meshgrid(g0, g1), axis=-1)  # [j, i] = (g0[i], g1[j])
    return {"step": np.arange(n), "w": w, "loss": loss, "grad": grad, "sample": sample,
            "u": u, "h": h, "t": t, "w_star": w_star,
            "grid_w0": g0, "grid_w1": g1, "grid_loss": full_loss(grid, h, t)}


def same_sign_count(w: np.ndarray) -> np.ndarray:
    """count[k]: how many of the first k updates moved both weights in the same direction."""
    step = np.diff(np.asarray(w), axis=0)
    same = np.sign(step[:, 0]) == np.sign(step[:, 1])
    return np.concatenate([[0], np.cumsum(same)]).astype(np.int64)


def steps_to_reach(loss: np.ndarray, target: float) -> int | None:
    """First state index whose loss is at or below target (None if never)."""
    hits = np.flatnonzero(loss <= target)
    return int(hits[0]) if hits.size else None


def describe(name: str) -> str:
    act = INPUTS[name][0]
    return (f"One unit with two weights trained one example at a time (example sample[k] from state k) "
            f"on inputs h = {act}(u). w[k] is the state after k updates, loss[k] the mean squared "
            "error over all examples there, grad[k] the one-example gradient used for the update "
            "w[k+1] = w[k] - lr grad[k]. grid_loss[j, i] is the loss at (grid_w0[i], grid_w1[j]).")
