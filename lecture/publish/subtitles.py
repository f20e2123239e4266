"""Subtitles from the scenes' beats: each cue timed where the voice says it, held to the timed-text
standard (lesson_text.timed_text: line breaking and the numbers), written as SRT and WebVTT.

A beat's line is shown in the cues ``timed_text.cue_spans`` gives. Their times:

* in the cut's own language with a voice, each cue starts when the voice says its first word: the
  beat's ``audio.words`` (``[[offset, seconds], ...]``, offset a character index into the
  subtitle, seconds scene time, sorted) are anchors, and an offset between two anchors is placed
  linearly between them; the beat's last cue ends when the speech ends. A beat without ``words``
  (a recorded take) is timed in proportion to characters over its speech: the track says so
  (``Track.timing``: "voice" only when every voiced beat had words);
* in the other languages of the cut (no voice of theirs), and on the silent cut, from the beat's
  speech start (or its start) to its end (the next beat's start), each cue its share in
  proportion to the time it needs to be read (its characters at the reading speed, at least
  5/6 s); when the beat is short for the line they start earlier, down to the beat's start, so a
  beat that lasts ``timed_text.reading_seconds`` of its line can be read in full.

Then the rules: two frames between cues (a cue ends earlier; none starts later than its voice),
at least 5/6 s (ended later into free time, else started earlier into free time, else merged
with a neighbour it fits in one cue with), at most 7 s (split at its line break, else cut), no
orphan (a beat's line of one word is merged with a neighbour), and no cue outside its scene.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from datetime import timedelta

import srt

from lesson_text import timed_text
from lesson_text.timed_text import MAX_SECONDS, MIN_SECONDS


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    lines: tuple[str, ...]


@dataclass
class Track:
    """One language's cues, and how they were timed: "voice" (every voiced beat by its words) or
    "proportional" (by characters)."""
    cues: list[Cue]
    timing: str
    voice_beats: int = 0     # beats timed by the voice's words
    beats: int = 0           # beats with a line shown


class TimingError(ValueError):
    """A beats file whose ``audio.words`` cannot time its line (written by a render, not edited
    by hand: rendering the scene again writes it afresh)."""

    exit_code = 2


@dataclass
class _Piece:
    """A cue being timed: its text, and the clock of its beat (offset -> lecture time)."""
    start: float
    end: float
    text: str
    lines: tuple[str, ...]
    first: int                     # offset of the cue in its beat's line
    beat: int                      # which beat of the track it shows
    clock: object = field(repr=False)
    floor: float = 0.0             # its scene's start and end: a cue never leaves them
    ceiling: float = float("inf")
    beat_end: float = float("inf")  # its beat's end: a cue waits for reading only inside its beat


def _anchors(scene: str, beat: dict, text: str) -> list[tuple[int, float]]:
    words = beat["audio"]["words"]
    where = f"{scene}.beats.json, beat {beat['key']}: audio.words"
    fix = f"Fix: render {scene} again (./render.sh {scene} --force) so that its beats are written afresh"
    try:
        pairs = [(int(o), float(t)) for o, t in words]
    except (TypeError, ValueError):
        raise TimingError(f"{where} must be a list of [offset, seconds] pairs, not {str(words)[:60]}. {fix}") from None
    bad = next((p for p, q in zip(pairs, pairs[1:]) if q[0] < p[0] or q[1] < p[1]), None)
    if bad or not pairs or not all(0 <= o <= len(text) for o, _ in pairs):
        raise TimingError(f"{where} must be sorted by offset and time, with offsets within the line's {len(text)} "
                          f"characters ({text!r}); got {pairs[:4]}{'...' if len(pairs) > 4 else ''}. {fix}")
    return pairs


def _clock(scene: str, beat: dict, text: str, spans, lang: str, own: bool,
           gap: float) -> tuple[list[tuple[int, float]], float, bool]:
    """(anchors, end of the last cue, timed by the voice?) of one beat, in scene time."""
    audio = beat.get("audio")
    if own and audio and audio.get("words"):
        anchors = _anchors(scene, beat, text)
        if anchors[0][0] > 0:
            anchors.insert(0, (0, min(audio["speech_start"], anchors[0][1])))
        if anchors[-1][0] < len(text):
            anchors.append((len(text), max(audio["speech_end"], anchors[-1][1])))
        return anchors, audio["speech_end"], True
    if own and audio:
        return [(0, audio["speech_start"]), (len(text), audio["speech_end"])], audio["speech_end"], False
    # no voice in this language: each cue its share of the beat as it needs to be read, from the
    # speech start, or from earlier (down to the beat's start) when the line needs that time
    rate = timed_text.standard(lang).chars_per_second
    needs = [max(MIN_SECONDS, span.chars / rate) for span in spans]
    end = beat["end"]
    start = max(beat["start"], min(audio["speech_start"] if audio else beat["start"], end - sum(needs) - len(spans) * gap))
    room, anchors = max(0.0, end - start - len(spans) * gap), []
    for span, need in zip(spans, needs):
        anchors.append((span.start, start))
        start += room * need / sum(needs) + gap
    return anchors + [(len(text), max(anchors[-1][1], end - gap))], end, False


def _at(anchors: list[tuple[int, float]], offset: int) -> float:
    """The time of ``offset``: linear between the anchors around it."""
    k = bisect.bisect_right([o for o, _ in anchors], offset)
    if k == 0:
        return anchors[0][1]
    if k == len(anchors):
        return anchors[-1][1]
    (o1, t1), (o2, t2) = anchors[k - 1], anchors[k]
    return t1 + (t2 - t1) * (offset - o1) / (o2 - o1) if o2 > o1 else t1


def lecture_track(scenes: list[dict], lang: str, narration, fps: float, voice_lang: str | None = None) -> Track:
    """The cues of every scene's beats in ``lang``, shifted by the scene's start in the lecture.

    ``scenes``: dicts with ``scene``, ``start`` (seconds into the lecture), ``duration`` and
    ``beats`` (as ``<Scene>.beats.json`` holds them); ``narration(key, lang, **values)`` gives a
    beat's line; ``voice_lang``: the language the cut's voice speaks (default ``lang``).
    """
    gap = timed_text.gap_seconds(fps)
    own = lang == (voice_lang or lang)
    pieces, timed, shown = [], 0, 0
    for scene in scenes:
        base, end_of_scene = scene["start"], scene["start"] + scene["duration"]
        for beat in scene["beats"]:
            text = narration(beat["key"], lang, **beat["values"])
            spans = timed_text.cue_spans(text, lang)
            if not spans:
                continue
            anchors, last_end, by_voice = _clock(scene.get("scene", "?"), beat, text, spans, lang, own, gap)
            shown += 1
            timed += by_voice

            def clock(offset, anchors=anchors, base=base):
                return base + _at(anchors, offset)

            for k, span in enumerate(spans):
                end = clock(spans[k + 1].start) - gap if k + 1 < len(spans) else base + last_end
                pieces.append(_Piece(clock(span.start), end, text[span.start:span.end], span.lines, span.start,
                                     shown, clock, base, end_of_scene, base + beat["end"]))
    pieces = _held_to_the_rules(pieces, lang, gap)
    cues = [Cue(round(p.start, 3), round(p.end, 3), p.lines) for p in pieces if p.end > p.start]
    return Track(cues, timing_of(scenes, lang, voice_lang or lang), timed, shown)


def timing_of(scenes: list[dict], lang: str, voice_lang: str) -> str:
    """How ``lang``'s cues over these scenes' beats are timed: "voice" when it is the voice's
    language and every beat with audio carries the voice's ``words``, else "proportional"."""
    voiced = [beat["audio"] for scene in scenes for beat in scene["beats"] if beat.get("audio")]
    return "voice" if lang == voice_lang and voiced and all(a.get("words") for a in voiced) else "proportional"


