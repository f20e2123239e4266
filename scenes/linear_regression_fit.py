"""Part 1, beat 2: gradient descent moves the line through all recorded epochs."""
from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Create, DashedLine, FadeIn, Line, LogBase, Write, VGroup, Dot)

from scenes import style
from scenes.lesson import LessonScene
from scenes.kit import Clock, dots, fit_width, follow, growing_curve, in_corner, plain_axes
from scenes.readouts import Readout, readout_grid
from scenes.settings import pacing
from scenes.text import phrase, text
from scenes.traces import load

# The bottom of the loss axis: the excess over the least-squares minimum (recorded in float64)
# is drawn until it falls below it.
EXCESS_FLOOR = 1e-4


class LinearRegressionFit(LessonScene):
    def construct(self):
        self.trace = load("linreg_sequential", "epoch", "w", "b", "loss", "excess_loss", "x", "y")
        self.plot = self.trace.results["plot"]
        self.clock = Clock(self.trace["epoch"])
        self.introduce()
        self.show_data()
        self.show_start()
        self.train()
        self.compare_least_squares()

    # --- beats ------------------------------------------------------------------------------
    def show_data(self):
        self.beat("data", n=len(self.trace["x"]))
        self.axes = in_corner(self.get_data_axes(), LEFT + DOWN)
        self.dots = dots(self.axes, self.trace["x"], self.trace["y"])
        self.place_on(self.axes, self.dots)
        self.play(Create(self.axes), FadeIn(self.dots, lag_ratio=0.1), run_time=pacing().write_seconds)

    def show_start(self):
        t = self.trace
        self.beat("start", w=t["w"][0], b=t["b"][0], loss=t["loss"][0], epochs=int(self.clock.last))
        self.fit_line = self.get_fit_line()
        self.loss_axes = in_corner(self.get_loss_axes(), RIGHT + DOWN)
        self.loss_curve = growing_curve(self.loss_axes, self.clock, self.trace["loss"], style.LOSS)
        excess = self.trace["excess_loss"]
        self.excess_curve = growing_curve(self.loss_axes, self.clock, excess, style.REFERENCE,
                                          stop=int(np.argmax(excess < EXCESS_FLOOR)) or None)
        self.loss_dot = follow(Dot(color=style.LOSS, radius=0.06),  # set in place, not rebuilt
                               lambda: self.loss_axes.c2p(self.clock.get_value(), self.clock.at(self.trace["loss"])))
        self.readouts = self.get_readouts().next_to(self.loss_axes, UP, buff=0.3).align_to(self.loss_axes, LEFT)
        self.place_on(self.axes, self.fit_line)
        self.place_on(self.loss_axes, self.loss_curve, self.excess_curve, self.loss_dot)
        self.play(Create(self.fit_line), Create(self.loss_axes), FadeIn(self.readouts))
        self.add(self.loss_curve, self.excess_curve, self.loss_dot)
        self.wait(pacing().beat_seconds)

    def train(self):
        t = self.trace
        self.beat("train", epochs=int(self.clock.last), loss0=t["loss"][0], loss=t["loss"][-1], w=t["w"][-1], b=t["b"][-1])
        self.clock.run(self)
        for readout in self.readouts:
            readout.refresh()
        self.wait(pacing().beat_seconds)

    def compare_least_squares(self):
        ls = self.trace.results["least_squares"]
        self.beat("compare_least_squares", w=ls["w"], b=ls["b"], gd_w=self.trace["w"][-1], gd_b=self.trace["b"][-1],
                  epochs=int(self.clock.last))
        ls = self.trace.results["least_squares"]
        self.ls_line = DashedLine(*self.line_ends(ls["w"], ls["b"]), color=style.REFERENCE,
                                  stroke_width=3)
        w, b = self.trace["w"][-1], self.trace["b"][-1]
        caption = VGroup(
            text("linreg_fit.least_squares", size=style.SMALL_SIZE, color=style.REFERENCE,
                 w=ls["w"], b=ls["b"]),
            text("linreg_fit.gradient_descent", size=style.SMALL_SIZE, color=style.FIT,
                 epochs=int(self.clock.last), w=w, b=b),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        fit_width(caption, self.axes.width).next_to(self.axes, UP, buff=0.25).align_to(self.axes, LEFT)
        self.place_on(self.axes, self.ls_line)
        self.play(Create(self.ls_line), Write(caption), run_time=pacing().write_seconds)
        self.wait(2 * pacing().beat_seconds)

    # --- pieces -----------------------------------------------------------------------------
    def get_data_axes(self):
        axes = plain_axes(self.plot["x"], self.plot["y"], 5.6, 4.6,
                          axis_config={"include_numbers": True})
        xlabel = text("common.x", size=style.LABEL_SIZE).next_to(axes.x_axis.get_end(), UP, buff=0.2).align_to(axes.x_axis, RIGHT)
        ylabel = text("common.y", size=style.LABEL_SIZE).next_to(axes.y_axis.get_end(), RIGHT, buff=0.15)
        return axes.add(xlabel, ylabel)

    def line_ends(self, w: float, b: float):
        return [self.axes.c2p(x, w * x + b) for x in self.plot["x"][:2]]

    def get_fit_line(self) -> Line:
        line = Line(*self.line_ends(self.trace["w"][0], self.trace["b"][0]),
                    color=style.FIT, stroke_width=style.STROKE)
        line.add_updater(lambda m: m.set_points_by_ends(
            *self.line_ends(self.clock.at(self.trace["w"]), self.clock.at(self.trace["b"]))))
        return line

    def get_loss_axes(self):
        loss = self.trace["loss"]
        lo = min(np.floor(np.log10(loss.min())), np.log10(EXCESS_FLOOR))
        hi = np.ceil(np.log10(loss.max()))
        last = self.clock.last
        axes = plain_axes([0, last, max(1, round(last / 5))], [lo, hi, 1], 5.2, 2.9,
                          y_axis_config={"scaling": LogBase(10), "include_numbers": True},
                          x_axis_config={"include_numbers": True})
        label = VGroup(text("linreg_fit.loss_axis", size=style.LABEL_SIZE, color=style.LOSS),
                       text("linreg_fit.excess_axis", size=style.LABEL_SIZE, color=style.REFERENCE))
        label.arrange(RIGHT, buff=0.4).next_to(axes, UP, buff=0.1).align_to(axes, LEFT)
        xlabel = text("common.epoch", size=style.LABEL_SIZE).next_to(axes.x_axis, DOWN, buff=0.45)
        return axes.add(label, xlabel)

    def get_readouts(self) -> VGroup:
        trace, clock = self.trace, self.clock
        return readout_grid([
            Readout(phrase("common.epoch") + " =", lambda: clock.get_value(), decimals=0, signed=False),
            Readout(phrase("common.loss") + " =", lambda: clock.at(trace["loss"]), decimals=2, color=style.LOSS,
                    signed=False),
            Readout("w =", lambda: clock.at(trace["w"]), color=style.FIT),
            Readout("b =", lambda: clock.at(trace["b"]), color=style.FIT),
        ], columns=2)
