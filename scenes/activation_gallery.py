"""Part 3: the activation functions and their derivatives, vanishing gradients, and Softmax."""
from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Arrow, Create, DecimalMatrix, FadeIn, FadeOut, Rectangle,
                   ReplacementTransform, VGroup, Write)

from scenes import style
from scenes.lesson import LessonScene
from scenes.kit import Drawing, in_corner, inside, plain_axes, polyline
from scenes.settings import pacing
from scenes.text import mono, tex, text
from scenes.traces import load



def formulas(name: str, cfg: dict) -> tuple[str, str]:
    """(f, f') in LaTeX; the slopes come from the recorded config."""
    a = {"leaky_relu": cfg["leaky_slope"], "prelu": cfg["prelu_alpha"], "elu": cfg["elu_alpha"]}.get(name, 0.0)
    return {
        "sigmoid": (r"\sigma(x) = \frac{1}{1 + e^{-x}}", r"\sigma'(x) = \sigma(x)\,(1 - \sigma(x))"),
        "tanh": (r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}", r"\tanh'(x) = 1 - \tanh^2(x)"),
        "relu": (r"\mathrm{ReLU}(x) = \max(0, x)", r"\mathrm{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}"),
        "leaky_relu": (rf"f(x) = \max({a:g}\,x,\ x)", rf"f'(x) = \begin{{cases}} 1 & x > 0 \\ {a:g} & x < 0 \end{{cases}}"),
        "prelu": (rf"f(x) = \max(\alpha x,\ x),\ \alpha_0 = {a:g}", r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}"),
        "elu": (rf"f(x) = \begin{{cases}} x & x > 0 \\ \alpha\,(e^{{x}} - 1) & x \le 0 \end{{cases}},\ \alpha = {a:g}",
                r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha\,e^{x} & x \le 0 \end{cases}"),
    }[name]


class ActivationGallery(LessonScene):
    def construct(self):
        functions = load("activations").results["scalar_functions"]  # in the lesson's order
        self.trace = load("activations", "x", *functions, *(f"d_{name}" for name in functions),
                          "softmax_logits", "softmax", "d_softmax")
        self.plot = self.trace.results["plot"]
        self.introduce()
        self.axes = in_corner(self.get_axes(), LEFT + DOWN)
        self.play(Create(self.axes))
        for name in functions:
            self.show_function(name)
        self.show_vanishing()
        self.show_softmax()

    # --- beats ------------------------------------------------------------------------------
    def show_function(self, name: str):
        self.beat(f"function_{name}", **self.facts(name))
        graphs = self.get_graphs(name)
        self.place_on(self.axes, graphs[0], graphs[1])  # the function and its derivative
        panel = inside(self.get_panel(name).next_to(self.axes, RIGHT, buff=0.6).align_to(self.axes, UP))
        if not hasattr(self, "graphs"):
            self.play(Create(graphs), FadeIn(panel), run_time=pacing().write_seconds)
        else:
            self.play(ReplacementTransform(self.graphs, graphs), FadeOut(self.panel), FadeIn(panel),
                      run_time=pacing().write_seconds)
        self.graphs, self.panel = graphs, panel
        self.wait(2.5 * pacing().beat_seconds)

    def show_vanishing(self):
        peak = float(self.trace["d_sigmoid"].max())
        factors = [peak ** n for n in range(1, 6)]
        self.beat("vanishing", peak=peak, fifth=factors[-1], layers=len(factors), factors=factors)
        self.play(FadeOut(self.panel), FadeOut(self.graphs), FadeOut(self.axes))
        bars = VGroup()
        for n, f in enumerate(factors, start=1):
            bar = Rectangle(width=1.0, height=max(6 * f, 0.02), fill_color=style.DERIVATIVE, fill_opacity=0.8,
                            stroke_width=0)
            label = VGroup(mono(f"{f:.4f}", size=style.LABEL_SIZE), tex(rf"{peak:.2f}^{{{n}}}", size=26))
            bars.add(VGroup(bar, label.arrange(DOWN, buff=0.1)))
        bars.arrange(RIGHT, buff=0.5, aligned_edge=DOWN)
        for group in bars:
            group[1].next_to(group[0], UP, buff=0.1)
        bars.to_edge(LEFT, buff=style.EDGE).shift(DOWN * 0.6)
        note = text("activations.vanishing", size=style.SMALL_SIZE, peak=peak, fifth=factors[-1])
        inside(note.next_to(bars, RIGHT, buff=0.8))
        self.play(FadeIn(bars, lag_ratio=0.3, shift=UP * 0.2), run_time=pacing().write_seconds)
        self.play(FadeIn(note))
        self.wait(3 * pacing().beat_seconds)
        self.leave(bars, note)

    def show_softmax(self):
        trace = self.trace
        self.beat("softmax", count=len(trace["softmax_logits"]), size=len(trace["softmax_logits"][0]),
                  z=[float(v) for v in trace["softmax_logits"][0]], p=[float(v) for v in trace["softmax"][0]],
                  total=float(trace["softmax"][0].sum()),
                  z_last=[float(v) for v in trace["softmax_logits"][-1]], p_last=[float(v) for v in trace["softmax"][-1]])
        formula = tex(r"\mathrm{softmax}(\mathbf{z})_i = \frac{e^{z_i}}{\sum_j e^{z_j}}").next_to(self.heading, DOWN, buff=0.4)
        note = text("activations.softmax", size=style.SMALL_SIZE, color=style.MUTED).next_to(formula, DOWN, buff=0.2)
        self.play(Write(formula), FadeIn(note))
        view = self.get_softmax_view(0)
        self.play(FadeIn(view), run_time=pacing().write_seconds)
        self.wait(2 * pacing().beat_seconds)
        for k in range(1, len(trace["softmax_logits"])):
            new = self.get_softmax_view(k)
            self.play(ReplacementTransform(view, new), run_time=pacing().write_seconds)
            self.wait(pacing().beat_seconds)
            view = new
        self.softmax_view = view
        self.wait(pacing().beat_seconds)

    # --- pieces -----------------------------------------------------------------------------
    def get_axes(self):
        axes = plain_axes(self.plot["x"], self.plot["y"], 6.6, 5.0,
                          axis_config={"include_numbers": True})
        return axes

    def get_graphs(self, name: str) -> VGroup:
        x, f, d = self.trace["x"], self.trace[name], self.trace[f"d_{name}"]
        keep = (f >= self.plot["y"][0]) & (f <= self.plot["y"][1])
        graph = polyline(self.axes, x[keep], f[keep], style.FIT)
        deriv = self.get_derivative_graph(x, d)
        legend = VGroup(text("activations.function", size=style.LABEL_SIZE, color=style.FIT),
                        text("activations.derivative", size=style.LABEL_SIZE, color=style.DERIVATIVE))
        legend.arrange(RIGHT, buff=0.4).next_to(self.axes, UP, buff=0.1)
        return VGroup(graph, deriv, legend)

    def get_derivative_graph(self, x, d) -> VGroup:
        """The derivative, broken where it jumps (ReLU-like kinks at 0) instead of joined by a wall."""
        jumps = np.flatnonzero(np.abs(np.diff(d)) > 0.2) + 1
        pieces = Drawing()
        for part_x, part_d in zip(np.split(x, jumps), np.split(d, jumps)):
            if len(part_x) > 1:
                pieces.add(polyline(self.axes, part_x, part_d, style.DERIVATIVE, width=3))
        return pieces

    def facts(self, name: str) -> dict:
        """What the panel states about ``name`` (and where its derivative peaks, from the left)."""
        x, f, d = self.trace["x"], self.trace[name], self.trace[f"d_{name}"]
        at0 = int(np.argmin(np.abs(x)))
        small = np.abs(d) < 0.01 * np.abs(d).max()
        return dict(dmax=float(np.abs(d).max()), d0=float(d[at0]), lo=float(f.min()), hi=float(f.max()),
                    x0=float(x[0]), x1=float(x[-1]), vanish=100.0 * small.mean(),
                    peak_x=float(x[int(np.argmax(np.abs(d)))]), d_left=float(d[0]), d_right=float(d[-1]))

    def get_panel(self, name: str) -> VGroup:
        trace = self.trace
        f_tex, d_tex = formulas(name, trace.config)
        facts = text(f"activations.{name}", size=style.LABEL_SIZE + 2, **self.facts(name))
        return VGroup(text(f"activations.name_{name}", size=style.BODY_SIZE, color=style.HIGHLIGHT),
                      tex(f_tex, size=30, color=style.FIT), tex(d_tex, size=30, color=style.DERIVATIVE),
                      facts).arrange(DOWN, aligned_edge=LEFT, buff=0.3)

    def get_softmax_view(self, k: int) -> VGroup:
        trace = self.trace
        z, p, jac = trace["softmax_logits"][k], trace["softmax"][k], trace["d_softmax"][k]
        inputs = self.get_bars(z, 0.35, style.MUTED, "z")
        outputs = self.get_bars(p, 2.5, style.FIT, "p")
        arrow = Arrow(LEFT, RIGHT, color=style.TEXT)
        arrow = VGroup(arrow, mono("softmax", size=style.LABEL_SIZE).next_to(arrow, UP, buff=0.1))
        jacobian = VGroup(text("activations.jacobian", size=style.LABEL_SIZE, color=style.DERIVATIVE),
                          DecimalMatrix(jac, element_to_mobject_config={"num_decimal_places": 3},
                                        h_buff=1.6).scale(0.55).set_color(style.DERIVATIVE)).arrange(DOWN, buff=0.2)
        total = mono(f"sum p = {p.sum():.3f}", size=style.LABEL_SIZE, color=style.FIT)
        row = VGroup(inputs, arrow, VGroup(outputs, total).arrange(DOWN, buff=0.25), jacobian)
        return inside(row.arrange(RIGHT, buff=0.6).to_edge(DOWN, buff=style.EDGE_Y))

    def get_bars(self, values, scale: float, color, symbol: str) -> VGroup:
        bars = VGroup()
        for i, v in enumerate(values):
            bar = Rectangle(width=0.5, height=max(abs(v) * scale, 0.02), fill_color=color, fill_opacity=0.85,
                            stroke_width=0)
            bar.move_to(RIGHT * 0.95 * i + UP * (v * scale / 2))
            label = mono(f"{v:.2f}", size=style.LABEL_SIZE - 2).next_to(bar, UP if v >= 0 else DOWN, buff=0.08)
            name = tex(rf"{symbol}_{i + 1}", size=24).move_to(RIGHT * 0.95 * i + DOWN * 0.3 * (1 if v >= 0 else -1))
            bars.add(VGroup(bar, label, name))
        return bars
