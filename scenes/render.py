"""Render scenes to ``out/<quality>/<Scene>.mp4``: ``python -m scenes.render [SCENE...] [options]``.

Each scene renders in its own ``manim`` process (``-j N`` at a time) into a private work
directory; the finished video is renamed into place, so an interrupted or failed render never
replaces a good video. A scene whose inputs (its code, the shared scene code, the traces it
reads, the text and pacing files, quality, language, versions) are unchanged since its last
render is skipped.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from scenes import SCENES
from sim.config import REPO
from sim.trace import read_meta

QUALITIES = {  # name -> (manim flag, resolution, x264 preset)
    "preview": ("l", "480p15", "veryfast"),
    "hd": ("h", "1080p60", "veryfast"),
    "4k": ("k", "2160p60", "medium"),
}
NOT_DRAWING = {"render.py", "bench.py"}  # scenes/ modules that no video depends on


def scene_code(scene: str) -> list[Path]:
    """The scene's own module and every shared one (any scenes/ module that is neither another
    scene nor a tool), so a change to shared code makes every video stale."""
    own = SCENES[scene].module.split(".")[1] + ".py"
    others = {e.module.split(".")[1] + ".py" for e in SCENES.values()} - {own}
    return sorted(p for p in (REPO / "scenes").glob("*.py") if p.name not in others | NOT_DRAWING)


class RenderError(Exception):
    pass


@dataclass(frozen=True)
class Job:
    scene: str
    quality: str
    lang: str
    traces: Path
    out: Path
    video: Path  # pacing file
    cache: Path = REPO / "out" / ".cache"  # LaTeX and text SVGs, kept between renders


    @property
    def target(self) -> Path:
        return self.out / f"{self.scene}.mp4"

    @property
    def stamp(self) -> Path:
        return self.out / ".stamps" / f"{self.scene}.json"


def inputs_of(job: Job) -> dict:
    """Everything a scene's video depends on, as hashes: equal inputs give an equal video."""
    import manim

    sha = lambda p: hashlib.sha256(Path(p).read_bytes()).hexdigest()  # noqa: E731
    traces = {}
    for name in SCENES[job.scene].traces:
        meta = read_meta(job.traces, name)
        traces[name] = {"arrays_sha256": meta["arrays_sha256"], "config_sha256": meta["config"]["sha256"],
                        "source_sha256": meta["source_sha256"]}  # sim/ code the scenes also import
    return {
        "scene": job.scene, "quality": job.quality, "lang": job.lang,
        "code": {p.name: sha(p) for p in scene_code(job.scene)},
        "text": sha(REPO / "assets" / "text" / f"{job.lang}.toml"),
        "narration": {p.name: sha(p) for p in sorted((REPO / "assets" / "narration").glob("*.toml"))},
        "pacing": sha(job.video),
        "traces": traces,
        "manim": manim.__version__,
    }


def is_current(job: Job, inputs: dict) -> bool:
    try:
        return job.target.is_file() and json.loads(job.stamp.read_text())["inputs"] == inputs
    except (OSError, ValueError, KeyError):
        return False


def render(job: Job, inputs: dict) -> tuple[str, float]:
    """Render one scene; return (what happened, seconds)."""
    if is_current(job, inputs):
        return "unchanged, not rendered again", 0.0
    flag, resolution, preset = QUALITIES[job.quality]
    module = SCENES[job.scene].module
    work = job.out / ".work" / job.scene
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    log = job.out / "logs" / f"{job.scene}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO), "LECTURE_TRACES": str(job.traces),
           "LECTURE_LANG": job.lang, "LECTURE_VIDEO": str(job.video), "LECTURE_BEATS": str(work)}
    # LaTeX and Pango results are content-addressed and kept per scene between renders (one
    # directory per scene, so parallel renders never read each other's half-written files).
    cache = job.cache / job.scene
    (work / "manim.cfg").write_text(f"[CLI]\ntex_dir = {cache / 'Tex'}\ntext_dir = {cache / 'texts'}\n")
    cmd = [sys.executable, "-m", "manim", "render", f"-q{flag}", "--disable_caching",
           "--config_file", str(work / "manim.cfg"),
           "--progress_bar", "none", "--media_dir", str(work), "--encoder-option", f"preset={preset}",
           str(REPO / module.replace(".", "/")) + ".py", job.scene]
    start = time.perf_counter()
    with open(log, "w") as fh:
        done = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env, cwd=work)
    seconds = time.perf_counter() - start
    produced = list(work.glob(f"videos/**/{resolution}/{job.scene}.mp4"))
    if done.returncode != 0 or len(produced) != 1:
        tail = "".join(log.read_text(errors="replace").splitlines(True)[-15:])
        raise RenderError(f"{job.scene} failed (exit {done.returncode}); the last lines of {log}:\n{tail}")
    beats = work / f"{job.scene}.beats.json"
    if not beats.is_file():
        raise RenderError(f"{job.scene} wrote no {beats.name}: is it a LessonScene?")
    for srt in work.glob(f"videos/**/{resolution}/{job.scene}.srt"):
        os.replace(srt, job.out / srt.name)  # Manim's subcaptions, in the render language
    os.replace(beats, job.out / beats.name)
    os.replace(produced[0], job.target)  # same file system: atomic
    job.stamp.parent.mkdir(exist_ok=True)
    tmp = job.stamp.with_suffix(".tmp")
    tmp.write_text(json.dumps({"inputs": inputs, "render_seconds": round(seconds, 2)}, indent=1))
    os.replace(tmp, job.stamp)
    shutil.rmtree(work, ignore_errors=True)
    return f"rendered in {seconds:.1f} s", seconds


