"""Join the scene videos into one lecture without re-encoding (remux with PyAV), with chapters."""
from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import av


def probe(path: Path) -> dict:
    """Duration, picture and codec of a video, as a player sees them."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        ctx = stream.codec_context
        return {"duration": round(float(container.duration) / 1e6, 3), "width": ctx.width, "height": ctx.height,
                "frame_rate": round(float(stream.guessed_rate or stream.average_rate), 3),
                "codec": ctx.name, "pixel_format": ctx.pix_fmt, "frames": stream.frames,
                "chapters": [{"title": c["metadata"].get("title", ""), "start": float(c["start"] * c["time_base"]),
                              "end": float(c["end"] * c["time_base"])} for c in container.chapters()]}


def set_chapters(container, chapters: list[dict]) -> None:
    """Write ``chapters`` (title, start and end in seconds) as MP4 chapters, in milliseconds."""
    container.set_chapters([{"id": i + 1, "start": round(c["start"] * 1000), "end": round(c["end"] * 1000),
                             "time_base": Fraction(1, 1000), "metadata": {"title": c["title"]}}
                            for i, c in enumerate(chapters)])


def join(videos: list[Path], titles: list[str], target: Path) -> list[dict]:
    """Write ``target`` from ``videos`` (same codec, size and rate), one chapter per video.

    Packets are copied, not decoded: timestamps of each video are shifted by the length of the
    ones before it. Written to a temporary name and renamed into place.
    """
    tmp = target.with_name(f".{target.name}.tmp")
    chapters, offset = [], 0  # offset in the output stream's time base
    first = av.open(str(videos[0]))
    try:
        with av.open(str(tmp), "w", format="mp4", options={"movflags": "+faststart"}) as out:
            template = first.streams.video[0]
            stream = out.add_stream_from_template(template)
            base = template.time_base
            for path, title in zip(videos, titles):
                with av.open(str(path)) as src:
                    s = src.streams.video[0]
                    if s.time_base != base or s.codec_context.width != template.codec_context.width:
                        raise ValueError(f"{path.name} differs in time base or size from {videos[0].name}: "
                                         "render all scenes at one quality")
                    end = offset
                    for packet in src.demux(s):
                        if packet.dts is None:
                            continue
                        packet.pts += offset
                        packet.dts += offset
                        end = max(end, packet.pts + (packet.duration or 0))
                        packet.stream = stream
                        out.mux(packet)
                chapters.append({"title": title, "start": float(offset * base), "end": float(end * base)})
                offset = end
            set_chapters(out, chapters)
    finally:
        first.close()
    os.replace(tmp, target)
    return chapters


def chapters_txt(chapters: list[dict]) -> str:
    """One ``MM:SS title`` line per chapter, the form video sites read from a description."""
    lines = []
    for c in chapters:
        seconds = int(c["start"])
        lines.append(f"{seconds // 60:02d}:{seconds % 60:02d} {c['title']}")
    return "\n".join(lines) + "\n"
