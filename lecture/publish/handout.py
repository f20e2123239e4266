"""Static figures from the same traces (matplotlib) and a short PDF handout with the key numbers."""
from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402

from lesson_text import string as text_string  # noqa: E402
from sim.sigmoid_fit import sigmoid  # noqa: E402
from sim.trace import read_trace  # noqa: E402

plt.rcParams.update({"font.family": ["Noto Sans CJK SC", "DejaVu Sans"], "axes.unicode_minus": False,
                     "figure.dpi": 100, "savefig.dpi": 150})


def key_numbers(traces: Path) -> dict:
    regression, fit, sigmoid_run = (read_trace(traces, n) for n in ("linreg_sequential", "linreg_fit", "sigmoid_fit"))
    slow, straight = (read_trace(traces, n).results for n in ("zigzag_sigmoid", "zigzag_centred"))
    r = fit.results
    return {"epochs": int(regression["epoch"][-1]), "w": float(regression["w"][-1]), "b": float(regression["b"][-1]),
            "loss": float(regression["loss"][-1]), "ls_w": regression.results["least_squares"]["w"],
            "ls_b": regression.results["least_squares"]["b"], "x": r["predict_x"],
            "prediction": r["prediction"]["high_level_api"], "mse": r["evaluate"]["mse"],
            "sg_epochs": int(sigmoid_run["epoch"][-1]), "sg_w": float(sigmoid_run["w"][-1]), "sg_b": float(sigmoid_run["b"][-1]),
            "sg_loss": float(sigmoid_run["loss"][-1]), "line_loss": sigmoid_run.results["line_fit"]["loss"],
            "target": slow["target_loss"], "steps_sigmoid": slow["steps_to_target"] or 0,
            "steps_centred": straight["steps_to_target"] or 0}


def fig_fits(traces: Path, lang: str):
    regression, sigmoid_run = read_trace(traces, "linreg_sequential"), read_trace(traces, "sigmoid_fit")
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4.2))
    xs = np.linspace(-2, 2, 2)
    a.scatter(regression["x"], regression["y"], color="#E0A800", zorder=3)
    for e, c in zip([0, 10, 50, 100, int(regression["epoch"][-1])], plt.cm.viridis(np.linspace(0, 0.9, 5))):
        a.plot(xs, regression["w"][e] * xs + regression["b"][e], color=c, label=text_string("handout.epoch", lang, e=e))
    a.set_title(text_string("handout.fits_linreg", lang)); a.legend(fontsize=8); a.set_xlabel("x"); a.set_ylabel("y")
    xs = np.linspace(0, 5, 200)
    b.scatter(sigmoid_run["x"], sigmoid_run["y"], color="#E0A800", zorder=3)
    epochs = sigmoid_run["report_epochs"].astype(int)
    for e, c in zip(epochs, plt.cm.viridis(np.linspace(0, 0.9, len(epochs)))):
        b.plot(xs, sigmoid(sigmoid_run["w"][e] * xs + sigmoid_run["b"][e]), color=c, lw=1)
    b.set_title(text_string("handout.fits_sigmoid", lang, every=sigmoid_run.config["report_every"]))
    b.set_xlabel(text_string("common.days", lang))
    fig.tight_layout()
    return fig


def fig_losses(traces: Path, lang: str):
    regression, sigmoid_run = read_trace(traces, "linreg_sequential"), read_trace(traces, "sigmoid_fit")
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 3.8))
    a.semilogy(regression["epoch"], regression["loss"], color="#E4572E")
    a.set_title(text_string("handout.loss_linreg", lang)); a.set_xlabel(text_string("common.epoch", lang))
    b.plot(sigmoid_run["epoch"], sigmoid_run["loss"], color="#E4572E")
    b.axhline(sigmoid_run.results["line_fit"]["loss"], color="#3A9D23", ls="--", label=text_string("handout.best_line", lang))
    b.set_title(text_string("handout.loss_sigmoid", lang)); b.set_xlabel(text_string("common.epoch", lang)); b.legend()
    fig.tight_layout()
    return fig


def fig_activations(traces: Path, lang: str):
    act = read_trace(traces, "activations")
    fig, axes = plt.subplots(2, 4, figsize=(12, 5.6))
    for ax, name in zip(axes.flat, act.results["scalar_functions"]):
        ax.plot(act["x"], act[name], label=text_string("activations.function", lang))
        ax.plot(act["x"], act[f"d_{name}"], label=text_string("activations.derivative", lang))
        ax.set_title(text_string(f"activations.name_{name}", lang)); ax.set_ylim(*act.results["plot"]["y"][:2]); ax.grid(alpha=0.3)
    axes.flat[0].legend(fontsize=8)
    z, p = act["softmax_logits"], act["softmax"]
    for ax, k in zip(axes.flat[6:], (0, len(z) - 1)):
        ax.bar(np.arange(len(z[k])) - 0.2, z[k], 0.4, label="z")
        ax.bar(np.arange(len(z[k])) + 0.2, p[k], 0.4, label="softmax(z)")
        ax.set_title("Softmax"); ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def fig_zigzag(traces: Path, lang: str):
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.4))
    for ax, name, key in zip(axes, ("zigzag_sigmoid", "zigzag_centred"), ("zigzag.sigmoid", "zigzag.centred")):
        trace = read_trace(traces, name)
        ax.contour(trace["grid_w0"], trace["grid_w1"], trace["grid_loss"], levels=12, colors="#999999", linewidths=0.7)
        ax.plot(trace["w"][:, 0], trace["w"][:, 1], "-", color="#1F77B4", lw=1.2)
        ax.plot(*trace["w_star"], "*", color="#3A9D23", ms=14)
        ax.set_title(text_string(key, lang)); ax.set_xlabel("w0"); ax.set_ylabel("w1")
    fig.tight_layout()
    return fig


FIGURES = {"fits": fig_fits, "losses": fig_losses, "activations": fig_activations, "zigzag": fig_zigzag}


def build(traces: Path, out: Path, lang: str) -> list[Path]:
    """PNG figures and handout.pdf in ``out``; each written to a temporary name, then renamed."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    figures = {name: make(traces, lang) for name, make in FIGURES.items()}
    for name, fig in figures.items():
        target = out / f"{name}.png"
        tmp = out / f".{name}.tmp.png"
        fig.savefig(tmp)
        os.replace(tmp, target)
        written.append(target)
    target, tmp = out / "handout.pdf", out / ".handout.tmp.pdf"
    with PdfPages(tmp) as pdf:
        pdf.savefig(cover(key_numbers(traces), lang))
        for fig in figures.values():
            pdf.savefig(fig)
    os.replace(tmp, target)
    for fig in figures.values():
        plt.close(fig)
    return written + [target]


def cover(numbers: dict, lang: str):
    fig = plt.figure(figsize=(8.27, 11.69))  # A4
    fig.text(0.08, 0.92, text_string("handout.title", lang), fontsize=20, weight="bold")
    body = text_string("handout.numbers", lang, **numbers)
    fig.text(0.08, 0.86, body, fontsize=12, va="top", linespacing=1.8)
    return fig
