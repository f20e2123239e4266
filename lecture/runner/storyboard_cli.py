"""``python -m lecture.runner.storyboard_cli --media DIR SCENE=CACHE...``: the scenes'
storyboards, run in this process with animations skipped (no frames, no video).

Each scene's ``construct()`` runs as in a render, in storyboard mode (``LECTURE_MODE=storyboard``,
see scenes/lesson.py: beats are recorded, nothing is held or subtitled), and writes
``$LECTURE_BEATS/<Scene>.beats.json``: its beats in order, each with the values it passes to
its line. Several scenes share one process (Manim is imported once). A scene that reads a
string it cannot fill stops with an AuthoringError: it is written to ``$LECTURE_ERRORS`` (JSON)
for the caller to print, and the other scenes still run; the exit is 2. Started by
``lecture.runner.manim_process.run_storyboards``.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m lecture.runner.storyboard_cli")
    parser.add_argument("--media", type=Path, required=True, help="scratch directory for Manim")
    parser.add_argument("scenes", nargs="+", metavar="SCENE=CACHE", help="a scene and its LaTeX and text SVG cache")
    args = parser.parse_args(argv)
    from manim import tempconfig

    from lesson_text import AuthoringError
    from scenes import SCENES

    problems = []
    for item in args.scenes:
        name, cache = item.split("=", 1)
        cls = getattr(importlib.import_module(SCENES[name].module), name)
        settings = {"quality": "low_quality", "write_to_movie": False, "save_last_frame": True,
                    "disable_caching": True, "verbosity": "WARNING", "progress_bar": "none",
                    "notify_outdated_version": False, "media_dir": str(args.media),
                    "tex_dir": str(Path(cache) / "Tex"), "text_dir": str(Path(cache) / "texts")}
        try:
            with tempconfig(settings):
                cls().render()
        except AuthoringError as error:
            problems += [{"scene": name, "message": str(p), "warning": p.warning} for p in error.problems]
    if problems:
        Path(os.environ["LECTURE_ERRORS"]).write_text(json.dumps(problems, ensure_ascii=False), encoding="utf-8")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
