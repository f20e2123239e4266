"""One language's cut as the publishing outputs see it: its folder, its scenes in lesson order,
their videos, beats and stamps, the recording they came from, and the options of the run."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from lecture.store.imports import file_digest
from lecture.store.stamps import Stamp
from lesson_text import lesson_text, string
from scenes import SCENES


@dataclass(frozen=True)
class Cut:
    folder: Path
    lang: str
    quality: str
    traces: Path
    voice: str = "none"
    burn: bool = False
    scenes: tuple[str, ...] = field(default_factory=lambda: tuple(SCENES))

    def video(self, scene: str) -> Path:
        return self.folder / f"{scene}.mp4"

    def beats_file(self, scene: str) -> Path:
        return self.folder / f"{scene}.beats.json"

    def beats(self, scene: str) -> dict:
        return json.loads(self.beats_file(scene).read_text(encoding="utf-8"))

    def scene_stamp(self, scene: str) -> str | None:
        """What the scene's video was made from (a short digest of its stamp's inputs)."""
        return Stamp.of(self.folder, scene).digest()

    def scene_stamps(self) -> dict[str, str | None]:
        return {scene: self.scene_stamp(scene) for scene in self.scenes}

    def stamp(self, name: str) -> str | None:
        return Stamp.of(self.folder, name).digest()

    def title(self, scene: str) -> str:
        return string(f"{SCENES[scene].key}.title", self.lang)

    def chapter_titles(self) -> list[str]:
        return [f"{i + 1}. {self.title(s)}" for i, s in enumerate(self.scenes)]

    def traces_digest(self) -> dict[str, str]:
        """Every trace of the recording (its JSON holds the arrays' hash, config and results)."""
        return {p.stem: file_digest(p) for p in sorted(Path(self.traces).glob("*.json")) if p.name != "index.json"}

    @property
    def languages(self) -> list[str]:
        return lesson_text().languages()

    def missing(self) -> list[str]:
        return [s for s in self.scenes if not self.video(s).is_file() or not self.beats_file(s).is_file()]
