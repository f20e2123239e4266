"""``./render.sh catalogue FILE.toml``: a whole course, every job of it given to one engine at once.

The course file (lecture.runner.course) is checked before anything is recorded or rendered.
Each lesson goes to its own folders (lecture.store.layout), so lessons never overwrite each
other. Progress is shown per job and per lesson; a failed job is named with its worker and log,
the others go on, and the exit is non-zero at the end. Each cut whose scenes all rendered is
published. With ``--voice``, the narration of every job is made first, on this machine, and each
Ray task carries its clips.
"""
from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext
from pathlib import Path

from lecture.commands import arguments
from lecture.commands.session import CutSpec, Options, check_before_anything, entry, report, run_cuts, user_errors
from lecture.store import layout


def parse(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="./render.sh catalogue", description=__doc__.split("\n\n")[0])
    parser.add_argument("file", metavar="FILE.toml", help="the course file (e.g. assets/course.toml)")
    parser.add_argument("--out", default=None, metavar="DIR", help="instead of out/: DIR/<quality>/<lang>/ for "
                        "the default lesson, DIR/<lesson>/<quality>/<lang>/ for the others")
    parser.add_argument("--no-lecture", action="store_true", help="render the scenes only")
    arguments.add_common(parser)
    parser.set_defaults(engine="ray")
    return arguments.parse(parser, argv)


def main(argv=None) -> int:
    from lecture.runner.course import parse as parse_course
    from lecture.runner.engines import make_engine
    from lecture.runner.recording import given_traces, lesson_traces

    args = parse(argv)
    try:
        course = parse_course(args.file)
        options = Options.of(args, scenes=list(course.scenes), lecture=not args.no_lecture, per_lesson=True)
        check_before_anything(options, list(course.languages))
    except user_errors() as error:
        print(f"error: {error}\nNothing was recorded or rendered.", file=sys.stderr)
        return getattr(error, "exit_code", 2)
    try:
        engine = make_engine(args.engine, args.jobs, args.address)
        with nullcontext() if args.dry_run else engine:
            recordings = [given_traces(where) if kind == "traces" else lesson_traces(where, dry_run=args.dry_run)
                          for kind, where in course.lessons]
            lessons = [r.lesson for r in recordings]
            if len(set(lessons)) != len(lessons):
                from sim.errors import SimError

                raise SimError(f"two of the course's lessons are the lesson '{max(lessons, key=lessons.count)}'; list it once")
            cuts = []
            for rec in recordings:
                if rec.to_record:
                    print(f"lesson {rec.lesson}: its traces would be recorded first ({rec.to_record}); then its "
                          f"scenes are rendered again")
                    continue
                for quality in course.qualities:
                    root = layout.quality_dir(rec.lesson, quality)
                    if args.out:
                        root = Path(args.out).resolve() / root.relative_to(layout.OUT)
                    cuts += [CutSpec(rec.traces, quality, lang, layout.cut_dir(root, lang), lesson=rec.lesson)
                             for lang in course.languages]
            print(f"course {course.source.name}: {len(recordings)} lesson(s) ({', '.join(lessons)}) x "
                  f"{len(course.qualities)} quality(ies) x {len(course.languages)} language(s), engine {args.engine}"
                  f"{' at ' + args.address if args.address else ''}")
            return run_cuts(cuts, options, engine)
    except user_errors() as error:
        return report(error)


if __name__ == "__main__":
    entry(main)
