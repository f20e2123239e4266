"""Helpers for scene tests: render a scene's last frame in-process and look inside it."""
from __future__ import annotations

import importlib
import os
from contextlib import contextmanager

import numpy as np
from manim import DecimalNumber, MarkupText, Mobject, Text, VMobject, config, tempconfig

from scenes import SCENES


@contextmanager
def lecture_env(traces_dir, lang: str = "zh"):
    old = {k: os.environ.get(k) for k in ("LECTURE_TRACES", "LECTURE_LANG")}
    os.environ.update(LECTURE_TRACES=str(traces_dir), LECTURE_LANG=lang)
    try:
        yield
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def scene_class(name: str):
    return getattr(importlib.import_module(SCENES[name].module), name)


def render_last_frame(name: str, traces_dir, media_dir, lang: str = "zh", quality: str = "low_quality"):
    """Run the whole storyboard with animations skipped; return (scene, last frame as RGBA)."""
    settings = {"quality": quality, "save_last_frame": True, "write_to_movie": False,
                "media_dir": str(media_dir), "disable_caching": True, "verbosity": "WARNING",
                "progress_bar": "none"}
    from lesson_text import recording
    from scenes import traces

    with lecture_env(traces_dir, lang), tempconfig(settings), recording() as words:
        traces.loaded.clear()
        scene = checked(scene_class(name))()
        scene.render()
        scene.traces_read = set(traces.loaded)
        frame = np.array(scene.renderer.get_frame())
    scene.words_read = set(words)  # (kind, lang, key) of every string the storyboard looked up
    return scene, frame


def checked(cls):
    """``cls`` with a layout check after every play and wait: what sticks out of the frame at
    any beat, not only at the end, is collected in ``scene.layout_problems``."""

    class Checked(cls):
        layout_problems: list[str] = []

        def play(self, *args, **kwargs):
            super().play(*args, **kwargs)
            self._check("play")

        def wait(self, *args, **kwargs):
            super().wait(*args, **kwargs)
            self._check("wait")

        def _check(self, what):
            self.checked_beats = getattr(self, "checked_beats", 0) + 1
            beat = self.beats[-1]["key"] if getattr(self, "beats", None) else "start"
            self.layout_problems = self.layout_problems + [
                f"step {self.checked_beats} ({what}, beat {beat}): {p}"
                for p in off_frame(self) + overlapping_text(self) + layout_problems(self)]

    Checked.__name__ = cls.__name__
    return Checked


from tests.layout import layout_problems  # noqa: E402


def text_like(scene) -> list[Mobject]:
    """The visible text-like mobjects (each counted once, not its glyphs)."""
    from manim import Code, MathTex, Paragraph, SingleStringMathTex

    from scenes.readouts import FastNumber

    kinds = (Text, MarkupText, Paragraph, MathTex, SingleStringMathTex, DecimalNumber, Code, FastNumber)
    found = []

    def visit(m):
        if isinstance(m, kinds):
            if m.get_family() and max(s.get_fill_opacity() for s in m.get_family()) > 0.05 and m.width > 0:
                found.append(m)
            return
        for sub in m.submobjects:
            visit(sub)

    for m in scene.mobjects:
        visit(m)
    return found


def overlapping_text(scene, tolerance: float = 0.03) -> list[str]:
    """Pairs of texts whose boxes overlap (labels on tick numbers, notes over titles...)."""
    items = text_like(scene)
    boxes = [(m, m.get_corner(np.array([-1, -1, 0]))[:2] + tolerance,
              m.get_corner(np.array([1, 1, 0]))[:2] - tolerance) for m in items]
    bad = []
    for i, (a, alo, ahi) in enumerate(boxes):
        for b, blo, bhi in boxes[i + 1:]:
            if (alo < bhi).all() and (blo < ahi).all():
                bad.append(f"{describe(a)} overlaps {describe(b)}")
    return bad


def describe(m) -> str:
    label = getattr(m, "original_text", None) or getattr(m, "tex_string", None) or ""
    return f"{type(m).__name__}({label[:30]!r})"


def family(scene) -> list[Mobject]:
    return [m for top in scene.mobjects for m in top.get_family()]


def strings(scene) -> list[str]:
    """The original strings of every Text (or MarkupText, with its markup) on screen."""
    return [m.original_text for m in family(scene) if isinstance(m, (Text, MarkupText))]


def off_frame(scene, margin: float = 0.02) -> list[str]:
    """Visible mobjects that stick out of the frame (cut-off text, axes or curves)."""
    w, h = config.frame_width / 2 + margin, config.frame_height / 2 + margin
    bad = []
    for m in family(scene):
        if not isinstance(m, VMobject) or m.submobjects or len(m.points) == 0:
            continue
        if m.get_stroke_opacity() == 0 and m.get_fill_opacity() == 0:
            continue
        lo, hi = m.points[:, :2].min(axis=0), m.points[:, :2].max(axis=0)
        if lo[0] < -w or hi[0] > w or lo[1] < -h or hi[1] > h:
            bad.append(f"{type(m).__name__} at x {lo[0]:.2f}..{hi[0]:.2f}, y {lo[1]:.2f}..{hi[1]:.2f}")
    return bad


def line_through(axes, start, end) -> tuple[float, float]:
    """Slope and intercept, in data coordinates, of the segment from start to end (scene points)."""
    (x0, y0), (x1, y1) = axes.p2c(start)[:2], axes.p2c(end)[:2]
    w = (y1 - y0) / (x1 - x0)
    return w, y0 - w * x0


def data_points(axes, mobjects) -> np.ndarray:
    return np.array([axes.p2c(m.get_center())[:2] for m in mobjects])
