"""Render-speed benchmark: ``./render.sh bench [--quick] [--scenes A,B]``. Prints figures; asserts nothing.

1. Every scene rendered alone (one process at a time) at preview and at hd: render seconds per
   second of video.
2. LinearRegressionFit driven by the 500-epoch trace and by a 50,000-epoch trace of the same run
   (same pacing, so the same video length), rendered alternately; the ratio of render times.
   Render cost should follow video length, not the number of epochs.
3. The whole lecture at preview quality with -j 2: wall time.

Each render runs in a fresh process with Manim's cache off and into a temporary directory, so
nothing in out/ is touched. The machine is shared: compare figures from the same run.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av

from lecture.runner.jobs import Job
from lecture.runner.manim_process import render_into_place
from lecture.runner.scene_inputs import inputs
from paths import DEFAULT_LESSON, REPO
from scenes import SCENES
from scenes.settings import video_file


def duration(path: Path) -> float:
    with av.open(str(path)) as container:
        return float(container.duration) / 1e6


def timed(scene: str, quality: str, traces: Path, work: Path) -> tuple[float, float]:
    """(render seconds, video seconds) of one fresh render."""
    out = work / f"{scene}-{quality}-{time.monotonic_ns()}"
    job = Job(scene, quality, "zh", traces, out, video_file(), cache=work / "cache")
    out.mkdir(parents=True)
    seconds = render_into_place(job, inputs(job))
    return seconds, duration(job.target)


def record_long_trace(work: Path, epochs: int) -> Path:
    """The regression's basic loop recorded again with ``epochs`` epochs (same data, same lr)."""
    from sim.config import load_lesson
    from sim.record import record_all

    variant = work / "long.toml"
    variant.write_text(f'base = "{REPO / "assets/lessons/default.toml"}"\n[linreg]\nepochs = {epochs}\n')
    out = work / f"traces-{epochs}"
    start = time.perf_counter()
    record_all(load_lesson(variant), out, names=("linreg_sequential",), log=lambda line: None)
    print(f"recorded linreg_sequential with {epochs} epochs in {time.perf_counter() - start:.1f} s")
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="./render.sh bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="preview quality only, one repeat")
    parser.add_argument("--skip-lecture", action="store_true", help="leave out part 3")
    parser.add_argument("--scenes", default=",".join(SCENES), help="comma-separated scenes for part 1")
    parser.add_argument("--repeats", type=int, default=3, help="alternating repeats in part 2")
    args = parser.parse_args(argv)
    qualities = ["preview"] if args.quick else ["preview", "hd"]
    repeats = 1 if args.quick else args.repeats
    from lecture.runner.recording import lesson_traces

    traces = lesson_traces(DEFAULT_LESSON).traces
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        print("1. render seconds per second of video (one scene at a time)")
        print(f"   {'scene':<22}{'video s':>9}" + "".join(f"{q + ' s/s':>12}" for q in qualities))
        totals = {q: [0.0, 0.0] for q in qualities}
        for scene in args.scenes.split(","):
            row = []
            for q in qualities:
                seconds, length = timed(scene, q, traces, work)
                totals[q][0] += seconds
                totals[q][1] += length
                row.append(seconds / length)
            print(f"   {scene:<22}{length:>9.1f}" + "".join(f"{r:>12.2f}" for r in row))
        print(f"   {'all':<22}{totals[qualities[0]][1]:>9.1f}" +
              "".join(f"{totals[q][0] / totals[q][1]:>12.2f}" for q in qualities))

        print("\n2. LinearRegressionFit: 500-epoch trace against a 50,000-epoch trace, same run length")
        long = record_long_trace(work, 50_000)
        for trace_dir in (traces, long):  # warm the LaTeX cache (the long run's axis labels differ)
            timed("LinearRegressionFit", "preview", trace_dir, work)
        for q in qualities:
            short_t, long_t = [], []
            for _ in range(repeats):  # alternate, so drift in machine load hits both alike
                s, s_len = timed("LinearRegressionFit", q, traces, work)
                l, l_len = timed("LinearRegressionFit", q, long, work)
                short_t.append(s)
                long_t.append(l)
            ratio = statistics.median(long_t) / statistics.median(short_t)
            per_second = ratio * s_len / l_len  # the narration of the long run is a few characters longer
            print(f"   {q}: 500 epochs {statistics.median(short_t):.1f} s ({s_len:.1f} s of video), "
                  f"50,000 epochs {statistics.median(long_t):.1f} s ({l_len:.1f} s of video); "
                  f"ratio {ratio:.2f}, per second of video {per_second:.2f} (medians of {repeats})")

        if args.skip_lecture:
            return 0
        print("\n3. the whole lecture at preview quality, -j 2")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "lecture.commands.render", "-j", "2", "--force", "--out",
                        str(work / "lecture"), "--traces", str(traces)], check=True, stdout=subprocess.DEVNULL)
        print(f"   {time.perf_counter() - start:.1f} s wall time for {totals['preview'][1]:.1f} s of video")
    return 0


if __name__ == "__main__":
    sys.exit(main())
