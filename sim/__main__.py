"""Command line: ``python -m sim record|status|summary [--out DIR] [--config FILE]``.

``record`` runs every lesson computation and writes the traces; ``status`` says whether the
traces in DIR are complete and were made by this code from this config (exit 0) or not (exit 1);
``summary`` prints the key numbers of the recorded runs (for writing narration).
"""
from __future__ import annotations

import time

_T0 = time.perf_counter()

import argparse  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from sim.config import DEFAULT_LESSON, REPO, load_lesson  # noqa: E402
from sim.errors import SimError  # noqa: E402


def _args(argv):
    parser = argparse.ArgumentParser(prog="python -m sim", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (("record", "record every trace"), ("status", "are the traces present and current?"),
                       ("summary", "print the key numbers of the recorded runs")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--out", default=str(REPO / "traces"), help="trace directory (default: traces/)")
        if name != "summary":  # summary reads everything from the traces
            p.add_argument("--config", default=str(DEFAULT_LESSON),
                           help="lesson file (default: assets/lessons/default.toml)")
    return parser.parse_args(argv)


def _record(lesson, out: Path) -> int:
    import numpy as np

    import sim.paddle_env  # noqa: F401  (Paddle is imported once, for every trace)
    from sim.closed_form import stable_lr_bound

    imported = time.perf_counter() - _T0
    bound = stable_lr_bound(np.asarray(lesson.linreg.data)[:, 0])
    if lesson.linreg.learning_rate >= bound:
        print(f"warning: linreg.learning_rate = {lesson.linreg.learning_rate:g} is at or above the stable "
              f"bound {bound:.4g} for this data: the regression will diverge", file=sys.stderr)
    from sim.record import record_all

    print(f"recording the traces of lesson '{lesson.name}' ({lesson.source}) into {out}/")
    index = record_all(lesson, out)
    total = time.perf_counter() - _T0
    print(f"wrote {len(index['traces'])} traces (.npz + .json each) and {out / 'index.json'} "
          f"in {total:.1f} s wall time, {imported:.1f} s of it starting Python and importing Paddle")
    return 0


def _status(lesson, out: Path) -> int:
    from sim.record import staleness

    problems = staleness(lesson, out)
    if problems:
        print(f"traces in {out}/ are stale or missing:\n  " + "\n  ".join(problems))
        return 1
    print(f"traces in {out}/ are current for {lesson.source}")
    return 0


def _summary(out: Path) -> int:
    from sim.summary import summary_lines

    print("\n".join(summary_lines(out)))
    return 0


def main(argv=None) -> int:
    args = _args(argv)
    try:
        out = Path(args.out).resolve()
        if args.command == "summary":
            return _summary(out)
        lesson = load_lesson(args.config)  # every value checked before anything runs
        return _record(lesson, out) if args.command == "record" else _status(lesson, out)
    except SimError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"\ninterrupted: nothing was written; the traces in {args.out} are as they were", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
