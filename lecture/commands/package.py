"""``./render.sh package [--quality Q] [--lang L] [render options]``: the deliverables of a
quality in ``out/<quality>/package/`` (lecture.deliver): per language the SCORM packages (1.2
and 2004), the video-site bundle ``upload/<lang>/`` and the described transcript.

The cuts are brought up to date first, exactly as ``./render.sh --lang L`` does (nothing is
rendered when nothing changed); ``--no-render`` packages the cuts as they are (a missing one is
named). ``--lang`` defaults to every language of the lesson."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lecture.commands import arguments
from lecture.commands.session import entry, render, report, user_errors


def languages() -> str:
    """Every language of the lesson, the default cut's first (render.sh asks, to set up the voices)."""
    from lesson_text import lesson_text
    from scenes.settings import DEFAULT_LANG

    return ",".join(sorted(lesson_text().languages(), key=lambda lang: lang != DEFAULT_LANG))


def parse(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="./render.sh package", description=__doc__.split("\n\n")[0])
    arguments.add_render(parser, lang=languages())
    parser.add_argument("--no-render", action="store_true",
                        help="package the cuts as they are (default: bring them up to date first)")
    args = arguments.parse(parser, argv, langs=lambda a: [lang for lang in a.lang.split(",") if lang])
    args.langs = [lang for lang in args.lang.split(",") if lang]
    if args.scenes:
        parser.error(f"takes no scene names ({' '.join(args.scenes)}): it delivers the whole lecture. Nothing was rendered")
    return args


def main(argv=None) -> int:
    from lecture.deliver.settings import check

    args = parse(argv)
    try:
        check()  # assets/delivery.toml, before anything renders
    except user_errors() as error:
        return report(error)
    if not args.no_render:
        code = render(args)
        if code:
            print("package: the cuts did not render; nothing was packaged", file=sys.stderr)
            return code
    try:
        return package(args)
    except user_errors() as error:
        return report(error, rendered=not args.no_render)


def package(args) -> int:
    from lecture.commands.session import quality_root, recording_of
    from lecture.deliver.products import products
    from lecture.store.layout import cut_dir, package_dir, shown
    from lecture.store.locks import folder_locks
    from lecture.store.products import bring_up_to_date
    from lecture.publish import MissingScenes

    recording = recording_of(args.config, args.traces, dry_run=True, log=lambda _: None)
    root = quality_root(recording, args.quality, args.out)
    missing = [lang for lang in args.langs if not (cut_dir(root, lang) / "manifest.json").is_file()]
    if missing:
        raise MissingScenes(f"{shown(root)} has no published cut for {', '.join(missing)}: render it first "
                            f"(./render.sh --quality {args.quality} --lang {','.join(missing)})")
    folder = package_dir(root)
    print(f"package: {', '.join(args.langs)} at {args.quality} into {shown(folder)}/")
    with folder_locks([folder], wait=args.wait, log=print):
        bring_up_to_date(products(root, Path(recording.traces), args.langs), force=args.force, dry_run=args.dry_run)
    return 0


if __name__ == "__main__":
    entry(main, what="deliverables")
