"""Part 1, high-level API: the same regression trained with paddle.Model.fit, then saved,
loaded back and used, as the lesson does. Every file step runs for real in a scratch directory;
the trace keeps what the scenes show (names, sizes, predictions), not the files.

Paddle 3 notes: the inference save writes NAME.json + NAME.pdiparams (no .pdmodel) and needs an
InputSpec; paddle.metric.Accuracy is meaningless for a regression (it reports 0), so the run
reports MSE. Our own state-dict save uses safetensors, so loading it back runs no pickle.
"""
from __future__ import annotations

import contextlib
import io
import tempfile
import warnings
from pathlib import Path

import numpy as np

from sim.config import RegressionConfig
from sim.closed_form import stable_lr_bound
from sim.linreg import LinearModel, check_finite, data_arrays, grads_of, state_of
from sim.paddle_env import nn, paddle
from paddle.io import DataLoader, TensorDataset
from paddle.static import InputSpec


# Where the lesson's high-level API saves, relative to its working directory (shown on screen).
FIT_DIR = "fit_checkpoints"
TRAINING_SAVE = "high_level_api/model"
INFERENCE_SAVE = "high_level_api/infer_model"


class TraceRecorder(paddle.callbacks.Callback):
    """Records the state after every update. Model.fit clears gradients before callbacks run,
    so the gradients are captured by hooks on the parameters during backward."""

    def __init__(self, net: LinearModel, trace: str, lr: float, bound: float):
        super().__init__()
        self.net, self.trace, self.lr, self.bound = net, trace, lr, bound
        self.rows: list[tuple[float, ...]] = []  # (w, b, loss, grad_w, grad_b) per state
        self.grads: dict[str, float] = {}
        linear = net.linear
        linear.weight.register_hook(lambda g: self.grads.__setitem__("w", float(g.numpy()[0, 0])))
        linear.bias.register_hook(lambda g: self.grads.__setitem__("b", float(g.numpy()[0])))
        self.state = state_of(linear)

    def on_train_batch_end(self, step, logs=None):
        loss = float(np.asarray(logs["loss"]).ravel()[0])  # evaluated before this update
        check_finite(self.trace, len(self.rows), loss, *self.state, self.lr, self.bound)
        self.rows.append((*self.state, loss, self.grads["w"], self.grads["b"]))
        self.state = state_of(self.net.linear)


def _tensors(cfg: RegressionConfig):
    x, y = data_arrays(cfg)
    return (paddle.to_tensor(x[:, None], dtype="float32"), paddle.to_tensor(y[:, None], dtype="float32"))


def _files(directory: Path, root: Path) -> list[dict]:
    return [{"name": str(p.relative_to(root)), "bytes": p.stat().st_size}
            for p in sorted(directory.rglob("*")) if p.is_file()]


def _final_state(net: LinearModel, x_t, y_t) -> tuple[float, float, float, float, float]:
    """Loss and gradients at the trained state (evaluated, no update)."""
    net.clear_gradients()
    loss = nn.MSELoss()(net(x_t), y_t)
    loss.backward()
    return (*state_of(net.linear), float(loss), *grads_of(net.linear))


def _summary(net: LinearModel) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        figures = paddle.summary(net, (1,))
    return {"total_params": int(figures["total_params"]),
            "trainable_params": int(figures["trainable_params"]),
            "table": out.getvalue().rstrip("\n").splitlines()}


def _predict_one(model: paddle.Model, x: float) -> float:
    loader = DataLoader(TensorDataset([paddle.to_tensor([[x]], dtype="float32")]), batch_size=1)
    (batch_outputs,) = model.predict(loader, verbose=0)
    return float(np.asarray(batch_outputs[0]).ravel()[0])


def fit_and_save(cfg: RegressionConfig, trace: str) -> tuple[dict[str, np.ndarray], dict]:
    """Train with Model.fit, record every state, run the lesson's save/load steps."""
    x, y = data_arrays(cfg)
    bound = stable_lr_bound(x)
    paddle.seed(cfg.seed)
    np.random.seed(cfg.seed)  # DataLoader(shuffle=True) draws from NumPy's global RNG
    x_t, y_t = _tensors(cfg)
    loader = DataLoader(TensorDataset([x_t, y_t]), batch_size=cfg.batch_size, shuffle=True)
    net = LinearModel()
    recorder = TraceRecorder(net, trace, cfg.learning_rate, bound)
    spec_x, spec_y = InputSpec([None, 1], "float32", "x"), InputSpec([None, 1], "float32", "y")
    model = paddle.Model(net, inputs=[spec_x], labels=[spec_y])
    model.prepare(optimizer=paddle.optimizer.SGD(learning_rate=cfg.learning_rate, parameters=net.parameters()),
                  loss=nn.MSELoss())

    with tempfile.TemporaryDirectory(prefix="linreg_fit_") as scratch_dir, warnings.catch_warnings():
        # Paddle's high-level API warns about tensor copies it makes itself
        warnings.filterwarnings("ignore", message="To copy construct from a tensor")
        root = Path(scratch_dir)
        with contextlib.redirect_stdout(io.StringIO()):  # fit prints a line per checkpoint
            model.fit(loader, epochs=cfg.epochs, verbose=0, callbacks=[recorder],
                      save_dir=str(root / FIT_DIR), save_freq=cfg.save_freq)
        final = _final_state(net, x_t, y_t)
        check_finite(trace, len(recorder.rows), final[2], final[0], final[1], cfg.learning_rate, bound)
        rows = np.array(recorder.rows + [final])
        results = _save_and_load(cfg, model, net, root, final)

    updates = len(rows) - 1
    per_epoch = updates // cfg.epochs  # 1 when a batch holds the whole data set, as in the lesson
    epoch = np.arange(updates + 1) if per_epoch == 1 else np.arange(updates + 1) / per_epoch
    arrays = {"epoch": epoch, "w": rows[:, 0], "b": rows[:, 1], "loss": rows[:, 2],
              "grad_w": rows[:, 3], "grad_b": rows[:, 4], "x": x, "y": y}
    results["updates_per_epoch"] = per_epoch
    return arrays, results