def _split_long(pieces: list[_Piece], lang: str) -> list[_Piece]:
    """A cue over 7 s becomes one cue a line, split where the voice starts the second line (or
    in proportion); a one-line cue is cut at 7 s."""
    out = []
    for p in pieces:
        if p.end - p.start <= MAX_SECONDS or len(p.lines) < 2:
            out.append(replace(p, end=min(p.end, p.start + MAX_SECONDS)))
            continue
        found = p.text.find(p.lines[1][:3], max(0, len(p.lines[0]) - 1))
        second = p.first + (found if found >= 0 else len(p.lines[0]))
        middle = min(max(p.clock(second), p.start + MIN_SECONDS), p.end - MIN_SECONDS)
        for half in (replace(p, end=middle, lines=p.lines[:1], text=p.lines[0]),
                     replace(p, start=middle, lines=p.lines[1:], text=p.lines[1], first=second)):
            out += _split_long([half], lang)
    return out


def _merged(a: _Piece, b: _Piece, lang: str) -> _Piece | None:
    """``a`` and ``b`` (of one scene) as one cue, when their text fits in one (laid out again)."""
    sep = "" if timed_text.is_cjk(lang) and not (a.text[-1:].isascii() and b.text[:1].isascii()) else " "
    text = a.text + sep + b.text
    cues = timed_text.cue_spans(text, lang)
    if len(cues) != 1:
        return None
    return replace(a, end=b.end, text=text, lines=cues[0].lines)


