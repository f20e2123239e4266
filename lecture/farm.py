"""The ``ray`` engine (``--engine ray [--address HOST:PORT]``): every job is one Ray task.

* The driver (the machine that runs ``./render.sh``) checks each job's stamp first: a job whose
  inputs are unchanged is not submitted, whichever worker rendered it last.
* Tasks carry their inputs: the code (``paths.py``, ``scenes/``, ``sim/``, ``lecture/``), the text,
  narration and pacing files and the traces the jobs read are staged into one directory that
  becomes the job's ``runtime_env`` ``working_dir`` (Ray zips it, uploads it once per content to the
  cluster and unpacks it on each node), with a job's narration file (``--voice``) and its clips.
* A task renders in a private scratch directory of its node (``$TMPDIR/lecture-farm/work/``; LaTeX
  and text SVGs cached in ``$TMPDIR/lecture-farm/cache/``, or in the driver's ``out/.cache/`` when
  the instance is local) and returns the video, beats,
  subtitles and log as bytes through the object store; the driver writes every output into the cut
  directory atomically (temporary name, then ``os.replace``), the stamp last.
* A worker that dies mid-render (killed, out of memory, node lost) is retried by Ray
  (``max_retries``); nothing of the lost attempt reaches the cut directory. Ctrl-C on the driver
  cancels the tasks still running and leaves every finished output in place.
* Without ``--address`` a local Ray instance (``-j`` CPUs, no dashboard, no usage stats, on
  127.0.0.1) is started for the run and stopped after it.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from lecture.engines import LocalEngine, label
from lecture.jobs import Job, expected_seconds, is_current, write_json
from lecture.layout import shown
from paths import REPO

RAY_PIN = "ray==2.60.0"  # the farm group of pyproject.toml
INSTALL = (f"the ray engine needs the 'farm' group: ./render.sh --engine ray installs it "
           f"(or: .venv/bin/pip install -c requirements.lock {RAY_PIN})")
# What a task needs besides the traces and the pacing file (staged separately, see stage()).
CODE = ("paths.py", "scenes", "sim", "lecture", "assets/text", "assets/narration")
QUIET = {"RAY_USAGE_STATS_ENABLED": "0", "RAY_DISABLE_IMPORT_WARNING": "1"}


class FarmError(Exception):
    pass


def make_engine(name: str, parallel: int, address: str | None = None):
    """The engine ``--engine NAME`` names (``local``: the default; ``ray``)."""
    if name == "local":
        return LocalEngine(parallel)
    if name == "ray":
        return RayEngine(address, parallel)
    raise FarmError(f"unknown engine '{name}'; valid engines: local, ray")


def _copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)  # same file system: no copy
    except OSError:
        shutil.copy2(src, dst)


def stage(jobs: list[Job], into: Path) -> dict[Job, dict]:
    """Lay out in ``into`` what the tasks of ``jobs`` read; return each job's paths inside it."""
    for name in CODE:
        src = REPO / name
        files = [src] if src.is_file() else [p for p in src.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        for path in files:
            _copy(path, into / path.relative_to(REPO))
    _copy(REPO / "assets" / "video.toml", into / "assets" / "video.toml")
    places, specs = {}, {}
    for job in jobs:
        for src, kind in ((job.traces, "traces"), (job.video, "pacing")):
            if (kind, src) not in places:
                place = Path("_inputs") / kind / str(len(places))
                if kind == "traces":  # the recording's own files only, not a variant's subdirectory
                    for path in src.iterdir():
                        if path.is_file() and path.suffix in (".json", ".npz"):
                            _copy(path, into / place / path.name)
                else:
                    place = place / src.name
                    _copy(src, into / place)
                places[kind, src] = place
        specs[job] = {"scene": job.scene, "quality": job.quality, "lang": job.lang,
                      "traces": str(places["traces", job.traces]), "video": str(places["pacing", job.video]),
                      "narration": stage_narration(job, into, places)}
    return specs


def stage_narration(job: Job, into: Path, places: dict) -> str | None:
    """The job's narration file (lecture.narrate) and the clips it names, their paths made relative
    to the working_dir (the task makes them absolute again on its node)."""
    source = getattr(job, "narration", None)
    if not source:
        return None
    import json

    doc = json.loads(Path(source).read_text(encoding="utf-8"))
    for clip in doc["clips"].values():
        audio = Path(clip["audio"])
        if ("audio", audio) not in places:
            places["audio", audio] = Path("_inputs") / "audio" / f"{len(places)}{audio.suffix}"
            _copy(audio, into / places["audio", audio])
        clip["audio"] = str(places["audio", audio])
    place = Path("_inputs") / "narration" / f"{len(places)}.json"
    places["narration", place] = place
    (into / place).parent.mkdir(parents=True, exist_ok=True)
    (into / place).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(place)


def _scratch() -> Path:
    """This node's scratch directory; left-overs of dead worker processes are removed."""
    root = Path(tempfile.gettempdir()) / "lecture-farm"
    (root / "work").mkdir(parents=True, exist_ok=True)
    for old in (root / "work").iterdir():
        pid = old.name.split("-")[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(old, ignore_errors=True)
    return root


def render_task(spec: dict, inputs: dict, tracker) -> dict:
    """Runs on a worker, in the unpacked working_dir: one render, its outputs returned as bytes."""
    import importlib.metadata
    import socket

    import ray

    from lecture.jobs import RenderError, render

    ctx = ray.get_runtime_context()
    ip = ray._private.worker.global_worker.node_ip_address
    worker = f"{socket.gethostname()} ({ip}, node {ctx.get_node_id()[:8]}, pid {os.getpid()})"
    key = (spec["scene"], spec["quality"], spec["lang"], spec["out"])
    manim = importlib.metadata.version("manim")
    if manim != inputs["manim"]:
        return {"worker": worker, "log": b"", "error": f"the worker has manim {manim}, the driver {inputs['manim']}: "
                "install the same .venv on every node (pyproject.toml + requirements.lock)"}
    root = _scratch()
    work = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root / "work"))
    here = Path.cwd()
    extra = {}
    if spec["narration"]:  # the clips' paths on this node
        import json

        doc = json.loads((here / spec["narration"]).read_text(encoding="utf-8"))
        for clip in doc["clips"].values():
            clip["audio"] = str(here / clip["audio"])
        extra["narration"] = work / "narration.json"
        extra["narration"].write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    job = Job(spec["scene"], spec["quality"], spec["lang"], here / spec["traces"], work / "cut",
              here / spec["video"], cache=Path(spec["cache"]) if spec["cache"] else root / "cache", **extra)
    last = [0.0]

    def on_frames(n: int) -> None:
        if time.monotonic() - last[0] > 0.5:
            last[0] = time.monotonic()
            tracker.frames.remote(key, n)

    log = job.out / "logs" / f"{job.scene}.log"
    try:
        try:
            _, seconds = render(job, inputs, on_frames)
        except RenderError as exc:
            return {"worker": worker, "error": str(exc).replace(str(log), "{log}"),
                    "log": log.read_bytes() if log.is_file() else b""}
        srt = job.out / f"{job.scene}.srt"
        return {"worker": worker, "seconds": seconds, "log": log.read_bytes(), "video": job.target.read_bytes(),
                "beats": (job.out / f"{job.scene}.beats.json").read_bytes(),
                "srt": srt.read_bytes() if srt.is_file() else None}
    finally:
        shutil.rmtree(work, ignore_errors=True)


