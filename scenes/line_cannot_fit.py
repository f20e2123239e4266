"""Part 2, beat 1: the tadpole data; no straight line fits it, a step has no derivative, the
sigmoid is the smooth answer."""
from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Create, DashedLine, FadeIn, FadeOut, Line, VGroup, Write)

from scenes import style
from scenes.lesson import LessonScene
from scenes.kit import in_corner, dots, inside, plain_axes, polyline, sigmoid
from scenes.settings import pacing
from scenes.text import tex, text
from scenes.traces import load


class LineCannotFit(LessonScene):
    def construct(self):
        self.trace = load("sigmoid_fit", "epoch", "x", "y", "w", "b")
        self.plot = self.trace.results["plot"]
        self.x_span = self.plot["x"][:2]
        self.introduce()
        self.show_data()
        self.try_a_line()
        self.try_a_step()
        self.show_sigmoid()

    # --- beats ------------------------------------------------------------------------------
    def show_data(self):
        x, y = self.trace["x"], self.trace["y"]
        self.beat("data", n=len(x), zeros=int((y == 0).sum()), ones=int((y == 1).sum()),
                  last0=x[y == 0].max(), first1=x[y == 1].min())
        self.axes = in_corner(self.get_axes(), LEFT + DOWN)
        self.dots = dots(self.axes, self.trace["x"], self.trace["y"])
        self.place_on(self.axes, self.dots)
        self.play(Create(self.axes))
        self.play(FadeIn(self.dots, lag_ratio=0.2), run_time=pacing().write_seconds)
        self.say("line_cannot_fit.data", n=len(self.trace["x"]))

    def try_a_line(self):
        fit = self.trace.results["line_fit"]
        w, b = fit["w"], fit["b"]
        self.beat("try_a_line", loss=fit["loss"], x0=self.x_span[0], y0=b + w * self.x_span[0],
                  x1=self.x_span[1], y1=b + w * self.x_span[1])
        self.line = Line(*(self.axes.c2p(x, w * x + b) for x in self.x_span), color=style.REFERENCE,
                         stroke_width=style.STROKE)
        self.place_on(self.axes, self.line)
        self.play(Create(self.line))
        self.say("line_cannot_fit.line", loss=fit["loss"], x0=self.x_span[0], y0=b + w * self.x_span[0],
                 x1=self.x_span[1], y1=b + w * self.x_span[1])
        self.play(self.line.animate.set_stroke(opacity=0.3))

    def try_a_step(self):
        at = self.trace.config["step_at"]
        self.beat("try_a_step", at=at)
        lo, hi = self.x_span
        self.step = VGroup(
            Line(self.axes.c2p(lo, 0), self.axes.c2p(at, 0)),
            Line(self.axes.c2p(at, 1), self.axes.c2p(hi, 1)),
            DashedLine(self.axes.c2p(at, 0), self.axes.c2p(at, 1), stroke_width=2),
        ).set_color(style.DERIVATIVE)
        self.place_on(self.axes, self.step)
        self.play(Create(self.step), run_time=pacing().write_seconds)
        self.say("line_cannot_fit.step", at=at)
        self.play(self.step.animate.set_opacity(0.3))

    def show_sigmoid(self):
        w, b = float(self.trace["w"][-1]), float(self.trace["b"][-1])
        self.beat("sigmoid", epochs=int(self.trace["epoch"][-1]), w=w, b=b)
        xs = np.linspace(*self.x_span, 200)
        self.curve = polyline(self.axes, xs, sigmoid(w * xs + b), style.FIT)
        formula = tex(r"\sigma(z) = \frac{1}{1 + e^{-z}}", r",\quad z = w x + b")
        formula.to_edge(RIGHT, buff=style.EDGE).shift(UP * 0.3)
        self.place_on(self.axes, self.curve)
        self.play(Create(self.curve), Write(formula), run_time=pacing().write_seconds)
        self.say("line_cannot_fit.sigmoid", epochs=int(self.trace["epoch"][-1]), w=w, b=b)
        self.wait(pacing().beat_seconds)

    # --- pieces -----------------------------------------------------------------------------
    def say(self, key: str, **values):
        """Replace the caption on the right with the text of ``key``; wait one beat."""
        caption = text(key, size=style.SMALL_SIZE, **values)
        inside(caption.next_to(self.axes, RIGHT, buff=0.5).align_to(self.axes, DOWN).shift(UP * 0.4))
        old = getattr(self, "caption", None)
        if old:
            self.play(FadeOut(old), run_time=0.5)
        self.play(FadeIn(caption))
        self.caption = caption
        self.wait(2 * pacing().beat_seconds)

    def get_axes(self):
        axes = plain_axes(self.plot["x"], self.plot["y_with_line"], 6.2, 4.8,
                          axis_config={"include_numbers": True},
                          y_axis_config={"decimal_number_config": {"num_decimal_places": 1}})
        xlabel = text("common.days", size=style.LABEL_SIZE).next_to(axes.x_axis, DOWN, buff=0.4)
        ylabel = text("line_cannot_fit.y_axis", size=style.LABEL_SIZE).next_to(axes.y_axis, UP, buff=0.15)
        return axes.add(xlabel, ylabel)
