"""The code the videos show, built from the code that ran and the config it ran with.

Recorded in the regression traces' results (``results["code"]``), so a scene shows what the
recording actually executed: the model definitions are the source of ``sim.linreg`` itself,
and the training calls carry the recorded epochs, batch size and save paths. The loop's
statements are checked against ``sim.linreg.train_loop`` by a test (tests/test_shown_code.py).
"""
from __future__ import annotations

import ast
import inspect
import textwrap

from sim import linreg, linreg_fit
from sim.config import RegressionConfig

# The lesson's five steps of one epoch; each is a call that train_loop makes in this order.
LOOP_STEPS = ("y_pred = model(x_train)", "loss = criterion(y_pred, y_train)", "optimizer.clear_grad()",
              "loss.backward()", "optimizer.step()")


def sequential_source() -> str:
    """``model = nn.Sequential(...)``, the expression ``linreg.sequential_model`` returns."""
    source = textwrap.dedent(inspect.getsource(linreg.sequential_model))
    returned = next(n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Return))
    first, *rest = ast.get_source_segment(source, returned.value, padded=False).splitlines()
    return "\n".join(["model = " + first] + [line[returned.col_offset:] for line in rest])


def layer_source() -> str:
    """The ``LinearModel`` class exactly as defined in sim/linreg.py."""
    return textwrap.dedent(inspect.getsource(linreg.LinearModel)).rstrip()


def loop_source(cfg: RegressionConfig) -> str:
    return "\n".join([f"for epoch in range({cfg.epochs}):"] + ["    " + step for step in LOOP_STEPS])


def high_level_source(cfg: RegressionConfig) -> str:
    """The high-level API calls linreg_fit makes, with the recorded settings and paths."""
    saves = [(f"model.save('{linreg_fit.TRAINING_SAVE}')", "# for training on"),
             (f"model.save('{linreg_fit.INFERENCE_SAVE}', False)", "# for inference")]
    width = max(len(call) for call, _ in saves) + 2
    return "\n".join([
        f"loader = DataLoader(dataset, batch_size={cfg.batch_size}, shuffle=True)",
        "model = paddle.Model(LinearModel(), inputs=[InputSpec([None, 1], 'float32', 'x')])",
        "model.prepare(optimizer, nn.MSELoss())",
        f"model.fit(loader, epochs={cfg.epochs}, save_dir='{linreg_fit.FIT_DIR}', save_freq={cfg.save_freq})",
        *(call.ljust(width) + note for call, note in saves),
        f"model.load('{linreg_fit.FIT_DIR}/final')",
        "model.predict(x), model.evaluate(eval_data), model.summary()",
    ])


def regression_code(cfg: RegressionConfig) -> dict[str, str]:
    return {"sequential": sequential_source(), "layer": layer_source(), "loop": loop_source(cfg),
            "high_level": high_level_source(cfg)}