class Tracker:
    """A small actor the tasks report their frame counts to; the driver polls it for the display."""

    def __init__(self):
        self.counts = {}

    def frames(self, key, n):
        self.counts[key] = n

    def snapshot(self):
        return dict(self.counts)


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def deliver(job: Job, inputs: dict, result: dict) -> None:
    """A finished task's outputs into the cut directory, each atomically, the stamp last."""
    write_atomic(job.out / "logs" / f"{job.scene}.log", result["log"])
    if result["srt"] is not None:
        write_atomic(job.out / f"{job.scene}.srt", result["srt"])
    write_atomic(job.out / f"{job.scene}.beats.json", result["beats"])
    write_atomic(job.target, result["video"])
    write_json(job.stamp, {"inputs": inputs, "render_seconds": round(result["seconds"], 2), "worker": result["worker"]})


class RayEngine:
    name = "ray"

    def __init__(self, address: str | None = None, parallel: int | None = None, retries: int = 3):
        self.address, self.parallel, self.retries = address, parallel or os.cpu_count() or 1, retries

    def connect(self, working_dir: Path):
        """ray.init for this run (the module is imported here: its environment is read on import)."""
        loopback = not self.address or self.address.rsplit(":", 1)[0] in ("127.0.0.1", "localhost")
        os.environ.update(QUIET)
        os.environ.setdefault("RAY_AUTH_MODE", "token")  # Ray's default, stated: no warning about it
        if loopback:  # every Ray address on 127.0.0.1, not the machine's routable address
            os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
        try:
            import ray
        except ImportError as exc:
            raise FarmError(INSTALL) from exc
        common = dict(runtime_env={"working_dir": str(working_dir), "env_vars": dict(QUIET)},
                      include_dashboard=False, log_to_driver=False, logging_level="warning")
        if self.address and "://" not in self.address and ":" in self.address:
            import socket

            host, port = self.address.rsplit(":", 1)
            try:  # Ray itself retries an unreachable head for minutes
                socket.create_connection((host, int(port)), timeout=10).close()
            except (OSError, ValueError) as exc:
                raise FarmError(f"nothing answers at --address {self.address} ({exc}); nothing was rendered. Start "
                                "the head with 'ray start --head --port PORT' (README, \"Scaling out\")") from exc
        try:
            if self.address:  # an existing cluster (README, "Scaling out")
                ray.init(address=self.address, **common)
            else:
                ray.init(address="local", num_cpus=self.parallel, **common)  # new, even if RAY_ADDRESS is set
        except (ConnectionError, RuntimeError, ValueError) as exc:
            ray.shutdown()
            where = f"the Ray cluster at {self.address}" if self.address else "a local Ray instance"
            raise FarmError(f"could not connect to {where} ({exc}); nothing was rendered. Start the head with "
                            "'ray start --head --port PORT' (README, \"Scaling out\"), or leave --address out") from exc
        return ray

    def run(self, jobs: list[Job], inputs: dict, progress) -> list[Job]:
        """Render ``jobs`` as Ray tasks; return the ones that failed (each reported to ``progress``)."""
        todo = []
        for job in jobs:
            seconds = expected_seconds(job)
            progress.add(label(job), round(seconds * job.fps) if seconds else None)
            if is_current(job, inputs[job]):
                progress.finished(label(job), f"{shown(job.target)}: unchanged, not rendered again")
            else:
                todo.append(job)
        if not todo:
            return []
        with tempfile.TemporaryDirectory(prefix="lecture-farm-") as tmp:
            specs = stage(todo, Path(tmp))
            ray = self.connect(Path(tmp))
            try:
                return self._run(ray, todo, specs, inputs, progress)
            finally:
                ray.shutdown()  # stops the local instance; only disconnects from a cluster

    def _run(self, ray, todo, specs, inputs, progress) -> list[Job]:
        tracker = ray.remote(num_cpus=0)(Tracker).remote()
        task = ray.remote(render_task).options(num_cpus=1, max_retries=self.retries, retry_exceptions=False)
        pending, keys = {}, {}
        for job in todo:
            # a local instance runs on this machine: it shares the driver's LaTeX and text cache
            spec = {**specs[job], "out": str(job.out), "cache": None if self.address else str(job.cache)}
            keys[spec["scene"], spec["quality"], spec["lang"], spec["out"]] = job
            pending[task.remote(spec, inputs[job], tracker)] = job
        failed, poll = [], None
        try:
            while pending:
                done, _ = ray.wait(list(pending), num_returns=1, timeout=0.5)
                if poll is not None and ray.wait([poll], timeout=0)[0]:
                    for key, n in ray.get(poll).items():
                        if keys[key] in pending.values():
                            progress.frames(label(keys[key]), n)
                    poll = None
                poll = poll or tracker.snapshot.remote()
                for ref in done:
                    job = pending.pop(ref)
                    if not self._finish(ray, ref, job, inputs[job], progress):
                        failed.append(job)
        except KeyboardInterrupt:
            for ref in pending:  # finished outputs are in place; nothing unfinished is written
                ray.cancel(ref, force=True)
            raise
        return failed

    def _finish(self, ray, ref, job: Job, inputs: dict, progress) -> bool:
        log = job.out / "logs" / f"{job.scene}.log"
        try:
            result = ray.get(ref)
        except ray.exceptions.RayError as exc:  # retries used up, runtime_env failed, node lost, ...
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            progress.finished(label(job), f"{job.scene} ({job.lang}) failed on the cluster after "
                                          f"{self.retries} retries: {type(exc).__name__}: {first}", error=True)
            return False
        if "error" in result:
            if result["log"]:
                write_atomic(log, result["log"])
            message = result["error"].replace("{log}", shown(log))
            progress.finished(label(job), f"on worker {result['worker']}, log {shown(log)}: {message}", error=True)
            return False
        deliver(job, inputs, result)
        progress.finished(label(job), f"{shown(job.target)}: rendered in {result['seconds']:.1f} s "
                                      f"on {result['worker']}")
        return True
