"""``assets/delivery.toml``: how the lecture is delivered (mastery score, completion, thumbnail),
read with the line of each key and checked before anything is made: a wrong value is named with
its file, line, key, the problem and the fix."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lecture.store.imports import file_digest
from lesson_text import read_toml
from paths import ASSETS
from sim.errors import ConfigError

DELIVERY = ASSETS / "delivery.toml"


@dataclass(frozen=True)
class Delivery:
    mastery_score: int       # percent of the quiz's points needed to pass
    completed_at: float      # share of the chapters reached for "completed"
    thumbnail_scene: str     # the scene whose last frame is the thumbnail's picture


def load(path: Path = DELIVERY) -> Delivery:
    from scenes import SCENES

    located = read_toml(path, missing_fix="restore assets/delivery.toml from git")
    doc = located.doc

    def where(key: str) -> str:
        line = located.line_of(key)
        return f"{path}, line {line}" if line else str(path)

    known = {"mastery_score", "completed_at", "thumbnail_scene"}
    for key in doc:
        if key not in known:
            raise ConfigError(where(key), key, "is not a setting of delivery", f"use one of: {', '.join(sorted(known))}")
    for key in known:
        if key not in doc:
            raise ConfigError(str(path), key, "is missing", f"add it (see the comments in {DELIVERY.name} in git)")
    score = doc["mastery_score"]
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise ConfigError(where("mastery_score"), "mastery_score", f"is {score!r}", "give a whole number from 0 to 100")
    share = doc["completed_at"]
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share <= 1:
        raise ConfigError(where("completed_at"), "completed_at", f"is {share!r}",
                          "give a share of the chapters above 0 and at most 1, e.g. 0.9")
    scene = doc["thumbnail_scene"]
    if scene not in SCENES:
        raise ConfigError(where("thumbnail_scene"), "thumbnail_scene", f"is {scene!r}, not a scene of the lesson",
                          f"use one of: {', '.join(SCENES)}")
    return Delivery(score, float(share), scene)


def digest(path: Path = DELIVERY) -> str:
    return file_digest(path)
