"""``./render.sh catalogue FILE.toml``: a whole course, every job of it given to one engine at once.

A course file names its lessons (lesson files, or recordings read as they are), its languages
and its qualities (``assets/course.toml`` is an example)::

    languages = ["zh", "en"]
    qualities = ["preview"]
    lessons = ["lessons/default.toml", "lessons/fast_lr.toml"]   # relative to this file
    # lessons = [{ traces = "runs/long" }]                        # a recording, never written
    # scenes = ["ChainRule"]                                      # only these (no lecture then)

Everything is checked before anything is recorded or rendered (a bad file, an unknown lesson,
language, quality or scene: a message naming the fix, exit 2, nothing written). Each lesson goes
to its own directories (``lecture.layout``), so lessons never overwrite each other. Progress is
shown per job and per lesson; a failed job is named with its worker and log, the others go on,
and the exit is 1 at the end. Each cut whose scenes all rendered is assembled
(``lecture.render.assemble``). With ``--voice``, the narration of every job is made first, on this
machine (``lecture.narrate.prepare``: storyboards, then the clips), and each Ray task carries its
clips (``lecture.farm.stage``), as ``./render.sh --engine ray`` does.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from lecture import layout
from lecture.jobs import QUALITIES, Job, inputs_of
from lecture.render import VOICES
from paths import LESSONS_DIR, REPO
from scenes import SCENES

KEYS = ("lessons", "languages", "qualities", "scenes")


class CatalogueError(Exception):
    pass


@dataclass(frozen=True)
class CourseJob(Job):
    lesson: str = ""  # shown in the progress lines (lecture.engines.label)


@dataclass(frozen=True)
class Course:
    source: Path
    lessons: tuple[tuple[str, Path], ...]  # ("file" or "traces", path)
    languages: tuple[str, ...]
    qualities: tuple[str, ...]
    scenes: tuple[str, ...]                # empty: every scene, and the lectures


def _names(table: dict, key: str, valid, what: str, path: Path) -> tuple[str, ...]:
    value = table.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise CatalogueError(f"{path}: '{key}' must be a non-empty list of names, e.g. "
                             f"{key} = [\"{next(iter(valid))}\"]; valid: {', '.join(valid)}")
    bad = [v for v in value if v not in valid]
    if bad:
        raise CatalogueError(f"{path}: unknown {what} {', '.join(repr(b) for b in bad)} in '{key}'; "
                             f"valid: {', '.join(valid)}")
    if len(set(value)) != len(value):
        raise CatalogueError(f"{path}: '{key}' names a {what} twice; list each once")
    return tuple(value)


def parse(path: str | Path) -> Course:
    """Read and check a course file; nothing is written. Raises CatalogueError naming the fix."""
    from scenes.settings import languages
    from sim.config import load_lesson
    from sim.errors import SimError

    path = Path(path).resolve()
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError(f"cannot read the course file {path} ({exc.strerror}); "
                             f"give an existing file, e.g. assets/course.toml") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"{path} is not valid TOML ({exc}); fix it (assets/course.toml is an example)") from exc
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise CatalogueError(f"{path}: unknown key {', '.join(unknown)}; valid keys: {', '.join(KEYS)}")
    langs = _names(table, "languages", languages(), "language", path)
    qualities = _names(table, "qualities", list(QUALITIES), "quality", path)
    scenes = _names(table, "scenes", list(SCENES), "scene", path) if "scenes" in table else ()
    entries = table.get("lessons")
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(f"{path}: 'lessons' must list the course's lesson files, e.g. "
                             f"lessons = [\"lessons/default.toml\"] (relative to {path.parent})")
    lessons, names = [], {}
    for entry in entries:
        if isinstance(entry, str):
            entry = {"file": entry}
        if not isinstance(entry, dict) or len(entry) != 1 or next(iter(entry)) not in ("file", "traces") \
                or not isinstance(next(iter(entry.values())), str):
            raise CatalogueError(f"{path}: a lesson is a lesson file (\"lessons/NAME.toml\") or "
                                 f"{{ traces = \"DIR\" }}, not {entry!r}")
        kind, value = next(iter(entry.items()))
        where = (path.parent / value).resolve()
        if kind == "file":
            if not where.is_file():
                known = ", ".join(str(p.relative_to(REPO)) for p in sorted(LESSONS_DIR.glob("*.toml")))
                raise CatalogueError(f"{path}: unknown lesson '{value}' (no file {where}); lesson files: {known} "
                                     f"(paths are relative to {path.parent})")
            try:
                name = load_lesson(where).name  # every value of the lesson checked now
            except SimError as exc:
                raise CatalogueError(f"{path}: lesson '{value}': {exc}") from exc
        else:
            if not where.is_dir():
                raise CatalogueError(f"{path}: no recording {where}; record one with "
                                     f"./render.sh traces --out {where} [--config FILE]")
            name = f"(recording {value})"  # its lesson's name is read when it is checked
        if name in names:
            raise CatalogueError(f"{path}: lessons '{names[name]}' and '{value}' are both the lesson '{name}' "
                                 f"and would render into the same directories; list it once")
        names[name] = value
        lessons.append((kind, where))
    return Course(path, tuple(lessons), langs, qualities, scenes)


class LessonProgress:
    """Passes each job's progress on, and shows one more line per lesson: its jobs done."""

    def __init__(self, inner, lesson_of: dict[str, str]):
        self.inner, self.lesson_of = inner, lesson_of
        self.total = {lesson: list(lesson_of.values()).count(lesson) for lesson in set(lesson_of.values())}
        self.done = dict.fromkeys(self.total, 0)
        self.failed = dict.fromkeys(self.total, 0)
        for lesson in sorted(self.total):
            inner.add(f"lesson {lesson}", self.total[lesson])

    def add(self, name, expected_frames):
        self.inner.add(name, expected_frames)

    def frames(self, name, count):
        self.inner.frames(name, count)

    def finished(self, name, message, error=False):
        self.inner.finished(name, message, error)
        lesson = self.lesson_of[name]
        self.done[lesson] += 1
        self.failed[lesson] += error
        if self.done[lesson] < self.total[lesson]:
            self.inner.frames(f"lesson {lesson}", self.done[lesson])
        else:
            self.inner.finished(f"lesson {lesson}", f"{self.total[lesson]} jobs done, {self.failed[lesson]} failed",
                                error=bool(self.failed[lesson]))


