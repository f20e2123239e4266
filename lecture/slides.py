"""Slides for teachers: ``./render.sh slides [SCENE...] [--quality Q] [--lang L] [-j N] [--force]``.

The same scene classes that make the videos are rendered with manim-slides, composed from
outside: ``slide_class(name)`` puts ``BeatStops`` and manim-slides' ``Slide`` in front of the
scene class, so every ``self.beat(...)`` of the storyboard also ends the slide before it and
starts a new one whose speaker notes are the beat's narration line (in the render's language).
A slide that plays a training run (an animation of the scene's ``Clock``) loops, so a teacher
can talk over it. Nothing is added to the animation: the slides' frames are the video's frames.

Each scene renders in its own ``manim`` process into a private work directory, as the videos
do, and its slides (``<Scene>.json`` and ``files/<Scene>/``) are renamed into
``<cut>/slides/``; a scene whose inputs are unchanged is not rendered again
(``<cut>/slides/.stamps/``). Then ``lecture.deck`` writes ``lecture.html`` and ``lecture.pptx``.
"""
from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from paths import DEFAULT_LESSON, REPO
from scenes import SCENES

SLIDE_CODE = ("lecture/slides.py", "lecture/slide_scenes.py")


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
        from scenes.strings import narration

        super().beat(name, **values)  # may hold the previous beat's picture: still the last slide
        beat = self.beats[-1]
        self.next_slide(notes=narration(beat["key"], **beat["values"]))  # in $LECTURE_LANG

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


# --- one scene's slides --------------------------------------------------------------------------
def slides_dir(cut: Path) -> Path:
    return cut / "slides"


def stamp_of(job) -> Path:
    return slides_dir(job.out) / ".stamps" / f"{job.scene}.json"


def slide_inputs(job) -> dict:
    """The scene's video inputs, and what makes slides of it."""
    from lecture.jobs import inputs_of, sha256

    return {**inputs_of(job), "slides": {
        "code": {name: sha256(REPO / name) for name in SLIDE_CODE},
        "manim_slides": importlib.metadata.version("manim-slides")}}


def is_current(job, inputs: dict) -> bool:
    import json

    try:
        return (slides_dir(job.out) / f"{job.scene}.json").is_file() and \
            json.loads(stamp_of(job).read_text())["inputs"] == inputs
    except (OSError, ValueError, KeyError):
        return False


def manim_command(job, work: Path) -> list[str]:
    """The videos' manim command line (lecture.jobs.manim_command), on the slide classes."""
    from lecture.jobs import manim_command as video_command

    return video_command(job, REPO / "lecture" / "slide_scenes.py", work)


def render_slides(job, inputs: dict, on_frames=None) -> tuple[str, float]:
    """Render one scene's slides into ``<cut>/slides/``; return (what happened, seconds)."""
    from lecture.jobs import RenderError, run_manim, write_json

    if is_current(job, inputs):
        return "unchanged, not rendered again", 0.0
    target = slides_dir(job.out)
    work = target / ".work" / job.scene
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    log = target / "logs" / f"{job.scene}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO), "LECTURE_TRACES": str(job.traces),
           "LECTURE_LANG": job.lang, "LECTURE_VIDEO": str(job.video), "LECTURE_BEATS": str(work)}
    env.pop("LECTURE_NARRATION", None)  # silent: the teacher speaks, each beat held until read
    start = time.perf_counter()
    code = run_manim(manim_command(job, work), env, work, log, on_frames)  # manim-slides writes ./slides/
    seconds = time.perf_counter() - start
    made, files = work / "slides" / f"{job.scene}.json", work / "slides" / "files" / job.scene
    if code != 0 or not made.is_file() or not files.is_dir():
        tail = "".join(log.read_text(errors="replace").splitlines(True)[-15:])
        raise RenderError(f"{job.scene} slides ({job.lang}) failed (exit {code}); the last lines of {log}:\n{tail}")
    # The JSON names its videos as slides/files/<Scene>/..., relative to the folder above it.
    (target / "files").mkdir(parents=True, exist_ok=True)
    old = target / "files" / f".{job.scene}.old"
    shutil.rmtree(old, ignore_errors=True)
    if (target / "files" / job.scene).exists():
        os.replace(target / "files" / job.scene, old)
    os.replace(files, target / "files" / job.scene)
    os.replace(work / f"{job.scene}.beats.json", target / f"{job.scene}.beats.json")
    os.replace(made, target / made.name)
    write_json(stamp_of(job), {"inputs": inputs, "render_seconds": round(seconds, 2)})
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)
    try:
        work.parent.rmdir()  # .work/, when no other scene is rendering
    except OSError:
        pass
    return f"rendered in {seconds:.1f} s", seconds


