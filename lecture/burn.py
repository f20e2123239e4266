"""Subtitles drawn into the picture (``--burn-subtitles``): the lecture is decoded, each cue's
text is composited onto its frames, and the result is encoded again (H.264, yuv420p), keeping
the chapters. Each cue's overlay is drawn once, not per frame."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from lecture.assemble import set_chapters
from lecture.subtitles import Cue

PRESET = {"preview": "veryfast", "hd": "veryfast", "4k": "medium"}


def font_file(family: str = "Noto Sans CJK SC") -> tuple[str, int]:
    """The font file and face index fontconfig picks for ``family``."""
    found = subprocess.run(["fc-match", "-f", "%{file}:%{index}", family], capture_output=True, text=True,
                           check=True).stdout
    path, _, index = found.rpartition(":")
    return path, int(index or 0)


def overlay(lines: tuple[str, ...], width: int, height: int, font) -> tuple[np.ndarray, np.ndarray, int]:
    """(RGB, alpha, top row) of a subtitle band: white text with a dark outline, bottom centre."""
    size = font.size
    band_h = int(size * 1.35 * len(lines) + size * 0.6)
    img = Image.new("RGBA", (width, band_h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        w = draw.textlength(line, font=font)
        draw.text(((width - w) / 2, size * 0.3 + i * size * 1.35), line, font=font, fill=(255, 255, 255, 255),
                  stroke_width=max(2, size // 12), stroke_fill=(0, 0, 0, 230))
    rgba = np.asarray(img, dtype=np.float32)
    top = height - band_h - int(height * 0.04)
    return rgba[..., :3], rgba[..., 3:] / 255.0, top


def burn(src: Path, target: Path, cues: list[Cue], chapters: list[dict], quality: str) -> None:
    tmp = target.with_name(f".{target.name}.burn.tmp")
    path, index = font_file()
    with av.open(str(src)) as inp:
        vin = inp.streams.video[0]
        width, height = vin.codec_context.width, vin.codec_context.height
        font = ImageFont.truetype(path, max(14, height // 22), index=index)
        cache: dict[int, tuple] = {}
        with av.open(str(tmp), "w", format="mp4", options={"movflags": "+faststart"}) as out:
            rate = vin.guessed_rate or vin.average_rate
            vout = out.add_stream("libx264", rate=rate, options={"preset": PRESET.get(quality, "veryfast"), "crf": "23"})
            vout.width, vout.height, vout.pix_fmt = width, height, "yuv420p"
            k = 0
            for frame in inp.decode(vin):
                t = float(frame.pts * vin.time_base)
                while k < len(cues) and cues[k].end <= t:
                    k += 1
                img = frame.to_ndarray(format="rgb24")
                if k < len(cues) and cues[k].start <= t:
                    if k not in cache:
                        cache = {k: overlay(cues[k].lines, width, height, font)}
                    rgb, alpha, top = cache[k]
                    region = img[top:top + rgb.shape[0]].astype(np.float32)
                    img[top:top + rgb.shape[0]] = (region * (1 - alpha) + rgb * alpha).astype(np.uint8)
                new = av.VideoFrame.from_ndarray(img, format="rgb24")
                new.pts, new.time_base = frame.pts, vin.time_base
                for packet in vout.encode(new):
                    out.mux(packet)
            for packet in vout.encode():
                out.mux(packet)
            set_chapters(out, chapters)
    os.replace(tmp, target)
