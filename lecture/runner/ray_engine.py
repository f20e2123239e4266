"""The ``ray`` engine (``--engine ray [--address HOST:PORT]``): every job is one Ray task.

* Entering the engine connects and checks the cluster (lecture.runner.ray_cluster): a cluster
  that cannot take the driver's tasks (another auth mode or Ray version, no free CPU) is named
  with the fix before anything is written.
* Tasks carry their inputs: the code they run (the import closure of this module, the Manim
  runner and the jobs' scene modules, found by lecture.store.imports, not listed), the text and
  narration files, and each job's traces, pacing file and clips are staged into one folder that
  becomes the tasks' ``working_dir`` (Ray zips it, uploads it once per content and unpacks it on
  each node).
* A task renders with lecture.runner.manim_process in a private scratch folder of its node
  (LaTeX, text SVGs and partial movies cached on the node, or in the driver's ``out/`` when the
  instance is local) and returns its files as bytes through the object store; the driver moves
  them into place as a local render does, the stamp last.
* A worker that dies mid-render is retried (``max_retries``); nothing of the lost attempt
  reaches the cut. Ctrl-C on the driver cancels the running tasks and leaves every finished
  output in place.
* Without ``--address`` a local Ray instance (``-j`` CPUs, no dashboard, no usage stats, on
  127.0.0.1) is started for the run and stopped after it.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from lecture.runner.jobs import EngineError, Job
from lecture.runner.manim_process import Made, deliver, render, scratch
from lecture.runner.progress import expected_frames
from lecture.store.files import write_bytes
from lecture.store.imports import closure
from lecture.store.layout import shown
from paths import ASSETS, REPO
from scenes import SCENES

TASK_CODE = ("lecture.runner.ray_engine", "lecture.runner.manim_cli")
SLIDE_CODE = ("lecture.slides.slide_classes",)
DATA = (ASSETS / "text", ASSETS / "narration")


def _link(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)  # same file system: no copy
    except OSError:
        shutil.copy2(src, dst)


def code_files(jobs: list[Job]) -> list[Path]:
    """What a task imports: this module, the runner and the jobs' scenes (and slide classes)."""
    roots = [*TASK_CODE, *{SCENES[job.scene].module for job in jobs}]
    if any(job.kind == "slides" for job in jobs):
        roots += SLIDE_CODE
    return closure(*roots, data_tables=())


def stage(jobs: list[Job], into: Path) -> dict[Job, dict]:
    """Lay out in ``into`` what the tasks of ``jobs`` read; return each job's spec (its paths
    inside it)."""
    for path in code_files(jobs):
        _link(path, into / path.relative_to(REPO))
    for folder in DATA:
        for path in folder.glob("*.toml"):
            _link(path, into / path.relative_to(REPO))
    places, specs = {}, {}
    for job in jobs:
        for src, kind in ((job.traces, "traces"), (job.video, "pacing")):
            if (kind, src) not in places:
                place = Path("_inputs") / kind / str(len(places))
                if kind == "traces":  # the recording's own files only, not a variant's subdirectory
                    for path in src.iterdir():
                        if path.is_file() and path.suffix in (".json", ".npz"):
                            _link(path, into / place / path.name)
                else:
                    place = place / src.name
                    _link(src, into / place)
                places[kind, src] = place
        specs[job] = {"scene": job.scene, "quality": job.quality, "lang": job.lang, "kind": job.kind,
                      "voice": job.voice, "traces": str(places["traces", job.traces]),
                      "video": str(places["pacing", job.video]), "narration": stage_narration(job, into, places)}
    return specs


def stage_narration(job: Job, into: Path, places: dict) -> str | None:
    """The job's narration file and the clips it names, their paths made relative to the
    working_dir (the task makes them absolute again on its node)."""
    if not job.narration or job.kind != "video":
        return None
    doc = json.loads(Path(job.narration).read_text(encoding="utf-8"))
    for clip in doc["clips"].values():
        audio = Path(clip["audio"])
        if ("audio", audio) not in places:
            places["audio", audio] = Path("_inputs") / "audio" / f"{len(places)}{audio.suffix}"
            _link(audio, into / places["audio", audio])
        clip["audio"] = str(places["audio", audio])
    place = Path("_inputs") / "narration" / f"{len(places)}.json"
    places["narration", place] = place
    (into / place).parent.mkdir(parents=True, exist_ok=True)
    (into / place).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(place)


