"""The repository code that a module runs: the module and everything it imports, at any depth.

Found from the source (``ast``): every ``import`` and ``from ... import`` statement anywhere in a
file (functions included), resolved to files of this repository; packages bring their
``__init__.py`` (Python runs it before any module inside). Third-party modules are not followed
(their versions are inputs of their own where they matter). The result is what an output's
code input is: change the code of any of these files and the output is stale, change any other
file, or only a docstring or comment, and it is not (``code_digest``).

``scenes/__init__.py`` is data, not code: the table ``SCENES`` of the lesson's scenes in order
(the house test holds it to that). A scene's render depends on its own entry of it, not on the
whole table, so adding a scene re-renders none of the others: ``closure`` leaves the file out
when ``data_tables`` names it, and the caller adds the entry it uses.
"""
from __future__ import annotations

import ast
import hashlib
from functools import lru_cache
from pathlib import Path

from paths import REPO

DATA_TABLES = ("scenes/__init__.py",)


def module_file(name: str) -> Path | None:
    """The file of the repository module ``name`` (``scenes.kit`` -> scenes/kit.py), or None."""
    parts = name.split(".")
    base = REPO.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _package_inits(name: str) -> list[Path]:
    parts = name.split(".")
    return [f for i in range(1, len(parts)) if (f := REPO.joinpath(*parts[:i], "__init__.py")).is_file()]


def _module_name(path: Path) -> str:
    rel = path.relative_to(REPO).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@lru_cache(maxsize=None)
def _direct(path: Path, mtime_ns: int) -> tuple[Path, ...]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: list[Path] = []

    def add(name: str) -> None:
        target = module_file(name)
        if target is not None:
            found.append(target)

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1] if node.level > 1 else base
                origin = ".".join([*base, node.module] if node.module else base)
            else:
                origin = node.module or ""
            submodules = [module_file(f"{origin}.{alias.name}") for alias in node.names]
            if not all(submodules):  # names defined in the module itself (not only its submodules)
                add(origin)
            for alias in node.names:  # from package import submodule
                add(f"{origin}.{alias.name}")
    return tuple(dict.fromkeys(found))


def imports_of(path: Path, packages: bool = True) -> list[Path]:
    """The repository files ``path`` imports directly; with ``packages``, also the __init__ of
    every package on the way (Python runs them first)."""
    path = Path(path).resolve()
    direct = [p.resolve() for p in _direct(path, path.stat().st_mtime_ns)]
    if not packages:
        return direct
    inits = [i.resolve() for p in direct for i in _package_inits(_module_name(p))]
    return list(dict.fromkeys(inits + direct))


def closure(*roots: Path | str, data_tables: tuple[str, ...] = DATA_TABLES) -> list[Path]:
    """The repository files that running ``roots`` (files, or module names) imports, sorted."""
    todo = [module_file(r) if isinstance(r, str) and not r.endswith(".py") else Path(r) for r in roots]
    todo = [p.resolve() for p in todo if p is not None]
    for root in list(todo):
        if root.is_relative_to(REPO):
            todo += [p.resolve() for p in _package_inits(_module_name(root))]
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        todo.extend(imports_of(path))
    skip = {(REPO / name).resolve() for name in data_tables}
    return sorted(p for p in seen if p not in skip)


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


@lru_cache(maxsize=None)
def _code_digest(path: Path, mtime_ns: int) -> str:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body \
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass()]
    return hashlib.sha256(ast.dump(tree).encode("utf-8")).hexdigest()[:16]


def code_digest(path: Path) -> str:
    """A digest of what the code does: its syntax tree without docstrings and comments, so that
    rewording a docstring or re-indenting a comment makes nothing stale."""
    path = Path(path).resolve()
    return _code_digest(path, path.stat().st_mtime_ns)


def code_inputs(*roots: Path | str, data_tables: tuple[str, ...] = DATA_TABLES) -> dict[str, str]:
    """``{relative path: digest}`` of the closure of ``roots``: an output's code input."""
    return {str(p.relative_to(REPO)): code_digest(p) for p in closure(*roots, data_tables=data_tables)}
