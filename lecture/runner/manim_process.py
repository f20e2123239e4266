"""The one place that runs a Manim process: for a scene's video, its slides, the speed tool and
the storyboards of the narration pre-pass, locally or in a Ray task.

It owns:

* the **environment** of the process (``LECTURE_TRACES``, ``LECTURE_LANG``, ``LECTURE_VIDEO``,
  ``LECTURE_NARRATION``, ``LECTURE_BEATS``, ``LECTURE_ERRORS``, see scenes/settings.py);
* the **caches**: LaTeX and text SVGs per scene and language (``Job.text_cache``), and Manim's
  partial movies per scene in the cut (``Job.segments``), so that a scene rendered again renders
  only the animations whose hash changed; each held with a lock while the process runs;
* a **private scratch folder** per process (``CUT/.work/<Scene>-<pid>-...``), removed when it
  ends, whatever the outcome: two processes never write into one;
* the **atomic move** of what it made into place, and the **stamp**, written last.

A failure says what went wrong in one paragraph: an authoring error as the scene reported it
(``LECTURE_ERRORS``), a full disk with the folder, the space needed and the space free, or the
last lines of Manim's log.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from lecture.runner.jobs import QUALITIES, Job, RenderError
from lecture.store.files import DiskFullError, folder_bytes, free_bytes, move_into_place, write_json
from lecture.store.layout import shown, work_dir
from paths import REPO
from scenes import SCENES

RUNNER = "lecture.runner.manim_cli"
STORYBOARDS = "lecture.runner.storyboard_cli"
NO_SPACE = re.compile(r"No space left on device|\[Errno 28\]")
SEGMENTS_KEPT = 1000  # Manim's own limit on cached partial movies; this module prunes them itself


class AuthoringFailure(RenderError):
    """The scene stopped on a problem in the lesson's files (the message names file, key, fix)."""

    exit_code = 2

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


# --- the process ---------------------------------------------------------------------------------
def environment(job: Job, work: Path, mode: str = "render") -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("LECTURE_NARRATION", "LECTURE_MODE")}
    env.update(PYTHONPATH=str(REPO), LECTURE_TRACES=str(job.traces), LECTURE_LANG=job.lang,
               LECTURE_VIDEO=str(job.video), LECTURE_BEATS=str(work), LECTURE_ERRORS=str(work / "errors.json"))
    if mode == "storyboard":
        env["LECTURE_MODE"] = "storyboard"
    elif job.narration and job.kind == "video":  # slides are silent: the teacher speaks
        env["LECTURE_NARRATION"] = str(job.narration)
    return env


def config_file(job: Job, work: Path) -> Path:
    cache = job.text_cache()
    path = work / "manim.cfg"
    path.write_text("[CLI]\n"
                    f"tex_dir = {cache / 'Tex'}\ntext_dir = {cache / 'texts'}\n"
                    f"partial_movie_dir = {job.segments()}\nmax_files_cached = {SEGMENTS_KEPT}\n"
                    "notify_outdated_version = False\n", encoding="utf-8")
    return path


def slide_script(job: Job, work: Path) -> Path:
    """The file Manim is given for a scene's slides: the scene as a slide class
    (lecture.slides.slide_classes), only that one, so the job imports only its own scene."""
    path = work / f"{job.scene}_slides.py"
    path.write_text(f'"""{job.scene} as slides, for Manim (written by lecture.runner.manim_process)."""\n'
                    "from lecture.slides.slide_classes import slide_class\n\n"
                    f'{job.scene} = slide_class("{job.scene}")\n{job.scene}.__module__ = __name__\n', encoding="utf-8")
    return path


def command(job: Job, work: Path, progress: str = "display", stock: bool = False) -> list[str]:
    """The command line that renders ``job`` into ``work``: Manim's CLI through
    ``lecture.runner.manim_cli`` (``stock``: Manim's own, for the speed tool)."""
    flag, _, _, preset = QUALITIES[job.quality]
    script = slide_script(job, work) if job.kind == "slides" else REPO / (SCENES[job.scene].module.replace(".", "/") + ".py")
    return [sys.executable, "-m", "manim" if stock else RUNNER, "render", f"-q{flag}",
            "--config_file", str(config_file(job, work)), "--progress_bar", progress,
            "--media_dir", str(work), "--encoder-option", f"preset={preset}", str(script), job.scene]


@contextmanager
def held(*folders: Path):
    """Locks on the caches a process writes (another run's process of the same scene waits)."""
    with ExitStack() as stack:
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
            handle = stack.enter_context(open(folder.parent / f".{folder.name}.lock", "a"))
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


