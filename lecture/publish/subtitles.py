"""Subtitles from the scenes' beats: line breaking (Chinese too), cue timing, SRT and WebVTT.

Chinese has no spaces: lines break after punctuation where possible, otherwise between any two
CJK characters, never inside a Latin word or a number, by display width (a CJK character is two
columns wide). A beat's line that needs more than two lines becomes several cues, splitting the
beat's time in proportion to their length.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

import srt

MAX_COLUMNS = {"zh": 36, "en": 42}  # 36 columns = 18 CJK characters
MAX_LINES = 2
BREAK_AFTER = set("，。；：！？、,.;:!?）)」』")
NO_LINE_START = set("，。；：！？、）」』”’,.;:!?)")  # closing punctuation never starts a line
TOKEN = re.compile(r"[A-Za-z0-9_.\-+/=']+[,.;:!?)]?|\s+|.", re.S)


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    lines: tuple[str, ...]


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, columns: int) -> list[str]:
    """Break ``text`` into lines of at most ``columns`` display columns."""
    lines, line = [], []
    for token in TOKEN.findall(text.strip()):
        if token.isspace() and not line:
            continue
        if line and width("".join(line) + token.rstrip()) > columns:
            cut = best_break(line, columns)
            if cut == len(line) and token[0] in NO_LINE_START and len(line) > 1:
                cut -= 1  # carry the last character down with the punctuation
            lines.append("".join(line[:cut]).strip())
            line = line[cut:]
            while line and line[0].isspace():
                line.pop(0)
            if token.isspace() and not line:
                continue
        line.append(token)
    if line:
        lines.append("".join(line).strip())
    return [x for x in lines if x]


def best_break(tokens: list[str], columns: int) -> int:
    """Where to end the line: after the last punctuation or space in its second half, else
    at its end."""
    for i in range(len(tokens), 0, -1):
        if width("".join(tokens[:i])) < columns / 3:
            break
        last = tokens[i - 1]
        if last.isspace() or last[-1] in BREAK_AFTER:
            return i
    return len(tokens)


def balanced(text: str, columns: int) -> list[str]:
    """Lines for two-line cues: if ``columns`` leaves a lone last line, try a little narrower
    (down to 70%) for an even number of lines, so no cue is one short line."""
    lines = wrap(text, columns)
    if len(lines) % MAX_LINES == 0 or len(lines) == 1:
        return lines
    for narrower in range(columns - 1, int(columns * 0.7), -1):
        candidate = wrap(text, narrower)
        if len(candidate) % MAX_LINES == 0 and len(candidate) <= len(lines) + 1:
            return candidate
    return lines


def cues_for(text: str, start: float, end: float, lang: str) -> list[Cue]:
    lines = balanced(text, MAX_COLUMNS.get(lang, 42))
    chunks = [tuple(lines[i:i + MAX_LINES]) for i in range(0, len(lines), MAX_LINES)]
    weights = [max(1, sum(width(x) for x in chunk)) for chunk in chunks]
    cues, t = [], start
    for chunk, weight in zip(chunks, weights):
        step = (end - start) * weight / sum(weights)
        cues.append(Cue(round(t, 3), round(t + step, 3), chunk))
        t += step
    return cues


def lecture_cues(scenes: list[dict], lang: str, narration) -> list[Cue]:
    """Cues of every scene's beats, shifted by the scene's start in the lecture.

    ``scenes``: dicts with ``start`` (seconds into the lecture), ``duration`` and ``beats``;
    ``narration(key, lang, **values)`` gives a beat's line. A beat with audio (``beat["audio"]``,
    written by a narrated render) is subtitled while its clip speaks, in every language; a beat
    without, from its start to the next beat.
    """
    cues = []
    for scene in scenes:
        end_of_scene = scene["start"] + scene["duration"]
        for beat in scene["beats"]:
            span = (beat["audio"]["speech_start"], beat["audio"]["speech_end"]) if beat.get("audio") \
                else (beat["start"], beat["end"])
            start = scene["start"] + span[0]
            end = min(scene["start"] + span[1], end_of_scene)
            if end - start < 0.05:
                continue
            cues += cues_for(narration(beat["key"], lang, **beat["values"]), start, end, lang)
    return cues


def check(cues: list[Cue], duration: float) -> None:
    """Raise ValueError unless times increase, cues do not overlap and all lie in the video."""
    for i, cue in enumerate(cues):
        if not 0 <= cue.start < cue.end <= duration + 1e-3:
            raise ValueError(f"cue {i + 1} ({cue.start}-{cue.end} s) is empty or outside the video (0-{duration} s)")
        if i and cue.start < cues[i - 1].end - 1e-6:
            raise ValueError(f"cue {i + 1} starts at {cue.start} s, before cue {i} ends ({cues[i - 1].end} s)")


def to_srt(cues: list[Cue]) -> str:
    return srt.compose([srt.Subtitle(i + 1, timedelta(seconds=c.start), timedelta(seconds=c.end), "\n".join(c.lines))
                        for i, c in enumerate(cues)], reindex=False)


def vtt_time(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def to_vtt(cues: list[Cue]) -> str:
    blocks = [f"{vtt_time(c.start)} --> {vtt_time(c.end)}\n" + "\n".join(c.lines) for c in cues]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"
