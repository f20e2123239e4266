"""Small drawing helpers shared by the scenes: the paced clock, sampled curves, layout
(the live readouts are in scenes/readouts.py).

Updaters *set* what they draw from the clock (points from a template, a partial curve of a
full one), never move it from where it was: the same clock value then gives the same points,
bit for bit, however many frames came before. Manim's cache of partial movies hashes those
points, so a scene rendered again after an edit reuses every animation the edit did not change
(a ``move_to`` or ``rotate`` per frame carries float noise that differs between a rendered and a
cached animation, and every later animation would miss).
"""
from __future__ import annotations

import numpy as np
from manim import RIGHT, UP, Axes, Code, Dot, Scene, Text, ValueTracker, VGroup, VMobject

from scenes import style
from scenes.settings import pacing
from scenes.text import text


class Drawing(VGroup):
    """One picture made of several strokes (contour lines, a scatter, a broken curve): the
    layout check takes it as one part, not as strokes that overlap each other."""


def sigmoid(z):
    """The logistic function, to draw the fitted model's curve at any (w, b) the clock reaches."""
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def eased(power: float):
    """A rate function that spends more time early: epoch fraction = t ** power."""
    return lambda t: t ** power


class Clock(ValueTracker):
    """One clock per scene: a (fractional) epoch index that interpolates every per-epoch array."""

    def __init__(self, epochs: np.ndarray, **kwargs):
        super().__init__(0.0, **kwargs)
        self.epochs = np.asarray(epochs, dtype=float)

    @property
    def last(self) -> float:
        return float(self.epochs[-1])

    def at(self, values: np.ndarray) -> float:
        """``values`` (one per epoch) interpolated at the clock's epoch.

        A binary search and two reads: the cost per frame does not grow with the epochs
        (np.interp would convert the whole array on every call).
        """
        e, epochs = self.get_value(), self.epochs
        i = int(np.clip(np.searchsorted(epochs, e, side="right") - 1, 0, len(epochs) - 2))
        f = min(max((e - epochs[i]) / (epochs[i + 1] - epochs[i]), 0.0), 1.0)
        return float(values[i]) + f * (float(values[i + 1]) - float(values[i]))

    def run(self, scene: Scene, to: float | None = None, seconds: float | None = None) -> None:
        """Sweep to epoch ``to`` (default: the last) in the paced, eased time of one fit."""
        p = pacing()
        to = self.last if to is None else to
        moving_to_front(scene)
        scene.play(self.animate.set_value(to), run_time=seconds or p.fit_seconds,
                   rate_func=eased(p.ease_power))


def moving_to_front(scene: Scene) -> None:
    """Put the mobjects with updaters after (above) the static ones. Manim treats everything
    after the first moving mobject as moving and redraws it every frame; static mobjects before
    it are drawn once per animation into a cached background."""
    moving = [m for m in scene.mobjects if m.get_family_updaters()]
    scene.remove(*moving)
    scene.add(*moving)


def follow(mobject, where):
    """Keep ``mobject``'s shape with its centre at ``where()`` (a point), set every frame from the
    shape it had when this was called."""
    shape = [part.points - mobject.get_center() for part in mobject.family_members_with_points()]

    def update(m):
        centre = np.asarray(where(), dtype=float)
        for part, relative in zip(m.family_members_with_points(), shape):
            part.points = relative + centre

    return mobject.add_updater(update, call_updater=True)