def node_scratch() -> Path:
    """This node's scratch directory; left-overs of dead worker processes are removed."""
    root = Path(tempfile.gettempdir()) / "lecture-farm"
    (root / "work").mkdir(parents=True, exist_ok=True)
    for old in (root / "work").iterdir():
        pid = old.name.split("-")[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(old, ignore_errors=True)
    return root


def packed(folder: Path, outputs: dict[str, Path]) -> dict[str, bytes]:
    """Every file of ``outputs`` (folders expanded) as bytes, by path relative to the job folder."""
    files = {}
    for rel, path in outputs.items():
        if path.is_dir():
            for inner in sorted(p for p in path.rglob("*") if p.is_file()):
                files[f"{rel}/{inner.relative_to(path)}"] = inner.read_bytes()
        else:
            files[rel] = path.read_bytes()
    return files


def render_task(spec: dict, inputs: dict, tracker) -> dict:
    """Runs on a worker, in the unpacked working_dir: one render, its files returned as bytes."""
    import importlib.metadata
    import socket

    import ray

    from lecture.runner.jobs import RenderError

    ctx = ray.get_runtime_context()
    ip = ray._private.worker.global_worker.node_ip_address
    worker = f"{socket.gethostname()} ({ip}, node {ctx.get_node_id()[:8]}, pid {os.getpid()})"
    key = spec["label"]
    manim = importlib.metadata.version("manim")
    if manim != inputs["manim"]:
        return {"worker": worker, "log": b"", "error": f"the worker has manim {manim}, the driver {inputs['manim']}: "
                "install the same .venv on every node (pyproject.toml + requirements.lock)"}
    root, here = node_scratch(), Path.cwd()
    node = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root / "work"))
    narration = None
    if spec["narration"]:  # the clips' paths on this node
        doc = json.loads((here / spec["narration"]).read_text(encoding="utf-8"))
        for clip in doc["clips"].values():
            clip["audio"] = str(here / clip["audio"])
        narration = node / "narration.json"
        narration.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    segments = Path(spec["segments"]) if spec["segments"] else \
        root / "segments" / hashlib.sha256(spec["segments_key"].encode()).hexdigest()[:16]
    job = Job(spec["scene"], spec["quality"], spec["lang"], here / spec["traces"], node / "cut", here / spec["video"],
              cache=Path(spec["cache"]) if spec["cache"] else root / "cache", narration=narration,
              voice=spec["voice"], kind=spec["kind"], segment_cache=segments)
    last = [0.0]

    def on_frames(n: int) -> None:
        if time.monotonic() - last[0] > 0.5:
            last[0] = time.monotonic()
            tracker.frames.remote(key, n)

    try:
        job.folder.mkdir(parents=True, exist_ok=True)
        with scratch(job, job.scene) as work:
            try:
                made = render(job, work, on_frames)
            except RenderError as exc:
                return {"worker": worker, "error": str(exc).replace(str(job.log), "{log}"),
                        "log": job.log.read_bytes() if job.log.is_file() else b""}
            return {"worker": worker, "seconds": made.seconds, "started": made.started, "log": job.log.read_bytes(),
                    "files": packed(job.folder, made.outputs), "dirs": [r for r, p in made.outputs.items() if p.is_dir()]}
    finally:
        shutil.rmtree(node, ignore_errors=True)


class Tracker:
    """A small actor the tasks report their frame counts to; the driver polls it for the display."""

    def __init__(self):
        self.counts = {}

    def frames(self, key, n):
        self.counts[key] = n

    def snapshot(self):
        return dict(self.counts)