def main(argv=None) -> int:
    from lecture.engines import label
    from lecture.farm import FarmError, make_engine
    from lecture.progress import progress_display
    from lecture.recording import given_traces, lesson_traces
    from lecture.render import assemble
    from scenes.settings import pacing, video_file
    from sim.errors import SimError

    parser = argparse.ArgumentParser(prog="./render.sh catalogue", description=__doc__.split("\n\n")[0])
    parser.add_argument("file", metavar="FILE.toml", help="the course file (e.g. assets/course.toml)")
    parser.add_argument("--engine", default="ray", choices=("local", "ray"), help="default: ray")
    parser.add_argument("--address", default=None, metavar="HOST:PORT",
                        help="a Ray cluster's head (default: a local Ray instance, started and stopped)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                        help="renders at once on this machine (local engine, or the local Ray instance)")
    parser.add_argument("--out", default=None, metavar="DIR", help="instead of out/: DIR/<quality>/<lang>/ for "
                        "the default lesson, DIR/<lesson>/<quality>/<lang>/ for the others")
    parser.add_argument("--force", action="store_true", help="render even what is unchanged")
    parser.add_argument("--no-lecture", action="store_true", help="render the scenes only")
    parser.add_argument("--voice", default="none", choices=VOICES, metavar="SOURCE",
                        help="narration that sets each beat's length, as for ./render.sh: neural, recorded, "
                             "espeak or none (the default here; ./render.sh catalogue defaults to neural)")
    parser.add_argument("--takes", type=Path, default=None, metavar="DIR",
                        help="with --voice recorded: the takes, DIR/<lang>/<Scene>/<beat>.wav|.flac")
    args = parser.parse_args(argv)
    if args.address and args.engine != "ray":
        parser.error("--address needs --engine ray. Nothing was rendered")
    if args.takes and args.voice != "recorded":
        parser.error("--takes needs --voice recorded. Nothing was rendered")
    try:
        course = parse(args.file)
        pacing(video_file())
    except (CatalogueError, SimError) as exc:
        print(f"error: {exc}. Nothing was recorded or rendered.", file=sys.stderr)
        return 2
    try:
        recordings = [given_traces(where) if kind == "traces" else lesson_traces(where)
                      for kind, where in course.lessons]
        lessons = [r.lesson for r in recordings]
        if len(set(lessons)) != len(lessons):
            raise SimError(f"two of the course's lessons are the lesson '{max(lessons, key=lessons.count)}'; list it once")
        names = list(course.scenes or SCENES)
        cuts, jobs = {}, []
        for rec in recordings:
            for quality in course.qualities:
                root = layout.quality_dir(rec.lesson, quality)
                if args.out:
                    root = Path(args.out).resolve() / root.relative_to(layout.OUT)
                for lang in course.languages:
                    cut = layout.cut_dir(root, lang)
                    cuts[cut] = (rec, quality, lang)
                    jobs += [CourseJob(s, quality, lang, rec.traces, cut, video_file().resolve(), lesson=rec.lesson)
                             for s in sorted(names, key=list(SCENES).index)]
        inputs = {job: inputs_of(job) for job in jobs}
    except (SimError, OSError, KeyError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for job in jobs:
        job.out.mkdir(parents=True, exist_ok=True)
        if args.force:
            job.stamp.unlink(missing_ok=True)
    if args.voice != "none":  # the clips first, on this machine: their lengths set the scenes' timing
        from lecture.narrate import prepare_or_report

        jobs = prepare_or_report(jobs, args.voice, args.takes, args.jobs)
        if jobs is None:
            return 2
        inputs = {job: inputs_of(job) for job in jobs}
    print(f"course {course.source.name}: {len(recordings)} lesson(s) ({', '.join(lessons)}) x "
          f"{len(course.qualities)} quality(ies) x {len(course.languages)} language(s) = {len(jobs)} jobs, "
          f"engine {args.engine}{' at ' + args.address if args.address else ''}")
    start = time.perf_counter()
    try:
        with progress_display() as display:
            progress = LessonProgress(display, {label(job): job.lesson for job in jobs})
            failed = make_engine(args.engine, args.jobs, args.address).run(jobs, inputs, progress)
    except FarmError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"scenes done in {time.perf_counter() - start:.1f} s wall time")
    if not (course.scenes or args.no_lecture):
        options = argparse.Namespace(burn_subtitles=False, voice=args.voice, force=args.force)
        for cut, (rec, quality, lang) in cuts.items():
            mine = [job for job in jobs if job.out == cut]
            if any(job in failed for job in mine):
                print(f"lecture: {cut} not assembled (a scene failed)", file=sys.stderr)
                continue
            try:
                assemble(cut, rec.traces, lang, quality, mine, options)
            except (SimError, OSError, ValueError) as exc:
                print(f"error: lecture {cut}: {exc}", file=sys.stderr)
                failed.append(cut)
    if failed:
        print(f"FAILED: {len(failed)} of the course's jobs or lectures (see the errors above; the others are "
              "in place)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted: finished videos are in place; unfinished ones were not touched", file=sys.stderr)
        sys.exit(130)
