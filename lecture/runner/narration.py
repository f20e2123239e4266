"""The narration pre-pass: each scene's beats and the values they pass, the lesson's words checked
against them, then the clips each scene plays at its beats.

1. **Beats.** A scene's beats and values depend on its code and traces only
   (``scene_inputs.storyboard_inputs``), not on the words or the language, so they are kept in
   ``out/.cache/storyboards/<Scene>-<digest>.json`` for every cut and quality, and a storyboard
   runs (animations skipped, lecture.runner.manim_process) only for a scene whose code or traces
   changed. A narration edit runs none.
2. **Words.** Every beat must have a line in every language, filled from the values it passes;
   every problem is named at once (lesson_text.check), before anything is synthesised or
   rendered.
3. **Clips.** The voice (voice.services) makes, or finds in ``out/.voice-cache/``, one clip a
   beat; only lines whose spoken text changed are made. ``CUT/.narration/<Scene>.json`` maps
   each beat to its clip and goes to Manim as ``LECTURE_NARRATION``; the clips' identities are
   an input of the scene's render. Each entry also carries when the voice says each word of the
   subtitle (``words``: [offset, seconds into the clip], voice.timing) and each ``{@mark}``, and
   ``hold``: the least time the beat must last for its subtitles in every language of the cut to
   be read at the timed-text reading speeds (lesson_text.timed_text). So an English line that
   grows too long for its Chinese beat lengthens that beat; any other English edit renders no
   scene of the Chinese cut.
"""
from __future__ import annotations

import dataclasses
import math
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lecture.runner.jobs import Job
from lecture.runner.manim_process import run_storyboards, write_storyboard
from lecture.runner.scene_inputs import storyboard_inputs
from lecture.store import layout
from lecture.store.files import write_json
from lecture.store.inputs import digest
from lesson_text import check, lesson_text, require
from scenes import SCENES

FOLDER = ".narration"  # in each cut: <Scene>.json


def narration_file(job: Job) -> Path:
    return job.out / FOLDER / f"{job.scene}.json"


def storyboard_file(job: Job) -> Path:
    return layout.STORYBOARDS / f"{job.scene}-{digest(storyboard_inputs(job.scene, job.traces))}.json"


def known_beats(job: Job) -> list[dict] | None:
    import json

    try:
        return json.loads(storyboard_file(job).read_text(encoding="utf-8"))["beats"]
    except (OSError, ValueError, KeyError):
        return None


def beats(jobs: list[Job], parallel: int, dry_run: bool = False, log=print) -> dict[tuple[Path, str], list[dict] | None]:
    """(traces, scene) -> its beats, running the storyboards of the scenes whose code or traces
    changed (``dry_run``: none run; those scenes give None)."""
    found, stale = {}, {}
    for job in jobs:
        where = (job.traces, job.scene)
        if where not in found:
            found[where] = known_beats(job)
            if found[where] is None:
                stale[where] = job
    if stale and dry_run:
        log(f"narration: the storyboards of {', '.join(s for _, s in stale)} would run (code or traces changed)")
    elif stale:
        names = ", ".join(scene for _, scene in stale)
        log(f"narration: running the storyboards of {len(stale)} scene(s) ({names}), animations skipped: "
            f"their code or traces changed")
        todo = list(stale.values())
        groups = [todo[i::max(1, min(len(todo), parallel))] for i in range(max(1, min(len(todo), parallel)))]
        by_traces = []
        for group in groups:  # one process per group and recording
            for traces in dict.fromkeys(job.traces for job in group):
                by_traces.append([job for job in group if job.traces == traces])

        def run(group: list[Job]):
            return group, run_storyboards(group, group[0].out / "logs")

        with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
            for group, result in pool.map(run, by_traces):
                for job in group:
                    write_storyboard(storyboard_file(job), storyboard_inputs(job.scene, job.traces), result[job.scene])
                    found[job.traces, job.scene] = result[job.scene]
    return found


