"""``{placeholders}`` in the lesson's strings: which names a string uses, and filling them.

A string's placeholders are named (``{loss}``, ``{w:.3f}``); the scene passes the values. A
name the scene does not pass, a format that does not fit the value, a positional ``{}`` or a
lone brace is an AuthoringError naming the file, line, key and placeholder, with the values
that the scene does pass.
"""
from __future__ import annotations

from string import Formatter

from lesson_text.errors import AuthoringError, Problem


class Where:
    """Where a string comes from, for messages: file, line, key."""

    def __init__(self, file: str, line: int | None, key: str):
        self.file, self.line, self.key = file, line, key

    def problem(self, what: str, fix: str, warning: bool = False) -> Problem:
        return Problem(self.file, self.line, self.key, what, fix, warning=warning)


def placeholders(template: str, where: Where | None = None) -> list[str]:
    """The names of the placeholders of ``template``, in order (each once)."""
    names = []
    try:
        parsed = list(Formatter().parse(template))
    except ValueError as error:
        if where is None:
            raise
        raise AuthoringError(where.problem(
            f"has a lone brace ({error})", "write {{ or }} for a brace that is shown, and {name} for a value"))
    for _, name, _, _ in parsed:
        if name is None:
            continue
        base = name.split(".", 1)[0].split("[", 1)[0]
        if base == "" or base.isdigit():
            if where is None:
                raise ValueError(f"positional placeholder in {template!r}")
            raise AuthoringError(where.problem(
                "has a placeholder without a name ({} or {0})",
                "name it after the value the scene passes, e.g. {loss}"))
        if base not in names:
            names.append(base)
    return names


def fill(template: str, values: dict, where: Where) -> str:
    """``template`` with its placeholders filled from ``values``."""
    if "{" not in template and "}" not in template:
        return template
    needed = placeholders(template, where)
    missing = [name for name in needed if name not in values]
    if missing:
        passed = ", ".join(sorted(values)) or "no values"
        names = ", ".join("{" + name + "}" for name in missing)
        raise AuthoringError(where.problem(
            f"uses {names}, which the scene does not pass (it passes: {passed})",
            "use one of the names the scene passes" if values else
            "remove the placeholder, or pass the value from the scene"))
    try:
        return template.format(**values)
    except (ValueError, TypeError, IndexError, AttributeError) as error:
        shown = ", ".join(f"{k}={values[k]!r}" for k in needed)
        raise AuthoringError(where.problem(
            f"cannot be filled with {shown} ({error})",
            "use a format that fits the value, e.g. {loss:.2f} for a number, {n} for a whole number"))
