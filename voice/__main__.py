"""python -m voice COMMAND

  synth  --lang zh,en --voice neural|espeak|recorded [--takes DIR] [--beats DIR] [--cache DIR]
         finish every narration line (numbers from the <Scene>.beats.json files under --beats,
         else left as written) and print one row a clip: key, seconds, LUFS, dBTP, engine
  script --lang zh [--takes DIR] [--beats DIR] [--out DIR]
         write the recording script: per scene, beat id, line, where its take goes
         (default out/script/<lang>/: one Markdown file a scene, README.md, takes.csv)
  bench  --lang zh,en [--voice neural]
         synthesise the whole narration into a fresh cache; print seconds of synthesis per
         second of audio, loudness, speech-band energy and (zh) dropped characters
  setup  zh     create .voices/zh/ (the Chinese neural voice) from voice/zh-requirements.txt
  info   --lang zh,en --voice neural   engine, voice and version, as JSON
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

from voice.config import CACHE_DIR, LANGUAGES, REPO, SOURCES, TAKES_DIR
from voice.errors import VoiceError


def languages(value: str) -> list[str]:
    langs = [lang.strip() for lang in value.split(",") if lang.strip()]
    bad = [lang for lang in langs if lang not in LANGUAGES]
    if bad or not langs:
        raise argparse.ArgumentTypeError(f"unknown language {', '.join(bad) or value!r}; "
                                         f"valid: {', '.join(LANGUAGES)} (comma-separated)")
    return langs


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m voice", description=__doc__.split("\n")[0],
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    verbs = main.add_subparsers(dest="verb", required=True)
    for verb in ("synth", "script", "bench", "info"):
        sub = verbs.add_parser(verb)
        sub.add_argument("--lang", type=languages, default=["zh"])
        sub.add_argument("--voice", choices=SOURCES, default="neural")
        sub.add_argument("--takes", type=Path, default=TAKES_DIR)
        sub.add_argument("--beats", type=Path, default=None, help="folder with <Scene>.beats.json files")
        sub.add_argument("--cache", type=Path, default=CACHE_DIR)
        sub.add_argument("--out", type=Path, default=None)
    setup = verbs.add_parser("setup")
    setup.add_argument("what", choices=["zh"])
    return main


def run(args) -> int:
    from voice.engines import setup_zh
    from voice.lines import beat_values, by_scene, lesson_lines, scene_sections
    from voice.synth import engine_info, synthesize
    from voice.takes import write_script

    if args.verb == "setup":
        print(f".voices/zh/: {'installed' if setup_zh() else 'already matches voice/zh-requirements.txt'}")
        return 0
    values = beat_values(args.beats)
    if args.verb == "info":
        print(json.dumps({lang: engine_info(args.voice, lang) for lang in args.lang}, indent=1))
        return 0
    if args.verb == "script":
        sections = scene_sections()
        for lang in args.lang:
            out = args.out or REPO / "out" / "script" / lang
            written = write_script(by_scene(lesson_lines(lang, values), sections), lang, args.takes, out)
            print(f"{lang}: recording script in {out}/ ({len(written)} files; takes go to {args.takes}/{lang}/)")
        return 0
    if args.verb == "synth":
        for lang in args.lang:
            lines = lesson_lines(lang, values)
            unfilled = [item.key for item in lines if re.search(r"\{\w+", item.text)]
            if unfilled and args.voice != "recorded":
                raise VoiceError(f"lines with numbers not filled in: {', '.join(unfilled)}. Fix: pass "
                                 f"--beats DIR, a folder with the <Scene>.beats.json files of a render.")
            clips = synthesize(lines, args.voice, takes=args.takes, cache=args.cache)
            made = sum(clip.synthesized for clip in clips)
            for clip in clips:
                print(f"{lang} {clip.key:36s} {clip.duration:6.2f} s  speech {clip.speech_start:.2f}-"
                      f"{clip.speech_end:.2f}  {clip.lufs:6.2f} LUFS  {clip.true_peak_dbtp:6.2f} dBTP  {clip.engine}")
            print(f"{lang}: {len(clips)} clips, {made} made now, {len(clips) - made} from the cache "
                  f"({args.cache}); total {sum(c.duration for c in clips):.1f} s")
        return 0
    return bench(args, values)


def cpu_seconds() -> float:
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bench(args, values: dict) -> int:
    import numpy as np

    from voice.engines import ZhttsEngine, dropped_characters, make_engine, read_wav
    from voice.lines import lesson_lines
    from voice.spoken import unspeakable
    from voice.synth import synthesize

    for lang in args.lang:
        lines = lesson_lines(lang, values, placeholder="38.401")  # a sample number where no beats file
        engine = make_engine(args.voice, lang)
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
    try:
        return run(args)
    except VoiceError as error:
        print(f"voice: {error}", file=sys.stderr)
        return error.exit_code


if __name__ == "__main__":
    sys.exit(main())
