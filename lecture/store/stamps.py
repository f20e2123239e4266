"""A stamp records what an output was made from: ``<folder>/.stamps/<name>.json`` holds its inputs
(``lecture.store.inputs``) and a few facts about the making (seconds, worker). It is written
last, after every file of the output is in place, so a stamp always speaks of a finished output.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from lecture.store.files import write_json
from lecture.store.inputs import digest, reasons
from lecture.store.layout import shown


@dataclass(frozen=True)
class Stamp:
    path: Path

    @classmethod
    def of(cls, folder: Path, name: str) -> "Stamp":
        return cls(Path(folder) / ".stamps" / f"{name}.json")

    def read(self) -> dict | None:
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
            return doc if isinstance(doc, dict) and "inputs" in doc else None
        except (OSError, ValueError):
            return None

    def inputs(self) -> dict | None:
        doc = self.read()
        return doc["inputs"] if doc else None

    def digest(self) -> str | None:
        """A short digest of what the output was made from, the strings it read included (what
        later outputs depend on: a line that changed makes the manifest of its subtitles stale)."""
        doc = self.read()
        return digest({"inputs": doc["inputs"], "reads": doc.get("reads")}) if doc else None

    def write(self, inputs: dict, **facts) -> None:
        write_json(self.path, {"inputs": inputs, **facts})

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)

    def why_stale(self, inputs: dict, targets: list[Path] = (), lang: str | None = None) -> list[str]:
        """Why the output must be made again (empty: it is current)."""
        missing = [t for t in targets if not Path(t).exists()]
        old = self.inputs()
        if old is None:
            return ["never made" if not self.path.exists() else "its record cannot be read"]
        if missing:
            return [f"{shown(missing[0])} is missing"]
        return reasons(old, inputs, lang)
