"""The base class of the lesson's scenes: background, and narration beats.

A scene calls ``self.beat(name, **values)`` where a beat of its storyboard starts. When the
narration file (``LECTURE_NARRATION``, see scenes.settings) has a clip for the beat, the clip is
added there with Manim's own ``add_sound`` (the scene's video carries it) and the next beat waits
until it has ended plus ``[voice] pause_seconds``: the voice sets the timing, and the beat's
subtitle lasts while the clip speaks. A beat without audio is held until its line can be read
(``[reading]``, in every language) and its subtitle lasts until the next beat. At the end the
beats become Manim subcaptions (``add_subcaption``), so Manim writes the scene's ``.srt`` in the
render language, and the sound is padded with silence to the last frame. The same beats, with
their times and audio spans, are written to ``$LECTURE_BEATS/<Scene>.beats.json`` (when set),
from which the lecture's subtitles in every language are built.

A narration line can mark a word, ``{@name}``; ``self.wait_for("name")`` in the storyboard holds
until the voice says it (the clip's timeline, voice.timing), so that an animation starts on the
word. With the narration a beat also lasts at least its ``hold``: the time its subtitle in the
cut's other languages needs to be read.

In storyboard mode (``LECTURE_MODE=storyboard``) a scene only records its beats and the values
each passes: nothing is held or subtitled, so the lesson's lines are checked afterwards, all at
once, by the caller. A render that stops on a problem in the lesson's files writes it to
``$LECTURE_ERRORS`` for the caller to print without a traceback.
"""
from __future__ import annotations

import json
import math
import os
from pathlib import Path

from manim import Scene

from lesson_text import NARRATION, AuthoringError, lesson_text
from scenes import style
from scenes.settings import language, narration_audio, reading_speeds, storyboard_only, voice_pause


