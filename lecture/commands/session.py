"""One run of the house, shared by the commands (render, status, slides, catalogue); not a command.

1. **Check before anything runs**: the pacing file, the lesson's words, the voice (it can speak
   every language asked), the engine (a cluster that refuses the driver is named). A problem is
   printed with its file, line, key and fix, and the exit is 2 with nothing written.
2. **Recording**: the traces (recorded when missing or stale, read only with ``--traces``).
3. **Locks**: one writer per cut folder (lecture.store.locks).
4. **Plan**: beats, words against beats, clips, each job's inputs and why it is stale
   (lecture.runner.plan); printed.
5. **Render** the stale jobs on the engine; **publish** each cut and the page, each output only
   when its inputs changed.

With ``dry_run`` steps 2-5 only say what they would do.
"""
from __future__ import annotations

import sys
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from lecture.runner.jobs import Job, RenderError
from lecture.store import layout
from lecture.store.layout import shown


@dataclass(frozen=True)
class CutSpec:
    traces: Path
    quality: str
    lang: str
    folder: Path
    lesson: str = ""          # a course's lesson (progress labels)


@dataclass
class Options:
    scenes: list[str]
    jobs: int = 1
    force: bool = False
    engine: str = "local"
    address: str | None = None
    voice: str = "none"
    takes: Path | None = None
    burn: bool = False
    lecture: bool = True      # publish the cuts (and the page) after the scenes
    wait: bool = True
    dry_run: bool = False
    strict_captions: bool = False  # a caption that breaks the timed-text standard fails the run
    kind: str = "video"
    per_lesson: bool = False  # a course: one more progress line per lesson
    log: object = field(default=print)

    @classmethod
    def of(cls, args, **more) -> "Options":
        """The options of a command's parsed ``args`` (lecture.commands.arguments)."""
        common = {name: getattr(args, name) for name in ("scenes", "jobs", "force", "engine", "address", "voice",
                                                          "takes", "wait", "dry_run") if hasattr(args, name)}
        return cls(**{"scenes": [], **common, **more})


def check_before_anything(options: Options, langs: list[str]) -> None:
    """Pacing, words, voice: every problem named before anything runs (raises)."""
    from lesson_text import check, lesson_text, require
    from scenes import SCENES
    from scenes.settings import check as check_pacing
    from scenes.settings import video_file

    check_pacing(video_file())
    for warning in require(check(lesson_text(), sections=[e.key for e in SCENES.values()])):
        options.log(f"warning: {warning}")
    if options.voice != "none" and options.kind == "video" and not options.dry_run:
        from voice.services import check as check_voice

        check_voice(options.voice, langs, options.takes)


@contextmanager
def started(options: Options, langs: list[str], config, traces, quality: str, out):
    """Everything checked (``check_before_anything``), the engine entered (a cluster that cannot
    take the run is named now, before anything is written), the recording made or read:
    ``(engine, recording, quality folder)``. In a dry run the engine is not entered and the
    recording not made (``recording.to_record`` says why it would be)."""
    from lecture.runner.engines import make_engine

    check_before_anything(options, langs)
    engine = make_engine(options.engine, options.jobs, options.address)
    with nullcontext() if options.dry_run else engine:
        recording = recording_of(config, traces, options.dry_run, options.log)
        yield engine, recording, quality_root(recording, quality, out)


def make_jobs(cuts: list[CutSpec], options: Options) -> list[Job]:
    from scenes import SCENES
    from scenes.settings import video_file

    names = sorted(options.scenes or SCENES, key=list(SCENES).index)
    return [Job(scene, cut.quality, cut.lang, cut.traces, cut.folder, video_file().resolve(), kind=options.kind,
                lesson=cut.lesson) for cut in cuts for scene in names]


def publish(cuts: list[CutSpec], options: Options, failed: list[Job]) -> list[str]:
    """Every cut whose scenes all rendered, then each quality's page, then the check of every
    subtitle file written (warnings; errors with ``strict_captions``); returns what failed."""
    from lecture.page.product import site_product
    from lecture.publish import Cut
    from lecture.publish import caption_report
    from lecture.publish import publish as publish_cut
    from lecture.store.products import bring_up_to_date
    from lesson_text import lesson_text
    from scenes.settings import DEFAULT_LANG

    problems, roots, captions = [], {}, []
    for spec in cuts:
        if any(job.out == spec.folder for job in failed):
            options.log(f"lecture: {shown(spec.folder)} not assembled (a scene failed)")
            problems.append(str(spec.folder))
            continue
        options.log(f"lecture [{spec.lang}]:" + (" (would be)" if options.dry_run else ""))
        cut = Cut(spec.folder, spec.lang, spec.quality, spec.traces, voice=options.voice, burn=options.burn)
        outcomes = publish_cut(cut, force=options.force, dry_run=options.dry_run, log=options.log)
        captions += caption_report.check_written(cut, caption_report.written(outcomes))
        roots.setdefault(spec.folder.parent, spec.traces)
    for root, traces in roots.items():
        langs = sorted((lang for lang in lesson_text().languages() if (root / lang / "lecture.mp4").is_file()),
                       key=lambda lang: lang != DEFAULT_LANG)
        if langs:
            bring_up_to_date([site_product(root, traces, langs)], force=options.force, dry_run=options.dry_run,
                             log=options.log)
    if caption_report.report(captions, options.log):
        if options.strict_captions:
            options.log("error: captions fail the timed-text standard (--strict-captions); the files are written")
            problems.append("captions")
        else:
            options.log("warning: captions fail the timed-text standard (above, each with its fix); the files are "
                        "written. ./render.sh --strict-captions makes this an error")
    return problems