def _held_to_the_rules(pieces: list[_Piece], lang: str, gap: float) -> list[_Piece]:
    """Gaps, minimum and maximum durations, reading time and orphans, in one pass in time order
    (a merge steps back, so the merged cue is held to the rules again)."""
    pieces = sorted(_split_long(pieces, lang), key=lambda p: p.start)
    rate = timed_text.standard(lang).chars_per_second
    i = 0
    while i < len(pieces):
        p = pieces[i]
        before = pieces[i - 1] if i else None
        after = pieces[i + 1] if i + 1 < len(pieces) else None
        latest = min(p.ceiling, after.start - gap if after else p.ceiling, p.start + MAX_SECONDS)
        # ends earlier for the gap; later, into free time, until it can be read
        need = max(MIN_SECONDS, timed_text.chars(p.lines) / rate)
        p.end = min(max(p.end, p.start + need), latest)
        if p.end - p.start < MIN_SECONDS:                             # starts earlier, into free time
            p.start = max(min(p.start, p.end - MIN_SECONDS), before.end + gap if before else p.floor, p.floor)
        short = p.end - p.start < MIN_SECONDS - 1e-6
        if p.end - p.start < need - 1e-6 and not short and after and after.beat == p.beat:
            # the voice says a long written term quickly (nn.Sequential is 顺序容器): the next cue
            # of the beat waits until this one can be read, if the beat has the room
            then = min(pieces[i + 2].start if i + 2 < len(pieces) else after.ceiling, after.beat_end)
            after.start = max(after.start, min(p.start + need + gap, then - MIN_SECONDS))
            p.end = min(p.start + need, after.start - gap)
        if short or timed_text.is_orphan(p.text, lang):
            merged = next(((k, m) for k, a, b in ((i, p, after), (i - 1, before, p))
                           if a and b and a.floor == b.floor and b.end - a.start <= MAX_SECONDS
                           and (m := _merged(a, b, lang))), None)
            if merged:
                k, m = merged
                pieces[k:k + 2] = [m]
                i = max(k - 1, 0)
                continue
            if short and after and after.beat == p.beat:  # a voice faster than captions: its next cue waits
                then = pieces[i + 2].start if i + 2 < len(pieces) else after.ceiling
                after.start = max(after.start, min(p.start + MIN_SECONDS + gap, then - 2 * gap))
                p.end = after.start - gap
        i += 1
    for p in pieces:
        p.start, p.end = max(p.start, p.floor), min(p.end, p.ceiling)
    return pieces


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
