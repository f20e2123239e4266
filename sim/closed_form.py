"""Closed-form answers for a straight-line fit by mean squared error (NumPy only)."""
from __future__ import annotations

import numpy as np


def stable_lr_bound(x: np.ndarray) -> float:
    """Largest learning rate for which full-batch GD on mean((w x + b - y)^2) converges.

    The loss is quadratic with Hessian H = (2/n) [x 1]^T [x 1]; GD is stable iff lr < 2 / lambda_max(H).
    """
    design = np.stack([x, np.ones_like(x)], axis=1)
    hessian = 2.0 / len(x) * design.T @ design
    return float(2.0 / np.linalg.eigvalsh(hessian).max())


def least_squares(x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """The closed-form best line (what gradient descent should approach) and its MSE."""
    (w, b), *_ = np.linalg.lstsq(np.stack([x, np.ones_like(x)], axis=1), y, rcond=None)
    return {"w": float(w), "b": float(b), "loss": float(np.mean((w * x + b - y) ** 2))}


def excess_loss(x: np.ndarray, y: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """MSE of each recorded line (w[k], b[k]) minus the least-squares minimum, in float64: how
    far gradient descent still has to go (the recorded float32 loss cannot resolve it below
    about 1e-5)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    w, b = np.asarray(w, float)[:, None], np.asarray(b, float)[:, None]
    return np.mean((w * x + b - y) ** 2, axis=1) - least_squares(x, y)["loss"]
