"""Lesson configuration: one TOML file per lesson variant in assets/lessons/.

A variant may start with ``base = "default.toml"`` and override single fields, e.g.::

    base = "default.toml"
    [linreg]
    learning_rate = 0.1

Every value is checked before anything runs; a bad one raises ConfigError naming the field.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

from sim.errors import ConfigError, SimError

from paths import DEFAULT_LESSON, REPO  # noqa: F401  (REPO is re-exported for sim/)


@dataclass(frozen=True)
class RegressionConfig:
    seed: int  # paddle.seed and NumPy seed (the DataLoader shuffle draws from NumPy)
    learning_rate: float  # SGD step size
    epochs: int  # full-batch updates (the lesson: 500)
    data: tuple[tuple[float, float], ...]  # the (x, y) points
    batch_size: int  # DataLoader batch size for the high-level fit
    save_freq: int  # Model.fit writes a checkpoint every this many epochs
    predict_x: float  # the input the reloaded model predicts for
    evaluate_point: tuple[float, float]  # the (x, y) pair the reloaded model is evaluated on


@dataclass(frozen=True)
class SigmoidFitConfig:
    w0: float  # initial weight
    b0: float  # initial bias
    learning_rate: float  # gradient-descent step size
    epochs: int  # updates (the lesson: 1000)
    report_every: int  # the lesson prints and plots every this many epochs (and at epoch 1)
    step_at: float  # where the lesson's step function jumps from 0 to 1 (days)
    chain_epochs: tuple[int, ...]  # states whose per-point chain-rule factors are recorded
    grid_points: int  # side of the (w, b) loss grid recorded for contour plots
    data: tuple[tuple[float, float], ...]  # the (days, needs food) points


@dataclass(frozen=True)
class ActivationConfig:
    x_min: float  # left end of the input grid
    x_max: float  # right end of the input grid
    points: int  # grid size (odd, so that x = 0 is on the grid when the range is symmetric)
    leaky_slope: float  # Leaky ReLU slope for x < 0
    prelu_alpha: float  # PReLU's learnable slope, at its initial value
    elu_alpha: float  # ELU's saturation value for x -> -inf is -alpha
    softmax_logits: tuple[tuple[float, ...], ...]  # example logit vectors for the softmax table
    softmax_sweep_rest: tuple[float, ...]  # the other logits while the first one sweeps the grid
    plot_y: tuple[float, float]  # the part of the y axis the gallery shows (ReLU grows without bound)


@dataclass(frozen=True)
class ZigZagConfig:
    seed: int  # NumPy seed for the pre-activations of the inputs
    samples: int  # training examples; each update uses one of them, in turn
    input_scale: float  # standard deviation of the pre-activations
    learning_rate: float  # step size of the per-example gradient descent
    steps: int  # updates recorded
    w_init: tuple[float, float]  # starting weights
    w_star: tuple[float, float]  # the weights that generate the targets (one up, one down)
    grid_points: int  # side of the (w0, w1) loss grid recorded for contour plots
    target_loss: float  # the loss at which the two runs' step counts are compared


@dataclass(frozen=True)
class LessonConfig:
    name: str  # the variant's file stem
    source: str  # the file it was read from
    linreg: RegressionConfig
    sigmoid_fit: SigmoidFitConfig
    activations: ActivationConfig
    zigzag: ZigZagConfig

    def section(self, key: str) -> dict:
        """A section as plain JSON-ready data (stored in every trace's metadata)."""
        return json.loads(json.dumps(dataclasses.asdict(getattr(self, key))))

    def digest(self) -> str:
        sections = {k: self.section(k) for k in ("linreg", "sigmoid_fit", "activations", "zigzag")}
        return hashlib.sha256(json.dumps(sections, sort_keys=True).encode()).hexdigest()


SECTIONS = {
    "linreg": RegressionConfig,
    "sigmoid_fit": SigmoidFitConfig,
    "activations": ActivationConfig,
    "zigzag": ZigZagConfig,
}


class _Reader:
    """Reads one section's fields with the checks their types call for."""

    def __init__(self, source: str, section: str, values: dict, where: dict | None = None):
        self.source, self.section, self.values = source, section, values
        self.where = where or {}  # "section.key" -> (file, line) where the value is set

    def fail(self, key: str, problem: str, fix: str):
        file, line = self.where.get(f"{self.section}.{key}", (self.source, None))
        raise ConfigError(f"{file}, line {line}" if line else str(file), f"{self.section}.{key}", problem, fix)

    def raw(self, key: str):
        if key not in self.values:
            self.fail(key, "is missing", f"add it to [{self.section}] (see {DEFAULT_LESSON.name})")
        return self.values[key]

    def number(self, key: str, value=None, *, positive=False, label=None) -> float:
        value = self.raw(key) if value is None else value
        where = label or "it"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(key, f"is {value!r}, not a number", f"write {where} as a plain number, e.g. 0.01")
        if not math.isfinite(value):
            self.fail(key, f"is {value}", f"use a finite number for {where}")
        if positive and value <= 0:
            self.fail(key, f"is {value}, but must be positive", f"use a number above 0 for {where}")
        return float(value)

    def integer(self, key: str, *, minimum: int) -> int:
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"is {value!r}, not a whole number", "write it without quotes or decimals")
        if value < minimum:
            self.fail(key, f"is {value}, but must be at least {minimum}", f"use {minimum} or more")
        return value

    def vector(self, key: str, value=None, *, length=None, min_length=1) -> tuple[float, ...]:
        value = self.raw(key) if value is None else value
        if not isinstance(value, list):
            self.fail(key, f"is {value!r}, not a list", "write it as [a, b, ...]")
        if length is not None and len(value) != length:
            self.fail(key, f"has {len(value)} values, expected {length}", f"give exactly {length}")
        if len(value) < min_length:
            self.fail(key, "is empty" if not value else f"has only {len(value)} values",
                      f"give at least {min_length}")
        return tuple(self.number(key, v, label=f"entry {i}") for i, v in enumerate(value))

    def points(self, key: str, *, min_points: int) -> tuple[tuple[float, float], ...]:
        rows = self.raw(key)
        if not isinstance(rows, list) or not rows:
            self.fail(key, "is empty" if rows == [] else f"is {rows!r}, not a list of [x, y] rows",
                      "list the points as [[x1, y1], [x2, y2], ...]")
        out = []
        for i, row in enumerate(rows):
            if not isinstance(row, list) or len(row) != 2:
                self.fail(key, f"row {i} is {row!r}: mismatched, x and y must come in pairs",
                          "write every row as [x, y]")
            out.append((self.number(key, row[0], label=f"x of row {i}"),
                        self.number(key, row[1], label=f"y of row {i}")))
        if len(out) < min_points:
            self.fail(key, f"has {len(out)} points", f"give at least {min_points}")
        return tuple(out)

    def unknown(self, known):
        extra = sorted(set(self.values) - set(known))
        if extra:
            self.fail(extra[0], "is not a known setting",
                      f"remove it or check its spelling; known: {', '.join(known)}")


