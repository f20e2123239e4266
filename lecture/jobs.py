"""One render job: one scene, at one quality, in one language, from one recording.

Each job renders in its own ``manim`` process into a private work directory; the finished video
is renamed into place, so an interrupted or failed render never replaces a good video. A job
whose inputs (its code, the shared scene code, the traces it reads, the text, narration and
pacing files, quality, language, Manim version) are unchanged since its last render is skipped.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from lecture import layout
from paths import NARRATION_DIR, REPO, TEXT_DIR
from scenes import SCENES

QUALITIES = {  # name -> (manim flag, resolution, frame rate, x264 preset)
    "preview": ("l", "480p15", 15, "veryfast"),
    "hd": ("h", "1080p60", 60, "veryfast"),
    "4k": ("k", "2160p60", 60, "medium"),
}
# What the scenes import besides scenes/: the neutral paths and the trace reader with its errors.
SHARED_CODE = ("paths.py", "sim/trace.py", "sim/errors.py")
# What runs Manim (its command line, with frames handed to the encoder without copies).
RENDER_CODE = ("lecture/manim_run.py",)


def sha256(path: Path) -> str:
    """SHA-256 of a file, read in blocks (videos too)."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def scene_code(scene: str) -> list[Path]:
    """The scene's own module and every shared one (any scenes/ module that is not another
    scene, and what scenes/ imports from outside), so a change to shared code makes every video
    stale."""
    own = SCENES[scene].module.split(".")[1] + ".py"
    others = {e.module.split(".")[1] + ".py" for e in SCENES.values()} - {own}
    drawing = [p for p in (REPO / "scenes").glob("*.py") if p.name not in others]
    return sorted(drawing) + [REPO / name for name in SHARED_CODE + RENDER_CODE]


class RenderError(Exception):
    pass


@dataclass(frozen=True)
class Job:
    scene: str
    quality: str
    lang: str
    traces: Path
    out: Path     # the language cut's directory
    video: Path   # pacing file
    cache: Path = layout.CACHE  # LaTeX and text SVGs, kept between renders
    narration: Path | None = None  # the clips to play at the beats (lecture.narrate); None: silent

    @property
    def target(self) -> Path:
        return self.out / f"{self.scene}.mp4"

    @property
    def stamp(self) -> Path:
        return self.out / ".stamps" / f"{self.scene}.json"

    @property
    def fps(self) -> int:
        return QUALITIES[self.quality][2]


def inputs_of(job: Job) -> dict:
    """Everything a scene's video depends on, as hashes: equal inputs give an equal video."""
    return {
        "scene": job.scene, "quality": job.quality, "lang": job.lang,
        "code": {str(p.relative_to(REPO)): sha256(p) for p in scene_code(job.scene)},
        "text": sha256(TEXT_DIR / f"{job.lang}.toml"),
        "narration": {p.name: sha256(p) for p in sorted(NARRATION_DIR.glob("*.toml"))},
        "pacing": sha256(job.video),
        # the metadata holds the arrays' hash (checked on every read), the config and results
        "traces": {name: sha256(job.traces / f"{name}.json") for name in SCENES[job.scene].traces},
        "manim": importlib.metadata.version("manim"),
        **({"voice": narration_identity(job.narration)} if job.narration else {}),
    }


def narration_identity(path: Path) -> str:
    from lecture.narrate import identity  # the narration pre-pass imports this module

    return identity(path)


def is_current(job: Job, inputs: dict) -> bool:
    try:
        return job.target.is_file() and json.loads(job.stamp.read_text())["inputs"] == inputs
    except (OSError, ValueError, KeyError):
        return False


def expected_seconds(job: Job) -> float | None:
    """The scene's length at its last render in this language, at any quality (beats are the
    same at every quality): what the progress estimate counts frames against."""
    for beats in sorted(job.out.parent.parent.glob(f"*/{job.lang}/{job.scene}.beats.json")):
        try:
            return float(json.loads(beats.read_text(encoding="utf-8"))["duration"])
        except (OSError, ValueError, KeyError):
            continue
    return None


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
    """In the manim child (Linux): be killed when the process that started it dies, so a render
    whose worker or driver is killed (SIGKILL included) stops instead of running on unowned."""
    if sys.platform == "linux":
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL


