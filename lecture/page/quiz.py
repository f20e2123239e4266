"""'Check yourself': two or three questions a chapter. Every number in an answer is read from the
traces or the lesson config here, never typed in; the wording is in assets/text/<lang>.toml
(``[page]``, keys ``q_<id>`` and ``q_<id>_<option>``).

A question is ``number`` (the answer and a tolerance the question states), ``choice`` (one
option right) or ``multi`` (the set of right options).
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from lesson_text import string as text_string
from sim.trace import read_trace


def number(qid: str, chapter: int, answer: float, tolerance: float, **values) -> dict:
    places = max(0, 1 - math.floor(math.log10(tolerance))) if tolerance > 0 else 0
    return {"id": qid, "chapter": chapter, "kind": "number", "answer": float(answer), "recorded": True,
            "tolerance": tolerance, "shown": f"{answer:.{places}f}",
            "values": {**values, "tol": tolerance}}


def choice(qid: str, chapter: int, options: list[str], right: str, recorded: bool = False, **values) -> dict:
    """``recorded``: the right option is read from the runs (else it is the lesson's concept)."""
    return {"id": qid, "chapter": chapter, "kind": "choice", "options": options, "answer": [right],
            "recorded": recorded, "values": values}


def multi(qid: str, chapter: int, options: list[str], right: list[str], **values) -> dict:
    return {"id": qid, "chapter": chapter, "kind": "multi", "options": options, "answer": sorted(right),
            "recorded": True, "values": values}


def questions(traces: Path) -> list[dict]:
    """The questions with their answers, chapter by chapter (0-based, in lesson order)."""
    names = ("linreg_sequential", "linreg_fit", "sigmoid_fit", "activations")
    seq, fit, sig, act = (read_trace(traces, n) for n in names)
    zig = {n: read_trace(traces, f"zigzag_{n}") for n in ("sigmoid", "centred")}
    epochs, sig_epochs = len(seq["w"]) - 1, len(sig["w"]) - 1
    line = sig.results["line_fit"]
    x = np.asarray(act["x"])
    functions = list(act.results["scalar_functions"])
    target = zig["sigmoid"].config["target_loss"]
    return [
        number("samples", 0, len(seq.config["data"]), 0),
        number("first_loss", 0, seq["loss"][0], 1.0, w=float(seq["w"][0]), b=float(seq["b"][0])),
        number("w_final", 1, seq["w"][-1], 0.01, epochs=epochs),
        number("b_final", 1, seq["b"][-1], 0.01, epochs=epochs),
        number("prediction", 2, fit.results["prediction"]["high_level_api"], 0.01, x=fit.results["predict_x"]),
        choice("metric", 2, ["mse", "accuracy"], "mse"),
        number("line_loss", 3, line["loss"], 0.0005),
        choice("step", 3, ["no_gradient", "too_many", "range"], "no_gradient"),
        number("sigmoid_loss", 4, sig["loss"][-1], 0.0005, epochs=sig_epochs),
        choice("beats_line", 4, ["yes", "no"], "yes" if sig["loss"][-1] < line["loss"] else "no",
               recorded=True, epochs=sig_epochs),
        choice("da_dz", 5, ["a_1_a", "one_a2", "a", "z_1_z"], "a_1_a"),
        number("grad_w0", 5, sig["grad_w"][0], 0.001, w=float(sig["w"][0]), b=float(sig["b"][0])),
        multi("zero_centred", 6, functions, act.results["zero_centred"]),
        number("sigmoid_peak", 6, act["d_sigmoid"].max(), 0.001),
        number("relu_negative", 6, act["d_relu"][x < 0].mean(), 0),
        number("steps_sigmoid", 7, zig["sigmoid"].results["steps_to_target"], 0, target=target),
        number("steps_centred", 7, zig["centred"].results["steps_to_target"], 0, target=target),
    ]


def option_label(qid: str, option: str, lang: str) -> str:
    if qid == "zero_centred":
        return text_string(f"activations.name_{option}", lang)
    return text_string(f"page.q_{qid}_{option}", lang)


def localized(items: list[dict], langs: list[str]) -> list[dict]:
    """Each question with its wording and option labels in every language."""
    out = []
    for q in items:
        text = {lang: text_string(f"page.q_{q['id']}", lang, **q["values"]) for lang in langs}
        labels = {lang: {o: option_label(q["id"], o, lang) for o in q.get("options", [])} for lang in langs}
        out.append({k: v for k, v in q.items() if k != "values"} | {"text": text, "labels": labels})
    return out
