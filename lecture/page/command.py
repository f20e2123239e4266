"""``python -m lecture page [--quality Q] [--out DIR] [--traces DIR] [--serve]``."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from lecture.layout import DEFAULT_LESSON_NAME, quality_dir
from scenes.settings import DEFAULT_LANG, languages
from sim.errors import SimError


def run(args) -> int:
    out = Path(args.out).resolve() if args.out else quality_dir(DEFAULT_LESSON_NAME, args.quality)
    langs = sorted(languages(), key=lambda lang: lang != DEFAULT_LANG)  # the default language first
    try:
        from lecture.page.build import build_site

        site = build_site(out, Path(args.traces).resolve(), langs)
    except (SimError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.serve:
        from lecture.serve import serve

        with serve(site) as url:
            print(f"serving {site} at {url} (Ctrl-C stops)")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
    return 0
