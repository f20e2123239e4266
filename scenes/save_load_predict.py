"""Part 1, beat 3: the high-level API saves, loads back, predicts, evaluates and summarises."""
from __future__ import annotations

from manim import (DOWN, LEFT, UP, Create, DashedLine, Dot, FadeIn, Line, VGroup)

from scenes import style
from scenes.lesson import LessonScene
from scenes.kit import beside, code_block, dots, in_corner, plain_axes
from scenes.settings import pacing
from scenes.text import mono, text
from scenes.traces import load

def size(n: int) -> str:
    return f"{n:,} B"


class SaveLoadPredict(LessonScene):
    def construct(self):
        self.trace = load("linreg_fit", "w", "b", "x", "y")
        self.results = self.trace.results
        self.introduce()
        self.show_code()
        self.show_files()
        self.predict()
        self.evaluate()
        self.show_summary()

    # --- beats ------------------------------------------------------------------------------
    def show_code(self):
        self.beat("code", epochs=self.trace.config["epochs"], save_freq=self.trace.config["save_freq"])
        self.code = code_block(self.results["code"]["high_level"]).scale_to_fit_width(12.8).next_to(self.heading, DOWN, buff=0.4)
        self.play(FadeIn(self.code, shift=UP * 0.2), run_time=pacing().write_seconds)
        self.wait(2 * pacing().beat_seconds)

    def show_files(self):
        f = self.results["files"]
        saved = [item["bytes"] for item in f["basic_api"] + f["high_level_api"]]
        self.beat("files", count=len(saved), smallest=min(saved), largest=max(saved),
                  checkpoints=f["fit_checkpoints"]["count"], checkpoint_bytes=f["fit_checkpoints"]["total_bytes"])
        files = self.get_file_list().next_to(self.code, DOWN, buff=0.4).to_edge(LEFT, buff=style.EDGE)
        self.play(FadeIn(files, lag_ratio=0.15), run_time=pacing().write_seconds)
        self.wait(2 * pacing().beat_seconds)
        self.leave(files, self.code)

    def predict(self):
        self.beat("predict", x=self.results["predict_x"], y=self.results["prediction"]["high_level_api"],
                  epoch=self.results["checkpoint_loaded"]["epoch"], loss=self.results["checkpoint_loaded"]["loss"])
        r = self.results
        w, b = float(self.trace["w"][-1]), float(self.trace["b"][-1])
        plot = self.results["plot"]
        self.axes = in_corner(plain_axes(plot["x"], plot["y"], 6.0, 4.6, axis_config={"include_numbers": True}),
                              LEFT + DOWN)
        self.line = Line(*(self.axes.c2p(x, w * x + b) for x in plot["x"][:2]), color=style.FIT,
                         stroke_width=style.STROKE)
        loaded = text("save_load.loaded", size=style.SMALL_SIZE, epoch=r["checkpoint_loaded"]["epoch"],
                      loss=r["checkpoint_loaded"]["loss"])

        scatter = dots(self.axes, self.trace["x"], self.trace["y"])
        self.place_on(self.axes, scatter, self.line)
        self.play(Create(self.axes), FadeIn(scatter))
        self.play(Create(self.line))
        x = r["predict_x"]
        p = r["prediction"]
        self.prediction = Dot(self.axes.c2p(x, p["high_level_api"]), color=style.HIGHLIGHT, radius=0.1)
        guide = DashedLine(self.axes.c2p(x, self.axes.y_range[0]), self.prediction.get_center(),
                           color=style.HIGHLIGHT, stroke_width=2)
        lines = VGroup(*(text(f"save_load.predict_{k}", size=style.SMALL_SIZE, x=x, y=p[k])
                         for k in ("basic_api", "high_level_api", "inference_model")))
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        self.side = beside(VGroup(loaded, lines).arrange(DOWN, aligned_edge=LEFT, buff=0.3), self.axes)
        self.place_on(self.axes, guide, self.prediction)
        self.play(FadeIn(loaded))
        self.play(Create(guide), FadeIn(self.prediction, scale=2))
        self.play(FadeIn(lines, lag_ratio=0.3), run_time=pacing().write_seconds)
        self.wait(2 * pacing().beat_seconds)

    def evaluate(self):
        self.beat("evaluate", mse=self.results["evaluate"]["mse"], x=self.results["evaluate"]["x"],
                  y=self.results["evaluate"]["y"])
        e = self.results["evaluate"]
        target = Dot(self.axes.c2p(e["x"], e["y"]), color=style.REFERENCE, radius=0.08)
        note = VGroup(text("save_load.evaluate", size=style.SMALL_SIZE, color=style.REFERENCE,
                           x=e["x"], y=e["y"], mse=e["mse"]),
                      text("save_load.why_mse", size=style.LABEL_SIZE, color=style.MUTED))
        note.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        beside(note, self.axes).next_to(self.side, DOWN, buff=0.4).align_to(self.side, LEFT)
        self.place_on(self.axes, target)
        self.play(FadeIn(target, scale=2), FadeIn(note))
        self.wait(2 * pacing().beat_seconds)
        self.leave(*(m for m in self.mobjects if m is not self.heading))

    def show_summary(self):
        s = self.results["summary"]
        self.beat("summary", total=s["total_params"], trainable=s["trainable_params"])
        table = VGroup(*(mono(row, size=style.LABEL_SIZE) for row in s["table"]))
        table.arrange(DOWN, aligned_edge=LEFT, buff=0.08).next_to(self.heading, DOWN, buff=0.4)
        caption = text("save_load.summary", size=style.SMALL_SIZE, color=style.HIGHLIGHT,
                       total=s["total_params"], trainable=s["trainable_params"])
        caption.next_to(table, DOWN, buff=0.3)
        self.play(FadeIn(table, lag_ratio=0.05), run_time=pacing().write_seconds)
        self.play(FadeIn(caption))
        self.wait(2 * pacing().beat_seconds)

    # --- pieces -----------------------------------------------------------------------------
    def get_file_list(self) -> VGroup:
        f = self.results["files"]
        rows = [text("save_load.files", size=style.SMALL_SIZE, color=style.MUTED)]
        for item in f["basic_api"] + f["high_level_api"]:
            rows.append(mono(f"{item['name']:<40}{size(item['bytes']):>10}", size=style.LABEL_SIZE))
        cp = f["fit_checkpoints"]
        rows.append(mono(f"{'fit_checkpoints/ (' + str(cp['count']) + ' files)':<40}"
                         f"{size(cp['total_bytes']):>10}", size=style.LABEL_SIZE, color=style.FIT))
        return VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
