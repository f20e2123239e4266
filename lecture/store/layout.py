"""Where a lesson's recording and its renders live. Variants never share a directory.

=======================================  ==================  =====================================
lesson                                   traces              renders (one cut per language)
=======================================  ==================  =====================================
``assets/lessons/default.toml``          ``traces/``         ``out/<quality>/<lang>/``
a variant ``NAME`` (``--config FILE``)   ``traces/NAME/``    ``out/NAME/<quality>/<lang>/``
``--traces DIR`` (a user's recording)    ``DIR`` (read only) as its lesson's, or ``--out DIR``
=======================================  ==================  =====================================

Inside a cut: the scenes' videos, ``.stamps/`` (what each output was made from), ``.segments/``
(Manim's partial movies of each scene, reused when a scene is rendered again), ``.work/`` (a
render's private scratch folder), ``logs/``. The student page of a quality is
``<quality dir>/site/``. LaTeX and text SVGs are cached in ``out/.cache/``, the storyboards' beats
in ``out/.cache/storyboards/``, for every lesson.
"""
from __future__ import annotations

from pathlib import Path

from paths import OUT, REPO, TRACES

DEFAULT_LESSON_NAME = "default"
CACHE = OUT / ".cache"
STORYBOARDS = CACHE / "storyboards"


def lesson_traces(lesson: str) -> Path:
    """Where this code records the lesson named ``lesson`` (the stem of its lesson file)."""
    return TRACES if lesson == DEFAULT_LESSON_NAME else TRACES / lesson


def quality_dir(lesson: str, quality: str) -> Path:
    return OUT / quality if lesson == DEFAULT_LESSON_NAME else OUT / lesson / quality


def cut_dir(quality_root: Path, lang: str) -> Path:
    """The scenes, lecture, subtitles, posters, handout and manifest of one language's cut."""
    return quality_root / lang


def site_dir(quality_root: Path) -> Path:
    return quality_root / "site"


def package_dir(quality_root: Path) -> Path:
    """What ./render.sh package hands over: the SCORM packages, upload/<lang>/, the transcripts."""
    return quality_root / "package"


def stamps_dir(folder: Path) -> Path:
    return folder / ".stamps"


def segments_dir(cut: Path, scene: str) -> Path:
    """Manim's partial movies of ``scene`` in this cut, kept between renders."""
    return cut / ".segments" / scene


def work_dir(cut: Path, name: str) -> Path:
    """A render's private scratch folder (removed when it ends, whatever the outcome)."""
    return cut / ".work" / name


def shown(path: Path) -> str:
    """``path`` as a user reads it: relative to the repository when inside it."""
    path = Path(path)
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)