def deliver_result(job: Job, inputs: dict, result: dict) -> None:
    """A finished task's files into place, as a local render's (manim_process.deliver)."""
    write_bytes(job.log, result["log"])
    with scratch(job, f"{job.scene}-delivery") as work:
        outputs = {}
        for rel, data in result["files"].items():
            top = next((d for d in result["dirs"] if rel.startswith(d + "/")), None)
            write_bytes(work / rel, data)
            outputs[top or rel] = work / (top or rel)
        deliver(job, Made(outputs, result["seconds"], result["started"]), inputs, worker=result["worker"])


class RayEngine:
    name = "ray"

    def __init__(self, address: str | None = None, parallel: int | None = None, retries: int = 3):
        self.address, self.parallel, self.retries = address, parallel or os.cpu_count() or 1, retries
        self.ray = None

    def __enter__(self):
        from lecture.runner.ray_cluster import prepare

        self.ray = prepare(self.address)  # a cluster that cannot take our tasks: said now
        return self

    def __exit__(self, *exc):
        return False

    def run(self, jobs: list[Job], inputs: dict, progress) -> list[Job]:
        """Render ``jobs`` (the stale ones) as Ray tasks; return the ones that failed."""
        from lecture.runner.ray_cluster import connect

        if not jobs:
            return []
        if self.ray is None:
            raise EngineError("the ray engine is used inside 'with engine:' (it checks the cluster there)")
        with tempfile.TemporaryDirectory(prefix="lecture-farm-") as tmp:
            specs = stage(jobs, Path(tmp))
            connect(self.ray, self.address, self.parallel, Path(tmp))
            try:
                return self._run(jobs, specs, inputs, progress)
            finally:
                self.ray.shutdown()  # stops the local instance; only disconnects from a cluster

    def _run(self, todo, specs, inputs, progress) -> list[Job]:
        ray = self.ray
        tracker = ray.remote(num_cpus=0)(Tracker).remote()
        task = ray.remote(render_task).options(num_cpus=1, max_retries=self.retries, retry_exceptions=False)
        pending, labels = {}, {}
        for job in todo:
            local = not self.address  # a local instance runs on this machine: it shares the driver's caches
            spec = {**specs[job], "label": job.label, "cache": str(job.cache) if local else None,
                    "segments": str(job.segments()) if local else None,
                    "segments_key": f"{job.folder}|{job.kind}|{job.scene}"}
            labels[job.label] = job
            progress.add(job.label, expected_frames(job))
            pending[task.remote(spec, inputs[job], tracker)] = job
        failed, poll = [], None
        try:
            while pending:
                done, _ = ray.wait(list(pending), num_returns=1, timeout=0.5)
                if poll is not None and ray.wait([poll], timeout=0)[0]:
                    for label, n in ray.get(poll).items():
                        if labels[label] in pending.values():
                            progress.frames(label, n)
                    poll = None
                poll = poll or tracker.snapshot.remote()
                for ref in done:
                    job = pending.pop(ref)
                    if not self._finish(ref, job, inputs[job], progress):
                        failed.append(job)
        except KeyboardInterrupt:
            for ref in pending:  # finished outputs are in place; nothing unfinished is written
                ray.cancel(ref, force=True)
            raise
        return failed

    def _finish(self, ref, job: Job, inputs: dict, progress) -> bool:
        ray = self.ray
        try:
            result = ray.get(ref)
        except ray.exceptions.RayError as exc:  # retries used up, runtime_env failed, node lost, ...
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            progress.finished(job.label, f"{job.scene} ({job.lang}) failed on the cluster after "
                                         f"{self.retries} retries: {type(exc).__name__}: {first}", error=True)
            return False
        if "error" in result:
            if result["log"]:
                write_bytes(job.log, result["log"])
            message = result["error"].replace("{log}", shown(job.log))
            progress.finished(job.label, f"on worker {result['worker']}, log {shown(job.log)}: {message}", error=True)
            return False
        deliver_result(job, inputs, result)
        progress.finished(job.label, f"{shown(job.target)}: rendered in {result['seconds']:.1f} s on {result['worker']}")
        return True

