"""Part 3 of the lesson: activation functions and their derivatives.

For each function, values on a grid, the analytic derivative written out in NumPy, and the
derivative Paddle's autograd computes for the same function (``d_NAME_paddle``); the tests hold
the two against each other. At the kink x = 0 the analytic derivatives follow Paddle's own
convention, recorded in the metadata (Paddle is not uniform: ReLU takes 0, PReLU takes alpha,
Leaky ReLU and ELU take 1).
"""
from __future__ import annotations

import numpy as np

from sim.config import ActivationConfig
from sim.paddle_env import paddle
from sim.sigmoid_fit import sigmoid

F = paddle.nn.functional
NAMES = ("sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu")
DERIVATIVE_AT_0 = {"relu": "0", "leaky_relu": "1", "prelu": "alpha", "elu": "1"}


def numpy_functions(cfg: ActivationConfig) -> dict:
    """name -> (f, f') in NumPy, with the derivatives worked out by hand."""
    lk, pa, ea = cfg.leaky_slope, cfg.prelu_alpha, cfg.elu_alpha
    return {
        "sigmoid": (sigmoid, lambda x: sigmoid(x) * (1 - sigmoid(x))),
        "tanh": (np.tanh, lambda x: 1 - np.tanh(x) ** 2),
        "relu": (lambda x: np.maximum(x, 0.0), lambda x: (x > 0).astype(float)),
        "leaky_relu": (lambda x: np.where(x >= 0, x, lk * x), lambda x: np.where(x >= 0, 1.0, lk)),
        "prelu": (lambda x: np.where(x > 0, x, pa * x), lambda x: np.where(x > 0, 1.0, pa)),
        "elu": (lambda x: np.where(x > 0, x, ea * np.expm1(np.minimum(x, 0))),
                lambda x: np.where(x >= 0, 1.0, ea * np.exp(np.minimum(x, 0)))),
    }


def paddle_functions(cfg: ActivationConfig) -> dict:
    alpha = paddle.to_tensor([cfg.prelu_alpha], dtype="float64")
    return {
        "sigmoid": F.sigmoid, "tanh": paddle.tanh, "relu": F.relu,
        "leaky_relu": lambda t: F.leaky_relu(t, negative_slope=cfg.leaky_slope),
        "prelu": lambda t: F.prelu(t, alpha),
        "elu": lambda t: F.elu(t, alpha=cfg.elu_alpha),
    }


def paddle_derivative(fn, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Values and elementwise derivative of fn at x, by Paddle autograd (float64)."""
    t = paddle.to_tensor(x, dtype="float64", stop_gradient=False)
    out = fn(t)
    (grad,) = paddle.grad(out.sum(), t)
    return out.numpy(), grad.numpy()


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_jacobian(z: np.ndarray) -> np.ndarray:
    """J[..., i, j] = d s_i / d z_j = s_i (delta_ij - s_j)."""
    s = softmax(z)
    return s[..., :, None] * (np.eye(z.shape[-1]) - s[..., None, :])


def softmax_jacobian_paddle(z: np.ndarray) -> np.ndarray:
    """The same Jacobian by autograd: one backward pass per output component."""
    t = paddle.to_tensor(z, dtype="float64", stop_gradient=False)
    s = F.softmax(t, axis=-1)
    rows = [paddle.grad(s[:, i].sum(), t, retain_graph=True)[0].numpy() for i in range(z.shape[-1])]
    return np.stack(rows, axis=-2)


def zero_centred(x: np.ndarray, outputs: dict[str, np.ndarray]) -> list[str]:
    """The functions whose output is centred on zero: odd, f(-x) = -f(x), so that over inputs
    symmetric about 0 the outputs average to 0 (of the lesson's six: tanh only)."""
    mirror = np.argsort(-x)
    if not np.allclose(x[mirror], -x, atol=1e-9):
        raise ValueError("the activation grid is not symmetric about 0: set x_min = -x_max")
    return [name for name, f in outputs.items() if np.allclose(f[mirror], -f, atol=1e-9)]


def record(cfg: ActivationConfig) -> tuple[dict[str, np.ndarray], dict]:
    x = np.linspace(cfg.x_min, cfg.x_max, cfg.points)
    arrays: dict[str, np.ndarray] = {"x": x}
    ours, theirs = numpy_functions(cfg), paddle_functions(cfg)
    for name in NAMES:
        f, df = ours[name]
        arrays[name] = f(x)
        arrays[f"d_{name}"] = df(x)
        arrays[f"{name}_paddle"], arrays[f"d_{name}_paddle"] = paddle_derivative(theirs[name], x)
    logits = np.asarray(cfg.softmax_logits, dtype=np.float64)
    sweep = np.column_stack([x] + [np.full_like(x, r) for r in cfg.softmax_sweep_rest])
    for key, z in (("softmax", logits), ("softmax_sweep", sweep)):
        arrays[f"{key}_logits"] = z
        arrays[key] = softmax(z)
        arrays[f"d_{key}"] = softmax_jacobian(z)
        arrays[f"d_{key}_paddle"] = softmax_jacobian_paddle(z)
    meta = {"functions": list(NAMES) + ["softmax"], "derivative_at_0": DERIVATIVE_AT_0,
            "results": {"scalar_functions": list(NAMES),
                        "zero_centred": zero_centred(x, {name: arrays[name] for name in NAMES}),
                        "plot": {"x": [cfg.x_min, cfg.x_max, 2.0], "y": [*cfg.plot_y, 1.0]}}}
    return arrays, meta


def describe() -> str:
    return ("Activation functions on the grid x: NAME (values by NumPy), d_NAME (analytic derivative), "
            "NAME_paddle and d_NAME_paddle (Paddle forward and autograd). Softmax is a vector map: "
            "softmax_logits (m, K) -> softmax (m, K) with Jacobians d_softmax (m, K, K), "
            "J[i, j] = ds_i/dz_j; softmax_sweep varies the first logit over x with the rest fixed.")
