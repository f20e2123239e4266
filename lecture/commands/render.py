"""``./render.sh [SCENE...] [options]``: render the lesson's scenes, then publish each cut.

``./render.sh status [options]`` is the same with ``--dry-run``: what would be redone, and why.
The work is done by the rooms (lecture.commands.session says in which order).
"""
from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext

from lecture.commands import arguments
from lecture.commands.session import (CutSpec, Options, check_before_anything, quality_root, recording_of, report,
                                      run_cuts, user_errors)
from lecture.runner.jobs import QUALITIES
from lecture.store import layout
from lecture.store.layout import shown


def parse(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="./render.sh", description="Render the lesson's scenes and lecture.")
    arguments.add_source(parser)
    parser.add_argument("--lang", default="zh", help="language(s) of the cut, comma-separated (default: zh)")
    arguments.add_common(parser)
    parser.add_argument("--burn-subtitles", action="store_true",
                        help="also write lecture.burned.mp4, with the --lang subtitles drawn in (re-encoded)")
    parser.add_argument("--no-lecture", action="store_true",
                        help="render the scenes only (no lecture.mp4, subtitles, posters, handout, page)")
    args = parser.parse_args(argv)
    args.langs = [lang for lang in args.lang.split(",") if lang]
    problems = arguments.problems(args, args.langs)
    if problems:
        parser.error("; ".join(problems) + ". Nothing was rendered")
    return args


def main(argv=None) -> int:
    args = parse(argv)
    options = Options(scenes=args.scenes, jobs=args.jobs, force=args.force, engine=args.engine, address=args.address,
                      voice=args.voice, takes=args.takes, burn=args.burn_subtitles, lecture=not args.no_lecture,
                      wait=args.wait, dry_run=args.dry_run)
    try:
        check_before_anything(options, args.langs)
        from lecture.runner.engines import make_engine

        engine = make_engine(args.engine, args.jobs, args.address)
        with nullcontext() if args.dry_run else engine:  # a cluster that refuses us: said before anything is written
            recording = recording_of(args.config, args.traces, args.dry_run, print)
            if recording.to_record:
                print(f"traces: {shown(recording.traces)} would be recorded first ({recording.to_record}); then every "
                      f"scene that reads a changed trace is rendered again")
                return 0
            root = quality_root(recording, args.quality, args.out)
            cuts = [CutSpec(recording.traces, args.quality, lang, layout.cut_dir(root, lang)) for lang in args.langs]
            verb = "what would be redone" if args.dry_run else "rendering"
            print(f"{verb}: lesson '{recording.lesson}' at {args.quality} ({QUALITIES[args.quality][1]}), language "
                  f"{', '.join(args.langs)}, voice {args.voice}, from {shown(recording.traces)}"
                  f"{' (read only)' if recording.given else ''} into {shown(root)}/")
            return run_cuts(cuts, options, engine)
    except user_errors() as error:
        return report(error)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted: finished videos are in place; unfinished ones were not touched", file=sys.stderr)
        sys.exit(130)
