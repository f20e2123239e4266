"""Reading the TOML files that producers edit, with errors that say where and how to fix them.

``read(path)`` gives the document and, for every ``key = value`` and ``[section]``, the line it
is on (``Located.lines``), so that later checks can name the line too. A syntax error names the
file, the line and the column, shows the line, says what is wrong in words and how to fix it.
Python's ``tomllib`` says only "at end of document" for an unterminated string or a repeated
key: those are found again here, on their own line.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from lesson_text.errors import AuthoringError, Problem

POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")
SECTION = re.compile(r'^\s*\[\s*([^\[\]]*?)\s*\]\s*(?:#.*)?$')
KEY = re.compile(r'^\s*(?:"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([A-Za-z0-9_-]+))\s*=')

# tomllib's message (without its position) -> what it means, and the fix
EXPLAINED = [
    ("Expected ']' at the end of a table declaration", "the [section] header is not closed",
     "end the header with ]: [section_name]"),
    ("Unterminated string", "a string is not closed",
     'close it with " on the same line (use """ ... """ for text over several lines)'),
    ("Cannot overwrite a value", "a key is given twice", "keep one of them (each key once in its section)"),
    ("Cannot declare", "a [section] is declared twice", "merge the two sections into one"),
    ("Expected '=' after a key", "a line has a key without = value", 'write it as key = "text"'),
    ("Invalid value", "a value is not valid TOML", 'put text in double quotes: key = "text"'),
    ("Invalid initial character for a key part", "a line does not start with a key",
     'write key = "value" (or remove the stray characters)'),
    ("Expected newline or end of document after a statement", "there is more on a line after its value",
     'give each key = "value" its own line, and keep the whole text inside the quotes'),
    ("Invalid statement", "a line is neither a key = value nor a [section]",
     'write key = "value", a [section] header, or a # comment'),
    ("Illegal character '\\n'", "a string is not closed before the end of its line",
     'close it with " on the same line (use """ ... """ for text over several lines)'),
    ("Illegal character", "a string holds a control character", "remove it, or write it as an escape such as \\t"),
    ("Unescaped '\\' in a string", "a backslash in a string starts no escape",
     "write \\\\ for a backslash, or use a 'literal string'"),
]


@dataclass
class Located:
    """A parsed TOML file and where each of its keys is."""
    path: Path
    doc: dict
    lines: dict[str, int] = field(default_factory=dict)  # "section.key" or "section" -> line (1-based)

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key)


def scan(text: str) -> tuple[dict[str, int], list[tuple[str, int, int]]]:
    """Where every ``[section]`` and ``key =`` is, and every key or section given twice
    (name, first line, second line). Multi-line strings are skipped."""
    lines, repeated, section, in_string = {}, [], "", None
    for number, raw in enumerate(text.splitlines(), 1):
        if in_string:
            if in_string in raw:
                in_string = None
            continue
        match = SECTION.match(raw)
        if match and not raw.lstrip().startswith("[["):
            section = match.group(1).replace('"', "")
            if section in lines:
                repeated.append((section, lines[section], number))
            lines.setdefault(section, number)
            continue
        match = KEY.match(raw)
        if match:
            name = next(g for g in match.groups() if g is not None)
            full = f"{section}.{name}" if section else name
            if full in lines:
                repeated.append((full, lines[full], number))
            lines.setdefault(full, number)
            rest = raw[match.end():]
            for quote in ('"""', "'''"):
                if rest.count(quote) == 1:
                    in_string = quote
    return lines, repeated


def unterminated(text: str) -> int | None:
    """The first line whose ``"`` string is not closed on it (outside multi-line strings)."""
    multi = None
    for number, raw in enumerate(text.splitlines(), 1):
        if multi:
            if multi in raw:
                multi = None
            continue
        if raw.count('"""') == 1 or raw.count("'''") == 1:
            multi = '"""' if raw.count('"""') == 1 else "'''"
            continue
        quote, i = None, 0
        while i < len(raw):
            ch = raw[i]
            if quote is None and ch == "#":
                break
            if quote == '"' and ch == "\\":
                i += 2
                continue
            if ch in "\"'" and quote in (None, ch):
                quote = None if quote else ch
            i += 1
        if quote:
            return number
    return None


def syntax_problem(path: Path, text: str, error: tomllib.TOMLDecodeError) -> Problem:
    message = str(error)
    position = POSITION.search(message)
    bare = POSITION.sub("", message)
    line = int(position.group(1)) if position and position.group(1) else None
    column = int(position.group(2)) if position and position.group(2) else None
    what, fix = bare[:1].lower() + bare[1:], "correct the TOML at that place (the format: https://toml.io)"
    for start, meaning, remedy in EXPLAINED:
        if bare.startswith(start):
            what, fix = f"{meaning} ({bare})", remedy
            break
    if line is None:  # "at end of document": find the line ourselves
        _, repeated = scan(text)
        if bare.startswith(("Cannot overwrite", "Cannot declare")) and repeated:
            name, first, line = repeated[0]
            what = f"{name} is given twice, on lines {first} and {line}"
        elif bare.startswith("Unterminated string"):
            line = unterminated(text)
        if line is None:
            line = max(1, len(text.splitlines()))
    source = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    excerpt = ""
    if source.strip():
        caret = " " * (max(column, 1) - 1) + "^" if column else ""
        excerpt = f"    {line} | {source}" + (f"\n    {' ' * len(str(line))} | {caret}" if caret else "")
    return Problem(str(path), line, None, what, fix, column=column, excerpt=excerpt)


def read(path: str | Path, missing_fix: str | None = None) -> Located:
    """The TOML file at ``path`` with the line of each key; AuthoringError naming the file, line
    and column (and what to do) when it cannot be read or parsed."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AuthoringError(Problem(str(path), None, None, "is missing",
                                     missing_fix or f"restore it: git checkout -- {path}")) from None
    except UnicodeDecodeError as error:
        line = path.read_bytes()[:error.start].count(b"\n") + 1
        raise AuthoringError(Problem(str(path), line, None, "is not UTF-8 text",
                                     "save the file as UTF-8 (every editor has the option)")) from None
    except OSError as error:
        raise AuthoringError(Problem(str(path), None, None, f"cannot be read ({error.strerror})",
                                     "check that it is a readable file")) from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise AuthoringError(syntax_problem(path, text, error)) from None
    lines, _ = scan(text)
    return Located(path, doc, lines)
