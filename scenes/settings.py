"""What a render is made from: the trace directory, the language and the pacing.

render.sh passes them to every manim process through the environment:

* ``LECTURE_TRACES``: directory of the recorded traces (default: ``traces/``)
* ``LECTURE_LANG``: language of the on-screen text, a file in ``assets/text/`` (default: ``zh``)
* ``LECTURE_VIDEO``: the pacing file (default: ``assets/video.toml``)
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

from sim.config import REPO
from sim.errors import ConfigError

TEXT_DIR = REPO / "assets" / "text"
NARRATION_DIR = REPO / "assets" / "narration"
DEFAULT_VIDEO = REPO / "assets" / "video.toml"
DEFAULT_LANG = "zh"


@dataclass(frozen=True)
class Pacing:
    fit_seconds: float     # seconds one training run takes on screen, whatever its epochs
    ease_power: float      # > 1 gives the early epochs, where most change happens, more time
    beat_seconds: float    # pause after each beat
    write_seconds: float   # run time of a typical Write / Create / Transform
    readout_rate: float    # live numbers change at most this many times per second of video
    curve_samples: int     # points per drawn trace curve, whatever the number of epochs


def traces_dir() -> Path:
    return Path(os.environ.get("LECTURE_TRACES", REPO / "traces"))


def languages() -> list[str]:
    return sorted(p.stem for p in TEXT_DIR.glob("*.toml"))


def language() -> str:
    lang = os.environ.get("LECTURE_LANG", DEFAULT_LANG)
    if lang not in languages():
        raise ConfigError("LECTURE_LANG", "language", f"'{lang}' has no text file",
                          f"use one of: {', '.join(languages())} (files in {TEXT_DIR})")
    return lang


def video_file() -> Path:
    return Path(os.environ.get("LECTURE_VIDEO", DEFAULT_VIDEO))


@cache
def reading_speeds(path: Path | None = None) -> dict[str, float]:
    """Characters per second a viewer reads, per language with a narration file."""
    path = Path(path or video_file())
    table = tomllib.loads(path.read_text(encoding="utf-8")).get("reading", {})
    speeds = {}
    for lang in sorted(p.stem for p in NARRATION_DIR.glob("*.toml")):
        value = table.get(lang)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ConfigError(str(path), f"reading.{lang}", f"is {value!r}",
                              "set the characters per second a viewer reads in that language")
        speeds[lang] = float(value)
    return speeds


@cache
def pacing(path: Path | None = None) -> Pacing:
    path = Path(path or video_file())
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("pacing")
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(str(path), "pacing", f"cannot be read ({exc})",
                          f"restore it from git: git checkout -- {path}") from exc
    if not isinstance(table, dict):
        raise ConfigError(str(path), "pacing", "the [pacing] table is missing", "add it back")
    values = {}
    for f in fields(Pacing):
        if f.name not in table:
            raise ConfigError(str(path), f"pacing.{f.name}", "is missing", "add it (see git history)")
        value = table[f.name]
        kind = int if f.type == "int" else float
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0 \
                or (kind is int and not isinstance(value, int)):
            raise ConfigError(str(path), f"pacing.{f.name}", f"is {value!r}",
                              f"set it to a positive {'whole ' if kind is int else ''}number")
        values[f.name] = kind(value)
    unknown = set(table) - set(values)
    if unknown:
        raise ConfigError(str(path), "pacing", f"unknown keys {sorted(unknown)}",
                          f"valid keys: {', '.join(values)}")
    return Pacing(**values)
