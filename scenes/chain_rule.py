"""Part 2, beat 3: backpropagation through the sigmoid fit, with the values of one recorded epoch."""
from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Arrow, Create, Dot, FadeIn, GrowArrow, VGroup, Write)

from scenes import style
from scenes.lesson import LessonScene
from scenes.kit import contours, inside, plain_axes, polyline, sample
from scenes.settings import pacing
from scenes.text import mono, tex, text
from scenes.traces import load

NODES = [r"w,\ b", r"z = w x + b", r"a = \sigma(z)", r"\ell = (y - a)^2,\ L = \frac{1}{N}\sum \ell"]
FACTORS = [r"\frac{\partial z}{\partial w} = x,\ \frac{\partial z}{\partial b} = 1",
           r"\frac{\partial a}{\partial z} = a(1-a)", r"\frac{\partial \ell}{\partial a} = -2(y - a)"]
COLUMNS = ["x", "y", "a", "dL_da", "da_dz", "dL_dw"]


class ChainRule(LessonScene):
    chain_index = 1  # which of the recorded chain epochs (config sigmoid_fit.chain_epochs) to show

    def construct(self):
        self.trace = load("sigmoid_fit", "chain_epoch", "chain_a", "chain_dL_da", "chain_da_dz",
                          "chain_dz_dw", "x", "y", "epoch", "w", "b", "grad_w", "grad_b", "grid_w", "grid_b", "grid_loss")
        self.epoch = int(self.trace["chain_epoch"][self.chain_index])
        self.introduce()
        self.show_chain()
        self.show_factors()
        self.show_values()
        self.show_step()

    # --- beats ------------------------------------------------------------------------------
    def show_chain(self):
        self.beat("chain")
        nodes = VGroup(*(tex(n, size=style.TEX_SIZE) for n in NODES)).arrange(RIGHT, buff=1.2)
        nodes.scale_to_fit_width(12.5).next_to(self.heading, DOWN, buff=0.9)
        arrows = VGroup(*(Arrow(a.get_right(), b.get_left(), buff=0.15, color=style.MUTED)
                          for a, b in zip(nodes[:-1], nodes[1:])))
        self.play(FadeIn(nodes[0]))
        for arrow, node in zip(arrows, nodes[1:]):
            self.play(GrowArrow(arrow), FadeIn(node), run_time=0.8)
        self.nodes, self.arrows = nodes, arrows
        self.wait(pacing().beat_seconds)

    def show_factors(self):
        self.beat("factors")
        factors = VGroup()
        for arrow, f in zip(self.arrows, FACTORS):
            factor = tex(f, size=style.LABEL_SIZE + 4, color=style.DERIVATIVE)
            factors.add(factor.next_to(arrow, DOWN, buff=0.45))
        back = text("chain_rule.backward", size=style.SMALL_SIZE, color=style.DERIVATIVE)
        back.next_to(factors, DOWN, buff=0.35)
        for factor in reversed(factors):  # backprop runs from the loss back to the weights
            self.play(Write(factor), run_time=1.0)
        self.play(FadeIn(back))
        self.wait(pacing().beat_seconds)
        self.factors = VGroup(factors, back)

    def show_values(self):
        t, e = self.trace, self.epoch
        self.beat("values", epoch=e, w=t["w"][e], b=t["b"][e], n=len(t["x"]), gw=t["grad_w"][e], gb=t["grad_b"][e])
        caption = text("chain_rule.at_epoch", size=style.SMALL_SIZE, color=style.MUTED, epoch=self.epoch,
                       w=float(self.trace["w"][self.epoch]), b=float(self.trace["b"][self.epoch]))
        caption.next_to(self.factors, DOWN, buff=0.3)
        table = self.get_table().next_to(caption, DOWN, buff=0.15)
        self.play(FadeIn(caption), FadeIn(table, lag_ratio=0.05), run_time=pacing().write_seconds)
        self.wait(2 * pacing().beat_seconds)
        sums = text("chain_rule.sums", size=style.SMALL_SIZE, color=style.HIGHLIGHT,
                    gw=float(self.trace["grad_w"][self.epoch]), gb=float(self.trace["grad_b"][self.epoch]))
        sums.next_to(table, DOWN, buff=0.25)
        self.play(FadeIn(sums))
        self.wait(2 * pacing().beat_seconds)
        self.leave(table, caption, sums, self.factors)

    def show_step(self):
        trace, e = self.trace, self.epoch
        self.beat("step", epoch=e, w=trace["w"][e], b=trace["b"][e], gw=trace["grad_w"][e], gb=trace["grad_b"][e],
                  dw=trace["w"][e + 1] - trace["w"][e], db=trace["b"][e + 1] - trace["b"][e],
                  lr=self.trace.config["learning_rate"], last=len(trace["w"]) - 1, w_end=trace["w"][-1],
                  b_end=trace["b"][-1])
        self.axes = plain_axes([trace["grid_w"][0], trace["grid_w"][-1], 1], [trace["grid_b"][0], trace["grid_b"][-1], 1],
                               5.6, 4.2, axis_config={"include_numbers": True})
        self.axes.next_to(self.nodes, DOWN, buff=0.4).to_edge(LEFT, buff=style.EDGE)
        labels = VGroup(tex("w", size=style.TEX_SIZE - 8).next_to(self.axes.x_axis, RIGHT, buff=0.1),
                        tex("b", size=style.TEX_SIZE - 8).next_to(self.axes.y_axis, UP, buff=0.1))
        lines = contours(self.axes, trace["grid_w"], trace["grid_b"], trace["grid_loss"])
        ws, bs = sample(trace["epoch"], trace["w"])[1], sample(trace["epoch"], trace["b"])[1]
        path = polyline(self.axes, ws, bs, style.FIT, width=3)
        here = Dot(self.axes.c2p(trace["w"][e], trace["b"][e]), color=style.HIGHLIGHT)
        g = np.array([trace["grad_w"][e], trace["grad_b"][e]])
        direction = -g / np.linalg.norm(g)
        start = self.axes.c2p(trace["w"][e], trace["b"][e])
        end = self.axes.c2p(trace["w"][e] + 0.9 * direction[0], trace["b"][e] + 0.9 * direction[1])
        arrow = Arrow(start, end, buff=0, color=style.DERIVATIVE, stroke_width=5)
        lr = self.trace.config["learning_rate"]
        note = text("chain_rule.step", size=style.SMALL_SIZE, lr=lr, epoch=e,
                    dw=float(trace["w"][e + 1] - trace["w"][e]), db=float(trace["b"][e + 1] - trace["b"][e]),
                    gw=float(g[0]), gb=float(g[1]), last=len(trace["w"]) - 1)
        inside(note.next_to(self.axes, RIGHT, buff=0.6).align_to(self.axes, UP))
        self.place_on(self.axes, lines, path, here, arrow)
        self.play(Create(self.axes), FadeIn(labels), Create(lines, lag_ratio=0.02), run_time=pacing().write_seconds)
        self.play(Create(path), run_time=pacing().write_seconds)
        self.arrow = arrow
        self.play(FadeIn(here, scale=2), GrowArrow(arrow), FadeIn(note))
        self.wait(3 * pacing().beat_seconds)

    # --- pieces -----------------------------------------------------------------------------
    def get_table(self) -> VGroup:
        trace, i = self.trace, self.chain_index
        x = trace["chain_dz_dw"][i]
        cols = {"x": x, "y": trace["y"], "a": trace["chain_a"][i],
                "dL_da": trace["chain_dL_da"][i], "da_dz": trace["chain_da_dz"][i],
                "dL_dw": trace["chain_dL_da"][i] * trace["chain_da_dz"][i] * x}
        header = [text(f"chain_rule.col_{c}", size=style.LABEL_SIZE, color=style.MUTED) for c in COLUMNS]
        rows = [[mono(f"{cols[c][n]:+.4f}" if c not in ("x", "y") else f"{cols[c][n]:g}", size=style.LABEL_SIZE)
                 for c in COLUMNS] for n in range(len(x))]
        grid = VGroup(*header, *(m for row in rows for m in row))
        grid.arrange_in_grid(rows=len(x) + 1, cols=len(COLUMNS), buff=(0.55, 0.07))
        return grid