@contextmanager
def scratch(job: Job, name: str):
    """A private folder for one process, removed when it ends."""
    root = work_dir(job.folder, name).parent
    root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{name}-{os.getpid()}-", dir=root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        try:
            root.rmdir()  # .work/, when no other process uses it
        except OSError:
            pass


# Manim's progress bars (tqdm) end each update with "frames done/frames in this animation".
BAR = re.compile(r"^(Animation \d+|[^:|]*).*?(\d+)/(\d+) \[")


class FrameCounter:
    """Counts the frames a manim process has rendered, from its progress bars on stderr."""

    def __init__(self, on_frames: Callable[[int], None] | None):
        self.finished, self.current, self.bar = 0, 0, None
        self.on_frames = on_frames

    def feed(self, segment: str) -> None:
        match = BAR.match(segment.strip())
        if not match:
            return
        bar, done, total = match.group(1), int(match.group(2)), int(match.group(3))
        if bar != self.bar:
            self.finished += self.current
            self.bar = bar
        self.current = min(done, total)
        if self.on_frames:
            self.on_frames(self.finished + self.current)


def die_with_parent() -> None:
    """In the child (Linux): be killed when the process that started it dies, so a render whose
    worker or driver is killed (SIGKILL included) stops instead of running on unowned."""
    if sys.platform == "linux":
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL


@dataclass
class Finished:
    """How a process ended: its exit code and the last lines it printed (kept in memory too: the
    log may be on the disk that filled)."""
    code: int
    tail: list[str]

    @property
    def disk_full(self) -> bool:
        return any(NO_SPACE.search(line) for line in self.tail)


def run(cmd: list[str], env: dict, cwd: Path, log: Path, on_frames=None) -> Finished:
    """Run a Manim process; its output goes to ``log`` (without the bars' redraws), the bars to
    ``on_frames``."""
    from collections import deque

    counter = FrameCounter(on_frames)
    tail: deque[str] = deque(maxlen=40)
    log.parent.mkdir(parents=True, exist_ok=True)
    fh = open(log, "w", encoding="utf-8")
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=cwd,
                                preexec_fn=die_with_parent)
        writable = [True]

        def keep(line: str) -> None:
            tail.append(line)
            if writable[0]:
                try:
                    fh.write(line + "\n")
                except OSError:  # a full disk: the lines are still kept in memory
                    writable[0] = False
                    tail.append("[Errno 28] No space left on device (writing the log)")

        def pump():
            pending = ""
            for chunk in iter(lambda: proc.stdout.read1(4096), b""):
                pending += chunk.decode("utf-8", errors="replace")
                *segments, pending = re.split(r"[\r\n]", pending)
                for segment in segments:
                    counter.feed(segment)
                    if segment.strip() and not BAR.match(segment.strip()):
                        keep(segment)
            if pending.strip():
                keep(pending)

        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
        try:
            code = proc.wait()
        except BaseException:
            proc.kill()
            raise
        finally:
            reader.join(timeout=5)
    finally:
        try:
            fh.close()
        except OSError:  # the last lines did not fit on the disk
            tail.append("[Errno 28] No space left on device (writing the log)")
    return Finished(code, list(tail))


def failure(job: Job, done: Finished, log: Path, work: Path, what: str, written: int = 0) -> RenderError:
    """What went wrong, in words: an authoring error, a full disk, or the log's last lines.
    ``written``: bytes the process had written when it failed (the space a full disk lacked)."""
    errors = work / "errors.json"
    try:
        if errors.is_file():
            return AuthoringFailure([p["message"] for p in json.loads(errors.read_text(encoding="utf-8"))])
    except ValueError:  # half-written on a full disk
        pass
    if done.disk_full:
        return RenderError(str(DiskFullError(job.folder, max(written, previous_bytes(job)))))
    tail = "\n".join(done.tail[-15:])
    return RenderError(f"{what} failed (exit {done.code}); the last lines of {shown(log)}:\n{tail}")


def new_segments(folder: Path, since: float) -> list[Path]:
    return [p for p in folder.iterdir() if p.is_file() and p.stat().st_mtime >= since] if folder.is_dir() else []


def previous_bytes(job: Job) -> int:
    doc = job.stamp.read() or {}
    return int(doc.get("bytes", 0))


# --- a render ------------------------------------------------------------------------------------
@dataclass
class Made:
    outputs: dict[str, Path]   # path relative to job.folder -> the finished file or folder in scratch
    seconds: float
    started: float


