"""``python -m lecture build|check``: the publishable lecture from the rendered scenes.

``build`` (run by ./render.sh after the scenes): lecture.mp4 with chapters, chapters.txt,
subtitles in every narration language (SRT and WebVTT, per scene and for the lecture),
posters and a contact sheet, the handout (PNG figures and a PDF) and manifest.json.
``check``: the lecture plays in a real browser (headless Chromium).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.config import REPO
from sim.errors import SimError


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lecture", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("build", "check"):
        p = sub.add_parser(name)
        p.add_argument("--quality", default="preview")
        p.add_argument("--lang", default="zh", help="language of chapter titles and of the contact sheet")
        p.add_argument("--out", default=None, help="the scenes' directory (default: out/<quality>/)")
        p.add_argument("--traces", default=str(REPO / "traces"))
    args = parser.parse_args(argv)
    out = Path(args.out or REPO / "out" / args.quality).resolve()
    try:
        if args.command == "build":
            from lecture.build import build

            build(out, Path(args.traces).resolve(), args.lang, args.quality)
        else:
            from lecture.check import check

            check(out / "lecture.mp4")
    except (SimError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
