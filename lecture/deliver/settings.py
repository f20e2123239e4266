"""The delivery settings producers edit: ``assets/delivery.toml``, read with lesson_text's TOML
reader (syntax errors name the file, line and column) and checked here, every problem named with
the file, line, key, what is wrong and the fix (an ``AuthoringError``, all problems at once).

``mastery_score`` goes into a package's manifest (SCORM 1.2's ``adlcp:masteryscore``, SCORM
2004's ``imsss:minNormalizedMeasure``) and, with ``completed_at``, into the page's
``data/page.js`` (``lms``), which the page's LMS adapter (assets/page/scorm.js) reads: one file,
so that the LMS and the page agree.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lesson_text import AuthoringError, Problem, read_toml
from paths import ASSETS

DELIVERY_FILE = ASSETS / "delivery.toml"
RESTORE = "git show HEAD:assets/delivery.toml has every key, commented"


@dataclass(frozen=True)
class Delivery:
    mastery_score: int     # percent of the quiz's points needed to pass, 0 to 100
    completed_at: float    # fraction of the chapters reached for the lecture to count as watched
    thumbnail_scene: str = "LinearRegressionFit"   # the scene whose last frame the thumbnail shows

    def page(self) -> dict:
        """What the page's LMS adapter reads (``LECTURE_PAGE.lms`` in data/page.js)."""
        return {"mastery_score": self.mastery_score, "completed_at": self.completed_at}


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_scene(value) -> bool:
    from scenes import SCENES

    return value in SCENES


def _scenes() -> str:
    from scenes import SCENES

    return ", ".join(SCENES)


# key -> (is the value right?, what it must be)
RULES = {
    "mastery_score": (lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 100,
                      "a whole number from 0 to 100 (the percent of the quiz's points needed to pass), e.g. 70"),
    "completed_at": (lambda v: is_number(v) and 0 < v <= 1,
                     "a number above 0 and at most 1 (the fraction of chapters to reach), e.g. 0.9"),
    "thumbnail_scene": (_is_scene, "one of the lesson's scenes: {scenes}"),
}


OPTIONAL = {"thumbnail_scene": Delivery.thumbnail_scene}   # key -> its value when the file leaves it out


def delivery(path: Path | None = None) -> Delivery:
    """The settings of ``path`` (default ``assets/delivery.toml``), checked."""
    path = Path(path or DELIVERY_FILE)
    located = read_toml(path, missing_fix=f"restore it ({RESTORE})")
    doc, problems, values = located.doc, [], {}
    for key, (valid, expected) in RULES.items():
        if key not in doc and key in OPTIONAL:
            values[key] = OPTIONAL[key]
        elif key not in doc:
            problems.append(Problem(str(path), None, key, "is missing", f"add a line {key} = ... ({RESTORE})"))
        elif not valid(doc[key]):
            problems.append(Problem(str(path), located.line_of(key), key, f"is {doc[key]!r}",
                                    f"set it to {expected.format(scenes=_scenes())}"))
        else:
            values[key] = doc[key]
    for key in sorted(set(doc) - set(RULES)):
        problems.append(Problem(str(path), located.line_of(key), key, "is not a delivery setting",
                                f"remove it, or use one of: {', '.join(RULES)}"))
    if problems:
        raise AuthoringError(problems)
    return Delivery(mastery_score=int(values["mastery_score"]), completed_at=float(values["completed_at"]),
                    thumbnail_scene=str(values["thumbnail_scene"]))


def check(path: Path | None = None) -> None:
    """The whole file, checked before anything runs (AuthoringError naming every problem)."""
    delivery(path)


def digest(path: Path | None = None) -> str:
    """What a deliverable made from these settings depends on: the file's bytes."""
    from lecture.store.imports import file_digest

    return file_digest(Path(path or DELIVERY_FILE))
