"""Part 2, beat 2: hand-written gradient descent fits the sigmoid; the lesson's two panels."""
from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Create, DashedLine, Dot, FadeIn, VGroup, VMobject)

from scenes import style
from scenes.lesson import LessonScene
from scenes.kit import Clock, Readout, beside, dots, growing_curve, plain_axes, readout_column
from scenes.line_cannot_fit import X_RANGE
from sim.sigmoid_fit import sigmoid
from scenes.settings import pacing
from scenes.text import t, text
from scenes.traces import load


class SigmoidCurveFit(LessonScene):
    def construct(self):
        self.trace = load("sigmoid_fit", "epoch", "w", "b", "loss", "x", "y", "report_epochs")
        self.clock = Clock(self.trace["epoch"])
        self.introduce()
        self.show_panels()
        self.train()
        self.compare_with_line()

    # --- beats ------------------------------------------------------------------------------
    def show_panels(self):
        self.beat("panels")
        self.axes = self.get_fit_axes().next_to(self.heading, DOWN, buff=0.35).to_edge(LEFT, buff=0.9)
        self.loss_axes = self.get_loss_axes().to_corner(LEFT + DOWN, buff=0.5).align_to(self.axes, LEFT)
        self.curve = self.get_curve()
        self.loss_curve = growing_curve(self.loss_axes, self.clock, self.trace["loss"], style.LOSS)
        self.marks = self.get_report_marks()
        self.readouts = self.get_readouts().next_to(self.axes, RIGHT, buff=0.9).align_to(self.axes, UP)
        self.play(Create(self.axes), Create(self.loss_axes), run_time=pacing().write_seconds)
        self.play(FadeIn(dots(self.axes, self.trace["x"], self.trace["y"])), Create(self.curve),
                  FadeIn(self.readouts))
        self.add(self.loss_curve, self.marks)
        self.wait(pacing().beat_seconds)

    def train(self):
        self.beat("train")
        self.clock.run(self)
        for readout in self.readouts:
            readout.refresh()
        self.wait(pacing().beat_seconds)

    def compare_with_line(self):
        self.beat("compare_with_line", loss=self.trace["loss"][-1], line=self.trace.results["line_fit"]["loss"])
        fit = self.trace.results["line_fit"]
        level = DashedLine(self.loss_axes.c2p(0, fit["loss"]), self.loss_axes.c2p(self.clock.last, fit["loss"]),
                           color=style.REFERENCE, stroke_width=2)
        note = text("sigmoid_fit.versus_line", size=style.SMALL_SIZE, line=fit["loss"],
                    loss=float(self.trace["loss"][-1]), epochs=int(self.clock.last))
        beside(note, self.loss_axes).align_to(self.readouts, LEFT).shift(UP * 0.4)
        self.play(Create(level), FadeIn(note))
        self.wait(3 * pacing().beat_seconds)

    # --- pieces -----------------------------------------------------------------------------
    def get_fit_axes(self):
        axes = plain_axes([X_RANGE[0], X_RANGE[1], 1], [0, 1, 0.5], 7.0, 2.4,
                          axis_config={"include_numbers": True},
                          y_axis_config={"decimal_number_config": {"num_decimal_places": 1}})
        label = text("line_cannot_fit.x_axis", size=style.LABEL_SIZE)
        label.next_to(axes.x_axis.get_end(), UP + LEFT, buff=0.15)
        return axes.add(label)

    def get_loss_axes(self):
        last, top = self.clock.last, float(self.trace["loss"].max())
        axes = plain_axes([0, last, max(1, round(last / 5))], [0, np.ceil(top * 20) / 20, 0.05], 7.0, 2.1,
                          axis_config={"include_numbers": True},
                          y_axis_config={"decimal_number_config": {"num_decimal_places": 2}})
        label = text("sigmoid_fit.loss_axis", size=style.LABEL_SIZE, color=style.LOSS)
        label.next_to(axes, UP, buff=0.05).align_to(axes, LEFT).shift(RIGHT * 0.3)
        return axes.add(label)

    def get_curve(self):
        xs = np.linspace(*X_RANGE, 160)
        tr, clock = self.trace, self.clock

        def points():
            ys = sigmoid(clock.at(tr["w"]) * xs + clock.at(tr["b"]))
            return np.asarray(self.axes.c2p(xs, ys)).T

        curve = VMobject(stroke_color=style.FIT, stroke_width=style.STROKE).set_points_as_corners(points())
        return curve.add_updater(lambda m: m.set_points_as_corners(points()))

    def get_report_marks(self) -> VGroup:
        """A dot on the loss curve at every epoch the lesson prints, lit once the clock passes it."""
        tr, clock = self.trace, self.clock
        marks = VGroup()
        for e in tr["report_epochs"]:
            mark = Dot(self.loss_axes.c2p(e, np.interp(e, tr["epoch"], tr["loss"])), radius=0.045,
                       color=style.HIGHLIGHT)
            mark.epoch = float(e)
            mark.add_updater(lambda m: m.set_opacity(1.0 if clock.get_value() >= m.epoch else 0.0))
            marks.add(mark)
        return marks

    def get_readouts(self) -> VGroup:
        tr, clock = self.trace, self.clock
        return readout_column([
            Readout(t("common.epoch") + " =", clock.get_value, decimals=0),
            Readout("w =", lambda: clock.at(tr["w"]), color=style.FIT),
            Readout("b =", lambda: clock.at(tr["b"]), color=style.FIT),
            Readout(t("common.loss") + " =", lambda: clock.at(tr["loss"]), decimals=4, color=style.LOSS),
        ])
