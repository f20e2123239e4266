"""Part 1 of the lesson: linear regression with Paddle's low-level training loop.

Two ways to define the same model (``nn.Sequential`` and an ``nn.Layer`` subclass), each trained
with the lesson's loop: forward, MSE loss, clear_grad, backward, step.
"""
from __future__ import annotations

import numpy as np

from sim.config import RegressionConfig
from sim.closed_form import stable_lr_bound
from sim.errors import DivergenceError
from sim.paddle_env import nn, paddle

LR_FIELD = "linreg.learning_rate"


# The lesson's class-style model: one nn.Linear(1, 1). Its source is what the videos show
# (sim.shown_code), so it carries no docstring.
class LinearModel(nn.Layer):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, x):
        return self.linear(x)


def sequential_model() -> nn.Layer:
    return nn.Sequential(
        nn.Linear(1, 1),
    )


def build_model(style: str) -> nn.Layer:
    """``style`` is "sequential" or "layer"; call after paddle.seed for the lesson's initial values."""
    if style == "sequential":
        return sequential_model()
    if style == "layer":
        return LinearModel()
    raise ValueError(f"unknown model style {style!r}; use 'sequential' or 'layer'")


def linear_of(model: nn.Layer) -> nn.Linear:
    """The single nn.Linear inside either model style."""
    (linear,) = [m for m in model.sublayers(include_self=True) if isinstance(m, nn.Linear)]
    return linear


def data_arrays(cfg: RegressionConfig) -> tuple[np.ndarray, np.ndarray]:
    data = np.asarray(cfg.data, dtype=np.float64)
    return data[:, 0], data[:, 1]


def check_finite(trace: str, epoch: int, loss: float, w: float, b: float, lr: float, bound: float) -> None:
    for quantity, value in (("loss", loss), ("weight w", w), ("bias b", b)):
        if not np.isfinite(value):
            raise DivergenceError(trace, epoch, quantity, value, LR_FIELD, lr, bound,
                                  "2 / largest eigenvalue of the loss Hessian")


def state_of(linear: nn.Linear) -> tuple[float, float]:
    return float(linear.weight.numpy()[0, 0]), float(linear.bias.numpy()[0])


def grads_of(linear: nn.Linear) -> tuple[float, float]:
    """The gradients backward left on the parameters (before clear_grad)."""
    return float(linear.weight.grad.numpy()[0, 0]), float(linear.bias.grad.numpy()[0])


def train_loop(cfg: RegressionConfig, style: str, trace: str) -> dict[str, np.ndarray]:
    """Train with the lesson's loop; arrays epoch, w, b, loss, grad_w, grad_b, x, y (epochs + 1 states)."""
    x, y = data_arrays(cfg)
    bound = stable_lr_bound(x)
    paddle.seed(cfg.seed)
    model = build_model(style)
    linear = linear_of(model)
    criterion = nn.MSELoss()
    optimizer = paddle.optimizer.SGD(learning_rate=cfg.learning_rate, parameters=model.parameters())
    x_t = paddle.to_tensor(x, dtype="float32").unsqueeze(1)
    y_t = paddle.to_tensor(y, dtype="float32")

    n = cfg.epochs + 1
    rec = {k: np.empty(n) for k in ("w", "b", "loss", "grad_w", "grad_b")}
    for k in range(n):
        y_pred = model(x_t).squeeze(1)  # the lesson's five steps, in its order (tests/test_house.py)
        loss = criterion(y_pred, y_t)
        optimizer.clear_grad()
        loss.backward()
        rec["w"][k], rec["b"][k] = state_of(linear)
        rec["loss"][k] = float(loss)
        rec["grad_w"][k], rec["grad_b"][k] = grads_of(linear)
        check_finite(trace, k, rec["loss"][k], rec["w"][k], rec["b"][k], cfg.learning_rate, bound)
        if k < cfg.epochs:  # the last state is evaluated, not stepped from
            optimizer.step()
    return {"epoch": np.arange(n), **rec, "x": x, "y": y}


def describe(style: str) -> str:
    how = "nn.Sequential(nn.Linear(1, 1))" if style == "sequential" else "a LinearModel(nn.Layer) class"
    return (f"Linear regression with {how}, trained by the low-level loop (MSELoss, SGD). Index k is "
            "the state after k updates; loss and grads are evaluated at that state (grads from "
            "Paddle's backward). loss[0] is the loss the lesson prints at epoch 1.")
