"""``lecture.mp4``: the scenes joined in lesson order without re-encoding the picture, with MP4
chapters named after the scenes and the narration as one AAC track; ``chapters.txt`` beside it."""
from __future__ import annotations

import json
from pathlib import Path

from lecture.publish import video_files
from lecture.publish.cut import Cut
from lecture.store.files import write_text
from lecture.store.imports import code_inputs
from lecture.store.products import Product

ORDER = 10
STAMP = "lecture"


def placed_clips(cut: Cut, scene: str) -> list[tuple[Path, float]] | None:
    """Where the scene placed each clip (its beats) and the clip's file (its narration file);
    None when a clip is not on this machine (the scene's own track is decoded then)."""
    narration = cut.folder / ".narration" / f"{scene}.json"
    beats = [b for b in cut.beats(scene)["beats"] if b.get("audio")]
    if not beats or not narration.is_file():
        return None
    files = {key: Path(clip["audio"]) for key, clip in json.loads(narration.read_text(encoding="utf-8"))["clips"].items()}
    placed = [(files.get(b["key"]), b["audio"]["start"]) for b in beats]
    return placed if all(path is not None and path.is_file() and path.stem == b["audio"]["clip"]
                         for (path, _), b in zip(placed, beats)) else None


def products(cut: Cut) -> list[Product]:
    def build():
        chapters = video_files.join([cut.video(s) for s in cut.scenes], cut.chapter_titles(),
                                    cut.folder / "lecture.mp4", lang=cut.lang,
                                    clips=[placed_clips(cut, s) for s in cut.scenes])
        write_text(cut.folder / "chapters.txt", video_files.chapters_txt(chapters))

    return [Product("lecture.mp4", cut.folder, STAMP, [cut.folder / "lecture.mp4", cut.folder / "chapters.txt"],
                    inputs=lambda: {"scenes": cut.scene_stamps(), "settings": {"lang": cut.lang},
                                    "code": code_inputs(__name__)},
                    build=build, lang=cut.lang)]
