"""The lesson's words: on-screen text, narration lines and their spoken forms, read in one place.

* ``assets/text/<lang>.toml``: every string on screen, ``[section] name = "..."``.
* ``assets/narration/<lang>.toml``: one line per beat of a scene, ``[section] beat = "..."``; a
  line whose voice should say something else gets ``beat_spoken = "..."`` beside it.
* ``assets/narration/spoken.toml``: how the voices say terms (``[zh.terms]``) and letters.
* ``assets/description/<lang>.toml``: what the screen shows at each beat (the described
  transcript), the same sections and keys as the narration, ``[section] beat = "..."``.

A key is ``section.name``; a scene's section is its text key (``scenes.lesson_order``). Each file
is read once, checked for its structure (sections of strings, a ``_spoken`` line beside its
narration line) and kept with the line of each key, so that every later message names the line. A
language is one that has both a text and a narration file.

Every lookup is noted in ``READS`` (kind, language, key): the tests compare what a scene reads
with the sections its render is said to depend on.
"""
from __future__ import annotations

import hashlib
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lesson_text import marks, toml
from lesson_text.errors import AuthoringError, Problem
from lesson_text.templates import Where, fill
from paths import DESCRIPTION_DIR, NARRATION_DIR, TEXT_DIR

SPOKEN_FILE = NARRATION_DIR / "spoken.toml"
SPOKEN_SUFFIX = "_spoken"
TEXT, NARRATION, DESCRIPTION = "text", "narration", "description"
READS: set[tuple[str, str, str]] = set()
_RECORDERS: list[set] = []


def _note(kind: str, lang: str, key: str) -> None:
    READS.add((kind, lang, key))
    for recorder in _RECORDERS:
        recorder.add((kind, lang, key))


@contextmanager
def recording():
    """The (kind, language, key) of every string looked up inside the block: what an output
    that reads the lesson's words depends on (lecture.store.products)."""
    found: set[tuple[str, str, str]] = set()
    _RECORDERS.append(found)
    try:
        yield found
    finally:
        _RECORDERS.remove(found)


def digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Line:
    """A narration line with its values filled in: what the subtitle shows and what the voice
    is given to say (before numbers and terms are written out, see voice.spoken)."""
    key: str      # "section.beat"
    lang: str
    text: str     # the subtitle
    spoken: str   # the spoken line (``beat_spoken`` when given, else the subtitle)
    marks: tuple[tuple[str, int], ...] = ()  # (name, offset in ``text``) of each {@name} mark

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def beat(self) -> str:
        return self.key.split(".", 1)[1]


