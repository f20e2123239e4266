"""What a render is made from: the trace directory, the language and the pacing.

render.sh passes them to every manim process through the environment:

* ``LECTURE_TRACES``: directory of the recorded traces (default: ``traces/``)
* ``LECTURE_LANG``: language of the on-screen text, a file in ``assets/text/`` (default: ``zh``)
* ``LECTURE_VIDEO``: the pacing file (default: ``assets/video.toml``)
* ``LECTURE_NARRATION``: a narration file (JSON, written by lecture/narrate.py): beat key -> the
  clip to play at that beat (``audio`` path, ``duration``, ``speech_start``, ``speech_end``,
  ``text``). Unset: no audio, beats held for reading (silent cut).
"""
from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

from paths import NARRATION_DIR, TEXT_DIR, TRACES
from paths import VIDEO_FILE as DEFAULT_VIDEO
from sim.errors import ConfigError

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
    return Path(os.environ.get("LECTURE_TRACES", TRACES))


def languages() -> list[str]:
    """The languages a cut can be made in: each has its on-screen text and its narration file
    (other files in assets/narration/, such as spoken forms, are not languages)."""
    return sorted(p.stem for p in TEXT_DIR.glob("*.toml") if (NARRATION_DIR / p.name).is_file())


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
    for lang in languages():
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


@cache
def voice_pause(path: Path | None = None) -> float:
    """Seconds of picture held after a beat's clip ends, before the next beat (``[voice]``)."""
    path = Path(path or video_file())
    value = tomllib.loads(path.read_text(encoding="utf-8")).get("voice", {}).get("pause_seconds")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ConfigError(str(path), "voice.pause_seconds", f"is {value!r}",
                          "set the pause after each narration clip in seconds (0 or more), e.g. 0.4")
    return float(value)


@cache
def _narration_file(path: str) -> dict:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        clips = doc["clips"]
        for key, clip in clips.items():
            for field in ("audio", "duration", "speech_start", "speech_end", "text"):
                clip[field]  # noqa: B018 (each must be present)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(path, "LECTURE_NARRATION", f"cannot be read as a narration file ({exc!r})",
                          "render through ./render.sh, which writes it, or unset LECTURE_NARRATION") from exc
    missing = [clip["audio"] for clip in clips.values() if not Path(clip["audio"]).is_file()]
    if missing:
        raise ConfigError(path, "LECTURE_NARRATION", f"names audio that is not there: {', '.join(missing[:3])}",
                          "run ./render.sh again (it synthesises missing clips)")
    return clips


def narration_audio() -> dict[str, dict]:
    """Beat key -> its clip, from the file ``LECTURE_NARRATION`` names ({} when unset)."""
    path = os.environ.get("LECTURE_NARRATION")
    return _narration_file(path) if path else {}
