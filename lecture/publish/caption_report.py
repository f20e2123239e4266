"""The captions of a cut held to the timed-text standard after publishing: every subtitle file the
run wrote is read back and checked (lecture.publish.caption_check), each failing cue named with the
narration line it shows, and a cue of another language than the voice's that is too fast only
because its beat is shorter than its line needs is said to be so (the fix is to hold that beat
longer: ``lesson_text.timed_text.reading_seconds`` is how long).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path

from lecture.publish.caption_check import TrackCheck, check_file, lang_of
from lecture.publish.cut import Cut
from lecture.publish.video_files import probe
from lecture.store.layout import shown
from lesson_text import NARRATION, lesson_text, narration_line
from lesson_text.timed_text import reading_seconds

SUBTITLE_SUFFIXES = (".srt", ".vtt")


@dataclass(frozen=True)
class BeatLine:
    """A beat of a track: where it is in the video, its line, and whether the line fits in it."""
    start: float
    key: str
    file: str
    seconds: float      # from the beat's start to the next beat's
    needs: float        # reading_seconds of its line

    @property
    def too_short(self) -> bool:
        return self.needs > self.seconds + 1e-3

    def describe(self, own: bool) -> str:
        said = f"{self.file} [{self.key}]"
        if self.too_short and not own:
            said += (f" (its beat lasts {self.seconds:.2f} s, the line needs {self.needs:.2f} s to be read: "
                     f"hold the beat {self.needs - self.seconds:.2f} s longer)")
        return said


@dataclass
class CaptionCheck:
    """The check of one written track, with the beats its cues show."""
    track: TrackCheck
    path: Path
    own: bool                  # in the language the cut's voice speaks
    beats: list[BeatLine]

    def beat_at(self, t: float) -> BeatLine | None:
        k = bisect.bisect_right([b.start for b in self.beats], t + 0.25) - 1   # a cue may start early
        return self.beats[k] if k >= 0 else None

    def only_short_beats(self) -> int:
        """Failing cues whose only fault is speed, in beats too short for their line."""
        return sum(1 for f in self.track.failures if f.rules == ("too fast",) and not self.own
                   and (self.beat_at(f.start) or BeatLine(0, "", "", 1, 0)).too_short)


def _beat_lines(scenes: list[dict], lang: str, fps: float) -> list[BeatLine]:
    file = shown(lesson_text().file(NARRATION, lang).path)
    out = []
    for scene in scenes:
        for beat in scene["beats"]:
            text = narration_line(beat["key"], lang, **beat["values"])
            out.append(BeatLine(scene["start"] + beat["start"], beat["key"], file, beat["end"] - beat["start"],
                                reading_seconds(text, lang, fps)))
    return out


def check_written(cut: Cut, paths: list[Path]) -> list[CaptionCheck]:
    """The check of each subtitle file in ``paths`` (per scene in subtitles/, or the lecture's)."""
    from lecture.publish.outputs.subtitles import lecture_scenes

    results, lecture = [], None
    for path in paths:
        lang = lang_of(path)
        if path.parent.name == "subtitles":
            doc = cut.beats(path.name.split(".")[0])
            fps = probe(cut.video(doc["scene"]))["frame_rate"]
            scenes, duration = [{**doc, "start": 0.0}], doc["duration"]
        else:
            lecture = lecture or probe(cut.folder / "lecture.mp4")
            fps, scenes, duration = lecture["frame_rate"], lecture_scenes(cut, lecture), lecture["duration"]
        result = CaptionCheck(None, path, lang == cut.lang, _beat_lines(scenes, lang, fps))
        result.track = check_file(path, fps, lang, duration,
                                  where=lambda t, r=result: (r.beat_at(t) or BeatLine(0, "?", "?", 0, 0)).describe(r.own),
                                  name=str(path.relative_to(cut.folder.parent)))
        results.append(result)
    return results


def written(outcomes) -> list[Path]:
    """The subtitle files that publishing outcomes made."""
    return [t for o in outcomes if o.made for t in o.product.targets if t.suffix in SUBTITLE_SUFFIXES]


def report(checks: list[CaptionCheck], log=print) -> int:
    """Print one summary line a track (the per-scene tracks that all pass on one line), and each
    failing cue in full with its fix, once: the lecture's tracks first, then a scene's cue only
    if the lecture's did not show it, and a WebVTT file that fails as its SRT twin does in its
    summary only. Returns the number of failing cues."""
    if not checks:
        return 0
    log("captions (the timed-text check of every subtitle file written; lesson_text/timed_text.py):")
    checks = sorted(checks, key=lambda c: (c.path.parent.name == "subtitles", c.path.name))
    passing = [c for c in checks if c.track.ok and c.path.parent.name == "subtitles"]
    shown, twins = set(), {}
    for c in checks:
        if c in passing:
            continue
        short = c.only_short_beats()
        log("  " + c.track.summary() + (f" ({short} only because their beat is shorter than the {c.track.lang} "
                                        f"line needs)" if short else ""))
        failures = [(f.lines, f.rules) for f in c.track.failures]
        if failures and twins.get(c.path.with_suffix("")) == failures:
            log("    (the same cues as its .srt above)")
            continue
        twins[c.path.with_suffix("")] = failures
        new = [f for f in c.track.failures if (f.lines, f.rules) not in shown]
        if new:
            log(c.track.details(new))
        elif failures:
            log("    (the same cues as the lecture's track above)")
        shown.update(failures)
    if passing:
        log(f"  subtitles/ of each scene: {len(passing)} {'other ' if len(passing) < len(checks) else ''}tracks, "
            f"{sum(c.track.cues for c in passing)} cues, all pass")
    return sum(len(c.track.failures) for c in checks)
