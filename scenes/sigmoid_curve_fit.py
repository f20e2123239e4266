"""Part 2, beat 2: hand-written gradient descent fits the sigmoid; the lesson's two panels."""
from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, config, Create, DashedLine, Dot, FadeIn, VGroup, VMobject)

from scenes import style
from scenes.lesson import LessonScene
from scenes.kit import Clock, dots, fit_width, growing_curve, in_corner, plain_axes, sigmoid
from scenes.readouts import Readout, readout_column
from scenes.settings import pacing
from scenes.text import phrase, text
from scenes.traces import load


class SigmoidCurveFit(LessonScene):
    def construct(self):
        self.trace = load("sigmoid_fit", "epoch", "w", "b", "loss", "x", "y", "report_epochs")
        self.clock = Clock(self.trace["epoch"])
        self.plot = self.trace.results["plot"]
        self.introduce()
        self.show_panels()
        self.train()
        self.compare_with_line()

    # --- beats ------------------------------------------------------------------------------
    def show_panels(self):
        t = self.trace
        self.beat("panels", w=t["w"][0], b=t["b"][0], loss=t["loss"][0], epochs=int(self.clock.last),
                  marks=len(t["report_epochs"]), every=t.config["report_every"])
        self.axes = self.get_fit_axes().next_to(self.heading, DOWN, buff=0.35).to_edge(LEFT, buff=style.EDGE)
        self.loss_axes = in_corner(self.get_loss_axes(), LEFT + DOWN).align_to(self.axes, LEFT)
        self.curve = self.get_curve()
        self.loss_curve = growing_curve(self.loss_axes, self.clock, self.trace["loss"], style.LOSS)
        self.marks = self.get_report_marks()
        self.readouts = self.get_readouts().next_to(self.axes, RIGHT, buff=0.9).align_to(self.axes, UP)
        self.play(Create(self.axes), Create(self.loss_axes), run_time=pacing().write_seconds)
        scatter = dots(self.axes, self.trace["x"], self.trace["y"])
        self.place_on(self.axes, scatter, self.curve)
        self.place_on(self.loss_axes, self.loss_curve, self.marks)
        self.play(FadeIn(scatter), Create(self.curve),
                  FadeIn(self.readouts))
        self.add(self.loss_curve, self.marks)
        self.wait(pacing().beat_seconds)

    def train(self):
        t = self.trace
        self.beat("train", w=t["w"][-1], b=t["b"][-1], loss=t["loss"][-1], epochs=int(self.clock.last),
                  marks=len(t["report_epochs"]))
        self.clock.run(self)
        for readout in self.readouts:
            readout.refresh()
        self.wait(pacing().beat_seconds)

    def compare_with_line(self):
        self.beat("compare_with_line", loss=self.trace["loss"][-1], line=self.trace.results["line_fit"]["loss"],
                  epochs=int(self.clock.last))
        fit = self.trace.results["line_fit"]
        level = DashedLine(self.loss_axes.c2p(0, fit["loss"]), self.loss_axes.c2p(self.clock.last, fit["loss"]),
                           color=style.REFERENCE, stroke_width=2)
        note = text("sigmoid_fit.versus_line", size=style.SMALL_SIZE, line=fit["loss"],
                    loss=float(self.trace["loss"][-1]), epochs=int(self.clock.last))
        fit_width(note, config.frame_width / 2 - style.EDGE - self.readouts.get_left()[0])
        note.next_to(self.loss_axes, RIGHT, buff=0.5).align_to(self.readouts, LEFT).shift(UP * 0.4)
        self.place_on(self.loss_axes, level)
        self.play(Create(level), FadeIn(note))
        self.wait(3 * pacing().beat_seconds)

    # --- pieces -----------------------------------------------------------------------------
    def get_fit_axes(self):
        axes = plain_axes(self.plot["x"], self.plot["y"], 7.0, 2.4,
                          axis_config={"include_numbers": True},
                          y_axis_config={"decimal_number_config": {"num_decimal_places": 1}})
        label = text("common.days", size=style.LABEL_SIZE)
        label.next_to(axes.x_axis.get_end(), UP + LEFT, buff=0.15)
        return axes.add(label)

    def get_loss_axes(self):
        last, top = self.clock.last, float(self.trace["loss"].max())
        axes = plain_axes([0, last, max(1, round(last / 5))], [0, np.ceil(top * 20) / 20, 0.05], 7.0, 2.1,
                          axis_config={"include_numbers": True},
                          y_axis_config={"decimal_number_config": {"num_decimal_places": 2}})
        label = text("sigmoid_fit.loss_axis", size=style.LABEL_SIZE, color=style.LOSS)
        label.next_to(axes, UP, buff=0.2).align_to(axes, LEFT).shift(RIGHT * 0.3)
        return axes.add(label)

    def get_curve(self):
        xs = np.linspace(*self.plot["x"][:2], 160)
        trace, clock = self.trace, self.clock

        def points():
            ys = sigmoid(clock.at(trace["w"]) * xs + clock.at(trace["b"]))
            return np.asarray(self.axes.c2p(xs, ys)).T

        curve = VMobject(stroke_color=style.FIT, stroke_width=style.STROKE).set_points_as_corners(points())
        return curve.add_updater(lambda m: m.set_points_as_corners(points()))

    def get_report_marks(self) -> VGroup:
        """A dot on the loss curve at every epoch the lesson prints, lit once the clock passes it."""
        trace, clock = self.trace, self.clock
        marks = VGroup()
        for e in trace["report_epochs"]:
            mark = Dot(self.loss_axes.c2p(e, np.interp(e, trace["epoch"], trace["loss"])), radius=0.045,
                       color=style.HIGHLIGHT)
            mark.epoch = float(e)
            mark.add_updater(lambda m: m.set_opacity(1.0 if clock.get_value() >= m.epoch else 0.0))
            marks.add(mark)
        return marks

    def get_readouts(self) -> VGroup:
        trace, clock = self.trace, self.clock
        return readout_column([
            Readout(phrase("common.epoch") + " =", clock.get_value, decimals=0, signed=False),
            Readout("w =", lambda: clock.at(trace["w"]), color=style.FIT),
            Readout("b =", lambda: clock.at(trace["b"]), color=style.FIT),
            Readout(phrase("common.loss") + " =", lambda: clock.at(trace["loss"]), decimals=4, color=style.LOSS,
                    signed=False),
        ])