def check_words(found: dict, log=print) -> None:
    """The lesson's words against the scenes' beats; AuthoringError names every problem,
    warnings are printed."""
    by_section = {}
    for (_, scene), scene_beats in found.items():
        if scene_beats is not None:
            by_section[SCENES[scene].key] = scene_beats
    for warning in require(check(lesson_text(), sections=[e.key for e in SCENES.values()], beats=by_section)):
        log(f"warning: {warning}")


HOLD_STEP = 0.25  # seconds: a hold is rounded up to this, so that a small edit of the other language moves nothing


def held_for_reading(clip, others: list[tuple[str, str]], fps: float, pause: float) -> float:
    """The least time a beat must last so that its subtitles in the cut's languages (text, lang)
    can be read; 0 when the clip and the pause already last that long (then an edit of those
    lines changes nothing in this cut's video)."""
    from lesson_text.timed_text import reading_seconds

    need = max([reading_seconds(text, lang, fps) for text, lang in others] or [0.0])
    if need <= clip.duration + pause:
        return 0.0
    return math.ceil(need / HOLD_STEP) * HOLD_STEP


def narrate(jobs: list[Job], source: str, found: dict, takes: Path | None = None, cache: Path | None = None,
            dry_run: bool = False, log=print) -> tuple[list[Job], dict[Job, dict], dict[Job, list[str]]]:
    """``jobs`` with their narration files; each one's narration (beat -> clip); and for each job
    the beats whose clip is not made yet (``dry_run``: nothing is made or written)."""
    if source == "none":
        return [dataclasses.replace(job, voice="none") for job in jobs], {}, {}
    from scenes.settings import voice_pause
    from voice import line, synthesize
    from voice.config import CACHE_DIR
    from voice.timing import clip_anchors, mark_times
    start = time.perf_counter()
    lines = {job: [line(b["key"], job.lang, b["values"], scene=job.scene) for b in found[job.traces, job.scene] or []]
             for job in jobs}
    clips = synthesize([item for job in jobs for item in lines[job]], source, takes=takes, cache=cache or CACHE_DIR,
                       make=not dry_run)
    by_key = {(item.lang, item.key): clip for item, clip in zip([i for job in jobs for i in lines[job]], clips)}
    done, docs, missing = [], {}, {}
    for job in jobs:
        absent = [item.beat for item in lines[job] if by_key.get((item.lang, item.key)) is None]
        if absent or found[job.traces, job.scene] is None:
            silent = dataclasses.replace(job, voice=source)
            missing[silent] = absent or ["(its beats are not known yet)"]
            done.append(silent)
            continue
        entries = {}
        every = lesson_text().languages()  # its own language too: a voice may talk faster than a viewer reads
        for item, beat in zip(lines[job], found[job.traces, job.scene]):
            clip = by_key[(item.lang, item.key)]
            hold = held_for_reading(clip, [(lesson_text().line(item.key, lang, beat["values"]).text, lang)
                                           for lang in every], job.fps, voice_pause(job.video))
            entries[item.key] = {"audio": str(clip.path), "clip": clip.path.stem, "duration": clip.duration,
                                 "speech_start": clip.speech_start, "speech_end": clip.speech_end,
                                 "text": clip.text, "spoken": clip.spoken, "lufs": clip.lufs,
                                 "true_peak_dbtp": clip.true_peak_dbtp, "engine": clip.engine,
                                 "engine_version": clip.engine_version, "voice": clip.voice,
                                 "timing": clip.timing, "words": clip_anchors(clip), "marks": mark_times(clip),
                                 "hold": round(hold, 3)}
        target = narration_file(job)
        docs[job.scene, job.out] = {"scene": job.scene, "lang": job.lang, "source": source, "clips": entries}
        if not dry_run:
            write_json(target, docs[job.scene, job.out])
        done.append(dataclasses.replace(job, narration=target, voice=source))
    if not dry_run:
        made = sum(clip.synthesized for clip in clips if clip is not None)
        log(f"narration ({source}): {len(clips)} clips, {made} made now, {len(clips) - made} from the cache, "
            f"{sum(c.duration for c in clips if c):.1f} s of audio, in {time.perf_counter() - start:.1f} s")
    return done, docs, missing