def produced(job: Job, work: Path) -> dict[str, Path]:
    resolution = QUALITIES[job.quality][1]
    beats = {f"{job.scene}.beats.json": work / f"{job.scene}.beats.json"}
    if job.kind == "slides":
        return {f"{job.scene}.json": work / "slides" / f"{job.scene}.json",
                f"files/{job.scene}": work / "slides" / "files" / job.scene, **beats}
    videos = list(work.glob(f"videos/**/{resolution}/{job.scene}.mp4"))
    found = {f"{job.scene}.mp4": videos[0] if len(videos) == 1 else work / "missing.mp4", **beats}
    for srt in work.glob(f"videos/**/{resolution}/{job.scene}.srt"):
        found[srt.name] = srt  # Manim's subcaptions, in the render language
    return found


def render(job: Job, work: Path, on_frames=None) -> Made:
    """Render ``job`` in the private folder ``work``; raise RenderError (the work is left for the
    caller's scratch context to remove)."""
    what = f"{job.scene}{' slides' if job.kind == 'slides' else ''} ({job.lang})"
    need = previous_bytes(job)
    if need and free_bytes(job.folder) < 2 * need:
        raise RenderError(f"{what}: {DiskFullError(job.folder, 2 * need)}")
    started = time.time()
    start = time.perf_counter()
    with held(job.text_cache(), job.segments()):
        for left in job.segments().glob(".*.part"):  # a segment a killed render did not finish
            left.unlink(missing_ok=True)
        done = run(command(job, work), environment(job, work), work, job.log, on_frames)
        seconds = time.perf_counter() - start
        outputs = produced(job, work)
        if done.code != 0 or not all(p.exists() for p in outputs.values()):
            made = new_segments(job.segments(), started - 1)
            written = folder_bytes(work) + sum(p.stat().st_size for p in made)
            error = failure(job, done, job.log, work, what, written)
            if done.disk_full:  # give the disk back: this render's segments go too
                for path in made:
                    path.unlink(missing_ok=True)
            raise error
    return Made(outputs, seconds, started)


def deliver(job: Job, made: Made, inputs: dict, **facts) -> None:
    """Move what ``made`` holds into ``job.folder`` (each file atomically, a folder swapped in
    whole), then write the stamp; then forget partial movies no render since the last used."""
    for rel, source in made.outputs.items():
        target = job.folder / rel
        if source.is_dir():
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                os.replace(target, old)
            os.replace(source, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            move_into_place(source, target)
    previous = (job.stamp.read() or {}).get("started", 0.0)
    size = sum(folder_bytes(p) if p.is_dir() else p.stat().st_size
               for p in (job.folder / rel for rel in made.outputs))
    job.stamp.write(inputs, render_seconds=round(made.seconds, 2), started=made.started, bytes=size, **facts)
    prune_segments(job.segments(), before=previous)


def prune_segments(folder: Path, before: float) -> None:
    """Remove partial movies that neither this render nor the one before it used (Manim marks
    the ones a render uses by their access time)."""
    if not folder.is_dir() or not before:
        return
    for path in folder.iterdir():
        if path.suffix in (".mp4", ".mov", ".webm") and path.stat().st_atime < before - 1:
            path.unlink(missing_ok=True)


def render_into_place(job: Job, inputs: dict, on_frames=None) -> float:
    """Render ``job`` and move its outputs into place; return the render's seconds."""
    with scratch(job, job.scene) as work:
        made = render(job, work, on_frames)
        try:
            deliver(job, made, inputs)
        except OSError as error:
            if error.errno == 28:
                raise RenderError(f"{job.scene} ({job.lang}): {DiskFullError(job.folder, sum(folder_bytes(p) for p in made.outputs.values()))}") from None
            raise
        return made.seconds


# --- storyboards ---------------------------------------------------------------------------------
def run_storyboards(jobs: list[Job], log_dir: Path) -> dict[str, list[dict]]:
    """The beats of each job's scene, from its storyboard (animations skipped), all in one
    process (they must share a language). Raises AuthoringFailure naming every problem, or
    RenderError."""
    first = jobs[0]
    with scratch(first, "storyboard") as work:
        log = log_dir / f"storyboard-{first.scene}.log"
        cmd = [sys.executable, "-m", STORYBOARDS, "--media", str(work),
               *[f"{job.scene}={job.text_cache()}" for job in jobs]]
        with held(*(job.text_cache() for job in jobs)):
            done = run(cmd, environment(first, work, mode="storyboard"), REPO, log)
        if done.code != 0:
            raise failure(first, done, log, work, f"the storyboard of {', '.join(j.scene for j in jobs)}")
        found = {}
        for job in jobs:
            doc = json.loads((work / f"{job.scene}.beats.json").read_text(encoding="utf-8"))
            found[job.scene] = [{"key": b["key"], "values": b["values"]} for b in doc["beats"]]
        return found


def write_storyboard(path: Path, inputs: dict, beats: list[dict]) -> None:
    write_json(path, {"inputs": inputs, "beats": beats})
