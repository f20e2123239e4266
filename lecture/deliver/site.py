"""The students' page as a package carries it: one language's cut (its video only: a package is
uploaded whole), that language first, the other languages' words and subtitles kept, and the
delivery settings in ``data/page.js`` for the page's LMS adapter (assets/page/scorm.js). Built
by the page's own builder (lecture.page.build.build_site), into a folder of the caller's."""
from __future__ import annotations

from pathlib import Path

from lecture.deliver.settings import Delivery, delivery
from lecture.page.build import build_site
from lesson_text import lesson_text
from sim.errors import SimError


def package_site(quality_dir: Path, traces: Path, lang: str, target: Path, *,
                 settings: Delivery | None = None) -> Path:
    """Write the page of the cut ``quality_dir/<lang>/`` to ``target`` (a folder, replaced whole),
    with ``settings`` (default: assets/delivery.toml). Returns ``target``."""
    languages = lesson_text().languages()
    if lang not in languages:
        raise SimError(f"package_site: lang {lang!r} has no text and narration file. "
                       f"Fix: use one of: {', '.join(languages)}")
    settings = settings or delivery()
    langs = [lang, *(code for code in languages if code != lang)]
    return build_site(Path(quality_dir), Path(traces), langs, target=Path(target), cuts=[lang], lms=settings.page())
