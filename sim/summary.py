"""The key numbers of a recording, read back from the traces (for narration and for checking)."""
from __future__ import annotations

from pathlib import Path

from sim.trace import read_trace
from sim.zigzag import steps_to_reach


def summary_lines(directory: str | Path) -> list[str]:
    seq, fit, sig = (read_trace(directory, n) for n in ("linreg_sequential", "linreg_fit", "sigmoid_fit"))
    zig, cen = read_trace(directory, "zigzag_sigmoid"), read_trace(directory, "zigzag_centred")
    ls, line, res = seq.results["least_squares"], sig.results["line_fit"], fit.results
    n_lin, n_sig = len(seq["w"]) - 1, len(sig["w"]) - 1
    target = zig.config["target_loss"]
    ev = res["evaluate"]
    return [
        f"linear regression ({seq.config['lesson']}): first loss {seq['loss'][0]:.4f} "
        f"(w = {seq['w'][0]:.4f}, b = {seq['b'][0]:.4f})",
        f"  after {n_lin} epochs: w = {seq['w'][-1]:.3f}, b = {seq['b'][-1]:.3f}, loss = {seq['loss'][-1]:.3f}",
        f"  least squares:  w = {ls['w']:.3f}, b = {ls['b']:.3f}, loss = {ls['loss']:.3f}; "
        f"stable for learning_rate < {seq.meta['stable_lr_bound']:.4f}",
        f"  Model.fit: w = {fit['w'][-1]:.3f}, b = {fit['b'][-1]:.3f}; loaded back, predicts "
        f"{res['prediction']['high_level_api']:.3f} at x = {res['predict_x']}; "
        f"MSE {ev['mse']:.4f} against ({ev['x']}, {ev['y']})",
        f"  paddle.summary: {res['summary']['total_params']} parameters",
        f"sigmoid fit: after {n_sig} epochs w = {sig['w'][-1]:.3f}, b = {sig['b'][-1]:.3f}, "
        f"loss = {sig['loss'][-1]:.4f}",
        f"  best straight line through the same points: loss {line['loss']:.4f}"
        + ("  (still below the sigmoid's: say the line cannot pass through the points, "
           "not that the sigmoid fits better yet)" if line["loss"] < sig["loss"][-1] else ""),
        f"zig-zag: loss {target:g} reached after {steps_to_reach(zig['loss'], target)} steps with sigmoid "
        f"inputs, {steps_to_reach(cen['loss'], target)} with zero-centred inputs",
    ]
