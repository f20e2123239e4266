"""``python -m lecture build|check|page|slides``: the publishable lecture from the rendered scenes.

``build`` (run by ./render.sh after the scenes): lecture.mp4 with chapters, chapters.txt,
subtitles in every narration language (SRT and WebVTT, per scene and for the lecture),
posters and a contact sheet, the handout (PNG figures and a PDF) and manifest.json.
``check``: the lecture plays in a real browser (headless Chromium).
``page``: the student page of a quality, ``out/<quality>/site/`` (lecture/page/).
``slides``: slides for teachers, ``out/<quality>/<lang>/slides/`` (lecture/slides.py).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from paths import REPO
from sim.errors import SimError


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["slides"]:  # slides for teachers: its own options (python -m lecture slides -h)
        from lecture.slides import main as slides

        return slides(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m lecture", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("build", "check"):
        p = sub.add_parser(name)
        p.add_argument("--quality", default="preview")
        p.add_argument("--lang", default="zh", help="language of chapter titles and of the contact sheet")
        p.add_argument("--out", default=None, help="the language cut's directory (default: out/<quality>/<lang>/)")
        p.add_argument("--traces", default=str(REPO / "traces"))
    page = sub.add_parser("page", help="the student page: <quality dir>/site/ (lecture/page/)")
    page.add_argument("--quality", default="preview")
    page.add_argument("--out", default=None, help="the quality's directory with the <lang>/ cuts (default: out/<quality>/)")
    page.add_argument("--traces", default=str(REPO / "traces"))
    page.add_argument("--serve", action="store_true", help="then serve the site on 127.0.0.1 until Ctrl-C")
    args = parser.parse_args(argv)
    if args.command == "page":
        from lecture.page.command import run

        return run(args)
    out = Path(args.out or REPO / "out" / args.quality / args.lang).resolve()
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
