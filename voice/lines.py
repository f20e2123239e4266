"""The lines to speak: narration templates, their spoken forms, and which scene each belongs to.

``assets/narration/<lang>.toml`` holds one line per beat, ``[section] beat = "..."``; the key of a
line is ``section.beat``. A line whose voice should say something other than its subtitle gets
a second entry in the same section, ``beat_spoken = "..."``, with the same placeholders: the
subtitle keeps ``beat``, the voice reads ``beat_spoken`` (after spoken.speakable). Files without
any ``_spoken`` entry read as before.

A scene fills the placeholders with trace values at render time, so the voice layer works on
``Line`` records whose text is already formatted (``line()`` builds one).
"""
from __future__ import annotations

import ast
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from voice.errors import VoiceError
from voice.spoken import NARRATION_DIR, speakable

REPO = NARRATION_DIR.parent.parent
SCENES_FILE = REPO / "scenes" / "__init__.py"
SPOKEN_SUFFIX = "_spoken"


@dataclass(frozen=True)
class Line:
    key: str      # "section.beat", a key of assets/narration/<lang>.toml
    lang: str     # "zh" or "en"
    text: str     # the subtitle, placeholders filled
    spoken: str   # what the voice reads: numbers and terms written out (spoken.speakable)

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def beat(self) -> str:
        return self.key.split(".", 1)[1]


def templates(lang: str, directory: Path = NARRATION_DIR) -> dict[str, tuple[str, str | None]]:
    """Every line of ``<lang>.toml`` in file order: key -> (subtitle template, spoken template or None)."""
    path = Path(directory) / f"{lang}.toml"
    try:
        with open(path, "rb") as fh:
            doc = tomllib.load(fh)
    except FileNotFoundError:
        raise VoiceError(f"{path} is missing. Fix: add the narration of language '{lang}' "
                         f"(the same keys as the other languages), or choose another --lang.")
    except tomllib.TOMLDecodeError as error:
        raise VoiceError(f"{path} is not valid TOML ({error}). Fix: correct the line it names.")
    lines = {}
    for section, entries in doc.items():
        if not isinstance(entries, dict):
            raise VoiceError(f"{path}: '{section}' is not a [section]. Fix: put each line under [section].")
        for beat, value in entries.items():
            if beat.endswith(SPOKEN_SUFFIX):
                continue
            spoken = entries.get(beat + SPOKEN_SUFFIX)
            lines[f"{section}.{beat}"] = (value, spoken)
        for beat in entries:
            if beat.endswith(SPOKEN_SUFFIX) and beat[:-len(SPOKEN_SUFFIX)] not in entries:
                raise VoiceError(f"{path}: {section}.{beat} has no line {section}.{beat[:-len(SPOKEN_SUFFIX)]}. "
                                 f"Fix: name it after the beat whose spoken form it is.")
    return lines


def _fill(template: str, values: dict, where: str) -> str:
    try:
        return template.format(**values) if values else template
    except (KeyError, IndexError, ValueError) as error:
        raise VoiceError(f"{where}: cannot fill its placeholders ({error!r}) from {sorted(values)}. "
                         f"Fix: give every {{placeholder}} of the line a value.")


def line(key: str, lang: str, values: dict | None = None, directory: Path = NARRATION_DIR) -> Line:
    """The line ``key`` of ``lang`` with its placeholders filled from ``values`` (as the scene fills them)."""
    table = templates(lang, directory)
    if key not in table:
        raise VoiceError(f"{Path(directory) / f'{lang}.toml'}: no line {key}. Fix: add it "
                         f"(every language file has the same keys).")
    text_template, spoken_template = table[key]
    values = values or {}
    text = _fill(text_template, values, f"{lang}.toml {key}")
    spoken = _fill(spoken_template, values, f"{lang}.toml {key}{SPOKEN_SUFFIX}") if spoken_template else text
    return Line(key, lang, text, speakable(spoken, lang))


def make_line(key: str, lang: str, text: str, spoken: str | None = None) -> Line:
    """A Line from an already formatted subtitle (and optional spoken text), for callers that format."""
    return Line(key, lang, text, speakable(spoken if spoken is not None else text, lang))


# --- scenes --------------------------------------------------------------------------------------
def scene_sections(path: Path = SCENES_FILE) -> dict[str, str]:
    """section -> scene class name, in lesson order, read (never imported) from scenes/__init__.py's
    ``SCENES = {"Scene": SceneEntry(module, key, traces), ...}``."""
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError) as error:
        raise VoiceError(f"cannot read the scene list in {path} ({error}). Fix: pass the mapping "
                         f"section -> scene explicitly (scenes=...).")
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "SCENES" for t in node.targets) \
                and isinstance(node.value, ast.Dict):
            mapping = {}
            for name, entry in zip(node.value.keys, node.value.values):
                key = entry.args[1] if isinstance(entry, ast.Call) and len(entry.args) > 1 else None
                if not (isinstance(name, ast.Constant) and isinstance(key, ast.Constant)):
                    break
                mapping[key.value] = name.value
            else:
                return mapping
    raise VoiceError(f"{path} has no SCENES = {{'Scene': SceneEntry(module, key, traces)}} table that "
                     f"can be read. Fix: pass the mapping section -> scene explicitly (scenes=...).")


def beat_values(beats_dir: Path | None) -> dict[str, dict]:
    """key -> placeholder values, from the ``<Scene>.beats.json`` files a render wrote under ``beats_dir``."""
    values: dict[str, dict] = {}
    if beats_dir is None:
        return values
    for path in sorted(Path(beats_dir).rglob("*.beats.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            for beat in doc["beats"]:
                values.setdefault(beat["key"], beat.get("values", {}))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise VoiceError(f"{path} cannot be read as a beats file ({error}). Fix: render that scene "
                             f"again, or remove the file.")
    return values


def lesson_lines(lang: str, values: dict[str, dict] | None = None, directory: Path = NARRATION_DIR,
                 placeholder: str | None = None) -> list[Line]:
    """Every line of ``lang`` in file (lesson) order. Lines whose values are not in ``values`` keep
    their ``{placeholders}``, or get ``placeholder`` in each (a sample number, for benchmarks)."""
    values = values or {}
    result = []
    for key, (text_template, spoken_template) in templates(lang, directory).items():
        if key in values:
            result.append(line(key, lang, values[key], directory))
            continue
        fill = (lambda t: re.sub(r"\{[^}]*\}", placeholder, t)) if placeholder else (lambda t: t)
        text = fill(text_template)
        result.append(make_line(key, lang, text, fill(spoken_template) if spoken_template else None))
    return result


def by_scene(lines: list[Line], sections: dict[str, str]) -> dict[str, list[Line]]:
    """Lines grouped by scene, scenes in lesson order, lines in the given order."""
    unknown = sorted({item.section for item in lines} - set(sections))
    if unknown:
        raise VoiceError(f"no scene has the narration section(s) {', '.join(unknown)}. Fix: use the "
                         f"section names of scenes/__init__.py SCENES ({', '.join(sections)}).")
    grouped: dict[str, list[Line]] = {scene: [] for scene in sections.values()}
    for item in lines:
        grouped[sections[item.section]].append(item)
    return {scene: items for scene, items in grouped.items() if items}
