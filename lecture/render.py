"""``./render.sh [SCENE...] [options]``: render the lesson's scenes, then assemble each lecture.

The recording comes from ``lecture.recording`` (a ``--traces`` directory is only read), the
directories from ``lecture.layout``, each scene from a ``lecture.jobs.Job``. A lecture whose
inputs (its scenes' inputs, the traces, the text files, the options) are unchanged since it was
assembled is not assembled again.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from lecture import layout
from lecture.layout import shown
from lecture.jobs import QUALITIES, Job, inputs_of, sha256, write_json
from paths import ASSETS, DEFAULT_LESSON, NARRATION_DIR, REPO, TEXT_DIR
from scenes import SCENES


def parse(argv) -> argparse.Namespace:
    from scenes.settings import languages

    parser = argparse.ArgumentParser(prog="./render.sh", description="Render the lesson's scenes and lecture.")
    parser.add_argument("scenes", nargs="*", metavar="SCENE", help="scenes to render (default: all, in lesson order)")
    parser.add_argument("--quality", default="preview", help="preview (480p15), hd (1080p60) or 4k (2160p60)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="scenes rendered at once")
    parser.add_argument("--lang", default="zh", help="language(s) of the cut, comma-separated: " + ", ".join(languages()))
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--config", default=None, metavar="FILE",
                        help="lesson file; recorded into traces/<lesson>/ when needed (default: the lesson)")
    source.add_argument("--traces", default=None, metavar="DIR",
                        help="render this recording as it is (it is never written to)")
    parser.add_argument("--out", default=None, metavar="DIR",
                        help="quality directory; each language's cut goes to DIR/<lang>/ "
                             "(default: out/<quality>/, for a variant out/<lesson>/<quality>/)")
    parser.add_argument("--force", action="store_true", help="render even if unchanged")
    parser.add_argument("--engine", default="local", choices=("local", "ray"),
                        help="local: manim processes on this machine (default); ray: one Ray task per scene")
    parser.add_argument("--address", default=None, metavar="HOST:PORT",
                        help="with --engine ray: the cluster's head (default: start a local Ray instance)")
    parser.add_argument("--burn-subtitles", action="store_true",
                        help="draw the --lang subtitles into lecture.mp4 (re-encodes it)")
    parser.add_argument("--voice", nargs="?", const="espeak", default="none", metavar="SOURCE",
                        help="narration that sets each beat's length: neural (offline neural voices), recorded "
                             "(your takes, see --takes), espeak (scratch voice; a bare --voice), none (silent; "
                             "the default here, ./render.sh defaults to neural)")
    parser.add_argument("--takes", type=Path, default=None, metavar="DIR",
                        help="with --voice recorded: the takes, DIR/<lang>/<Scene>/<beat>.wav|.flac "
                             "(default: assets/voice/; ./render.sh script writes where each goes)")
    parser.add_argument("--no-lecture", action="store_true",
                        help="render the scenes only (no lecture.mp4, subtitles, posters, handout)")
    args = parser.parse_args(argv)
    args.langs = [lang for lang in args.lang.split(",") if lang]
    problems = []
    unknown = [s for s in args.scenes if s not in SCENES]
    if unknown:
        problems.append(f"unknown scene {', '.join(unknown)}; valid scenes: {', '.join(SCENES)}")
    if args.quality not in QUALITIES:
        problems.append(f"unknown quality '{args.quality}'; valid qualities: {', '.join(QUALITIES)}")
    bad = [lang for lang in args.langs if lang not in languages()] or ([] if args.langs else ["(none)"])
    if bad:
        problems.append(f"unknown language '{','.join(bad)}'; valid languages: {', '.join(languages())}")
    if args.jobs < 1:
        problems.append(f"-j {args.jobs}: give at least 1")
    if args.address and args.engine != "ray":
        problems.append("--address needs --engine ray")
    if args.voice not in VOICES:
        problems.append(f"unknown voice '{args.voice}'; valid voices: {', '.join(VOICES)}")
    if args.takes and args.voice != "recorded":
        problems.append("--takes needs --voice recorded")
    if problems:
        parser.error("; ".join(problems) + ". Nothing was rendered")
    return args


VOICES = ("neural", "recorded", "espeak", "none")


def voice_of(args) -> str:
    """The --voice source of ``args`` (older callers pass a bool: True was the espeak scratch track)."""
    voice = getattr(args, "voice", "none")
    return "espeak" if voice is True else (voice or "none")


# The modules that make an assembled lecture from its scenes (not the orchestration around them).
BUILD_CODE = ("build.py", "assemble.py", "subtitles.py", "posters.py", "handout.py", "burn.py")


def lecture_inputs(cut: Path, traces: Path, jobs: list[Job], options: dict) -> dict:
    """What an assembled lecture depends on beyond its scenes' videos."""
    names = sorted({name for entry in SCENES.values() for name in entry.traces})
    return {"scenes": {job.scene: json.loads(job.stamp.read_text())["inputs"] for job in jobs},
            "traces": {name: sha256(traces / f"{name}.json") for name in names},
            "text": {p.name: sha256(p) for p in sorted([*TEXT_DIR.glob("*.toml"), *NARRATION_DIR.glob("*.toml")])},
            "code": {name: sha256(REPO / "lecture" / name) for name in BUILD_CODE if (REPO / "lecture" / name).is_file()},
            "options": options}


