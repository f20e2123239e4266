"""Part 1, beat 1: two ways to define the model, the data, and the steps of one training loop."""
from __future__ import annotations

from manim import (DOWN, LEFT, RIGHT, UP, Create, FadeIn, FadeOut, Line, ReplacementTransform,
                   SurroundingRectangle, Table, Transform, VGroup, Write)

from scenes import style
from scenes.lesson import LessonScene
from scenes.kit import code_block, dots, fit_width, in_corner, inside, plain_axes
from scenes.settings import pacing
from scenes.text import mono, text
from scenes.traces import load

STEPS = ["forward", "loss", "clear_grad", "backward", "step"]  # lines 2..6 of the recorded loop


class ModelDefinition(LessonScene):
    def construct(self):
        self.seq = load("linreg_sequential", "w", "b", "loss", "grad_w", "grad_b", "x", "y")
        self.layer = load("linreg_layer", "w", "b")
        self.code = self.seq.results["code"]  # built from the code and config that ran
        self.plot = self.seq.results["plot"]
        self.introduce()
        self.show_two_models()
        self.show_table()
        self.table_to_scatter()
        self.show_training_loop()

    # --- beats ------------------------------------------------------------------------------
    def show_two_models(self):
        self.beat("two_models", **self.first_epoch())
        left = self.get_model_card(self.code["sequential"], "model_definition.sequential", self.seq)
        right = self.get_model_card(self.layer.results["code"]["layer"], "model_definition.layer", self.layer)
        cards = inside(VGroup(left, right).arrange(RIGHT, buff=0.6, aligned_edge=UP).next_to(self.heading, DOWN, buff=0.5))
        self.play(FadeIn(cards[0][:2]), run_time=pacing().write_seconds)
        self.wait_for("layer")  # the second card when the voice names nn.Layer
        self.play(FadeIn(cards[1][:2]), run_time=pacing().write_seconds)
        self.play(*(Write(card[2]) for card in cards))
        same = text("model_definition.same_parameters", size=style.BODY_SIZE, color=style.HIGHLIGHT)
        same.next_to(cards, DOWN, buff=0.5)
        self.play(FadeIn(same))
        self.wait(2 * pacing().beat_seconds)
        self.leave(cards, same)

    def show_table(self):
        x, y = self.seq["x"], self.seq["y"]
        self.beat("table", n=len(x), x_min=x.min(), x_max=x.max(), y_min=y.min(), y_max=y.max())
        self.table = Table([[f"{v:g}" for v in x], [f"{v:g}" for v in y]],
                           row_labels=[mono("x"), mono("y")],
                           element_to_mobject=lambda s: mono(s, size=style.SMALL_SIZE),
                           line_config={"stroke_color": style.GRID, "stroke_width": 1},
                           h_buff=0.45, v_buff=0.3)
        self.table.scale_to_fit_width(12.5).next_to(self.heading, DOWN, buff=0.5)
        caption = text("model_definition.data", size=style.SMALL_SIZE, color=style.MUTED, n=len(x))
        caption.next_to(self.table, DOWN, buff=0.25)
        self.play(FadeIn(self.table), FadeIn(caption))
        self.wait(pacing().beat_seconds)
        self.table_caption = caption

    def table_to_scatter(self):
        x, y = self.seq["x"], self.seq["y"]
        (x0, x1, _), (y0, y1, _) = self.plot["x"], self.plot["y"]
        # the loop's code and the starting line come at the end of this beat (show_training_loop)
        self.beat("table_to_scatter", n=len(x), x0=x0, x1=x1, y0=y0, y1=y1, **self.first_epoch())
        self.axes = plain_axes(self.plot["x"], self.plot["y"], 5.6, 4.8, axis_config={"include_numbers": True})
        self.axes.next_to(self.heading, DOWN, buff=0.6).to_edge(RIGHT, buff=style.EDGE)
        self.dots = dots(self.axes, x, y)
        self.place_on(self.axes, self.dots)
        entries = self.table.get_entries_without_labels()
        pairs = [VGroup(entries[i], entries[len(x) + i]).copy() for i in range(len(x))]
        # the table makes room on the left (where the loop's code comes next), the axes appear right
        self.play(self.table.animate.scale_to_fit_width(self.axes.get_left()[0] - self.table.get_left()[0] - 0.6)
                  .next_to(self.heading, DOWN, buff=0.6).to_edge(LEFT, buff=style.EDGE), FadeOut(self.table_caption))
        self.play(Create(self.axes))
        self.play(*(ReplacementTransform(p, d) for p, d in zip(pairs, self.dots)),
                  self.table.animate.set_opacity(0.25), run_time=pacing().write_seconds)
        self.play(FadeOut(self.table))

    def show_training_loop(self):
        code = in_corner(code_block(self.code["loop"]).scale_to_fit_width(6.6), LEFT + UP).shift(DOWN * 1.0)
        self.play(FadeIn(code))
        self.fit_line = self.get_line(0)
        self.place_on(self.axes, self.fit_line)
        self.play(Create(self.fit_line))
        box = None
        for i, step in enumerate(STEPS):
            self.beat(f"step_{step}", n=i + 1, steps=len(STEPS), code=self.code["loop"].splitlines()[i + 1].strip(),
                      **self.first_epoch())
            row = code.code_lines[i + 1]
            new_box = SurroundingRectangle(row, color=style.HIGHLIGHT, buff=0.06, stroke_width=2)
            self.place_on(code, new_box)
            note = fit_width(self.get_step_note(step), self.axes.get_left()[0] - code.get_left()[0] - 0.4)
            note.next_to(code, DOWN, buff=0.35).align_to(code, LEFT)
            self.wait_for("step")  # the code line lights when the voice names its step
            if box is None:
                self.play(Create(new_box), FadeIn(note))
            else:
                self.play(Transform(box, new_box), FadeOut(self.note), FadeIn(note))
            box = box or new_box
            self.note = note
            if step == "step":
                self.wait_for("moves")
                self.play(Transform(self.fit_line, self.get_line(1)))
            self.wait(pacing().beat_seconds)
        self.wait(pacing().beat_seconds)

    # --- pieces -----------------------------------------------------------------------------
    def get_model_card(self, source: str, key: str, trace) -> VGroup:
        label = text(key, size=style.BODY_SIZE)
        code = code_block(source)
        params = text("model_definition.parameters", size=style.SMALL_SIZE, color=style.FIT,
                      w=float(trace["w"][0]), b=float(trace["b"][0]))
        return VGroup(label, code, params).arrange(DOWN, buff=0.3)

    def get_line(self, epoch: int) -> Line:
        w, b = float(self.seq["w"][epoch]), float(self.seq["b"][epoch])
        return Line(*(self.axes.c2p(x, w * x + b) for x in self.plot["x"][:2]),
                    color=style.FIT, stroke_width=style.STROKE)

    def first_epoch(self) -> dict:
        """The first pass of the loop: the initial w and b, their loss and gradients, the update."""
        s, lr = self.seq, self.seq.config["learning_rate"]
        return dict(w=float(s["w"][0]), b=float(s["b"][0]), loss=float(s["loss"][0]),
                    grad_w=float(s["grad_w"][0]), grad_b=float(s["grad_b"][0]), lr=lr,
                    w1=float(s["w"][1]), b1=float(s["b"][1]))

    def get_step_note(self, step: str):
        return text(f"model_definition.{step}", size=style.SMALL_SIZE, **self.first_epoch())
