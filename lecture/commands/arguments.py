"""The options the commands share, each checked before anything runs (not a command itself)."""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from lecture.runner.jobs import QUALITIES


def add_common(parser: argparse.ArgumentParser, voice: bool = True, languages: str = "zh") -> None:
    from voice import NAMES

    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="renders at once on this machine")
    parser.add_argument("--force", action="store_true", help="render even what is unchanged")
    parser.add_argument("--engine", default="local", choices=("local", "ray"),
                        help="local: manim processes on this machine (default); ray: one Ray task per job")
    parser.add_argument("--address", default=None, metavar="HOST:PORT",
                        help="with --engine ray: the cluster's head (default: start a local Ray instance)")
    parser.add_argument("--no-wait", dest="wait", action="store_false",
                        help="when another run is writing the same folder, stop at once (default: wait for it)")
    parser.add_argument("--dry-run", action="store_true",
                        help="say what would be redone, and why, without doing it (./render.sh status)")
    if voice:
        parser.add_argument("--voice", nargs="?", const="espeak", default="none", metavar="SOURCE",
                            help=f"narration that sets each beat's length: {', '.join(NAMES)} (none here; "
                                 "./render.sh defaults to neural)")
        parser.add_argument("--takes", type=Path, default=None, metavar="DIR",
                            help="with --voice recorded: the takes, DIR/<lang>/<Scene>/<beat>.wav|.flac "
                                 "(default: assets/voice/; ./render.sh script writes where each goes)")


def add_source(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenes", nargs="*", metavar="SCENE", help="scenes to render (default: all, in lesson order)")
    parser.add_argument("--quality", default="preview", help="preview (480p15), hd (1080p60) or 4k (2160p60)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--config", default=None, metavar="FILE",
                        help="lesson file; recorded into traces/<lesson>/ when needed (default: the lesson)")
    source.add_argument("--traces", default=None, metavar="DIR",
                        help="render this recording as it is (it is never written to)")
    parser.add_argument("--out", default=None, metavar="DIR",
                        help="quality directory; each language's cut goes to DIR/<lang>/ "
                             "(default: out/<quality>/, for a variant out/<lesson>/<quality>/)")


def add_render(parser: argparse.ArgumentParser, lang: str = "zh") -> None:
    """Everything ./render.sh takes: the source, the common options, the cut's options."""
    add_source(parser)
    parser.add_argument("--lang", default=lang, help=f"language(s) of the cut, comma-separated (default: {lang})")
    add_common(parser)
    parser.add_argument("--burn-subtitles", action="store_true",
                        help="also write lecture.burned.mp4, with the --lang subtitles drawn in (re-encoded)")
    parser.add_argument("--strict-captions", action="store_true",
                        help="fail the run (exit 1) when a subtitle file breaks the timed-text standard "
                             "(default: print each failing cue with its fix as a warning)")
    parser.add_argument("--no-lecture", action="store_true",
                        help="render the scenes only (no lecture.mp4, subtitles, posters, handout, page)")


def problems(args, langs: list[str] | None = None) -> list[str]:
    """What is wrong with the shared options (empty: nothing)."""
    from scenes import SCENES
    from scenes.settings import languages
    from voice import NAMES

    found = []
    unknown = [s for s in getattr(args, "scenes", []) if s not in SCENES]
    if unknown:
        found.append(f"unknown scene {', '.join(unknown)}; valid scenes: {', '.join(SCENES)}")
    if getattr(args, "quality", "preview") not in QUALITIES:
        found.append(f"unknown quality '{args.quality}'; valid qualities: {', '.join(QUALITIES)}")
    if langs is not None:
        bad = [lang for lang in langs if lang not in languages()] or ([] if langs else ["(none)"])
        if bad:
            found.append(f"unknown language '{','.join(bad)}'; valid languages: {', '.join(languages())}")
    if args.jobs < 1:
        found.append(f"-j {args.jobs}: give at least 1")
    if args.address and args.engine != "ray":
        found.append("--address needs --engine ray")
    if getattr(args, "voice", "none") not in NAMES:
        found.append(f"unknown voice '{args.voice}'; valid voices: {', '.join(NAMES)}")
    if getattr(args, "takes", None) and getattr(args, "voice", None) != "recorded":
        found.append("--takes needs --voice recorded")
    return found


def parse(parser: argparse.ArgumentParser, argv, langs=None) -> argparse.Namespace:
    """``parser``'s arguments, every shared option checked (``langs(args)``: the languages asked
    for); a problem stops here, exit 2, with the valid values."""
    args = parser.parse_args(argv)
    found = problems(args, langs(args) if langs else None)
    if found:
        parser.error("; ".join(found) + ". Nothing was rendered")
    return args
