"""``./render.sh package [--quality Q] [--lang L] [render options]``: the deliverables of a
quality in ``out/<quality>/package/`` (lecture.deliver): per language the SCORM 1.2 package,
the video-site bundle ``upload/<lang>/`` and the described transcript.

The cuts are brought up to date first, exactly as ``./render.sh --lang L`` does (nothing is
rendered when nothing changed); ``--no-render`` packages the cuts as they are (a missing one is
named). ``--lang`` defaults to every language of the lesson."""
from __future__ import annotations

import sys
from pathlib import Path

from lecture.commands.session import entry, report, user_errors


def split(argv: list[str]) -> tuple[list[str], bool]:
    """(the render's arguments, with --lang added when absent; --no-render given?)"""
    from lesson_text import lesson_text

    no_render = "--no-render" in argv
    rest = [a for a in argv if a != "--no-render"]
    if not any(a == "--lang" or a.startswith("--lang=") for a in rest):
        rest += ["--lang", ",".join(lesson_text().languages())]
    return rest, no_render


def main(argv=None) -> int:
    from lecture.commands import render

    argv, no_render = split(list(sys.argv[1:] if argv is None else argv))
    if any(a in ("-h", "--help") for a in argv):
        print(__doc__)
        return 0
    if not no_render:
        code = render.main(argv)
        if code:
            print("package: the cuts did not render; nothing was packaged", file=sys.stderr)
            return code
    args = render.parse(argv)
    try:
        return package(args)
    except user_errors() as error:
        return report(error, rendered=not no_render)


def package(args) -> int:
    from lecture.commands.session import quality_root, recording_of
    from lecture.deliver.products import products
    from lecture.deliver.settings import load
    from lecture.store.layout import cut_dir, package_dir, shown
    from lecture.store.locks import folder_locks
    from lecture.store.products import bring_up_to_date
    from lecture.publish import MissingScenes

    load()  # the settings are checked before anything is made
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
    entry(lambda: main(), what="deliverables")
