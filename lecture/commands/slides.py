"""``./render.sh slides [SCENE...] [--quality Q] [--lang L] [-j N] [--engine local|ray] [--force]``:
slides for teachers, in ``out/<quality>/<lang>/slides/``: a stop at every beat with its narration
as speaker notes (lecture.slides), rendered by the same engines as the videos, then
``lecture.html`` (RevealJS, one offline file) and ``lecture.pptx`` (lecture.slides.deck).
"""
from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext

from lecture.commands import arguments
from lecture.commands.session import (CutSpec, Options, check_before_anything, quality_root, recording_of, report,
                                      run_cuts, user_errors)
from lecture.store import layout


def parse(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="./render.sh slides", description=__doc__.split("\n\n")[0])
    arguments.add_source(parser)
    parser.add_argument("--lang", default="zh", help="language of the text and notes (default: zh)")
    arguments.add_common(parser, voice=False)
    args = parser.parse_args(argv)
    problems = arguments.problems(args, [args.lang])
    if problems:
        parser.error("; ".join(problems) + ". Nothing was rendered")
    return args


def main(argv=None) -> int:
    args = parse(argv)
    options = Options(scenes=args.scenes, jobs=args.jobs, force=args.force, engine=args.engine, address=args.address,
                      lecture=False, wait=args.wait, dry_run=args.dry_run, kind="slides")
    try:
        check_before_anything(options, [args.lang])
        from lecture.runner.engines import make_engine

        engine = make_engine(args.engine, args.jobs, args.address)
        with nullcontext() if args.dry_run else engine:
            recording = recording_of(args.config, args.traces, args.dry_run, print)
            if recording.to_record:
                print(f"traces: would be recorded first ({recording.to_record}); then every slide is made again")
                return 0
            cut = layout.cut_dir(quality_root(recording, args.quality, args.out), args.lang)
            print(f"slides at {args.quality}, language {args.lang}, into {layout.shown(cut / 'slides')}/")
            code = run_cuts([CutSpec(recording.traces, args.quality, args.lang, cut)], options, engine)
        if code or args.scenes:
            return code
        from lecture.slides.deck import deck_product
        from lecture.store.products import bring_up_to_date
        from scenes import SCENES

        bring_up_to_date([deck_product(cut / "slides", list(SCENES), args.lang, args.quality)], force=args.force,
                         dry_run=args.dry_run)
        return 0
    except user_errors() as error:
        return report(error)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted: finished slides are in place; unfinished ones were not touched", file=sys.stderr)
        sys.exit(130)
