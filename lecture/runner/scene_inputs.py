"""What a scene's render is made from, derived from what it imports and reads, never listed by hand.

* **code**: the scene's module and everything it imports (``lecture.store.imports``), with the
  Manim runner (``manim_cli``; for slides, lecture.slides.slide_classes too); of ``scenes/__init__.py``, only
  the scene's own entry (its module and text key);
* **traces**: the names the scene's code passes to ``scenes.traces.load("...")``, found in its
  source; the tests check that a storyboard reads exactly these;
* **text**: the scene's own section of ``assets/text/<lang>.toml`` and the ``[common]`` one, in
  the language it renders (the tests check that a storyboard reads no other);
* **narration**: its own section of ``assets/narration/<lang>.toml`` in that language; a silent
  cut holds each beat until every language's line can be read, so it reads every language's;
* **clips**: with a voice, each beat's clip (its cache identity, length and speech span);
* **pacing**: every value of ``assets/video.toml``; and the quality, language, Manim version.

So one changed line makes one scene stale, and says which line. ``storyboard_inputs`` is what a
scene's beats and their values depend on: code and traces, not the words.
"""
from __future__ import annotations

import ast
import importlib.metadata
import json
from functools import lru_cache
from pathlib import Path

from lecture.runner.jobs import Job
from lecture.store.imports import closure, code_inputs, module_file
from lesson_text import NARRATION, TEXT, lesson_text, read_toml
from paths import REPO
from scenes import SCENES

SCENE_RUNNER = "lecture.runner.manim_cli"
SLIDE_CLASSES = "lecture.slides.slide_classes"
SHARED_TEXT = "common"  # the section of on-screen strings every scene may use


class DerivationError(Exception):
    exit_code = 2


def scene_file(scene: str) -> Path:
    return module_file(SCENES[scene].module)


def sections(scene: str) -> tuple[str, ...]:
    return (SCENES[scene].key, SHARED_TEXT)


def _trace_calls(path: Path) -> list[tuple[int, object]]:
    """(line, first argument) of every call of scenes.traces.load in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "scenes.traces":
            functions |= {a.asname or a.name for a in node.names if a.name == "load"}
        elif isinstance(node, ast.ImportFrom) and node.module == "scenes":
            modules |= {a.asname or a.name for a in node.names if a.name == "traces"}
        elif isinstance(node, ast.Import):
            modules |= {a.asname for a in node.names if a.name == "scenes.traces" and a.asname}
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (
                (isinstance(node.func, ast.Name) and node.func.id in functions)
                or (isinstance(node.func, ast.Attribute) and node.func.attr == "load"
                    and isinstance(node.func.value, ast.Name) and node.func.value.id in modules)):
            calls.append((node.lineno, node.args[0] if node.args else None))
    return calls


@lru_cache(maxsize=None)
def trace_names(scene: str) -> tuple[str, ...]:
    """The traces the scene reads, from the ``load("name", ...)`` calls in its code."""
    names = []
    for path in closure(scene_file(scene)):
        if not path.is_relative_to(REPO / "scenes"):
            continue
        for line, arg in _trace_calls(path):
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                raise DerivationError(
                    f"{path.relative_to(REPO)}, line {line}: load() is given a trace name that is not written out. "
                    f"Fix: write the name, load(\"linreg_fit\", ...), so that the scene's inputs can be derived")
            names.append(arg.value)
    return tuple(sorted(set(names)))


def code(scene: str, kind: str = "video") -> dict:
    roots = [scene_file(scene), module_file(SCENE_RUNNER)] + ([module_file(SLIDE_CLASSES)] if kind == "slides" else [])
    return code_inputs(*roots)


def pacing(path: Path) -> dict:
    """Every value of the pacing file, by ``table.key``."""
    doc = read_toml(path).doc
    return {f"{table}.{key}": value for table, body in doc.items() if isinstance(body, dict)
            for key, value in body.items()}


def trace_digests(job_traces: Path, names) -> dict:
    # the metadata holds the arrays' hash (checked on every read), the config and results
    from lecture.store.imports import file_digest

    return {name: file_digest(Path(job_traces) / f"{name}.json") for name in names}


def clip_identities(narration: Path | dict) -> dict:
    """Beat -> what its clip means for the video: cache identity (a hash of what it was made
    from), length, speech span, text. Paths are left out (the clip's file, a take's path): a
    moved cache or takes folder re-renders nothing."""
    doc = narration if isinstance(narration, dict) else json.loads(Path(narration).read_text(encoding="utf-8"))
    return {key.split(".", 1)[1]: {k: v for k, v in clip.items() if k not in ("audio", "voice")}
            for key, clip in doc["clips"].items()}


def storyboard_inputs(scene: str, traces: Path) -> dict:
    """What the beats of ``scene`` and the values they pass depend on (not the words)."""
    return {"scene": {"name": scene, **SCENES[scene]._asdict()}, "code": code(scene),
            "traces": trace_digests(traces, trace_names(scene)), "manim": importlib.metadata.version("manim")}


def inputs(job: Job, narration: dict | None = None) -> dict:
    """Everything the job's output depends on: equal inputs give an equal output. ``narration``:
    the job's narration document, when it is not (yet) in its file."""
    words = lesson_text()
    own = sections(job.scene)
    voiced = job.narration is not None
    # a silent cut holds each beat until it can be read in every language (scenes/lesson.py)
    narrated = [job.lang] if voiced else words.languages()
    found = {
        "scene": {"name": job.scene, **SCENES[job.scene]._asdict()},
        "settings": {"kind": job.kind, "quality": job.quality, "lang": job.lang, "voice": job.voice},
        "code": code(job.scene, job.kind),
        "traces": trace_digests(job.traces, trace_names(job.scene)),
        "text": {job.lang: words.digests(TEXT, job.lang, own)},
        "narration": {lang: words.digests(NARRATION, lang, own[:1]) for lang in narrated},
        "pacing": pacing(job.video),
        "manim": importlib.metadata.version("manim"),
    }
    if voiced:
        found["clips"] = clip_identities(narration or job.narration)
    if job.kind == "slides":
        found["manim_slides"] = importlib.metadata.version("manim-slides")
    return found
