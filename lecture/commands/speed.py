"""``python -m lecture.speed SCENE... [--quality hd|4k] [--stock] [--py-spy PATH] [--keep DIR]``:
where an hd or 4k render's time goes, against the libx264 encode floor measured in the same run
(issue 12, part 1).

For each scene: one render as ./render.sh runs it (same command, encoder options and
text cache), under ``/usr/bin/time -v`` (peak memory of the render process); with ``--stock`` a
second one through Manim's own command line; with ``--py-spy``, sampled by py-spy over all
threads (manim encodes on its own thread), the samples summed by what they were doing: Cairo
drawing, updaters, text and formulas, the encoder thread, the rest. libx264's own threads are
native and not sampled: the floor gives the encoder's share. The floor: every frame of the
rendered video encoded again through PyAV (wrapped without a copy, yuv420p, libx264 with the
job's preset), in seconds per second of video; the same with Manim's frame hand-off, and the
conversion to yuv alone, are printed beside it. Renders go to a temporary directory (or
``--keep``); out/ is untouched.
"""
from __future__ import annotations

import argparse
import collections
import contextlib
import re
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from lecture.runner.jobs import QUALITIES, Job
from lecture.runner.manim_process import command as manim_command
from lecture.runner.manim_process import environment
from paths import TRACES, VIDEO_FILE
from scenes import SCENES

# First match wins, from the innermost frame outwards (py-spy raw stacks, outermost first).
CATEGORIES = [  # PyAV is Cython: its time shows on the Python line that calls it
    ("encoder thread (RGBA copy, yuv conversion, libx264)", re.compile(r"video_segment_encoder\.py")),
    ("text and formulas", re.compile(r"manimpango|text_mobject|tex_mobject|tex_file_writing|svg_mobject")),
    ("updaters", re.compile(r"update_mobjects|updater")),
    ("Cairo drawing", re.compile(r"camera\.py|cairo")),
    ("frame hand-off to the encoder (queue, copies)", re.compile(r"scene_file_writer\.py")),
]


def categorise(raw: Path) -> dict[str, int]:
    counts = collections.Counter()
    for line in raw.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        frames = stack.split(";")
        for frame in reversed(frames):
            name = next((c for c, rx in CATEGORIES if rx.search(frame)), None)
            if name:
                counts[name] += int(n)
                break
        else:
            counts["other (scene code, numpy, manim bookkeeping)"] += int(n)
    return counts


def render(scene: str, quality: str, work: Path, py_spy: str | None, stock: bool = False) -> dict:
    """Render ``scene`` as ./render.sh does (lecture.runner.manim_process: same command, encoder
    options and text cache, a fresh partial-movie cache), or with Manim's own command line
    (``stock``), under ``/usr/bin/time -v``."""
    fps, resolution = QUALITIES[quality][2], QUALITIES[quality][1]
    job = Job(scene, quality, "zh", TRACES, work / "cut", VIDEO_FILE, segment_cache=work / "segments")
    job.out.mkdir(parents=True, exist_ok=True)
    command = manim_command(job, work, progress="none", stock=stock)
    env = environment(job, work)
    raw = work / f"{scene}.raw"
    cmd = ["/usr/bin/time", "-v"] + ([py_spy, "record", "--threads", "--rate", "50", "--format", "raw",
                                      "--output", str(raw), "--"] if py_spy else []) + command
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=work, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"{scene} failed:\n{done.stderr[-3000:]}")
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))
    video = next(work.glob(f"videos/**/{resolution}/{scene}.mp4"))
    with av.open(str(video)) as container:
        length = float(container.duration) / 1e6
    return {"scene": scene, "seconds": seconds, "length": length, "peak_mb": peak / 1024, "video": video,
            "profile": categorise(raw) if py_spy else None, "preset": QUALITIES[quality][3], "fps": fps}


def chunks(video: Path, size: int):
    """The video's frames as C-contiguous RGBA arrays, ``size`` at a time (all of them, so the
    floor covers moving and held parts alike)."""
    with av.open(str(video)) as container:
        images = []
        for frame in container.decode(video=0):
            images.append(np.ascontiguousarray(frame.to_ndarray(format="rgba")))
            if len(images) == size:
                yield images
                images = []
        if images:
            yield images


