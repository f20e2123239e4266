"""Finished clips on disk, by hash: ``<cache>/<lang>/<hash>.wav`` (48 kHz mono 16-bit) and
``<hash>.json`` (what was measured, by which engine). The hash covers what the clip is made from:
the spoken text (or a take's bytes), the engine, its voice and version, and the loudness settings.
Both files are written to temporary names and renamed into place, the JSON last, so an
interrupted run leaves no entry that looks complete.
"""
from __future__ import annotations

import hashlib
import json
import os
import wave
from pathlib import Path

import numpy as np

FORMAT = 2  # bump when the way clips are finished changes (2: padded edges, the voice's timeline)


def clip_hash(made_from: dict) -> str:
    blob = json.dumps({"format": FORMAT, **made_from}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:24]


def file_hash(path: Path) -> str:
    """SHA-256 of a file, read in blocks (videos too)."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def entry(cache: Path, lang: str, key: str) -> tuple[Path, Path]:
    folder = Path(cache) / lang
    return folder / f"{key}.wav", folder / f"{key}.json"


def load(cache: Path, lang: str, key: str) -> dict | None:
    wav, meta = entry(cache, lang, key)
    try:
        record = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not wav.is_file() or wav.stat().st_size != record.get("wav_bytes"):
        return None
    return record


def write_wav(path: Path, audio: np.ndarray, rate: int) -> None:
    pcm = np.round(np.clip(audio, -1, 32767 / 32768) * 32768).astype("<i2")
    tmp = path.with_name(f".{path.name}.tmp")
    with wave.open(str(tmp), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    os.replace(tmp, path)


def store(cache: Path, lang: str, key: str, audio: np.ndarray, rate: int, record: dict) -> dict:
    wav, meta = entry(cache, lang, key)
    wav.parent.mkdir(parents=True, exist_ok=True)
    write_wav(wav, audio, rate)
    record = {**record, "wav_bytes": wav.stat().st_size}
    tmp = meta.with_name(f".{meta.name}.tmp")
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, meta)
    return record
