"""What goes wrong in the files producers edit, said so that they can fix it.

Every problem names the file, the line when there is one, the key, what is wrong and the fix.
``AuthoringError`` carries one or more problems; commands print it and exit 2, having written
nothing. A ``Problem`` with ``warning=True`` is printed and nothing stops.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def shown(path: str | Path) -> str:
    """``path`` relative to the working directory when inside it (what a producer typed)."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Problem:
    file: str             # the file, as the producer knows it
    line: int | None      # 1-based, when known
    key: str | None       # "section.name", or a field of a config file
    problem: str          # what is wrong
    fix: str              # what to do about it
    column: int | None = None
    warning: bool = False
    excerpt: str = ""     # the offending line, with a caret under the column


    def __str__(self) -> str:
        where = shown(self.file)
        if self.line:
            where += f", line {self.line}" + (f", column {self.column}" if self.column else "")
        key = f" {self.key}:" if self.key else ""
        return f"{where}:{key} {self.problem}. Fix: {self.fix}." + (f"\n{self.excerpt}" if self.excerpt else "")


class AuthoringError(Exception):
    """One or more problems in the lesson's files; nothing was run."""

    exit_code = 2

    def __init__(self, problems: Problem | list[Problem]):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        count = len(self.problems)
        head = "" if count == 1 else f"{count} problems in the lesson's files:\n  "
        super().__init__(head + "\n  ".join(str(p) for p in self.problems))
