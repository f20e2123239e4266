"""``./render.sh page [--quality Q] [--out DIR] [--traces DIR] [--serve]``: the students' page of a
quality (lecture.page), made again only when what it is made from changed; ``--serve`` then
serves it on 127.0.0.1 until Ctrl-C."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from lecture.commands.session import report, user_errors
from lecture.store.layout import DEFAULT_LESSON_NAME, quality_dir
from paths import TRACES


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="./render.sh page", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quality", default="preview")
    parser.add_argument("--out", default=None, help="the quality's directory with the <lang>/ cuts (default: out/<quality>/)")
    parser.add_argument("--traces", default=str(TRACES))
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--serve", action="store_true", help="then serve the site on 127.0.0.1 until Ctrl-C")
    args = parser.parse_args(argv)
    from lecture.page.product import site_product
    from lecture.store.layout import site_dir
    from lecture.store.products import bring_up_to_date
    from lesson_text import lesson_text
    from scenes.settings import DEFAULT_LANG

    out = Path(args.out).resolve() if args.out else quality_dir(DEFAULT_LESSON_NAME, args.quality)
    langs = sorted((lang for lang in lesson_text().languages() if (out / lang / "lecture.mp4").is_file()),
                   key=lambda lang: lang != DEFAULT_LANG)
    try:
        if not langs:
            from sim.errors import SimError

            raise SimError(f"no lecture in {out}/<lang>/lecture.mp4: render the lecture first (./render.sh)")
        bring_up_to_date([site_product(out, Path(args.traces).resolve(), langs)], force=args.force)
    except user_errors() as error:
        return report(error)
    if args.serve:
        from lecture.page.serve import serve

        with serve(site_dir(out)) as url:
            print(f"serving {site_dir(out)} at {url} (Ctrl-C stops)")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
