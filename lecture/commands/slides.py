"""``./render.sh slides [SCENE...] [--quality Q] [--lang L] [-j N] [--engine local|ray] [--force]``:
slides for teachers, in ``out/<quality>/<lang>/slides/``: a stop at every beat with its narration
as speaker notes (lecture.slides), rendered by the same engines as the videos, then
``lecture.html`` (RevealJS, one offline file) and ``lecture.pptx`` (lecture.slides.deck).
"""
from __future__ import annotations

import argparse

from lecture.commands import arguments
from lecture.commands.session import CutSpec, Options, entry, report, run_cuts, started, user_errors
from lecture.store import layout


def parse(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="./render.sh slides", description=__doc__.split("\n\n")[0])
    arguments.add_source(parser)
    parser.add_argument("--lang", default="zh", help="language of the text and notes (default: zh)")
    arguments.add_common(parser, voice=False)
    return arguments.parse(parser, argv, langs=lambda a: [a.lang])


def main(argv=None) -> int:
    args = parse(argv)
    options = Options.of(args, lecture=False, kind="slides")
    try:
        with started(options, [args.lang], args.config, args.traces, args.quality, args.out) as (engine, recording, root):
            if recording.to_record:
                print(f"traces: would be recorded first ({recording.to_record}); then every slide is made again")
                return 0
            cut = layout.cut_dir(root, args.lang)
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
    entry(main, 'slides')