def run_cuts(cuts: list[CutSpec], options: Options, engine) -> int:
    """Plan, render and publish ``cuts`` (each CutSpec's traces already recorded)."""
    from lecture.runner.plan import make_plan
    from lecture.runner.progress import progress_display
    from lecture.store.locks import folder_locks

    jobs = make_jobs(cuts, options)
    folders = {job.out for job in jobs} | ({c.folder.parent / "site" for c in cuts} if options.lecture else set())
    with folder_locks([] if options.dry_run else folders, wait=options.wait, log=options.log):
        try:
            plan = make_plan(jobs, options.voice, options.takes, options.jobs, force=options.force,
                             dry_run=options.dry_run, log=options.log)
        except user_errors() as error:
            return report(error)
        plan.say(options.log)
        if options.dry_run:
            if options.lecture and not options.scenes:
                publish(cuts, options, [])
            return 0
        start = time.perf_counter()
        with progress_display() as display:
            progress = display
            if options.per_lesson and plan.stale:
                from lecture.runner.progress import LessonProgress

                progress = LessonProgress(display, {job.label: job.lesson for job in plan.stale})
            failed = engine.run(plan.stale, plan.inputs, progress)
        if plan.stale:
            options.log(f"scenes done in {time.perf_counter() - start:.1f} s wall time"
                        + (f"; FAILED: {', '.join(job.label for job in failed)} (their previous outputs, if any, "
                           "are untouched)" if failed else ""))
        try:
            problems = publish(cuts, options, failed) if options.lecture and not options.scenes else []
        except user_errors() as error:
            return report(error, rendered=True)
    errors = getattr(engine, "errors", {})
    codes = [getattr(errors.get(job), "exit_code", 1) for job in failed]
    return max(codes) if codes else (1 if problems else 0)


def render(args) -> int:
    """``./render.sh`` with parsed ``args`` (lecture.commands.arguments.add_render): record if
    needed, plan, render and publish each cut of ``args.langs``."""
    from lecture.runner.jobs import QUALITIES

    options = Options.of(args, burn=args.burn_subtitles, lecture=not args.no_lecture,
                         strict_captions=args.strict_captions)
    try:
        with started(options, args.langs, args.config, args.traces, args.quality, args.out) as (engine, recording, root):
            if recording.to_record:
                print(f"traces: {shown(recording.traces)} would be recorded first ({recording.to_record}); then every "
                      f"scene that reads a changed trace is rendered again")
                return 0
            cuts = [CutSpec(recording.traces, args.quality, lang, layout.cut_dir(root, lang)) for lang in args.langs]
            verb = "what would be redone" if args.dry_run else "rendering"
            print(f"{verb}: lesson '{recording.lesson}' at {args.quality} ({QUALITIES[args.quality][1]}), language "
                  f"{', '.join(args.langs)}, voice {args.voice}, from {shown(recording.traces)}"
                  f"{' (read only)' if recording.given else ''} into {shown(root)}/")
            return run_cuts(cuts, options, engine)
    except user_errors() as error:
        return report(error)


def entry(main, what: str = "videos") -> None:
    """Run a command's ``main`` as a program: its exit code, and Ctrl-C said in words."""
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print(f"\ninterrupted: finished {what} are in place; unfinished ones were not touched", file=sys.stderr)
        sys.exit(130)


def report(error: BaseException, rendered: bool = False) -> int:
    """Print a user's error without a traceback (and, before any render, that nothing was
    rendered); return its exit code."""
    print(f"error: {error}" + ("" if rendered else "\nNothing was rendered."), file=sys.stderr)
    return getattr(error, "exit_code", 2)


def user_errors() -> tuple[type[BaseException], ...]:
    """The errors a command reports in words (every other one is a bug: its traceback shows)."""
    from lecture.publish import MissingScenes
    from lecture.publish.caption_check import TrackUnreadable
    from lecture.publish.subtitles import TimingError
    from lecture.runner.engines import EngineError
    from lecture.runner.scene_inputs import DerivationError
    from lecture.slides.deck import DeckError
    from lecture.store.files import DiskFullError
    from lecture.store.locks import FolderBusy
    from lesson_text import AuthoringError
    from sim.errors import SimError
    from voice import VoiceError

    return (AuthoringError, VoiceError, SimError, EngineError, FolderBusy, RenderError, DerivationError,
            DiskFullError, MissingScenes, DeckError, TimingError, TrackUnreadable)


def recording_of(config, traces, dry_run: bool, log):
    """The recording a run renders from (lecture.runner.recording)."""
    from lecture.runner.recording import given_traces, lesson_traces
    from paths import DEFAULT_LESSON

    return given_traces(traces) if traces else lesson_traces(config or DEFAULT_LESSON, log=log, dry_run=dry_run)


def quality_root(recording, quality: str, out: str | None) -> Path:
    return Path(out).resolve() if out else layout.quality_dir(recording.lesson, quality)
