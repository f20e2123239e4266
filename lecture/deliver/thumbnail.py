"""``thumbnail.png`` for a video site: 1280×720 (the sites' recommended size; under their 2 MB
limit), the lesson's title over the key picture, in the lecture's colours and font.

The key picture is a scene's own poster frame (``posters/<Scene>.png``, its last frame, drawn
from the recording), with the scene's title band taken off: the rows from the top down to the
first empty band below the first text (found from the pixels, so it follows the scenes' style).
The title is broken into lines at word boundaries (lesson_text.timed_text.words: jieba for
Chinese) so that no line is wider than the text column.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from lecture.publish.posters import BACKGROUND, TEXT, font, save_png
from lesson_text.timed_text import words

SIZE = (1280, 720)
MAX_BYTES = 2_000_000
ACCENT = "#4FB0C6"        # scenes.style.FIT: the model being trained
MUTED = "#9AA3AD"
TITLE_PX, SUB_PX, MARGIN = 62, 30, 56
BOLD = "Noto Sans CJK SC:bold"


def content_top(image, background=BACKGROUND, limit: float = 0.3) -> int:
    """The first row below the frame's title band (0 when no band is found in the top ``limit``)."""
    rgb = np.asarray(image.convert("RGB"), dtype=np.int16)
    bg = np.array([int(background[i:i + 2], 16) for i in (1, 3, 5)], dtype=np.int16)
    busy = (np.abs(rgb - bg).max(axis=2) > 40).mean(axis=1) > 0.002
    rows = len(busy)
    first = int(np.argmax(busy)) if busy.any() else rows
    if first >= rows * limit:
        return 0
    gap = 0
    for y in range(first, int(rows * limit)):
        gap = gap + 1 if not busy[y] else 0
        if gap >= max(4, rows // 60) and busy[y + 1:int(rows * limit) + 1].any():
            return y - gap // 2
    return 0


def wrapped(text: str, lang: str, face, width: int, most: int = 3) -> list[str]:
    """``text`` in at most ``most`` lines no wider than ``width`` pixels, broken between words;
    after its colon when the parts then fit (a title and its subtitle)."""
    for colon in ("：", ": "):
        head, sep, rest = text.partition(colon)
        if sep and head and rest:
            parts = [head + sep.strip()] + greedy(rest.strip(), lang, face, width)
            if len(parts) <= most and face.getlength(parts[0]) <= width:
                return parts
    return greedy(text, lang, face, width)[:most]


def greedy(text: str, lang: str, face, width: int) -> list[str]:
    lines, line = [], ""
    for word in words(text, lang):
        candidate = (line + (" " if word.spaced and line else "") + word.text) if line else word.text
        if line and face.getlength(candidate) > width:
            lines.append(line)
            line = word.text
        else:
            line = candidate
    return lines + ([line] if line else [])


def content_box(image, top: int) -> tuple[int, int, int, int]:
    """The frame below ``top`` trimmed to what is drawn on it (a margin kept)."""
    rgb = np.asarray(image.convert("RGB"), dtype=np.int16)[top:]
    busy = np.abs(rgb - rgb[-1, 0]).max(axis=2) > 40
    cols, rows = np.flatnonzero(busy.any(axis=0)), np.flatnonzero(busy.any(axis=1))
    if not len(cols):
        return (0, top, image.width, image.height)
    pad = image.height // 40
    return (max(0, cols[0] - pad), top + max(0, rows[0] - pad), min(image.width, cols[-1] + pad + 1),
            min(image.height, top + rows[-1] + pad + 1))


def draw(poster: Path, title: str, subtitle: str, lang: str, target: Path) -> Path:
    from PIL import Image, ImageDraw

    frame = Image.open(poster).convert("RGB")
    background = frame.getpixel((0, frame.height - 1))   # the frame's own (as decoded), so no seam shows
    frame = frame.crop(content_box(frame, content_top(frame)))
    canvas = Image.new("RGB", SIZE, background)
    pen = ImageDraw.Draw(canvas)
    face = font(TITLE_PX, BOLD)
    lines = wrapped(title, lang, face, SIZE[0] - 2 * MARGIN - 30)
    y = MARGIN - 10
    pen.rectangle((MARGIN, y + 8, MARGIN + 10, y + 8 + len(lines) * (TITLE_PX + 14) - 14), fill=ACCENT)
    for line in lines:
        pen.text((MARGIN + 30, y), line, font=face, fill=TEXT)
        y += TITLE_PX + 14
    pen.text((MARGIN + 30, y + 6), subtitle, font=font(SUB_PX), fill=MUTED)
    top = y + SUB_PX + 36
    box = (SIZE[0] - 2 * MARGIN, SIZE[1] - top - MARGIN // 2)
    scale = min(box[0] / frame.width, box[1] / frame.height)
    picture = frame.resize((round(frame.width * scale), round(frame.height * scale)), Image.LANCZOS)
    canvas.paste(picture, ((SIZE[0] - picture.width) // 2, top))
    save_png(canvas, target)
    if target.stat().st_size > MAX_BYTES:  # a photograph-like frame: keep it a PNG, fewer colours
        save_png(canvas.quantize(256, dither=Image.Dither.NONE).convert("RGB"), target)
    return target
