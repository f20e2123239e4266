"""``python -m lecture.speed SCENE... [--quality hd|4k] [--py-spy PATH]``: where an hd or 4k render's
time goes, against the libx264 encode floor measured in the same run (issue 12, part 1).

For each scene: one render as ``lecture.jobs.render`` runs it (same command, same encoder options),
under ``/usr/bin/time -v`` (peak memory of the render process) and, with ``--py-spy``, sampled by
py-spy over all threads (manim encodes on its own thread). The samples are summed by what they
were doing: Cairo drawing, updaters, text and formulas, conversion to yuv, the encoder, the rest.
libx264's own threads are native and not sampled: the floor gives the encoder's share. The floor:
frames of the rendered video encoded again through PyAV exactly as Manim does
(RGBA ``from_ndarray``, libx264 with the job's preset, yuv420p), in seconds per second of video;
the conversion to yuv alone is timed too. Renders go to a temporary directory; out/ is untouched.
"""
from __future__ import annotations

import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from lecture.jobs import QUALITIES, Job
from paths import REPO, TRACES, VIDEO_FILE
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


def render(scene: str, quality: str, work: Path, py_spy: str | None) -> dict:
    flag, resolution, fps, preset = QUALITIES[quality]
    job = Job(scene, quality, "zh", TRACES, work / "cut", VIDEO_FILE, cache=work / "cache")
    job.out.mkdir(parents=True, exist_ok=True)
    cfg = work / "manim.cfg"
    cfg.write_text(f"[CLI]\ntex_dir = {job.cache / 'Tex'}\ntext_dir = {job.cache / 'texts'}\n")
    env = {**os.environ, "PYTHONPATH": str(REPO), "LECTURE_TRACES": str(job.traces), "LECTURE_LANG": job.lang,
           "LECTURE_VIDEO": str(job.video), "LECTURE_BEATS": str(work)}
    manim = [sys.executable, "-m", "manim", "render", f"-q{flag}", "--disable_caching", "--config_file", str(cfg),
             "--progress_bar", "none", "--media_dir", str(work), "--encoder-option", f"preset={preset}",
             str(REPO / SCENES[scene].module.replace(".", "/")) + ".py", scene]
    raw = work / f"{scene}.raw"
    cmd = ["/usr/bin/time", "-v"] + ([py_spy, "record", "--threads", "--rate", "50", "--format", "raw",
                                      "--output", str(raw), "--"] if py_spy else []) + manim
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
            "profile": categorise(raw) if py_spy else None, "preset": preset, "fps": fps}


def floor(video: Path, fps: int, preset: str, frames: int = 240) -> tuple[float, float]:
    """(encode, yuv conversion alone) seconds per second of video for frames of ``video``."""
    with av.open(str(video)) as container:
        images = []
        for frame in container.decode(video=0):
            images.append(np.ascontiguousarray(frame.to_ndarray(format="rgba")))
            if len(images) == frames:
                break
    height, width = images[0].shape[:2]
    with tempfile.TemporaryDirectory() as tmp:
        out = av.open(str(Path(tmp) / "floor.mp4"), "w")
        stream = out.add_stream("libx264", rate=fps, options={"preset": preset})
        stream.pix_fmt, stream.width, stream.height = "yuv420p", width, height
        start = time.perf_counter()
        for n, image in enumerate(images):
            frame = av.VideoFrame.from_ndarray(image, format="rgba")
            frame.pts, frame.time_base = n, Fraction(1, fps)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
        encode = time.perf_counter() - start
        out.close()
    start = time.perf_counter()
    for image in images:
        av.VideoFrame.from_ndarray(image, format="rgba").reformat(format="yuv420p")
    convert = time.perf_counter() - start
    return encode / (len(images) / fps), convert / (len(images) / fps)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lecture.speed", description=__doc__.split("\n\n")[0])
    parser.add_argument("scenes", nargs="+", choices=list(SCENES))
    parser.add_argument("--quality", default="hd", choices=["hd", "4k"])
    parser.add_argument("--py-spy", default=None, metavar="PATH", help="py-spy executable: where the time goes")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="speed-") as tmp:
        total_s = total_len = 0.0
        for scene in args.scenes:
            r = render(scene, args.quality, Path(tmp) / scene, args.py_spy)
            enc, conv = floor(r["video"], r["fps"], r["preset"])
            total_s, total_len = total_s + r["seconds"], total_len + r["length"]
            print(f"{scene} at {args.quality}: {r['seconds']:.1f} s for {r['length']:.1f} s of video = "
                  f"{r['seconds'] / r['length']:.2f} s/s; encode floor {enc:.2f} s/s (of which yuv conversion "
                  f"{conv:.2f}); render / floor = {r['seconds'] / r['length'] / enc:.2f}; "
                  f"peak memory {r['peak_mb']:.0f} MB", flush=True)
            if r["profile"]:
                samples = sum(r["profile"].values())
                for name, n in r["profile"].most_common():
                    print(f"    {name:<48}{n / samples * 100:5.1f}% of samples ({n / 50:.1f} s of thread time)")
        print(f"together: {total_s:.1f} s for {total_len:.1f} s of video = {total_s / total_len:.2f} s/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
