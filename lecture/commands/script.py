"""``./render.sh script [--lang zh|en] [--takes DIR] [--out DIR]``: the recording script for
``--voice recorded``: per scene, each beat's id, its line with the numbers the scene says (from
its storyboard, run when its code or traces changed) and where its take goes
(``out/script/<lang>/``: one Markdown file a scene, README.md, takes.csv)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from lecture.commands.session import CutSpec, Options, make_jobs, recording_of, report, user_errors
from lecture.store import layout
from paths import OUT


def main(argv=None) -> int:
    from voice.config import TAKES_DIR

    parser = argparse.ArgumentParser(prog="./render.sh script", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", default="zh", help="comma-separated languages (default: zh)")
    parser.add_argument("--takes", type=Path, default=TAKES_DIR, help="where the takes will go (default: assets/voice/)")
    parser.add_argument("--out", type=Path, default=None, help="default: out/script/<lang>/")
    parser.add_argument("--config", default=None, metavar="FILE", help="lesson file (default: the lesson)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="storyboards run at once")
    args = parser.parse_args(argv)
    from lecture.runner.narration import beats, check_words
    from voice import by_scene, line
    from voice.services.recorded import write_script

    try:
        recording = recording_of(args.config, None, False, print)
        for lang in [lang for lang in args.lang.split(",") if lang]:
            cut = CutSpec(recording.traces, "preview", lang, layout.cut_dir(layout.quality_dir(recording.lesson, "preview"), lang))
            jobs = make_jobs([cut], Options(scenes=[]))
            found = beats(jobs, args.jobs)
            check_words(found)
            lines = [line(b["key"], lang, b["values"], scene=job.scene) for job in jobs for b in found[job.traces, job.scene]]
            out = args.out or OUT / "script" / lang
            written = write_script(by_scene(lines), lang, args.takes, out)
            print(f"{lang}: recording script in {layout.shown(out)}/ ({len(written)} files; takes go to "
                  f"{layout.shown(args.takes)}/{lang}/)")
    except user_errors() as error:
        return report(error)
    return 0


if __name__ == "__main__":
    sys.exit(main())
