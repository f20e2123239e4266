"""A poster frame per scene and a contact sheet of all of them (matplotlib)."""
from __future__ import annotations

import os
from pathlib import Path

import av
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

FONT = ["Noto Sans CJK SC", "DejaVu Sans"]


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


def poster(video: Path, target: Path, at: float) -> None:
    """The frame at ``at`` seconds (the scene's own title is on it) as a PNG."""
    from PIL import Image

    tmp = target.with_name(f".{target.name}.tmp.png")
    Image.fromarray(frame_at(video, at)).save(tmp)
    os.replace(tmp, target)


def contact_sheet(posters: list[Path], titles: list[str], target: Path, heading: str) -> None:
    from PIL import Image

    cols = 2
    rows = (len(posters) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(12, 3.6 * rows), facecolor="#101319")
    for ax, path, title in zip(axes.flat, posters, titles):
        ax.imshow(Image.open(path))
        ax.set_title(title, color="#E8E6E3", fontsize=13, family=FONT)
    for ax in axes.flat:
        ax.axis("off")
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    fig.suptitle(heading, color="#E8E6E3", fontsize=18, family=FONT)
    tmp = target.with_name(f".{target.name}.tmp.png")
    fig.savefig(tmp, dpi=100, facecolor=fig.get_facecolor())
    plt.close(fig)
    os.replace(tmp, target)
