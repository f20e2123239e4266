"""The one check of a subtitle track against the timed-text standard (lesson_text.timed_text), run
on the file as written (SRT or WebVTT, parsed back), so that it checks what a player will show.

    result = check_file(Path("out/preview/zh/lecture.en.srt"), fps=15)
    result.summary()   # 'lecture.en.srt: 61 cues, 3 fail: 2 too fast, 1 under 5/6 s'
    result.details()   # each failing cue in full: index, times, text, the rules, where, the fix

Rules, each named as the summary counts it: ``line too long`` (16 / 42 characters), ``over 2
lines``, ``under 5/6 s``, ``over 7 s``, ``too fast`` (characters a second over the cue's
duration: 9 / 17), ``gap under 2 frames`` (to the next cue, 1 ms allowed for rounding; an
overlap is one), ``break inside a word`` (Chinese: a line break inside a word, a number or a
Latin term as timed_text segments them), ``starts with punctuation`` (closing punctuation),
``orphan`` (a cue of one word, or of three Chinese characters or fewer), ``outside the video``.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import srt

from lecture.publish.subtitles import Cue
from lesson_text import timed_text

UNBREAKABLE = ("lines break only between words, within the limits: publish again (./render.sh --force); if it "
               "stays, the line has a run with no such break (a long term or number): add punctuation to it")
FIXES = {
    "too fast": "give the line more time: shorten it, or hold its beat longer (the beat must last at least "
                "lesson_text.timed_text.reading_seconds of the line)",
    "under 5/6 s": "there is no free time around the cue and no neighbour it fits in one cue with: lengthen "
                   "the beat or join its line with the next one",
    "over 7 s": "a one-line cue over a long beat: split the line with a comma or a full stop",
    "line too long": UNBREAKABLE,
    "over 2 lines": UNBREAKABLE,
    "break inside a word": UNBREAKABLE,
    "starts with punctuation": UNBREAKABLE,
    "orphan": "a line of one word (or three characters) alone: join it with the line before or after",
    "gap under 2 frames": "cues too close together: a bug of the subtitle writer (lecture/publish/subtitles.py)",
    "outside the video": "a cue after the video's end: a bug of the subtitle writer (lecture/publish/subtitles.py)",
}
VTT_TIME = re.compile(r"^\s*((?:\d+:)?\d\d:\d\d\.\d{3})\s+-->\s+((?:\d+:)?\d\d:\d\d\.\d{3})")


class TrackUnreadable(ValueError):
    exit_code = 2


@dataclass(frozen=True)
class Failure:
    index: int                  # 1-based, as the file numbers its cues
    start: float
    end: float
    lines: tuple[str, ...]
    rules: tuple[str, ...]
    notes: tuple[str, ...]      # what was measured, one per rule
    where: str = ""             # the narration line it shows (when the caller knows)


@dataclass
class TrackCheck:
    name: str
    lang: str
    cues: int
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def counts(self) -> Counter:
        return Counter(rule for f in self.failures for rule in f.rules)

    def summary(self) -> str:
        if self.ok:
            return f"{self.name}: {self.cues} cues, all pass"
        counts = ", ".join(f"{n} {rule}" for rule, n in self.counts().most_common())
        return f"{self.name}: {self.cues} cues, {len(self.failures)} fail: {counts}"

    def details(self, failures: list[Failure] | None = None) -> str:
        """Every failing cue (or those of ``failures``) in full, with what was measured and the
        fix of each rule."""
        out = []
        for f in self.failures if failures is None else failures:
            out.append(f"  cue {f.index} ({srt.timedelta_to_srt_timestamp(timedelta(seconds=f.start))} --> "
                       f"{srt.timedelta_to_srt_timestamp(timedelta(seconds=f.end))}, {f.end - f.start:.2f} s)"
                       + (f", {f.where}" if f.where else "") + ":")
            out += [f"    | {line}" for line in f.lines]
            out += [f"    {rule}: {note}. Fix: {FIXES[rule]}" for rule, note in zip(f.rules, f.notes)]
        return "\n".join(out)


def lang_of(path: Path) -> str:
    """The language of ``NAME.<lang>.srt`` (the writer names every track so)."""
    parts = Path(path).name.split(".")
    if len(parts) < 3:
        raise TrackUnreadable(f"{path}: no language in the name (NAME.<lang>.srt or .vtt)")
    return parts[-2]


def parse(text: str, name: str = "track") -> list[Cue]:
    """The cues of an SRT or WebVTT text (WebVTT: starts with the WEBVTT line)."""
    if text.lstrip("\ufeff").startswith("WEBVTT"):
        cues = []
        for block in re.split(r"\n\s*\n", text.lstrip("\ufeff").replace("\r\n", "\n")):
            rows = block.strip("\n").split("\n")
            at = next((k for k, row in enumerate(rows) if VTT_TIME.match(row)), None)
            if at is not None:
                start, end = (_vtt_seconds(t) for t in VTT_TIME.match(rows[at]).groups())
                cues.append(Cue(start, end, tuple(rows[at + 1:])))
        return cues
    try:
        return [Cue(s.start.total_seconds(), s.end.total_seconds(), tuple(s.content.split("\n")))
                for s in srt.parse(text)]
    except srt.SRTParseError as error:
        raise TrackUnreadable(f"{name}: not a valid SRT file ({error}). Fix: publish it again "
                              f"(./render.sh --force writes every subtitle file afresh)") from None


def _vtt_seconds(stamp: str) -> float:
    *hours, minutes, seconds = stamp.split(":")
    return int(hours[0] if hours else 0) * 3600 + int(minutes) * 60 + float(seconds)


def _rules_of(cue: Cue, after: Cue | None, lang: str, fps: float, duration: float | None):
    """(rule, what was measured) for every rule ``cue`` breaks."""
    std, cjk = timed_text.standard(lang), timed_text.is_cjk(lang)
    seconds = cue.end - cue.start
    count = timed_text.chars(cue.lines)
    for line in cue.lines:
        if len(line) > std.line_chars:
            yield "line too long", f"{len(line)} characters in {line!r} (at most {std.line_chars})"
    if len(cue.lines) > timed_text.MAX_LINES:
        yield "over 2 lines", f"{len(cue.lines)} lines"
    if seconds < timed_text.MIN_SECONDS - 1e-3:
        yield "under 5/6 s", f"{seconds:.3f} s (at least 0.833 s)"
    if seconds > timed_text.MAX_SECONDS + 1e-3:
        yield "over 7 s", f"{seconds:.3f} s (at most 7 s)"
    if seconds > 0 and count / std.chars_per_second > seconds + 1e-3:  # 1 ms: SRT's resolution
        yield "too fast", (f"{count} characters in {seconds:.2f} s = {count / seconds:.1f} a second (at most "
                           f"{std.chars_per_second:g}: it needs {count / std.chars_per_second:.2f} s)")
    gap = timed_text.gap_seconds(fps)
    if after is not None and after.start - cue.end < gap - 1e-3:
        yield "gap under 2 frames", (f"{(after.start - cue.end) * 1000:.0f} ms to the next cue (at least "
                                     f"{gap * 1000:.0f} ms at {fps:g} fps)")
    for first, second in zip(cue.lines, cue.lines[1:]):
        word = timed_text.broken_word(first, second, lang) if cjk else None
        if word:
            yield "break inside a word", f"{word!r} is cut between {first!r} and {second!r}"
    for line in cue.lines:
        if line[:1] in timed_text.CLOSING:
            yield "starts with punctuation", f"{line!r}"
    text = ("" if cjk else " ").join(cue.lines)
    if timed_text.is_orphan(text, lang):
        yield "orphan", f"{text!r} alone"
    if cue.start < 0 or (duration is not None and cue.end > duration + 1e-3):
        yield "outside the video", f"{cue.start:.3f}-{cue.end:.3f} s in a video of {duration} s"


def check_cues(cues: list[Cue], lang: str, fps: float, name: str = "track", duration: float | None = None,
               where=None) -> TrackCheck:
    """Every rule over ``cues`` (``where(start)``: the narration line a cue shows, for its report)."""
    result = TrackCheck(name, lang, len(cues))
    for i, cue in enumerate(cues):
        broken = list(_rules_of(cue, cues[i + 1] if i + 1 < len(cues) else None, lang, fps, duration))
        if broken:
            rules = tuple(rule for rule, _ in broken)
            result.failures.append(Failure(i + 1, cue.start, cue.end, cue.lines, rules,
                                           tuple(note for _, note in broken), where(cue.start) if where else ""))
    return result


def check_file(path: Path, fps: float, lang: str | None = None, duration: float | None = None,
               where=None, name: str | None = None) -> TrackCheck:
    """The check of one written track (its language from its name unless given; ``name``: how
    the summary names it, default the file's name)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TrackUnreadable(f"{path}: cannot be read ({error})") from None
    return check_cues(parse(text, str(path)), lang or lang_of(path), fps, name or path.name, duration, where)
