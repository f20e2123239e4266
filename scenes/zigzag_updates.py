"""Part 3, last beat: with all-positive inputs (sigmoid outputs) every update moves both weights
the same way, so the path zig-zags; zero-centred inputs (tanh) go straight."""
from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Dot, FadeIn, Square, Star, VGroup, VMobject)

from scenes import style
from scenes.lesson import LessonScene
from scenes.kit import Clock, contours, follow, inside, plain_axes
from scenes.readouts import Readout
from scenes.settings import pacing
from scenes.text import phrase, tex, text
from scenes.traces import load



class ZigZagUpdates(LessonScene):
    def construct(self):
        arrays = ("step", "w", "loss", "grid_w0", "grid_w1", "grid_loss", "w_star", "same_sign_count")
        self.traces = [load("zigzag_sigmoid", *arrays), load("zigzag_centred", *arrays)]
        self.clock = Clock(self.traces[0]["step"])
        self.introduce()
        self.show_landscapes()
        self.run_both()
        self.compare_steps()

    # --- beats ------------------------------------------------------------------------------
    def show_landscapes(self):
        first = self.traces[0]
        self.beat("landscapes", star=[float(v) for v in first["w_star"]], start=[float(v) for v in first["w"][0]],
                  total=len(first["w"]) - 1)
        self.panels = VGroup(*(self.get_panel(trace, key) for trace, key in zip(self.traces, ("sigmoid", "centred"))))
        self.panels.arrange(RIGHT, buff=0.9).next_to(self.heading, DOWN, buff=0.3)
        self.play(FadeIn(self.panels, lag_ratio=0.3), run_time=pacing().write_seconds)
        self.wait(pacing().beat_seconds)
        self.paths = VGroup(*(self.get_path(panel.axes, trace) for panel, trace in zip(self.panels, self.traces)))
        self.signs = VGroup(*(self.get_signs(panel, trace) for panel, trace in zip(self.panels, self.traces)))
        self.play(FadeIn(self.signs))
        for panel, path in zip(self.panels, self.paths):
            self.place_on(panel.axes, path)
        self.add(self.paths)

    def run_both(self):
        self.beat("run_both")
        self.clock.run(self)
        for group in self.signs:
            group.readout.refresh()
        self.wait(pacing().beat_seconds)

    def compare_steps(self):
        target = self.traces[0].results["target_loss"]
        needed = [trace.results["steps_to_target"] for trace in self.traces]
        same = [int(trace["same_sign_count"][-1]) for trace in self.traces]
        self.beat("compare_steps", target=target, sigmoid=needed[0] or 0, centred=needed[1] or 0,
                  same_sigmoid=same[0], same_centred=same[1], total=len(self.traces[0]["w"]) - 1)
        notes = VGroup()
        for signs, n in zip(self.signs, needed):
            key = "zigzag.reached" if n is not None else "zigzag.not_reached"
            notes.add(text(key, size=style.SMALL_SIZE, color=style.HIGHLIGHT, target=target, steps=n or 0,
                           total=int(self.clock.last)).next_to(signs, DOWN, buff=0.2))
        self.play(FadeIn(notes, lag_ratio=0.5))
        self.wait(3 * pacing().beat_seconds)

    # --- pieces -----------------------------------------------------------------------------
    def get_panel(self, trace, key: str) -> VGroup:
        axes = plain_axes([trace["grid_w0"][0], trace["grid_w0"][-1], 0.5], [trace["grid_w1"][0], trace["grid_w1"][-1], 0.5],
                          5.2, 3.7, axis_config={"include_numbers": True, "font_size": 16},
                          x_axis_config={"decimal_number_config": {"num_decimal_places": 1}},
                          y_axis_config={"decimal_number_config": {"num_decimal_places": 1}})
        lines = contours(axes, trace["grid_w0"], trace["grid_w1"], trace["grid_loss"])
        goal = Star(outer_radius=0.13, color=style.REFERENCE, fill_opacity=1).move_to(axes.c2p(*trace["w_star"]))
        axes.add(tex("w_0", size=24).next_to(axes.x_axis, RIGHT, buff=0.1),
                 tex("w_1", size=24).next_to(axes.y_axis.get_end(), UP, buff=0.1))
        label = text(f"zigzag.{key}", size=style.SMALL_SIZE).next_to(axes, UP, buff=0.2)
        self.place_on(axes, lines, goal)
        panel = VGroup(axes, lines, goal, label)
        panel.axes = axes
        return panel

    def get_path(self, axes, trace):
        """The weights' path up to the clock's step, one corner per recorded update."""
        w, clock = trace["w"], self.clock
        points = np.asarray(axes.c2p(w[:, 0], w[:, 1])).T
        full = VMobject(stroke_color=style.FIT, stroke_width=3).set_points_as_corners(points)
        shown = full.copy()
        dot = follow(Dot(points[0], color=style.FIT, radius=0.07),
                     lambda: axes.c2p(clock.at(w[:, 0]), clock.at(w[:, 1])))

        def update(m):
            m.pointwise_become_partial(full, 0, clock.get_value() / clock.last)

        shown.add_updater(update, call_updater=True)
        return VGroup(shown, dot)

    def get_signs(self, panel, trace) -> VGroup:
        """Two squares coloured by the sign of the current update of w0 and w1, and a running count."""
        step = np.diff(trace["w"], axis=0)
        same = trace["same_sign_count"].astype(float)
        clock = self.clock
        squares = VGroup(Square(0.3), Square(0.3)).arrange(RIGHT, buff=0.35)
        names = VGroup(tex(r"\Delta w_0", size=22), tex(r"\Delta w_1", size=22))
        for sq, name in zip(squares, names):
            name.next_to(sq, DOWN, buff=0.08)

        def paint(m):
            k = min(int(clock.get_value()), len(step) - 1)
            for sq, v in zip(m, step[k]):
                sq.set_fill(style.POSITIVE if v > 0 else style.NEGATIVE, opacity=1).set_stroke(width=0)

        squares.add_updater(paint, call_updater=True)
        readout = Readout(phrase("zigzag.same_sign", total=len(step)), lambda: float(np.interp(clock.get_value(), trace["step"], same)),
                          decimals=0, size=style.LABEL_SIZE, signed=False)
        legend = text("zigzag.legend", size=style.LABEL_SIZE - 2, color=style.MUTED)
        readout.number.set_value(float(same.max()))  # laid out at its widest value, so it stays inside
        group = VGroup(VGroup(squares, names), VGroup(readout, legend).arrange(DOWN, aligned_edge=LEFT, buff=0.12))
        inside(group.arrange(RIGHT, buff=0.35).next_to(panel, DOWN, buff=0.2))
        readout.refresh()
        group.readout = readout
        return group