def run_manim(cmd: list[str], env: dict, cwd: Path, log: Path, on_frames=None) -> int:
    """Run manim; its output goes to ``log`` (without the bars' redraws), the bars to on_frames."""
    counter = FrameCounter(on_frames)
    with open(log, "w", encoding="utf-8") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.PIPE, env=env, cwd=cwd, preexec_fn=die_with_parent)

        def pump():
            pending = ""
            for chunk in iter(lambda: proc.stderr.read1(4096), b""):
                pending += chunk.decode("utf-8", errors="replace")
                *segments, pending = re.split(r"[\r\n]", pending)
                for segment in segments:
                    counter.feed(segment)
                    if segment.strip() and not BAR.match(segment.strip()):
                        fh.write(segment + "\n")
            if pending.strip():
                fh.write(pending + "\n")

        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
        try:
            code = proc.wait()
        except BaseException:
            proc.kill()
            raise
        finally:
            reader.join(timeout=5)
    return code


def manim_command(job: Job, script: Path, work: Path, progress: str = "display") -> list[str]:
    """The manim command line that renders ``job.scene`` from ``script`` into ``work``, run
    through ``lecture.manim_run`` (Manim's CLI with a faster frame hand-off to the encoder).

    LaTeX and Pango results are content-addressed and kept between renders, one directory per
    scene and language: the jobs of one run never share one (Manim deletes its temporary text
    files there, and two processes writing the same name would read each other's half-files).
    """
    flag, _, _, preset = QUALITIES[job.quality]
    cache = job.cache / f"{job.scene}-{job.lang}"
    (work / "manim.cfg").write_text(f"[CLI]\ntex_dir = {cache / 'Tex'}\ntext_dir = {cache / 'texts'}\n")
    return [sys.executable, "-m", "lecture.manim_run", "render", f"-q{flag}", "--disable_caching",
            "--config_file", str(work / "manim.cfg"), "--progress_bar", progress,
            "--media_dir", str(work), "--encoder-option", f"preset={preset}", str(script), job.scene]


def render(job: Job, inputs: dict, on_frames: Callable[[int], None] | None = None) -> tuple[str, float]:
    """Render one scene; return (what happened, seconds)."""
    if is_current(job, inputs):
        return "unchanged, not rendered again", 0.0
    resolution = QUALITIES[job.quality][1]
    module = SCENES[job.scene].module
    work = job.out / ".work" / job.scene
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    log = job.out / "logs" / f"{job.scene}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO), "LECTURE_TRACES": str(job.traces),
           "LECTURE_LANG": job.lang, "LECTURE_VIDEO": str(job.video), "LECTURE_BEATS": str(work)}
    env.pop("LECTURE_NARRATION", None)
    if job.narration:
        env["LECTURE_NARRATION"] = str(job.narration)
    cmd = manim_command(job, REPO / (module.replace(".", "/") + ".py"), work)
    start = time.perf_counter()
    code = run_manim(cmd, env, work, log, on_frames)
    seconds = time.perf_counter() - start
    produced = list(work.glob(f"videos/**/{resolution}/{job.scene}.mp4"))
    if code != 0 or len(produced) != 1:
        tail = "".join(log.read_text(errors="replace").splitlines(True)[-15:])
        raise RenderError(f"{job.scene} ({job.lang}) failed (exit {code}); the last lines of {log}:\n{tail}")
    beats = work / f"{job.scene}.beats.json"
    if not beats.is_file():
        raise RenderError(f"{job.scene} wrote no {beats.name}: is it a LessonScene?")
    for srt in work.glob(f"videos/**/{resolution}/{job.scene}.srt"):
        os.replace(srt, job.out / srt.name)  # Manim's subcaptions, in the render language
    os.replace(beats, job.out / beats.name)
    os.replace(produced[0], job.target)  # same file system: atomic
    write_json(job.stamp, {"inputs": inputs, "render_seconds": round(seconds, 2)})
    shutil.rmtree(work, ignore_errors=True)
    return f"rendered in {seconds:.1f} s", seconds


def write_json(path: Path, doc) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(doc, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
