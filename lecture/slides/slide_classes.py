"""The scenes as slides for teachers: the same scene classes that make the videos, rendered with
manim-slides and composed from outside: ``slide_class(name)`` puts ``BeatStops`` and
manim-slides' ``Slide`` in front of the scene class, so every ``self.beat(...)`` of the
storyboard also ends the slide before it and starts a new one whose speaker notes are the beat's
narration line (in the render's language). A slide that plays a training run (an animation of
the scene's ``Clock``) loops, so a teacher can talk over it. Nothing is added to the animation:
the slides' frames are the video's frames.

A scene's slides are a job of kind ``slides`` (lecture.runner.jobs): rendered by the same engines
and Manim process as the videos (which gives Manim a file of one such class), into
``<cut>/slides/``; then lecture.slides.deck writes ``lecture.html`` and ``lecture.pptx``.
"""
from __future__ import annotations

import importlib

from scenes import SCENES


# --- the scenes as slides ----------------------------------------------------------------------
class BeatStops:
    """Put in front of ``Slide`` and a ``LessonScene``: a stop at every beat, notes, loops."""

    skip_reversing = True  # RevealJS and PowerPoint play slides forward only

    def __init__(self, *args, **kwargs):
        # manim-slides' Slide.__init__ only sets config["write_to_movie"], a setting Manim 0.22
        # no longer has (it fails there); a render writes its movie anyway. Skip just that one.
        from manim_slides.slide.base import BaseSlide

        BaseSlide.__init__(self, *args, **kwargs)

    @property
    def _background_color(self) -> str:
        from manim import ManimColor

        return ManimColor(self.camera.background_color).to_hex()  # LessonScene sets a string

    def render(self, *args, **kwargs):
        # Slide.render, less its config["max_files_cached"] = inf (Manim 0.22 takes -1 for
        # unlimited): the partial movies must all be there when the slides are cut from them.
        from manim import config
        from manim_slides import Slide

        config.max_files_cached = -1
        result = super(Slide, self).render(*args, **kwargs)
        self._save_slides(use_cache=False, flush_cache=False, skip_reversing=self.skip_reversing)
        return result

    def beat(self, name: str, **values) -> None:
        from scenes.lesson import line

        super().beat(name, **values)  # may hold the previous beat's picture: still the last slide
        beat = self.beats[-1]
        self.next_slide(notes=line(beat["key"], **beat["values"]))  # in $LECTURE_LANG

    def play(self, *animations, **kwargs) -> None:
        from scenes.kit import Clock

        if any(isinstance(getattr(a, "mobject", None), Clock) for a in animations):
            # a training run (Clock.run): this beat's slide loops. manim-slides takes loop= only
            # when a slide starts, before the storyboard says what it plays.
            self._base_slide_config.loop = True
        super().play(*animations, **kwargs)


def scene_class(name: str):
    return getattr(importlib.import_module(SCENES[name].module), name)


def slide_class(name: str):
    """The scene ``name`` as a manim-slides ``Slide``, named like the scene (its slides'
    files are named after it, and ``LessonScene.key`` finds it in ``SCENES``)."""
    from manim_slides import Slide

    cls = type(name, (BeatStops, Slide, scene_class(name)), {})
    cls.__qualname__ = name
    return cls
