"""``./render.sh bench --farm``: what the Ray engine costs and gives on this machine (prints figures).

1. The preview lecture's scenes (one language, ``--force``, no assembly) with the local engine
   (``-j N``) and with the Ray engine on a local instance of N CPUs, started and stopped inside the
   timed command as a user's run does; alternated, so drift in machine load hits both alike.
   Overhead = Ray wall time / local wall time - 1.
2. The same jobs on a two-node Ray cluster on 127.0.0.1 (``ray.cluster_utils.Cluster``, one CPU a
   node; started before the clock, as a cluster is): jobs per minute. Two nodes on one machine
   share its cores: this says what the farm's bookkeeping costs, not what a second machine gains.

Every run renders into a temporary directory, with a warm copy of out/.cache/ (the LaTeX and text
SVGs) that no other render on the machine can change under it; nothing in out/ is touched.
"""
from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from lecture.runner.engines import LocalEngine
from lecture.runner.jobs import Job
from lecture.runner.ray_engine import RayEngine
from lecture.runner.scene_inputs import inputs
from lecture.store import layout
from paths import VIDEO_FILE
from scenes import SCENES

LOOPBACK = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0", "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "token"}


class Quiet:
    def add(self, name, expected):
        pass

    def frames(self, name, n):
        pass

    def finished(self, name, message, error=False):
        if error:
            raise SystemExit(f"{name}: {message}")


def timed_render(traces: Path, out: Path, cache: Path, engine) -> float:
    """Wall time of ``engine`` rendering every scene (zh, preview), in this process."""
    jobs = [Job(s, "preview", "zh", traces, out / "zh", VIDEO_FILE, cache=cache) for s in SCENES]
    for job in jobs:
        job.out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with engine:
        engine.run(jobs, {job: inputs(job) for job in jobs}, Quiet())
    return time.perf_counter() - start


def farm_bench(traces: Path, work: Path, parallel: int = 2, repeats: int = 1) -> int:
    jobs = len(SCENES)
    print(f"farm 1. the preview lecture's {jobs} scenes: local engine -j {parallel} against Ray "
          f"(a local instance of {parallel} CPUs, started and stopped in the run)")
    os.environ.update(LOOPBACK)  # before Ray is imported
    cache = work / "cache"  # a private copy of out/.cache/: warm, and safe from other renders of the machine
    shutil.copytree(layout.CACHE, cache, dirs_exist_ok=True) if layout.CACHE.is_dir() else cache.mkdir()
    node_cache = Path(tempfile.gettempdir()) / "lecture-farm" / "cache"  # what the cluster's nodes use
    shutil.copytree(cache, node_cache, dirs_exist_ok=True)
    local, ray = [], []
    for n in range(repeats):
        local.append(timed_render(traces, work / f"local{n}", cache, LocalEngine(parallel)))
        ray.append(timed_render(traces, work / f"ray{n}", cache, RayEngine(None, parallel)))
        print(f"   run {n + 1}: local {local[-1]:.1f} s, ray {ray[-1]:.1f} s")
    overhead = statistics.median(ray) / statistics.median(local) - 1
    print(f"   medians: local {statistics.median(local):.1f} s, ray {statistics.median(ray):.1f} s: "
          f"overhead {overhead * 100:+.1f}% (target: 10% or less)")

    print(f"\nfarm 2. the same {jobs} jobs on a two-node cluster on 127.0.0.1 (one CPU a node)")
    from ray.cluster_utils import Cluster

    start = time.perf_counter()
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    cluster.add_node(num_cpus=1)
    cluster.wait_for_nodes()
    print(f"   cluster up in {time.perf_counter() - start:.1f} s at {cluster.address}")
    try:
        walls = []
        for n in range(repeats):
            walls.append(timed_render(traces, work / f"two{n}", cache, RayEngine(cluster.address)))
            print(f"   run {n + 1}: {walls[-1]:.1f} s, {jobs / walls[-1] * 60:.1f} jobs per minute")
        print(f"   median: {jobs / statistics.median(walls) * 60:.1f} jobs per minute "
              f"(local engine -j {parallel} in the same sitting: {jobs / statistics.median(local) * 60:.1f})")
    finally:
        cluster.shutdown()
    return 0


def main(argv=None) -> int:
    import argparse

    from lecture.runner.recording import lesson_traces
    from paths import DEFAULT_LESSON

    parser = argparse.ArgumentParser(prog="./render.sh bench --farm", description=__doc__.split("\n\n")[0])
    parser.add_argument("--farm", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args(argv)
    traces = lesson_traces(DEFAULT_LESSON).traces
    with tempfile.TemporaryDirectory(prefix="bench-farm-") as tmp:
        return farm_bench(traces, Path(tmp), repeats=args.repeats)


if __name__ == "__main__":
    import sys

    sys.exit(main())