def _save_and_load(cfg: RegressionConfig, model: paddle.Model, net: LinearModel, root: Path, final) -> dict:
    """The lesson's save and load steps, each run for real; returns what they produced."""
    basic = root / "basic_api"
    basic.mkdir()
    paddle.save(net.state_dict(), str(basic / "model.safetensors"), safetensors=True)
    checkpoint = {"epoch": paddle.to_tensor([cfg.epochs], dtype="int64"),
                  "loss": paddle.to_tensor([final[2]], dtype="float32")}
    paddle.save(checkpoint, str(basic / "final_checkpoint.safetensors"), safetensors=True)

    model.save(str(root / TRAINING_SAVE))  # for training: .pdparams (+ .pdopt)
    model.save(str(root / INFERENCE_SAVE), False)  # for inference: .json + .pdiparams

    # Basic API load: a fresh model, the state dict read back (safetensors: no pickle involved).
    fresh = LinearModel()
    fresh.set_state_dict(paddle.load(str(basic / "model.safetensors"), safetensors=True))
    fresh.eval()
    loaded_ckpt = paddle.load(str(basic / "final_checkpoint.safetensors"), safetensors=True)
    x_pred = paddle.to_tensor([[cfg.predict_x]], dtype="float32")
    basic_prediction = float(fresh(x_pred).numpy().ravel()[0])

    # High-level load of fit's final checkpoint (a pickle this run wrote moments ago), then
    # evaluate and predict as the lesson does.
    reloaded = paddle.Model(LinearModel(), inputs=[InputSpec([None, 1], "float32", "x")],
                            labels=[InputSpec([None, 1], "float32", "y")])
    reloaded.prepare(loss=nn.MSELoss())
    reloaded.load(str(root / FIT_DIR / "final"))
    ex, ey = cfg.evaluate_point
    eval_loader = DataLoader(TensorDataset([paddle.to_tensor([[ex]], dtype="float32"),
                                            paddle.to_tensor([[ey]], dtype="float32")]), batch_size=1)
    evaluation = reloaded.evaluate(eval_loader, verbose=0)
    hl_prediction = _predict_one(reloaded, cfg.predict_x)

    # The inference model (Paddle 3: NAME.json + NAME.pdiparams), run through paddle.jit.load.
    inference = paddle.jit.load(str(root / INFERENCE_SAVE))
    inference_prediction = float(inference(x_pred).numpy().ravel()[0])

    fit_files = _files(root / FIT_DIR, root)
    return {
        "final": {"w": final[0], "b": final[1], "loss": final[2]},
        "state_dict": {key: {"shape": list(value.shape), "values": value.numpy().ravel().tolist()}
                       for key, value in net.state_dict().items()},
        "files": {
            "basic_api": _files(basic, root),
            FIT_DIR: {"count": len(fit_files), "first": fit_files[0], "final": [
                f for f in fit_files if Path(f["name"]).stem == "final"], "total_bytes": sum(f["bytes"] for f in fit_files)},
            "high_level_api": _files(root / Path(TRAINING_SAVE).parent, root),
        },
        "checkpoint_loaded": {"epoch": int(loaded_ckpt["epoch"].numpy()[0]),
                              "loss": float(loaded_ckpt["loss"].numpy()[0])},
        "predict_x": cfg.predict_x,
        "prediction": {"basic_api": basic_prediction, "high_level_api": hl_prediction,
                       "inference_model": inference_prediction},
        "evaluate": {"x": ex, "y": ey, "mse": float(np.asarray(evaluation["loss"]).ravel()[0]),
                     "note": "MSE, not paddle.metric.Accuracy: accuracy counts exact class matches "
                             "and is always 0 for a real-valued regression output"},
        "summary": _summary(net),
    }


def describe() -> str:
    return ("The same LinearModel trained with the high-level API: TensorDataset, DataLoader "
            "(seeded shuffle), paddle.Model prepare/fit, recorded by a Callback with gradient hooks. "
            "results holds the save/load steps (files, sizes), the predictions of the models loaded "
            "back from disk, the evaluation and the paddle.summary figures.")
