"""``--voice recorded``: your takes, and the recording script that says where they go.

A take is ``TAKES/<lang>/<Scene>/<beat>.wav`` (or ``.flac``), any sample rate, mono or stereo,
decoded with PyAV. Takes are only read: every problem (missing, undecodable, wrong format,
silent) is collected and reported at once, with the path and the fix, and nothing is written
into the takes folder. A take is finished like a synthesised clip (voice.loudness) and cached by
a hash of its bytes.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import os
from pathlib import Path

import numpy as np

from voice import cache as clip_cache
from voice.config import TAKES_DIR
from voice.errors import BadTakeError, MissingTakesError, VoiceError
from voice.lines import Line
from voice.services.base import Requirement, VoiceService, clip_from, store

EXTENSIONS = {".wav": ("wav",), ".flac": ("flac",)}  # extension -> PyAV demuxer names it may have


def take_candidates(takes: Path, line: Line) -> list[Path]:
    base = Path(takes) / line.lang / (line.scene or line.section) / line.beat
    return [base.with_suffix(ext) for ext in EXTENSIONS]


def find_takes(lines: list[Line], takes: Path) -> dict[str, Path]:
    """key -> the take's path, for every line; MissingTakesError lists every missing one."""
    found, missing = {}, []
    for line in lines:
        candidates = take_candidates(takes, line)
        existing = [path for path in candidates if path.is_file()]
        if len(existing) > 1:
            raise BadTakeError(f"{line.key} has two takes: {existing[0]} and {existing[1]}. "
                               f"Fix: keep one of them.")
        if existing:
            found[line.key] = existing[0]
        else:
            missing.append((f"{line.lang}:{line.key}", str(candidates[0])))
    if missing:
        raise MissingTakesError(missing, str(takes))
    return found


def decode_take(path: Path) -> tuple[np.ndarray, int]:
    """The take's samples as (channels, samples) float32 and its sample rate. Raises BadTakeError
    naming the file when it is not audio or not the format its extension says."""
    import av

    allowed = EXTENSIONS.get(path.suffix.lower())
    if allowed is None:
        raise BadTakeError(f"{path}: takes are .wav or .flac. Fix: export it as WAV or FLAC.")
    try:
        with av.open(str(path)) as container:
            demuxer = set(container.format.name.split(","))
            if not demuxer & set(allowed):
                raise BadTakeError(f"{path} is {container.format.long_name} ({container.format.name}), not "
                                   f"{path.suffix[1:].upper()}, whatever its name says. Fix: export it "
                                   f"as WAV or FLAC under that name.")
            if not container.streams.audio:
                raise BadTakeError(f"{path} holds no audio stream. Fix: export the take again as WAV or FLAC.")
            stream = container.streams.audio[0]
            chunks, rate = [], stream.rate
            for frame in container.decode(stream):
                data = frame.to_ndarray().astype(np.float32)
                if frame.format.name in ("s16", "s16p"):
                    data /= 32768.0
                elif frame.format.name in ("s32", "s32p"):
                    data /= 2 ** 31
                elif frame.format.name in ("u8", "u8p"):
                    data = (data - 128) / 128
                if not frame.format.is_planar:  # interleaved: (1, samples * channels)
                    data = data.reshape(-1, len(frame.layout.channels)).T
                chunks.append(data)
    except BadTakeError:
        raise
    except (av.error.FFmpegError, OSError, ValueError) as error:
        raise BadTakeError(f"{path} cannot be decoded as audio ({error}). Fix: export the take again "
                           f"as WAV or FLAC.")
    if not chunks or sum(c.shape[1] for c in chunks) == 0:
        raise BadTakeError(f"{path} holds no audio samples. Fix: record the take again.")
    return np.concatenate(chunks, axis=1), rate


def load_takes(paths: dict[str, Path]) -> dict[str, tuple[np.ndarray, int]]:
    """Decode every take; BadTakeError names every one that fails, all at once."""
    decoded, problems = {}, []
    for key, path in paths.items():
        try:
            decoded[key] = decode_take(path)
        except BadTakeError as error:
            problems.append(str(error))
    if problems:
        raise BadTakeError(f"{len(problems)} take(s) cannot be used:\n  " + "\n  ".join(problems))
    return decoded


