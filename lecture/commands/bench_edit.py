"""``./render.sh bench --edit-loop [--quality preview|hd] [--scenes A,B]``: what one edit costs,
measured as a producer meets it (prints figures, asserts nothing).

In a sandbox (a copy of this repository's code and assets, its own ``out/``, the traces, and
copies of the LaTeX, text, storyboard and voice caches; ``.venv/`` and ``.voices/`` linked, so
nothing is installed and no file of the repository is touched):

1. ``./render.sh --quality Q`` once, to start from a finished lecture (its time is printed);
2. for each scene: two characters added to its first Chinese narration line, then
   ``./render.sh --quality Q``, timed whole (set-up check, narration, render, lecture, page), with
   the scene's re-render time and how many of its animations came from Manim's partial movies;
   then the same scene rendered cold alone (its partial movies removed, ``--force``), the
   budget's reference;
3. one English line changed: which scenes of the zh cut are rendered again (none should be),
   and what is published again.

The machine is shared: compare figures from one sitting.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from paths import OUT, REPO
from scenes import SCENES

IGNORED = (".venv", ".voices", "out", ".git", "__pycache__", "*.pyc", "tests")


def sandbox(root: Path) -> Path:
    repo = root / "repo"
    shutil.copytree(REPO, repo, ignore=shutil.ignore_patterns(*IGNORED))
    for linked in (".venv", ".voices"):
        if (REPO / linked).exists():
            (repo / linked).symlink_to(REPO / linked)
    for cache in (".cache", ".voice-cache"):  # content-addressed: a copy is as good as the original
        if (OUT / cache).is_dir():
            shutil.copytree(OUT / cache, repo / "out" / cache)
    return repo


def render(repo: Path, *args: str) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(["./render.sh", *args], cwd=repo, capture_output=True, text=True,
                          env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"./render.sh {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return seconds, done.stdout


def rendered(output: str) -> dict[str, float]:
    """scene -> seconds, for every scene the run rendered."""
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"^\s+(\w+) \[\w+\]: .*: rendered in ([\d.]+) s",
                                                                output, re.M)}


def cached(repo: Path, quality: str, scene: str) -> tuple[int, int]:
    log = (repo / "out" / quality / "zh" / "logs" / f"{scene}.log").read_text(encoding="utf-8")
    animations = set(re.findall(r"Animation (\d+) :", log))
    return len(set(re.findall(r"Animation (\d+) : Using cached", log))), len(animations)


def add_two_characters(repo: Path, scene: str, lang: str = "zh") -> str:
    path = repo / "assets" / "narration" / f"{lang}.toml"
    text = path.read_text(encoding="utf-8")
    section = text.index(f"[{SCENES[scene].key}]")
    line = re.compile(r'^(\w+) = "', re.M).search(text, section)
    extra = "好，" if lang == "zh" else "So, "
    path.write_text(text[:line.end()] + extra + text[line.end():], encoding="utf-8")
    return line.group(1)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="./render.sh bench --edit-loop", description=__doc__.split("\n\n")[0])
    parser.add_argument("--edit-loop", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--quality", default="preview", choices=("preview", "hd"))
    parser.add_argument("--scenes", default=",".join(SCENES), help="comma-separated scenes to edit")
    parser.add_argument("--keep", type=Path, default=None, help="keep the sandbox in this folder")
    args = parser.parse_args(argv)
    q = ["--quality", args.quality]
    with tempfile.TemporaryDirectory(prefix="edit-loop-") as tmp:
        root = args.keep or Path(tmp)
        repo = sandbox(root)
        seconds, _ = render(repo, *q)
        print(f"edit loop at {args.quality}, sandbox {repo}: the first ./render.sh (caches copied) took {seconds:.1f} s")
        print(f"{'scene':<22}{'beat':<18}{'./render.sh':>12}{'re-render':>11}{'cached':>9}{'cold':>8}{'budget':>9}")
        for scene in args.scenes.split(","):
            beat = add_two_characters(repo, scene)
            total, output = render(repo, *q)
            again = rendered(output)
            hits, plays = cached(repo, args.quality, scene)
            shutil.rmtree(repo / "out" / args.quality / "zh" / ".segments" / scene, ignore_errors=True)
            _, cold_output = render(repo, scene, "--force", "--no-lecture", "-j", "1", *q)
            cold = rendered(cold_output).get(scene, float("nan"))
            others = sorted(set(again) - {scene})
            print(f"{scene:<22}{beat:<18}{total:>10.1f} s{again.get(scene, 0):>9.1f} s{hits:>5}/{plays:<3}"
                  f"{cold:>6.1f} s{cold + (15 if args.quality == 'preview' else 20):>7.1f} s"
                  + (f"   also rendered: {', '.join(others)}" if others else ""), flush=True)
            render(repo, *q)  # the lecture again, with the cold scene (not timed)
        scene = args.scenes.split(",")[0]
        beat = add_two_characters(repo, scene, "en")
        total, output = render(repo, *q)
        made = re.findall(r"^\s+(\S.*?): made in", output, re.M)
        print(f"one en line changed ({SCENES[scene].key}.{beat}): ./render.sh (zh cut) {total:.1f} s, zh scenes "
              f"rendered again: {len(rendered(output))}; made again: {', '.join(made) or 'nothing'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