def line(key: str, lang: str | None = None, **values) -> str:
    """The narration line ``key`` (``section.beat``) in ``lang`` (default: the render's)."""
    return lesson_text().line(key, lang or language(), values).text


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
        self.layered: list[tuple] = []  # (base, part): part is drawn on base
        self.leaving: list = []          # fade out with the first animation of the next beat
        self.leaving_after = 0           # ... which is the beat after this many beats

    def render(self, *args, **kwargs):
        try:
            return super().render(*args, **kwargs)
        except AuthoringError as error:
            target = os.environ.get("LECTURE_ERRORS")
            if target:
                Path(target).write_text(json.dumps([{"message": str(p), "warning": p.warning} for p in error.problems],
                                                   ensure_ascii=False), encoding="utf-8")
            raise

    def leave(self, *mobjects):
        """``mobjects`` fade out with the first animation of the next beat, so the picture a beat
        ends on stays up while its line is spoken, and a slide never stops on an empty screen."""
        self.leaving.extend(mobjects)
        self.leaving_after = len(self.beats)

    def play(self, *animations, **kwargs):
        if self.leaving and len(self.beats) > self.leaving_after:
            from manim import FadeOut

            animations = (*(FadeOut(m) for m in self.leaving), *animations)
            self.leaving = []
        start = self.time
        super().play(*animations, **kwargs)
        self.settle(start)

    def settle(self, start: float) -> None:
        """After each animation: the scene's time is its start plus the frames Manim writes for
        it, and every readout shows its current value, whether the animation was rendered frame
        by frame or taken from Manim's cache of partial movies (which would otherwise advance the
        time by the exact run time and leave readouts as the last throttled frame had them). So
        the state, and with it the hash of every later animation, does not depend on which
        animations came from the cache, and a storyboard's times are the render's."""
        import numpy as np

        from scenes.readouts import Readout

        fps = self.camera.frame_rate
        step = 1 / fps
        frames = int(self.duration / step) if self.is_current_animation_frozen_frame() \
            else len(np.arange(0, self.duration, step))
        self.renderer.time = (round(start * fps) + frames) / fps  # a whole number of frames, no drift
        for mobject in self.mobjects:
            for part in mobject.get_family():
                if isinstance(part, Readout):
                    part.settle()

    def place_on(self, base, *parts):
        """Declare that ``parts`` are drawn on ``base`` (a curve or dots on their axes, a marker
        on a curve): the layout check lets them overlap it and each other. Returns ``parts``."""
        self.layered.extend((base, part) for part in parts)
        return parts

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

        The previous beat is held first: until its clip has ended plus the pause, or, without
        audio, until its line can be read (in the slowest language, at the reading speeds of
        assets/video.toml). Then this beat's clip, if any, starts now.
        """
        self.hold_for_reading()
        values = {k: float(v) if hasattr(v, "__float__") and not isinstance(v, int) else v
                  for k, v in values.items()}
        beat = {"key": f"{self.key}.{name}", "start": self.time, "values": values}
        clip = None if storyboard_only() else narration_audio().get(beat["key"])
        if clip is not None:
            said = line(beat["key"], **values)
            if clip["text"] != said:
                raise ValueError(f"the narration clip of {beat['key']} was made for {clip['text']!r}, but the "
                                 f"scene says {said!r}. Fix: run ./render.sh again (it makes the clips from "
                                 f"the scene's own values)")
            self.add_sound(str(clip["audio"]))
            now = self.time
            beat["audio"] = {"start": now, "end": now + clip["duration"], "speech_start": now + clip["speech_start"],
                             "speech_end": now + clip["speech_end"], "clip": clip.get("clip"),
                             "timing": clip.get("timing", "proportional"),
                             "words": [[offset, round(now + t, 4)] for offset, t in clip.get("words", [])],
                             "marks": {name: round(now + t, 4) for name, t in clip.get("marks", {}).items()},
                             "hold_until": now + clip.get("hold", 0.0)}
        self.beats.append(beat)

    def wait_for(self, mark: str) -> None:
        """Hold until the voice says the word marked ``{@mark}`` in this beat's line (without a
        voice: until a reader reaches it), so that the next animation starts on that word."""
        beat = self.beats[-1]
        lang = language()
        if mark not in lesson_text().marks_of(beat["key"], lang):
            source = lesson_text().file(NARRATION, lang)
            have = ", ".join("{@" + m + "}" for m in source.marks.get(beat["key"], [])) or "none"
            raise AuthoringError(source.problem(
                beat["key"], f"has no mark {{@{mark}}}, which the storyboard waits for (its marks: {have})",
                f"write {{@{mark}}} before the word that the animation should start on"))
        if storyboard_only():
            return
        if "audio" in beat:
            until = beat["audio"]["marks"][mark]
        else:
            said = lesson_text().line(beat["key"], lang, beat["values"])
            until = beat["start"] + dict(said.marks)[mark] / reading_speeds()[lang]
        self.hold_until(until)

    def hold_for_reading(self) -> None:
        """Hold the last beat until its clip and the pause are over, or until it can be read."""
        if not self.beats or storyboard_only():
            return
        last = self.beats[-1]
        if "audio" in last:
            until = max(last["audio"]["end"] + voice_pause(), last["audio"]["hold_until"])
        else:
            until = last["start"] + max(len(line(last["key"], lang, **last["values"])) / rate
                                        for lang, rate in reading_speeds().items())
        self.hold_until(until)

    def hold_until(self, until: float) -> None:
        """Nothing moves until the scene's time ``until``: one frozen wait of whole frames."""
        # one frozen wait of the whole frames that reach ``until`` (nothing moves while a line is
        # read: the clock stands still, so no frame needs drawing again). Manim freezes
        # int(t * fps) frames: t is half a frame over, rounded to the microsecond, so the same hold
        # is the same animation to Manim's cache whatever float noise the times before it carry
        fps = self.camera.frame_rate
        frames = math.ceil(round((until - self.time) * fps, 6))
        if frames > 0:
            self.wait(round((frames + 0.5) / fps, 6), frozen_frame=True)

    def tear_down(self):
        self.hold_for_reading()
        end = self.time
        for beat, after in zip(self.beats, self.beats[1:] + [None]):
            beat["end"] = after["start"] if after else end
            # with audio the subtitle lasts while the clip speaks; without, until the next beat
            shown = (beat["audio"]["speech_start"], beat["audio"]["speech_end"]) if "audio" in beat \
                else (beat["start"], beat["end"])
            if shown[1] > shown[0] and not storyboard_only():
                self.add_subcaption(line(beat["key"], **beat["values"]), duration=shown[1] - shown[0],
                                    offset=shown[0] - end)
        if any("audio" in beat for beat in self.beats):
            self.pad_sound(end)
        target = os.environ.get("LECTURE_BEATS")
        if target:
            path = Path(target) / f"{type(self).__name__}.beats.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"scene": type(self).__name__, "duration": end, "beats": self.beats},
                                      ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(tmp, path)

    def pad_sound(self, end: float) -> None:
        """Silence after the last clip, so the scene's sound lasts as long as its picture (a
        scene file uploaded or edited alone must not have a track that stops early)."""
        from pydub import AudioSegment

        writer = self.renderer.file_writer
        if getattr(writer, "includes_sound", False):
            have = writer.audio_segment.duration_seconds
            if end > have:
                writer.add_audio_segment(AudioSegment.silent(duration=round((end - have) * 1000)), time=have)
