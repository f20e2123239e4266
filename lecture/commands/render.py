"""``./render.sh [SCENE...] [options]``: render the lesson's scenes, then publish each cut.

``./render.sh status [options]`` is the same with ``--dry-run``: what would be redone, and why.
The work is done by the rooms (lecture.commands.session says in which order).
"""
from __future__ import annotations

import argparse

from lecture.commands import arguments
from lecture.commands.session import CutSpec, Options, entry, report, run_cuts, started, user_errors
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
    parser.add_argument("--strict-captions", action="store_true",
                        help="fail the run (exit 1) when a subtitle file breaks the timed-text standard "
                             "(default: print each failing cue with its fix as a warning)")
    parser.add_argument("--no-lecture", action="store_true",
                        help="render the scenes only (no lecture.mp4, subtitles, posters, handout, page)")
    args = arguments.parse(parser, argv, langs=lambda a: [lang for lang in a.lang.split(",") if lang])
    args.langs = [lang for lang in args.lang.split(",") if lang]
    return args


def main(argv=None) -> int:
    args = parse(argv)
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


if __name__ == "__main__":
    entry(main)