# --- the recording script --------------------------------------------------------------------
def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_script(lines_by_scene: dict[str, list[Line]], lang: str, takes: Path, out: Path) -> list[Path]:
    """For each scene, in order: beat id, line, and where its take goes. Writes ``out/<Scene>.md``
    (to read from while recording), ``out/README.md`` (the list of scenes) and ``out/takes.csv``
    (one row a take, for a spreadsheet). Returns the files written."""
    written, rows, index = [], [], [f"# Recording script ({lang})\n",
                                    f"Record one take a line, WAV or FLAC, any sample rate, mono or stereo, "
                                    f"saved at the path given. Then: ./render.sh --voice recorded --takes {takes}\n"]
    for number, (scene, items) in enumerate(lines_by_scene.items(), 1):
        doc = [f"# {number}. {scene} ({lang})\n"]
        for item in items:
            path = take_candidates(takes, item)[0]
            unfilled = "{" in item.text
            doc.append(f"## {item.key}\n\n{item.text}\n\n"
                       + ("*(numbers not filled in: render the scene first, then write the script again)*\n\n"
                          if unfilled else "")
                       + f"take: `{path}`\n")
            rows.append({"scene": scene, "beat": item.key, "line": item.text, "take": str(path)})
        target = Path(out) / f"{number:02d}-{scene}.md"
        _write(target, "\n".join(doc))
        written.append(target)
        index.append(f"{number}. [{scene}]({target.name}): {len(items)} takes")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["scene", "beat", "line", "take"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    _write(Path(out) / "takes.csv", buffer.getvalue())
    _write(Path(out) / "README.md", "\n".join(index) + "\n")
    return written + [Path(out) / "takes.csv", Path(out) / "README.md"]


class Recorded(VoiceService):
    """Takes recorded by a person, one a beat."""
    source, name = "recorded", "recorded"

    def __init__(self, lang: str, takes: Path | None = None):
        self.lang, self.takes = lang, Path(takes or TAKES_DIR)
        self.voice = "takes"

    def requirements(self):
        return [Requirement("group", "voice")]

    def info(self) -> dict:
        return {"source": "recorded", "lang": self.lang, "engine": "recorded", "voice": "takes", "version": None}

    def clips(self, lines, cache, config, make=True):
        from voice.loudness import finish

        paths = find_takes(lines, self.takes)            # every missing take at once
        keys = {line.key: clip_cache.clip_hash({"take": clip_cache.file_hash(paths[line.key]),
                                                "config": config.as_dict()}) for line in lines}
        records = {line.key: clip_cache.load(cache, line.lang, keys[line.key]) for line in lines}
        todo = {line.key: paths[line.key] for line in lines if records[line.key] is None}
        if todo and not make:
            return [None if records[line.key] is None else clip_from(
                line, clip_cache.entry(cache, line.lang, keys[line.key])[0], records[line.key], False) for line in lines]
        decoded = load_takes(todo)                        # every bad take at once, before any write
        problems, finished = [], {}
        for key, (samples, rate) in decoded.items():
            try:
                finished[key] = finish(samples, rate, config, str(paths[key]))
            except VoiceError as error:  # silent, NaN: named with the others
                problems.append(str(error))
        if problems:
            raise BadTakeError(f"{len(problems)} take(s) cannot be used:\n  " + "\n  ".join(problems))
        for line in lines:
            if line.key in finished:
                about = {"engine": "recorded", "engine_version": "", "voice": str(paths[line.key])}
                records[line.key] = store(cache, line.lang, keys[line.key], finished[line.key], config, about)
        return [dataclasses.replace(clip_from(line, clip_cache.entry(cache, line.lang, keys[line.key])[0],
                                              records[line.key], line.key in todo), voice=str(paths[line.key]))
                for line in lines]  # two takes with the same bytes share a cache entry, not a path