# --- the command ---------------------------------------------------------------------------------
def parse(argv) -> argparse.Namespace:
    from lecture.jobs import QUALITIES
    from scenes.settings import languages

    parser = argparse.ArgumentParser(prog="./render.sh slides", description=__doc__.split("\n\n")[0])
    parser.add_argument("scenes", nargs="*", metavar="SCENE", help="scenes to render (default: all; "
                        "the decks are written only for all)")
    parser.add_argument("--quality", default="preview", help=", ".join(QUALITIES))
    parser.add_argument("--lang", default="zh", help="language of the text and notes: " + ", ".join(languages()))
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="scenes rendered at once")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--config", default=None, metavar="FILE", help="lesson file (default: the lesson)")
    source.add_argument("--traces", default=None, metavar="DIR", help="render this recording as it is")
    parser.add_argument("--out", default=None, metavar="DIR",
                        help="quality directory; the slides go to DIR/<lang>/slides/ (default: out/<quality>/)")
    parser.add_argument("--force", action="store_true", help="render even if unchanged")
    args = parser.parse_args(argv)
    problems = [f"unknown scene {s}; valid scenes: {', '.join(SCENES)}" for s in args.scenes if s not in SCENES]
    if args.quality not in QUALITIES:
        problems.append(f"unknown quality '{args.quality}'; valid qualities: {', '.join(QUALITIES)}")
    if args.lang not in languages():
        problems.append(f"unknown language '{args.lang}'; valid languages: {', '.join(languages())}")
    if args.jobs < 1:
        problems.append(f"-j {args.jobs}: give at least 1")
    if problems:
        parser.error("; ".join(problems) + ". Nothing was rendered")
    return args


def main(argv=None) -> int:
    from lecture import layout
    from lecture.jobs import Job, RenderError
    from lecture.recording import given_traces, lesson_traces
    from scenes.settings import pacing, video_file
    from sim.errors import SimError

    args = parse(argv)
    try:
        pacing(video_file())
        recording = given_traces(args.traces) if args.traces else lesson_traces(args.config or DEFAULT_LESSON)
        root = Path(args.out).resolve() if args.out else layout.quality_dir(recording.lesson, args.quality)
        cut = layout.cut_dir(root, args.lang)
        names = sorted(args.scenes or SCENES, key=list(SCENES).index)
        jobs = [Job(scene=s, quality=args.quality, lang=args.lang, traces=recording.traces, out=cut,
                    video=video_file().resolve()) for s in names]
        inputs = {job.scene: slide_inputs(job) for job in jobs}
    except (SimError, OSError, KeyError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.force:
        for job in jobs:
            stamp_of(job).unlink(missing_ok=True)
        (slides_dir(cut) / ".stamps" / "deck.json").unlink(missing_ok=True)
    print(f"slides of {len(jobs)} scene(s) at {args.quality}, language {args.lang}, "
          f"{min(args.jobs, len(jobs))} at a time, into {slides_dir(cut)}/")
    start, failed = time.perf_counter(), []

    def run(job):
        try:
            what, _ = render_slides(job, inputs[job.scene])
            print(f"  {job.scene}: {what}", flush=True)
        except RenderError as exc:
            failed.append(job.scene)
            print(f"  error: {exc}", file=sys.stderr, flush=True)

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        list(pool.map(run, jobs))
    print(f"scenes done in {time.perf_counter() - start:.1f} s wall time"
          + (f"; FAILED: {', '.join(failed)} (their previous slides, if any, are untouched)" if failed else ""))
    if failed:
        return 1
    if args.scenes:
        return 0
    from lecture.deck import build_deck

    try:
        for path in build_deck(slides_dir(cut), list(SCENES), args.lang, args.quality, stamps=inputs):
            print(f"  {path}")
    except (SimError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"slides done in {time.perf_counter() - start:.1f} s wall time")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted: finished slides are in place; unfinished ones were not touched", file=sys.stderr)
        sys.exit(130)