def assemble(cut: Path, traces: Path, lang: str, quality: str, jobs: list[Job], args) -> None:
    stamp = cut / ".stamps" / "lecture.json"
    voice = voice_of(args)
    inputs = lecture_inputs(cut, traces, jobs, {"burn_subtitles": args.burn_subtitles, "voice": voice})
    try:
        current = json.loads(stamp.read_text())["inputs"] == inputs and (cut / "manifest.json").is_file()
    except (OSError, ValueError, KeyError):
        current = False
    if current and not args.force:
        print(f"lecture: {cut / 'lecture.mp4'} unchanged, not assembled again")
        return
    from lecture.build import build  # matplotlib and PyAV: imported only when there is work

    build(cut, traces, lang, quality, burn_subtitles=args.burn_subtitles, voice=voice)
    write_json(stamp, {"inputs": inputs})


def publish_page(root: Path, traces: Path, force: bool) -> None:
    """The students' page of this quality (lecture.page), made again only when a cut, the
    traces, the page's sources or the text files changed."""
    from scenes.settings import DEFAULT_LANG, languages

    page_assets = ASSETS / "page"

    langs = sorted(languages(), key=lambda lang: lang != DEFAULT_LANG)
    site = layout.site_dir(root)
    sources = [*sorted(page_assets.glob("*")), *sorted((REPO / "lecture" / "page").glob("*.py")),
               *sorted(TEXT_DIR.glob("*.toml"))]
    inputs = {"langs": langs,
              "cuts": {lang: sha256(root / lang / ".stamps" / "lecture.json") for lang in langs
                       if (root / lang / ".stamps" / "lecture.json").is_file()},
              "traces": {p.name: sha256(p) for p in sorted(traces.glob("*.json"))},
              "sources": {str(p.relative_to(REPO)): sha256(p) for p in sources if p.is_file()}}
    stamp = root / ".stamps" / "site.json"
    try:
        current = json.loads(stamp.read_text())["inputs"] == inputs and (site / "index.html").is_file()
    except (OSError, ValueError, KeyError):
        current = False
    if current and not force:
        print(f"page: {shown(site / 'index.html')} unchanged, not made again")
        return
    from lecture.page import build_site

    build_site(root, traces, langs)
    write_json(stamp, {"inputs": inputs})
    print(f"page: {shown(site / 'index.html')} (open it from disk, or ./render.sh page --serve)")


def main(argv=None) -> int:
    from lecture.progress import progress_display
    from lecture.recording import given_traces, lesson_traces
    from scenes.settings import pacing, video_file
    from sim.errors import SimError

    args = parse(argv)
    try:
        pacing(video_file())  # a bad pacing file stops everything before any render starts
        recording = given_traces(args.traces) if args.traces else lesson_traces(args.config or DEFAULT_LESSON)
        root = Path(args.out).resolve() if args.out else layout.quality_dir(recording.lesson, args.quality)
        names = sorted(args.scenes or SCENES, key=list(SCENES).index)
        jobs = [Job(s, args.quality, lang, recording.traces, layout.cut_dir(root, lang), video_file().resolve())
                for lang in args.langs for s in names]
        inputs = {job: inputs_of(job) for job in jobs}
    except (SimError, OSError, KeyError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for job in jobs:
        job.out.mkdir(parents=True, exist_ok=True)
        if args.force:
            job.stamp.unlink(missing_ok=True)
    if args.voice != "none":  # the clips first: their lengths set the scenes' timing
        from lecture.narrate import prepare_or_report

        jobs = prepare_or_report(jobs, args.voice, args.takes, args.jobs)
        if jobs is None:
            return 2
        inputs = {job: inputs_of(job) for job in jobs}
    print(f"rendering {len(jobs)} scene(s) of lesson '{recording.lesson}' at {args.quality} "
          f"({QUALITIES[args.quality][1]}), language {', '.join(args.langs)}, {min(args.jobs, len(jobs))} at a time, "
          f"from {shown(recording.traces)}{' (read only)' if recording.given else ''} into {shown(root)}/")
    start = time.perf_counter()
    from lecture.farm import FarmError, make_engine

    try:
        with progress_display() as progress:
            failed = make_engine(args.engine, args.jobs, args.address).run(jobs, inputs, progress)
    except FarmError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"done in {time.perf_counter() - start:.1f} s wall time" +
          (f"; FAILED: {', '.join(f'{j.scene} [{j.lang}]' for j in failed)} (the previous videos, if any, "
           "are untouched)" if failed else ""))
    if failed:
        return 1
    if args.scenes or args.no_lecture:
        return 0
    try:
        for lang in args.langs:
            assemble(layout.cut_dir(root, lang), recording.traces, lang, args.quality,
                     [job for job in jobs if job.lang == lang], args)
        publish_page(root, recording.traces, args.force)
    except (SimError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted: finished videos are in place; unfinished ones were not touched", file=sys.stderr)
        sys.exit(130)
