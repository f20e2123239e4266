"""``./render.sh [SCENE...] [options]``: render the lesson's scenes, then publish each cut.

``./render.sh status [options]`` is the same with ``--dry-run``: what would be redone, and why.
The work is done by the rooms (lecture.commands.session says in which order).
"""
from __future__ import annotations

import argparse

from lecture.commands import arguments
from lecture.commands.session import entry, render


def parse(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="./render.sh", description="Render the lesson's scenes and lecture.")
    arguments.add_render(parser)
    args = arguments.parse(parser, argv, langs=lambda a: [lang for lang in a.lang.split(",") if lang])
    args.langs = [lang for lang in args.lang.split(",") if lang]
    return args


def main(argv=None) -> int:
    return render(parse(argv))


if __name__ == "__main__":
    entry(main)