def _read_regression(r: _Reader) -> RegressionConfig:
    data = r.points("data", min_points=2)
    if len({x for x, _ in data}) < 2:
        r.fail("data", "has only one distinct x", "a line needs points at two or more x values")
    return RegressionConfig(
        seed=r.integer("seed", minimum=0),
        learning_rate=r.number("learning_rate", positive=True),
        epochs=r.integer("epochs", minimum=1),
        data=data,
        batch_size=r.integer("batch_size", minimum=1),
        save_freq=r.integer("save_freq", minimum=1),
        predict_x=r.number("predict_x"),
        evaluate_point=r.vector("evaluate_point", length=2),  # type: ignore[arg-type]
    )


def _read_sigmoid(r: _Reader) -> SigmoidFitConfig:
    epochs = r.integer("epochs", minimum=1)
    chain = r.raw("chain_epochs")
    if not isinstance(chain, list) or not chain or not all(
            isinstance(k, int) and not isinstance(k, bool) and 0 <= k <= epochs for k in chain):
        r.fail("chain_epochs", f"is {chain!r}", f"list whole epochs between 0 and epochs ({epochs})")
    return SigmoidFitConfig(
        w0=r.number("w0"), b0=r.number("b0"),
        learning_rate=r.number("learning_rate", positive=True),
        epochs=epochs,
        report_every=r.integer("report_every", minimum=1),
        step_at=r.number("step_at"),
        chain_epochs=tuple(sorted(set(chain))),
        grid_points=r.integer("grid_points", minimum=3),
        data=r.points("data", min_points=2),
    )


