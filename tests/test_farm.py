"""The Ray engine on a real two-node cluster on 127.0.0.1 (ray.cluster_utils.Cluster), slow.

Same frames as the local engine; a worker killed mid-render is retried and leaves no partial
file; Ctrl-C on the driver keeps finished outputs and writes no half one; a course of two lessons
in two languages gives four lectures that do not overwrite each other; a cluster that cannot
take the driver's tasks (started without token authentication, or with no CPU) is named with the
fix before anything is written. Run by CI (./render.sh test --slow, which installs the farm
group); skipped without Ray.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from lecture.runner.engines import LocalEngine
from lecture.runner.jobs import Job
from lecture.runner.scene_inputs import inputs as inputs_of
from paths import REPO, VIDEO_FILE

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(importlib.util.find_spec("ray") is None,
                                 reason="Ray is not installed: the farm group (./render.sh test --slow installs it)")]

SHORT = ("LinearRegressionFit", "LineCannotFit")  # the two shortest scenes (about 31 s of video each)
TOKEN = "0123456789abcdef" * 4  # the cluster's and the driver's token (a fresh machine has none)
LOOPBACK = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",  # every Ray address on 127.0.0.1
            "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": TOKEN}


class Progress:
    def __init__(self):
        self.finished_lines = []

    def add(self, name, expected):
        pass

    def frames(self, name, n):
        pass

    def finished(self, name, message, error=False):
        self.finished_lines.append((name, message, error))


@pytest.fixture(scope="module")
def cluster():
    os.environ.update(LOOPBACK)  # read by Ray when it is imported
    from ray.cluster_utils import Cluster

    nodes = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    nodes.add_node(num_cpus=1)
    nodes.wait_for_nodes()
    assert nodes.address.startswith("127.0.0.1:")
    yield nodes
    nodes.shutdown()


def jobs_for(out: Path, traces: Path, scenes=SHORT, lang="zh") -> list[Job]:
    return [Job(s, "preview", lang, traces, out / lang, VIDEO_FILE, cache=out / "cache") for s in scenes]


def frames(path: Path) -> list[np.ndarray]:
    import av

    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24").astype(np.int16) for f in container.decode(video=0)]


def no_partial_files(cut: Path) -> None:
    leftovers = [p for p in cut.rglob("*") if p.name.endswith(".tmp") or ".work" in p.parts]
    assert not leftovers, leftovers


def stamp_of(job) -> dict:
    return json.loads(job.stamp.path.read_text())


def test_two_nodes_render_the_same_frames_as_the_local_engine(cluster, traces_dir, tmp_path):
    import ray

    from lecture.runner.plan import make_plan
    from lecture.runner.ray_engine import RayEngine

    local = jobs_for(tmp_path / "local", traces_dir)
    farmed = jobs_for(tmp_path / "ray", traces_dir)
    with LocalEngine(2) as engine:
        assert engine.run(local, {j: inputs_of(j) for j in local}, Progress()) == []
    progress = Progress()
    inputs = {j: inputs_of(j) for j in farmed}
    with RayEngine(cluster.address) as engine:
        assert engine.run(farmed, inputs, progress) == [], progress.finished_lines
    assert not ray.is_initialized()  # the driver disconnected; the cluster is still there
    workers = {stamp_of(j)["worker"] for j in farmed}
    assert all("127.0.0.1" in w for w in workers), workers
    for a, b in zip(local, farmed):
        fa, fb = frames(a.target), frames(b.target)
        assert len(fa) == len(fb) > 100
        worst = max(float(np.abs(x - y).mean()) for x, y in zip(fa, fb))
        assert worst < 1.0, f"{a.scene}: mean pixel difference up to {worst:.2f}"
        assert stamp_of(b)["inputs"] == inputs[b]  # the same stamp the local engine writes
        assert (b.out / f"{b.scene}.beats.json").read_text() == (a.out / f"{a.scene}.beats.json").read_text()
        assert (b.out / f"{b.scene}.srt").is_file() and (b.out / "logs" / f"{b.scene}.log").stat().st_size > 0
        no_partial_files(b.out)
    # unchanged inputs: nothing to submit (the driver decides, from its stamps, whichever node rendered)
    assert make_plan(farmed, "none", None, 1, log=lambda line: None).stale == []


def manim_of(scene: str) -> tuple[int, int] | None:
    """(pid, parent pid) of a manim process rendering ``scene`` (``python -m lecture.runner.manim_cli``
    as lecture.runner.manim_process runs it, or Manim's own ``-m manim``), if one runs."""
    for proc in Path("/proc").iterdir():
        try:
            cmd = (proc / "cmdline").read_bytes().split(b"\0")
            if (b"lecture.runner.manim_cli" in cmd or b"manim" in cmd) and scene.encode() in cmd:
                ppid = int((proc / "status").read_text().split("PPid:")[1].split()[0])
                return int(proc.name), ppid
        except (OSError, IndexError, ValueError):
            continue
    return None


def test_a_worker_killed_mid_render_is_retried_and_leaves_no_partial_file(cluster, traces_dir, tmp_path):
    from lecture.runner.ray_engine import RayEngine

    job, = jobs_for(tmp_path, traces_dir, scenes=SHORT[:1])
    killed = {}

    def kill_worker():
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not killed:
            found = manim_of(job.scene)
            if found:
                time.sleep(4)  # well into the render
                pid, worker = found
                os.kill(worker, signal.SIGKILL)
                killed.update(manim=pid, worker=worker)
            time.sleep(0.2)

    killer = threading.Thread(target=kill_worker)
    killer.start()
    progress = Progress()
    with RayEngine(cluster.address) as engine:
        failed = engine.run([job], {job: inputs_of(job)}, progress)
    killer.join()
    assert killed, "no render was seen to kill"
    assert failed == [], progress.finished_lines
    assert f"pid {killed['worker']})" not in stamp_of(job)["worker"]
    time.sleep(1)
    assert not Path(f"/proc/{killed['manim']}").exists() or \
        "zombie" in Path(f"/proc/{killed['manim']}/status").read_text(), "the killed worker's render runs on"
    beats = json.loads((job.out / f"{job.scene}.beats.json").read_text())
    assert len(frames(job.target)) == pytest.approx(beats["duration"] * job.fps, abs=2)
    no_partial_files(job.out)


def test_ctrl_c_on_the_driver_keeps_finished_outputs_and_writes_no_half_one(traces_dir, tmp_path):
    out = tmp_path / "cut"
    cmd = [sys.executable, "-m", "lecture.commands.render", *SHORT, "--engine", "ray", "-j", "1", "--traces", str(traces_dir),
           "--out", str(out)]
    proc = subprocess.Popen(cmd, cwd=REPO, env={**os.environ, **LOOPBACK, "PYTHONPATH": str(REPO)},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    first = out / "zh" / ".stamps" / f"{SHORT[0]}.json"
    deadline = time.monotonic() + 300
    while not first.is_file() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(2)  # the second scene is rendering
    proc.send_signal(signal.SIGINT)
    output, _ = proc.communicate(timeout=120)
    assert proc.returncode == 130, output
    assert "interrupted" in output
    assert (out / "zh" / f"{SHORT[0]}.mp4").is_file() and frames(out / "zh" / f"{SHORT[0]}.mp4")
    assert not (out / "zh" / f"{SHORT[1]}.mp4").exists() and not (out / "zh" / ".stamps" / f"{SHORT[1]}.json").exists()
    no_partial_files(out)


def test_a_course_of_two_lessons_in_two_languages_gives_four_lectures(cluster, traces_dir, tmp_path, monkeypatch):
    """Lessons of two scenes each (the driver's scene list is cut down) to keep it short."""
    from lecture.commands import catalogue
    from scenes import SCENES
    from sim.config import load_lesson
    from sim.record import record_all

    fast = tmp_path / "fast_lr-traces"
    record_all(load_lesson(REPO / "assets" / "lessons" / "fast_lr.toml"), fast, log=lambda line: None)
    for name in list(SCENES):
        if name not in SHORT:
            monkeypatch.delitem(SCENES, name)
    course = tmp_path / "course.toml"
    course.write_text(f'languages = ["zh", "en"]\nqualities = ["preview"]\n'
                      f'lessons = [{{ traces = "{traces_dir}" }}, {{ traces = "{fast}" }}]\n')
    out = tmp_path / "out"
    assert catalogue.main([str(course), "--address", cluster.address, "--out", str(out)]) == 0
    cuts = [out / "preview" / "zh", out / "preview" / "en", out / "fast_lr" / "preview" / "zh",
            out / "fast_lr" / "preview" / "en"]
    digests = set()
    for cut in cuts:
        manifest = json.loads((cut / "manifest.json").read_text())
        assert manifest["lang"] == cut.name and sorted(manifest["scene_inputs"]) == sorted(SHORT)
        lesson = {t["config"]["lesson"] for t in manifest["traces"].values()}
        assert lesson == {"fast_lr" if "fast_lr" in cut.parts else "default"}
        for scene, inputs in manifest["scene_inputs"].items():
            assert inputs["settings"]["lang"] == cut.name
        digests.add(hashlib.sha256((cut / "lecture.mp4").read_bytes()).hexdigest())
        no_partial_files(cut)
    assert len(digests) == 4, "two lectures are the same file: one overwrote another"


def test_a_narrated_scene_on_the_cluster_is_the_local_one(cluster, traces_dir, tmp_path, capsys, monkeypatch):
    """--voice on Ray: each task carries its clips; the scene's audio, beats and frames are those of
    the local engine's render."""
    from lecture.commands import render
    from lecture.publish.video_files import probe, scene_audio
    from tests.voice_signals import record_takes

    scene = SHORT[1]
    keys = record_takes(tmp_path / "takes", scene)
    monkeypatch.setattr("voice.config.CACHE_DIR", tmp_path / "voice-cache")
    cuts = {}
    for engine in ("local", "ray"):
        out = tmp_path / engine
        more = ["--address", cluster.address] if engine == "ray" else []
        code = render.main([scene, "--voice", "recorded", "--takes", str(tmp_path / "takes"), "--traces",
                            str(traces_dir), "--out", str(out), "--engine", engine, "-j", "1", *more])
        assert code == 0, capsys.readouterr().out
        cuts[engine] = out / "zh"
    local, farmed = (cuts[e] / f"{scene}.mp4" for e in ("local", "ray"))
    assert "127.0.0.1" in json.loads((cuts["ray"] / ".stamps" / f"{scene}.json").read_text())["worker"]
    assert json.loads((cuts["ray"] / ".stamps" / f"{scene}.json").read_text())["inputs"] == \
        json.loads((cuts["local"] / ".stamps" / f"{scene}.json").read_text())["inputs"]
    beats = json.loads((cuts["ray"] / f"{scene}.beats.json").read_text())
    assert [b["key"] for b in beats["beats"]] == keys and all("audio" in b for b in beats["beats"])
    assert beats == json.loads((cuts["local"] / f"{scene}.beats.json").read_text())
    info = probe(farmed)
    assert info["audio"]["codec"] == "aac" and info["duration"] == pytest.approx(probe(local)["duration"])
    heard, reference = scene_audio(farmed, info["duration"]), scene_audio(local, info["duration"])
    assert heard.shape == reference.shape and np.abs(heard).max() > 0.1
    assert np.abs(heard - reference).max() < 1e-3
    fa, fb = frames(local), frames(farmed)
    assert len(fa) == len(fb) and max(float(np.abs(x - y).mean()) for x, y in zip(fa, fb)) < 1.0
    no_partial_files(cuts["ray"])


HOST = """import os, signal, sys, time
from ray.cluster_utils import Cluster
cluster = Cluster(initialize_head=True, head_node_args=dict(num_cpus=int(sys.argv[2]), node_ip_address="127.0.0.1",
                                                            include_dashboard=False))
cluster.add_node(num_cpus=int(sys.argv[2]), node_ip_address="127.0.0.1")
cluster.wait_for_nodes()
open(sys.argv[1] + ".tmp", "w").write(cluster.address)
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
stop = []
signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
while not stop:
    time.sleep(0.3)
cluster.shutdown()
"""


def foreign_cluster(tmp_path, auth: str, cpus: int = 1):
    """A two-node cluster on 127.0.0.1 in another process, with its own auth mode; (address, process)."""
    address = tmp_path / "address"
    env = {**os.environ, **LOOPBACK, "RAY_AUTH_MODE": auth, "RAY_AUTH_TOKEN": TOKEN}
    proc = subprocess.Popen([sys.executable, "-c", HOST, str(address), str(cpus)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not address.is_file() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert address.is_file(), "the cluster did not start"
    return address.read_text(), proc


@pytest.mark.parametrize("auth, cpus, cause", [
    ("disabled", 1, "started without token authentication"),
    ("token", 0, "no node of the cluster has a CPU"),
])
def test_a_cluster_that_cannot_take_the_drivers_tasks_is_named_and_nothing_is_written(tmp_path, traces_dir, auth,
                                                                                    cpus, cause):
    """The driver has a token (RAY_AUTH_MODE=token, Ray's default); the cluster does not check
    tokens, or has no CPU. Before: ActorDiedError ... The actor never ran (a traceback); now the
    cause, the fix, exit 2 and an empty out/."""
    address, cluster_process = foreign_cluster(tmp_path, auth, cpus)
    try:
        out = tmp_path / "out"
        env = {**os.environ, **LOOPBACK, "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": TOKEN, "PYTHONPATH": str(REPO)}
        done = subprocess.run([sys.executable, "-m", "lecture.commands.render", SHORT[1], "--engine", "ray",
                               "--address", address, "--traces", str(traces_dir), "--out", str(out)],
                              cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 2, done.stdout + done.stderr
        assert cause in done.stderr and "Fix:" in done.stderr and "Traceback" not in done.stderr, done.stderr
        assert not out.exists(), sorted(str(p) for p in out.rglob("*"))
    finally:
        cluster_process.terminate()
        cluster_process.wait(timeout=120)


def test_slides_render_on_the_cluster_as_locally(cluster, traces_dir, tmp_path):
    """./render.sh slides --engine ray: the slides are jobs like the videos, on the same engines."""
    from lecture.commands import slides

    outs = {}
    for engine in ("local", "ray"):
        out = tmp_path / engine
        more = ["--engine", "ray", "--address", cluster.address] if engine == "ray" else []
        assert slides.main([SHORT[1], "--traces", str(traces_dir), "--out", str(out), "--lang", "en", "-j", "1",
                            *more]) == 0
        outs[engine] = out / "en" / "slides"
    local, farmed = outs["local"], outs["ray"]
    assert json.loads((farmed / f"{SHORT[1]}.json").read_text()) == json.loads((local / f"{SHORT[1]}.json").read_text())
    files = sorted(p.name for p in (farmed / "files" / SHORT[1]).iterdir())
    assert files and files == sorted(p.name for p in (local / "files" / SHORT[1]).iterdir())
    assert "127.0.0.1" in json.loads((farmed / ".stamps" / f"{SHORT[1]}.json").read_text())["worker"]
    for name in files:  # the same slide videos, frame for frame
        fa, fb = frames(local / "files" / SHORT[1] / name), frames(farmed / "files" / SHORT[1] / name)
        assert len(fa) == len(fb) and max(float(np.abs(x - y).mean()) for x, y in zip(fa, fb)) < 1.0, name
    no_partial_files(farmed.parent)