def parse(argv) -> argparse.Namespace:
    from scenes.settings import languages

    parser = argparse.ArgumentParser(prog="./render.sh", description="Render the lesson's scenes.")
    parser.add_argument("scenes", nargs="*", metavar="SCENE", help="scenes to render (default: all, in lesson order)")
    parser.add_argument("--quality", default="preview", help="preview (480p15), hd (1080p60) or 4k (2160p60)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="scenes rendered at once")
    parser.add_argument("--lang", default="zh", help="language of the on-screen text: " + ", ".join(languages()))
    parser.add_argument("--traces", default=str(REPO / "traces"), help="trace directory (default: traces/)")
    parser.add_argument("--out", default=None, help="output directory (default: out/<quality>/)")
    parser.add_argument("--force", action="store_true", help="render even if unchanged")
    parser.add_argument("--check", action="store_true", help="only check the arguments")
    parser.add_argument("--burn-subtitles", action="store_true",
                        help="draw the --lang subtitles into lecture.mp4 (re-encodes it)")
    parser.add_argument("--voice", action="store_true",
                        help="add a scratch narration track read by espeak-ng (needs espeak-ng)")
    parser.add_argument("--no-lecture", action="store_true",
                        help="render the scenes only (no lecture.mp4, subtitles, posters, handout)")
    args = parser.parse_args(argv)
    problems = []
    unknown = [s for s in args.scenes if s not in SCENES]
    if unknown:
        problems.append(f"unknown scene {', '.join(unknown)}; valid scenes: {', '.join(SCENES)}")
    if args.quality not in QUALITIES:
        problems.append(f"unknown quality '{args.quality}'; valid qualities: {', '.join(QUALITIES)}")
    if args.lang not in languages():
        problems.append(f"unknown language '{args.lang}'; valid languages: {', '.join(languages())}")
    if args.jobs < 1:
        problems.append(f"-j {args.jobs}: give at least 1")
    if problems:
        parser.error("; ".join(problems) + ". Nothing was rendered")
    return args


def main(argv=None) -> int:
    from scenes.settings import pacing, video_file
    from sim.errors import SimError

    args = parse(argv)
    if args.check:
        return 0
    names = args.scenes or list(SCENES)
    out = Path(args.out or REPO / "out" / args.quality).resolve()
    try:
        pacing(video_file())  # a bad pacing file stops everything before any render starts
        jobs = [Job(s, args.quality, args.lang, Path(args.traces).resolve(), out, video_file().resolve())
                for s in sorted(names, key=list(SCENES).index)]
        inputs = {job.scene: inputs_of(job) for job in jobs}
    except (SimError, OSError, KeyError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    if args.force:
        for job in jobs:
            job.stamp.unlink(missing_ok=True)
    print(f"rendering {len(jobs)} scene(s) at {args.quality} ({QUALITIES[args.quality][1]}), "
          f"language {args.lang}, {min(args.jobs, len(jobs))} at a time, into {out}/")
    start, failed = time.perf_counter(), []
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {job.scene: pool.submit(render, job, inputs[job.scene]) for job in jobs}
        for job in jobs:
            try:
                what, _ = futures[job.scene].result()
                print(f"  {job.target.relative_to(REPO) if job.target.is_relative_to(REPO) else job.target}: {what}")
            except RenderError as exc:
                failed.append(job.scene)
                print(f"  error: {exc}", file=sys.stderr)
    print(f"done in {time.perf_counter() - start:.1f} s wall time" +
          (f"; FAILED: {', '.join(failed)} (the previous videos, if any, are untouched)" if failed else ""))
    if failed:
        return 1
    if not args.scenes and not args.no_lecture:
        from lecture.build import build

        build(out, Path(args.traces).resolve(), args.lang, args.quality,
              burn_subtitles=args.burn_subtitles, voice=args.voice)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted: finished videos are in place; unfinished ones were not touched", file=sys.stderr)
        sys.exit(130)
