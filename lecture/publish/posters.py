"""A poster frame per scene and a contact sheet of all of them (PIL)."""
from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path

import av

from lecture.store.files import temporary

BACKGROUND, TEXT = "#101319", "#E8E6E3"


def frame_at(video: Path, seconds: float):
    """The decoded frame shown at ``seconds`` (RGB array)."""
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        container.seek(int(seconds / stream.time_base), stream=stream, backward=True)
        last = None
        for frame in container.decode(stream):
            last = frame
            if frame.time is not None and frame.time >= seconds:
                break
        return last.to_ndarray(format="rgb24")


def save_png(image, target: Path) -> None:
    import os

    tmp = temporary(target).with_suffix(".png")
    image.save(tmp, format="PNG")
    os.replace(tmp, target)


def poster(video: Path, target: Path, at: float) -> None:
    """The frame at ``at`` seconds (the scene's own title is on it) as a PNG."""
    from PIL import Image

    target.parent.mkdir(parents=True, exist_ok=True)
    save_png(Image.fromarray(frame_at(video, at)), target)


@lru_cache(maxsize=None)
def font(size: int, family: str = "Noto Sans CJK SC"):
    """The font fontconfig picks for ``family`` (it covers Chinese and Latin)."""
    from PIL import ImageFont

    found = subprocess.run(["fc-match", "-f", "%{file}:%{index}", family], capture_output=True, text=True,
                           check=True).stdout
    path, _, index = found.rpartition(":")
    return ImageFont.truetype(path, size, index=int(index or 0))


def contact_sheet(posters: list[Path], titles: list[str], target: Path, heading: str, columns: int = 2) -> None:
    """Every poster under its title, ``columns`` a row, under the lecture's title."""
    from PIL import Image, ImageDraw

    images = [Image.open(p).convert("RGB") for p in posters]
    width = 600
    height = round(images[0].height * width / images[0].width)
    pad, caption, top = 24, 40, 80
    rows = (len(images) + columns - 1) // columns
    sheet = Image.new("RGB", (columns * width + (columns + 1) * pad, top + rows * (height + caption + pad)), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    draw.text((sheet.width / 2, top / 2), heading, font=font(34), fill=TEXT, anchor="mm")
    for i, (image, title) in enumerate(zip(images, titles)):
        x = pad + (i % columns) * (width + pad)
        y = top + (i // columns) * (height + caption + pad)
        draw.text((x + width / 2, y + caption / 2), title, font=font(22), fill=TEXT, anchor="mm")
        sheet.paste(image.resize((width, height), Image.LANCZOS), (x, y + caption))
    save_png(sheet, target)
