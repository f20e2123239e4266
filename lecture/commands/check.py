"""``./render.sh check [--quality Q] [--out DIR]``: the lecture plays in a real browser (headless
Chromium; lecture.page.playback)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lecture.commands.session import report, user_errors
from paths import OUT


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="./render.sh check", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quality", default="preview")
    parser.add_argument("--lang", default="zh")
    parser.add_argument("--out", default=None, help="the language cut's directory (default: out/<quality>/<lang>/)")
    args = parser.parse_args(argv)
    from lecture.page.playback import check

    try:
        check(Path(args.out or OUT / args.quality / args.lang).resolve() / "lecture.mp4")
    except user_errors() as error:
        return report(error)
    return 0


if __name__ == "__main__":
    sys.exit(main())
