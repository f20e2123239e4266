"""The whole lesson's words checked before anything runs.

``check(text, sections, beats)`` returns every problem at once (``Problem.warning`` for the ones
that stop nothing); ``require(...)`` raises AuthoringError when any is an error.

* every file parses and has the structure of its kind (lesson_text.lesson);
* every key of a language's text, narration or description file is in every other language's
  file;
* every beat a scene has (``beats``: section -> the beats its storyboard ran, each with the
  values it passes) has a narration line and a description in every language, and each one's
  placeholders are values the beat passes; a line or description that no beat of its scene uses
  is a warning, as is a narration or description section that belongs to no scene (``sections``);
* the spoken forms file has the structure voice/ reads.
"""
from __future__ import annotations

from lesson_text.errors import AuthoringError, Problem
from lesson_text.lesson import DESCRIPTION, NARRATION, SPOKEN_SUFFIX, TEXT, LessonText
from lesson_text.templates import fill


KINDS = (TEXT, NARRATION, DESCRIPTION)
MISSING = {NARRATION: "a line", DESCRIPTION: "a description"}
WRITE = {NARRATION: "...", DESCRIPTION: "what the screen shows"}


def _gather(problems: list[Problem], action) -> None:
    try:
        action()
    except AuthoringError as error:
        problems.extend(error.problems)


def check(text: LessonText, sections: list[str] | None = None,
          beats: dict[str, list[dict]] | None = None) -> list[Problem]:
    problems: list[Problem] = []
    langs = text.languages()
    if not langs:
        return [Problem(str(text.text_dir), None, None, "holds no language (a text file with a narration file beside it)",
                        "restore assets/text/ and assets/narration/ from git")]
    for kind in KINDS:
        for lang in langs:
            _gather(problems, lambda: text.file(kind, lang))
    _gather(problems, lambda: text.spoken_forms)
    if problems:  # files that cannot be read: the checks below would only repeat it
        return problems
    for kind in KINDS:
        keys = {lang: text.file(kind, lang).entries for lang in langs}
        for lang in langs:
            for other in langs:
                for key in keys[other]:
                    if key not in keys[lang]:
                        there = text.file(kind, other)
                        problems.append(Problem(
                            str(text.path(kind, lang)), None, key,
                            f"is missing (it is in {there.path.name}, line {there.line_of(key)})",
                            f"add it under [{key.split('.', 1)[0]}], in this language"))
    problems += _mark_problems(text, langs)
    for lang in text.spoken_forms:
        if lang not in langs:
            problems.append(Problem(str(text.spoken_file), None, lang, "names a language without text and narration files",
                                    f"remove [{lang}.*], or add assets/text/{lang}.toml and assets/narration/{lang}.toml",
                                    warning=True))
    for kind in (NARRATION, DESCRIPTION) if sections is not None else ():
        for section in text.file(kind, langs[0]).sections():
            if section not in sections:
                problems.append(Problem(str(text.path(kind, langs[0])), text.file(kind, langs[0]).line_of(section),
                                        section, f"is the {kind} of no scene",
                                        f"use the section of a scene ({', '.join(sections)}), or remove it", warning=True))
    for section, scene_beats in (beats or {}).items():
        problems += check_beats(text, section, scene_beats)
    return problems


def _mark_problems(text: LessonText, langs: list[str]) -> list[Problem]:
    """A line's marks are the same in every language: the storyboard waits for the same ones."""
    problems = []
    for lang in langs:
        source = text.file(NARRATION, lang)
        for other in langs:
            if other == lang:
                continue
            there = text.file(NARRATION, other)
            for key, names in there.marks.items():
                absent = [n for n in names if key in source.entries and n not in source.marks.get(key, [])]
                if absent:
                    problems.append(source.problem(
                        key, f"has no mark {', '.join('{@' + n + '}' for n in absent)} (the {other} line has it, "
                             f"{there.path.name} line {there.line_of(key)})",
                        "put the mark before the word that the animation waits for, in this language too"))
    return problems


def check_beats(text: LessonText, section: str, beats: list[dict]) -> list[Problem]:
    """A scene's beats against the narration and the descriptions: a line and a description for
    each in every language, filled from the values the beat passes; those of the section that no
    beat uses are warnings."""
    problems: list[Problem] = []
    used = {beat["key"] for beat in beats}
    for kind in (NARRATION, DESCRIPTION):
        for lang in text.languages():
            try:
                source = text.file(kind, lang)
            except AuthoringError as error:  # check() names it; a caller of this alone learns it here
                problems += [p for p in error.problems if p not in problems]
                continue
            for beat in beats:
                key, name = beat["key"], beat["key"].split(".", 1)[1]
                if key not in source.entries:
                    problems.append(Problem(str(source.path), None, key, f"is a beat of the scene without "
                                            f"{MISSING[kind]} (self.beat(\"{name}\"))",
                                            f"add {name} = \"{WRITE[kind]}\" under [{section}]"))
                    continue
                _gather(problems, lambda: fill(source.entries[key], beat.get("values", {}), source.where(key)))
                if key in source.spoken:
                    _gather(problems, lambda: fill(source.spoken[key], beat.get("values", {}), source.where(key, spoken=True)))
            for key in source.entries:
                if key.split(".", 1)[0] == section and key not in used:
                    problems.append(source.problem(key, "is used by no beat of its scene",
                                                   f"remove it, or add self.beat(\"{key.split('.', 1)[1]}\") to the "
                                                   f"scene's storyboard (its beats: {', '.join(b['key'].split('.', 1)[1] for b in beats)})",
                                                   warning=True))
    return problems


def require(problems: list[Problem]) -> list[Problem]:
    """Raise AuthoringError for the errors among ``problems``; return the warnings."""
    errors = [p for p in problems if not p.warning]
    if errors:
        raise AuthoringError(errors)
    return [p for p in problems if p.warning]


__all__ = ["SPOKEN_SUFFIX", "check", "check_beats", "require"]