def _read_activations(r: _Reader) -> ActivationConfig:
    x_min, x_max = r.number("x_min"), r.number("x_max")
    if x_max <= x_min:
        r.fail("x_max", f"is {x_max}, not above x_min = {x_min}", "make x_max larger than x_min")
    logits = r.raw("softmax_logits")
    if not isinstance(logits, list) or not logits:
        r.fail("softmax_logits", f"is {logits!r}", "list logit vectors, e.g. [[2.0, 1.0, 0.1]]")
    rows = tuple(r.vector("softmax_logits", v, min_length=2) for v in logits)
    if len({len(v) for v in rows}) != 1:
        r.fail("softmax_logits", "has vectors of different lengths", "give every vector the same length")
    rest = r.vector("softmax_sweep_rest", min_length=1)
    plot_y = r.vector("plot_y", length=2)
    if plot_y[1] <= plot_y[0]:
        r.fail("plot_y", f"is {list(plot_y)}: the top is not above the bottom", "write it as [bottom, top]")
    return ActivationConfig(
        x_min=x_min, x_max=x_max, points=r.integer("points", minimum=3),
        leaky_slope=r.number("leaky_slope", positive=True),
        prelu_alpha=r.number("prelu_alpha", positive=True),
        elu_alpha=r.number("elu_alpha", positive=True),
        softmax_logits=rows, softmax_sweep_rest=rest, plot_y=plot_y,
    )


def _read_zigzag(r: _Reader) -> ZigZagConfig:
    return ZigZagConfig(
        seed=r.integer("seed", minimum=0),
        samples=r.integer("samples", minimum=2),
        input_scale=r.number("input_scale", positive=True),
        learning_rate=r.number("learning_rate", positive=True),
        steps=r.integer("steps", minimum=1),
        w_init=r.vector("w_init", length=2),  # type: ignore[arg-type]
        w_star=r.vector("w_star", length=2),  # type: ignore[arg-type]
        grid_points=r.integer("grid_points", minimum=3),
        target_loss=r.number("target_loss", positive=True),
    )


_READERS = {"linreg": _read_regression, "sigmoid_fit": _read_sigmoid,
            "activations": _read_activations, "zigzag": _read_zigzag}


def _load_merged(path: Path, seen: tuple[Path, ...] = (), where: dict | None = None) -> dict:
    """The lesson file and its bases, merged; ``where`` gets "section.key" -> (file, line) of
    each value, so that a bad value is named where it is written."""
    from lesson_text import AuthoringError, read_toml

    path = path.resolve()
    where = {} if where is None else where
    if path in seen:
        raise ConfigError(str(path), "base", "makes a cycle of files", "point base at a file that does not lead back")
    if not path.is_file():
        raise ConfigError(str(path), "file", "does not exist",
                          f"pass an existing lesson file, e.g. {DEFAULT_LESSON.relative_to(REPO)}")
    try:  # a syntax error is named with its line and column (lesson_text's TOML reader)
        located = read_toml(path)
    except AuthoringError as exc:
        raise SimError(str(exc)) from None
    doc = located.doc
    base = doc.pop("base", None)
    if not isinstance(base, (str, type(None))):
        raise ConfigError(f"{path}, line {located.line_of('base')}", "base", f"is {base!r}",
                          'write it as a file name, e.g. base = "default.toml"')
    merged = {} if base is None else _load_merged(path.parent / base, seen + (path,), where)
    for key, value in doc.items():
        if isinstance(value, dict):
            where.update({f"{key}.{k}": (path, located.line_of(f"{key}.{k}")) for k in value})
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def load_lesson(path: str | Path = DEFAULT_LESSON) -> LessonConfig:
    """Read and check a lesson file; raise ConfigError on the first bad value."""
    path = Path(path)
    where: dict = {}
    doc = _load_merged(path, where=where)
    source = str(path)
    for key in doc:
        if key not in SECTIONS:
            raise ConfigError(source, key, "is not a known section",
                              f"use only {', '.join('[' + s + ']' for s in SECTIONS)}")
    parts = {}
    for key, cls in SECTIONS.items():
        values = doc.get(key)
        if not isinstance(values, dict):
            raise ConfigError(source, f"[{key}]", "is missing", f"add the section (see {DEFAULT_LESSON.name})")
        reader = _Reader(source, key, values, where)
        reader.unknown([f.name for f in dataclasses.fields(cls)])
        parts[key] = _READERS[key](reader)
    return LessonConfig(name=path.stem, source=source, **parts)