def sample(xs: np.ndarray, ys: np.ndarray, n: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """At most ``n`` points of a curve, evenly spaced in x: what a screen can show."""
    n = n or pacing().curve_samples
    xs = np.asarray(xs, dtype=float)
    if len(xs) <= n:
        return xs, np.asarray(ys, dtype=float)
    grid = np.linspace(xs[0], xs[-1], n)
    return grid, np.interp(grid, xs, ys)


def polyline(axes: Axes, xs, ys, color, width: float = style.STROKE) -> VMobject:
    points = np.asarray(axes.c2p(np.asarray(xs, float), np.asarray(ys, float))).T  # c2p gives (3, n)
    return VMobject(stroke_color=color, stroke_width=width).set_points_as_corners(points)


def growing_curve(axes: Axes, clock: Clock, values: np.ndarray, color, stop: int | None = None) -> VMobject:
    """The trace curve of ``values`` over epochs (the first ``stop`` of them), drawn up to the
    clock's epoch.

    Built once from at most ``curve_samples`` points and shown partially each frame, so the
    cost per frame does not depend on how many epochs were recorded.
    """
    epochs = clock.epochs[:stop]
    xs, ys = sample(epochs, np.asarray(values)[:stop])
    full = polyline(axes, xs, ys, color)
    shown = full.copy()
    span = epochs[-1] - epochs[0]

    def update(m):
        m.pointwise_become_partial(full, 0, float(np.clip((clock.get_value() - epochs[0]) / span, 0, 1)))

    shown.full = full
    return shown.add_updater(update, call_updater=True)


def code_block(source: str) -> Code:
    """Python source, highlighted, on a panel; ``.code_lines[i]`` is line i."""
    return Code(code_string=source, language="python", formatter_style=style.CODE_STYLE,
                add_line_numbers=False, background="rectangle",
                background_config={"fill_color": style.PANEL, "stroke_width": 0},
                paragraph_config={"font": style.MONO, "font_size": style.CODE_SIZE})


def title(key: str) -> Text:
    from manim import config

    heading = fit_width(text(key, size=style.TITLE_SIZE), config.frame_width - 2 * style.EDGE)
    heading.to_edge(UP, buff=style.TITLE_BUFF)
    return heading


def dots(axes: Axes, xs, ys, color=style.DATA, radius: float = style.DOT_RADIUS) -> VGroup:
    return Drawing(*(Dot(axes.c2p(x, y), radius=radius, color=color) for x, y in zip(xs, ys)))


def plain_axes(x_range, y_range, width, height, **kwargs) -> Axes:
    config = dict(color=style.GRID, include_tip=False, stroke_width=2,
                  font_size=style.LABEL_SIZE, decimal_number_config={"num_decimal_places": 0})
    axis_config = {**config, **kwargs.pop("axis_config", {})}
    return Axes(x_range=x_range, y_range=y_range, x_length=width, y_length=height,
                axis_config=axis_config, tips=False, **kwargs)


def contours(axes: Axes, xs: np.ndarray, ys: np.ndarray, z: np.ndarray, levels: int = 10) -> VGroup:
    """Contour lines of z[j, i] (at x = xs[i], y = ys[j]), spaced geometrically from the minimum
    up, computed by contourpy (matplotlib's contouring engine)."""
    import contourpy

    generator = contourpy.contour_generator(xs, ys, z)
    lo, hi = float(z.min()), float(z.max())
    group = Drawing()
    for k, level in enumerate(lo + (hi - lo) * np.geomspace(1e-3, 1.0, levels, endpoint=False)):
        for line in generator.lines(level):
            if len(line) > 1:
                opacity = 0.9 - 0.6 * k / levels
                group.add(polyline(axes, line[:, 0], line[:, 1], style.CONTOUR, width=2).set_stroke(opacity=opacity))
    return group


def beside(mobject, other, buff: float = 0.5, margin: float = style.EDGE):
    """Place ``mobject`` right of ``other``, top-aligned, scaled down if needed so that it fits
    between ``other`` and the frame's right margin (long translations shrink, never overlap)."""
    from manim import config

    room = config.frame_width / 2 - margin - other.get_right()[0] - buff
    if mobject.width > room:
        mobject.scale_to_fit_width(room)
    return mobject.next_to(other, RIGHT, buff=buff).align_to(other, UP)


def fit_width(mobject, width: float):
    """Scale ``mobject`` down (never up) to at most ``width``."""
    return mobject.scale_to_fit_width(width) if mobject.width > width else mobject


def in_corner(mobject, corner):
    """Move ``mobject`` into a corner of the safe area (e.g. ``LEFT + DOWN``)."""
    return mobject.to_edge(corner * RIGHT, buff=style.EDGE).to_edge(corner * UP, buff=style.EDGE_Y)


def inside(mobject):
    """Scale ``mobject`` down if it is wider or taller than the safe area allows, then move it
    the least distance that brings it fully inside (long translations stay readable)."""
    from manim import config

    half_w, half_h = config.frame_width / 2 - style.EDGE, config.frame_height / 2 - style.EDGE_Y
    if mobject.width > 2 * half_w:
        mobject.scale_to_fit_width(2 * half_w)
    if mobject.height > 2 * half_h:
        mobject.scale_to_fit_height(2 * half_h)
    dx = max(0.0, -half_w - mobject.get_left()[0]) - max(0.0, mobject.get_right()[0] - half_w)
    dy = max(0.0, -half_h - mobject.get_bottom()[1]) - max(0.0, mobject.get_top()[1] - half_h)
    return mobject.shift(dx * RIGHT + dy * UP)
