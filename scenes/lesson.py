"""The base class of the lesson's scenes: background, and narration beats.

A scene calls ``self.beat(name, **values)`` where a beat of its storyboard starts. At the end
the beats become Manim subcaptions (``add_subcaption``), so Manim writes the scene's ``.srt`` in
the render language, each line lasting until the next beat starts: the timing comes from the
animation and follows any change of pacing. The same beats, with their times, are written to
``$LECTURE_BEATS/<Scene>.beats.json`` (when set), from which the lecture's subtitles in every
language are built.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from manim import Scene

from scenes import style
from scenes.settings import reading_speeds
from scenes.strings import narration


class LessonScene(Scene):

    @property
    def key(self) -> str:
        """This scene's section in the text and narration files (from scenes.SCENES)."""
        from scenes import SCENES

        # the first class in the MRO that SCENES lists (tests subclass the scenes)
        return next(SCENES[c.__name__].key for c in type(self).__mro__ if c.__name__ in SCENES)

    def setup(self):
        self.camera.background_color = style.BACKGROUND
        self.beats: list[dict] = []

    def introduce(self):
        """The first beat: the scene's title (``<key>.title``) fades in at the top."""
        from manim import FadeIn

        from scenes.kit import title

        self.beat("intro")
        self.heading = title(f"{self.key}.title")
        self.play(FadeIn(self.heading))
        return self.heading

    def beat(self, name: str, **values) -> None:
        """A beat of the storyboard starts now; its narration line is ``<key>.<name>``.

        If the previous beat's line needs longer to read (in the slowest language, at the
        reading speeds of assets/video.toml) than its animation took, hold the picture first.
        """
        self.hold_for_reading()
        values = {k: float(v) if hasattr(v, "__float__") and not isinstance(v, int) else v
                  for k, v in values.items()}
        self.beats.append({"key": f"{self.key}.{name}", "start": self.time, "values": values})

    def hold_for_reading(self) -> None:
        if not self.beats:
            return
        last = self.beats[-1]
        need = max(len(narration(last["key"], lang, **last["values"])) / rate
                   for lang, rate in reading_speeds().items())
        if need > self.time - last["start"]:
            self.wait(need - (self.time - last["start"]))

    def tear_down(self):
        self.hold_for_reading()
        end = self.time
        for beat, after in zip(self.beats, self.beats[1:] + [None]):
            beat["end"] = after["start"] if after else end
            if beat["end"] > beat["start"]:
                self.add_subcaption(narration(beat["key"], **beat["values"]),
                                    duration=beat["end"] - beat["start"], offset=beat["start"] - end)
        target = os.environ.get("LECTURE_BEATS")
        if target:
            path = Path(target) / f"{type(self).__name__}.beats.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"scene": type(self).__name__, "duration": end, "beats": self.beats},
                                      ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(tmp, path)
