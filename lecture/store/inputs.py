"""What an output is made from, and why it must be made again, in words.

Inputs are nested dicts of JSON values: category -> name -> digest (or a plain value), e.g.
``{"code": {"scenes/kit.py": "ab12..."}, "narration": {"zh": {"model_definition.intro": "..."}},
"settings": {"quality": "preview"}}``. Two equal dicts mean an equal output. ``changes(old, new)``
lists what differs, and ``reasons`` says it the way a producer reads it::

    narration line intro changed; code scenes/kit.py changed; trace sigmoid_fit changed
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

MISSING = object()


@dataclass(frozen=True)
class Change:
    path: tuple[str, ...]   # category, then names
    old: object
    new: object

    @property
    def kind(self) -> str:
        return "added" if self.old is MISSING else "removed" if self.new is MISSING else "changed"


def digest(inputs) -> str:
    blob = json.dumps(inputs, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:20]


def changes(old, new, path: tuple[str, ...] = ()) -> list[Change]:
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in sorted(set(old) | set(new), key=str):
            found += changes(old.get(key, MISSING), new.get(key, MISSING), path + (str(key),))
        return found
    return [] if old == new else [Change(path, old, new)]


def _value(value) -> str:
    if value is MISSING:
        return "none"
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:37] + "..."


def phrase(change: Change, lang: str | None = None) -> str:
    """One change in words. ``lang``: the output's own language (its lines are named without it)."""
    category, names = change.path[0], change.path[1:]
    verb = {"added": "added", "removed": "removed", "changed": "changed"}[change.kind]
    if category in ("narration", "text", "description") and len(names) == 2:
        where, key = names
        beat = key.split(".", 1)[1] if "." in key else key
        own = where == lang
        if category == "narration":
            return f"{'' if own else where + ' '}narration line {beat if own else key} {verb}"
        if category == "description":  # read by the whole cut's transcript: the scene's key named too
            return f"{'' if own else where + ' '}description of {key} {verb}"
        return f"{'' if own else where + ' '}on-screen text {key} {verb}"
    if category == "code" and names:
        return {"added": f"now imports {names[0]}", "removed": f"no longer imports {names[0]}"}.get(
            change.kind, f"code {names[0]} changed")
    if category == "traces" and names:
        return f"trace {names[0]} {verb}"
    if category == "clips" and tuple(names[1:]) == ("hold",):
        return f"beat {names[0]} is held {_value(change.old)} -> {_value(change.new)} s so that its subtitles can be read"
    if category == "clips" and names:  # a field of a clip that changed: the clip changed
        return f"the clip of beat {names[0]} {'changed' if len(names) > 1 else verb}"
    if category in ("pacing", "settings", "options") and names:
        return f"{names[-1]} {_value(change.old)} -> {_value(change.new)}"
    if category == "files" and names:
        return f"{names[0]} {verb}"
    if category == "parts" and names:
        return f"{names[0]} {verb}"
    label = " ".join(change.path)
    return f"{label} {verb}"


def reasons(old, new, lang: str | None = None, limit: int = 4) -> list[str]:
    """Why an output made from ``old`` is stale now that its inputs are ``new`` (empty: it is not)."""
    found = changes(old, new)
    # many changes in one category are said once: "code: 3 files changed"
    words, seen = [], set()
    for change in found:
        text = phrase(change, lang)
        if text not in seen:
            seen.add(text)
            words.append(text)
    if len(words) > limit:
        words = words[:limit] + [f"and {len(words) - limit} more"]
    return words