def encode_seconds(images: list, fps: int, preset: str, wrap) -> float:
    """Seconds to hand ``images`` to libx264 (``wrap``: array -> VideoFrame) and encode them."""
    height, width = images[0].shape[:2]
    with tempfile.TemporaryDirectory() as tmp:
        out = av.open(str(Path(tmp) / "floor.mp4"), "w")
        stream = out.add_stream("libx264", rate=fps, options={"preset": preset})
        stream.pix_fmt, stream.width, stream.height = "yuv420p", width, height
        start = time.perf_counter()
        for n, image in enumerate(images):
            frame = wrap(image)
            frame.pts, frame.time_base = n, Fraction(1, fps)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
        seconds = time.perf_counter() - start
        out.close()
    return seconds


def floor(video: Path, fps: int, preset: str) -> dict:
    """Seconds per second of video to encode every frame of ``video`` again through PyAV and
    libx264 with the job's preset, in chunks of 4 s (hd) or 1 s (4k) held in memory:

    - ``floor``: the array wrapped without a copy (``from_numpy_buffer``), then yuv420p and x264:
      encoding alone, the floor the renders are measured against;
    - ``manim_handoff``: wrapped as Manim 0.22 does (``from_ndarray``, two copies);
    - ``yuv``: the conversion to yuv420p alone.
    """
    totals = collections.Counter()
    frames = 0
    for images in chunks(video, 240 if images_are_small(video) else 60):
        frames += len(images)
        totals["floor"] += encode_seconds(images, fps, preset, lambda a: av.VideoFrame.from_numpy_buffer(a, format="rgba"))
        totals["manim_handoff"] += encode_seconds(images, fps, preset, lambda a: av.VideoFrame.from_ndarray(a, format="rgba"))
        start = time.perf_counter()
        for image in images:
            av.VideoFrame.from_numpy_buffer(image, format="rgba").reformat(format="yuv420p")
        totals["yuv"] += time.perf_counter() - start
    return {name: seconds / (frames / fps) for name, seconds in totals.items()}


def images_are_small(video: Path) -> bool:
    with av.open(str(video)) as container:
        return container.streams.video[0].height <= 1080


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lecture.speed", description=__doc__.split("\n\n")[0])
    parser.add_argument("scenes", nargs="+", choices=list(SCENES))
    parser.add_argument("--quality", default="hd", choices=["hd", "4k"])
    parser.add_argument("--py-spy", default=None, metavar="PATH", help="py-spy executable: where the time goes")
    parser.add_argument("--keep", default=None, metavar="DIR", type=Path,
                        help="keep the renders and py-spy samples (<scene>/<scene>.raw) in DIR")
    parser.add_argument("--stock", action="store_true",
                        help="also render each scene with Manim's own command line, for comparison")
    args = parser.parse_args(argv)
    with contextlib.nullcontext(args.keep) if args.keep else tempfile.TemporaryDirectory(prefix="speed-") as tmp:
        totals = collections.Counter()
        for scene in args.scenes:
            runs = {"render": render(scene, args.quality, Path(tmp) / scene, args.py_spy)}
            if args.stock:
                runs["Manim's own CLI"] = render(scene, args.quality, Path(tmp) / f"{scene}-stock", None, stock=True)
            r = runs["render"]
            floors = floor(r["video"], r["fps"], r["preset"])
            totals.update(length=r["length"], floor=floors["floor"] * r["length"],
                          **{name: run["seconds"] for name, run in runs.items()})
            print(f"{scene} at {args.quality}, {r['length']:.1f} s of video: encode floor {floors['floor']:.2f} s/s "
                  f"(yuv conversion alone {floors['yuv']:.2f}; with Manim's frame hand-off "
                  f"{floors['manim_handoff']:.2f})", flush=True)
            for name, run in runs.items():
                print(f"    {name:<16}{run['seconds']:7.1f} s = {run['seconds'] / run['length']:.2f} s/s = "
                      f"{run['seconds'] / run['length'] / floors['floor']:.2f} x floor; "
                      f"peak memory {run['peak_mb']:.0f} MB", flush=True)
            if r["profile"]:
                samples = sum(r["profile"].values())
                for name, n in r["profile"].most_common():
                    print(f"    {name:<48}{n / samples * 100:5.1f}% of samples ({n / 50:.1f} s of thread time)")
        length = totals["length"]
        print(f"together, {length:.1f} s of video: floor {totals['floor'] / length:.2f} s/s; " + "; ".join(
            f"{name} {totals[name] / length:.2f} s/s = {totals[name] / totals['floor']:.2f} x floor"
            for name in ("render", "Manim's own CLI") if name in totals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