class LangFile:
    """One text, narration or description file of one language, checked for its structure."""

    def __init__(self, kind: str, lang: str, path: Path):
        self.kind, self.lang, self.path = kind, lang, Path(path)
        fix = {TEXT: f"add {self.path.name} with the same keys as the other languages, or choose another --lang",
               NARRATION: f"add the narration of '{lang}' (the same keys as the other languages)",
               DESCRIPTION: f"add what the screen shows at each beat in '{lang}' (the same sections and keys as "
                            f"the narration)"}[kind]
        self.located = toml.read(self.path, missing_fix=fix)
        self.entries: dict[str, str] = {}   # "section.name" -> string (narration: the subtitle)
        self.spoken: dict[str, str] = {}    # narration: "section.beat" -> its spoken line
        self.marks: dict[str, list[str]] = {}  # narration: "section.beat" -> its marks, in order
        problems = []
        for section, body in self.located.doc.items():
            if not isinstance(body, dict):
                problems.append(self.problem(section, f"is outside any [section] (it is {type(body).__name__})",
                                             "put it under the [section] of the scene it belongs to"))
                continue
            for name, value in body.items():
                key = f"{section}.{name}"
                if not isinstance(value, str):
                    problems.append(self.problem(key, f"is {type(value).__name__} {value!r}, not text",
                                                 'write it in double quotes: name = "text"'))
                elif kind == NARRATION and name.endswith(SPOKEN_SUFFIX):
                    base = name[:-len(SPOKEN_SUFFIX)]
                    if base not in body:
                        problems.append(self.problem(key, f"is the spoken form of {section}.{base}, which has no line",
                                                     f"name it after the beat whose spoken form it is, or add {base}"))
                    self.spoken[f"{section}.{base}"] = marks.strip(value)
                elif kind == NARRATION:
                    encoded, names, wrong = marks.encode(value)
                    problems += [self.problem(key, what, "write a mark as {@name} before the word it marks, "
                                                         "each name once in a line") for what in wrong]
                    self.entries[key], self.marks[key] = encoded, names
                else:
                    self.entries[key] = value
        if problems:
            raise AuthoringError(problems)

    def line_of(self, key: str) -> int | None:
        return self.located.line_of(key)

    def problem(self, key: str, what: str, fix: str, warning: bool = False) -> Problem:
        return Problem(str(self.path), self.line_of(key), key, what, fix, warning=warning)

    def where(self, key: str, spoken: bool = False) -> Where:
        name = key + SPOKEN_SUFFIX if spoken else key
        return Where(str(self.path), self.line_of(name), name)

    def sections(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for key in self.entries:
            section, name = key.split(".", 1)
            found.setdefault(section, []).append(name)
        return found


class LessonText:
    """The text, narration, description and spoken-form files of one lesson (default: ``assets/``)."""

    def __init__(self, text_dir: Path = TEXT_DIR, narration_dir: Path = NARRATION_DIR,
                 spoken_file: Path | None = None, description_dir: Path | None = None):
        self.text_dir, self.narration_dir = Path(text_dir), Path(narration_dir)
        self.spoken_file = Path(spoken_file) if spoken_file else self.narration_dir / SPOKEN_FILE.name
        # beside the narration unless given (a lesson copied elsewhere keeps its descriptions)
        self.description_dir = Path(description_dir) if description_dir else self.narration_dir.parent / DESCRIPTION_DIR.name
        self._files: dict[tuple[str, str], LangFile] = {}

    # --- files ---------------------------------------------------------------------------------
    def languages(self) -> list[str]:
        """The languages a cut can be made in: each has a text and a narration file."""
        return sorted(p.stem for p in self.text_dir.glob("*.toml") if (self.narration_dir / p.name).is_file())

    def directory(self, kind: str) -> Path:
        return {TEXT: self.text_dir, NARRATION: self.narration_dir, DESCRIPTION: self.description_dir}[kind]

    def file(self, kind: str, lang: str) -> LangFile:
        if (kind, lang) not in self._files:
            self._files[kind, lang] = LangFile(kind, lang, self.directory(kind) / f"{lang}.toml")
        return self._files[kind, lang]

    def path(self, kind: str, lang: str) -> Path:
        return self.directory(kind) / f"{lang}.toml"

    # --- lookups -------------------------------------------------------------------------------
    def template(self, kind: str, key: str, lang: str) -> str:
        source = self.file(kind, lang)
        _note(kind, lang, key)
        if key not in source.entries:
            what = {TEXT: "the string", NARRATION: "the narration line", DESCRIPTION: "the description"}[kind]
            raise AuthoringError(Problem(str(source.path), None, key, f"is missing ({what} {key} has no entry)",
                                         f"add it under [{key.split('.', 1)[0]}] (every language file has the same keys)"))
        return source.entries[key]

    def string(self, key: str, lang: str, **values) -> str:
        """The on-screen string ``key`` in ``lang``, its placeholders filled from ``values``."""
        return fill(self.template(TEXT, key, lang), values, self.file(TEXT, lang).where(key))

    def line(self, key: str, lang: str, values: dict | None = None) -> Line:
        """The narration line ``key`` (``section.beat``) in ``lang``, filled from ``values``."""
        values = values or {}
        source = self.file(NARRATION, lang)
        filled = fill(self.template(NARRATION, key, lang), values, source.where(key))
        text, offsets = marks.extract(filled, source.marks.get(key, []))
        spoken = source.spoken.get(key)
        return Line(key, lang, text, fill(spoken, values, source.where(key, spoken=True)) if spoken else text,
                    tuple(offsets.items()))

    def description(self, key: str, lang: str, values: dict | None = None) -> str:
        """What the screen shows at the beat ``key`` (``section.beat``) in ``lang``, filled from
        the values the beat passes."""
        return fill(self.template(DESCRIPTION, key, lang), values or {}, self.file(DESCRIPTION, lang).where(key))

    def marks_of(self, key: str, lang: str) -> list[str]:
        """The names of the ``{@name}`` marks of the narration line ``key`` in ``lang``."""
        return list(self.file(NARRATION, lang).marks.get(key, []))

    def has_line(self, key: str, lang: str) -> bool:
        return key in self.file(NARRATION, lang).entries

    def lines(self, lang: str) -> list[str]:
        """Every narration key of ``lang``, in file order."""
        return list(self.file(NARRATION, lang).entries)

    # --- what a render depends on --------------------------------------------------------------
    def digests(self, kind: str, lang: str, sections) -> dict[str, str]:
        """``section.name`` -> digest of the string (and of its spoken form), for every entry of
        ``sections`` in ``lang``'s file of ``kind``: a change to one line shows as that line."""
        source = self.file(kind, lang)
        wanted = set(sections)
        return {key: digest(value + "\0" + source.spoken.get(key, ""))
                for key, value in source.entries.items() if key.split(".", 1)[0] in wanted}

    def read_digests(self, reads) -> dict:
        """``{kind: {lang: {key: digest}}}`` of the strings ``reads`` names as they are now (None:
        the string is gone), for a stamp; compare two of them to see what changed."""
        found: dict = {}
        for kind, lang, key in sorted(reads):
            try:
                source = self.file(kind, lang)
                value = source.entries.get(key)
                now = None if value is None else digest(value + "\0" + source.spoken.get(key, ""))
            except AuthoringError:
                now = None
            found.setdefault(kind, {}).setdefault(lang, {})[key] = now
        return found

    def files_digest(self) -> dict[str, str]:
        """Digest of every file (for outputs that read all of them)."""
        paths = [*sorted(self.text_dir.glob("*.toml")), *sorted(self.narration_dir.glob("*.toml")),
                 *sorted(self.description_dir.glob("*.toml"))]
        return {p.name if p.parent == self.text_dir else f"{p.parent.name}/{p.name}":
                hashlib.sha256(p.read_bytes()).hexdigest()[:16] for p in paths}

    # --- spoken forms --------------------------------------------------------------------------
    @cached_property
    def spoken_forms(self) -> dict[str, dict[str, dict[str, str]]]:
        """lang -> {"terms": {term: spoken}, "letters": {letter: spoken}} from spoken.toml."""
        located = toml.read(self.spoken_file)
        forms, problems = {}, []
        for lang, tables in located.doc.items():
            if not isinstance(tables, dict):
                problems.append(Problem(str(self.spoken_file), located.line_of(lang), lang,
                                        "is not a table", f"write [{lang}.terms] and [{lang}.letters] tables"))
                continue
            forms[lang] = {"terms": {}, "letters": {}}
            for table, entries in tables.items():
                where = f"{lang}.{table}"
                if table not in ("terms", "letters") or not isinstance(entries, dict):
                    problems.append(Problem(str(self.spoken_file), located.line_of(where), where, "is not a known table",
                                            f"use [{lang}.terms] (term = spoken form) or [{lang}.letters]"))
                    continue
                for term, spoken in entries.items():
                    line = located.line_of(f"{where}.{term}")
                    if not isinstance(spoken, str) or not spoken.strip():
                        problems.append(Problem(str(self.spoken_file), line, f"{where}.{term}",
                                                f"is {spoken!r}, not the words to say", 'write term = "spoken form"'))
                    elif table == "letters" and not (len(term) == 1 and term.isalpha() and term.islower()):
                        problems.append(Problem(str(self.spoken_file), line, f"{where}.{term}",
                                                "is not a single lowercase letter", "list one letter per entry: a = \"...\""))
                    else:
                        forms[lang][table][term] = spoken
        if problems:
            raise AuthoringError(problems)
        return forms


_DEFAULT: LessonText | None = None


def lesson_text() -> LessonText:
    """The lesson's text in ``assets/`` (read once per process)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = LessonText()
    return _DEFAULT
