"""The narration pre-pass of a render (``--voice SOURCE``): the clips each scene plays at its beats.

A beat's line is filled with the values the scene passes to ``self.beat(name, **values)``, so the
values come first:

1. **Storyboard.** Each stale scene's storyboard runs with animations skipped (no frames, no
   video) in a subprocess, writing ``<Scene>.beats.json``; its beat keys and values are kept in
   ``CUT/.narration/<Scene>.values.json`` with the scene's other render inputs, and used again
   while those are unchanged. A scene rendered since (its stamp's inputs match) gives its values
   from its own ``<Scene>.beats.json`` without a storyboard run. The values are trace numbers, the
   same in every language, so a scene's storyboard runs in one language and serves all of them
   (at preview a storyboard costs about as much as the render; should a scene ever pass a value
   that depends on the language, its render stops with a clear error at that beat, see
   scenes/lesson.py, instead of speaking a wrong number).
2. **Clips.** ``voice.synthesize`` makes (or finds in ``out/.voice-cache/``) one clip a beat, all
   scenes of all languages in one call, so every missing or bad take is reported at once.
3. **Narration file.** ``CUT/.narration/<Scene>.json``: beat key -> audio path, duration, speech
   span and text; the job passes it to Manim as ``LECTURE_NARRATION`` (scenes.settings), and its
   clips' identities (cache hashes and measured spans, not paths) are a render input of the scene
   (``identity``), so a changed line or a longer take re-renders only its scene.

Run as ``python -m lecture.narrate [--cache DIR] SCENE...`` it is the storyboard runner of step 1.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lecture.jobs import Job, RenderError, inputs_of, write_json
from lecture.layout import shown
from paths import REPO

FOLDER = ".narration"  # in each cut: <Scene>.values.json, <Scene>.json


def values_file(job: Job) -> Path:
    return job.out / FOLDER / f"{job.scene}.values.json"


def narration_file(job: Job) -> Path:
    return job.out / FOLDER / f"{job.scene}.json"


def base_inputs(job: Job) -> dict:
    """The scene's render inputs without its narration: what its beats' values depend on."""
    return inputs_of(dataclasses.replace(job, narration=None))


def identity(path: Path) -> str:
    """What a narration file means for the video: source, and per beat the clip (its cache hash),
    its length, speech span and text. Paths are left out: a moved cache re-renders nothing."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    clips = {key: {k: v for k, v in clip.items() if k != "audio"} for key, clip in doc["clips"].items()}
    blob = json.dumps({"source": doc["source"], "clips": clips}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def known_values(job: Job, base: dict) -> list[dict] | None:
    """The beats (key, values) of ``job`` from an earlier storyboard or render with equal inputs."""
    try:
        doc = json.loads(values_file(job).read_text(encoding="utf-8"))
        if doc["inputs"] == base:
            return doc["beats"]
    except (OSError, ValueError, KeyError):
        pass
    try:  # the last render of this scene, if made from the same inputs (narration aside)
        stamp = json.loads(job.stamp.read_text(encoding="utf-8"))["inputs"]
        if {k: v for k, v in stamp.items() if k != "voice"} == base:
            beats = json.loads((job.out / f"{job.scene}.beats.json").read_text(encoding="utf-8"))["beats"]
            return [{"key": b["key"], "values": b["values"]} for b in beats]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def storyboards(jobs: list[Job], parallel: int) -> None:
    """Run the storyboards of ``jobs`` (animations skipped), one language per scene, ``parallel``
    processes at a time, and keep each scene's beats in the values file of each of its jobs."""
    first = {}
    for job in jobs:
        first.setdefault(job.scene, job)
    runs = list(first.values())
    groups: list[list[Job]] = []
    for lang in dict.fromkeys(job.lang for job in runs):
        these = [job for job in runs if job.lang == lang]
        chunks = max(1, min(len(these), parallel))
        groups += [these[i::chunks] for i in range(chunks)]

    def run(group: list[Job]) -> None:
        first = group[0]
        log = first.out / "logs" / f"storyboard-{group[0].scene}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="storyboard-") as scratch:
            env = {k: v for k, v in os.environ.items() if k != "LECTURE_NARRATION"}
            env.update(PYTHONPATH=str(REPO), LECTURE_TRACES=str(first.traces), LECTURE_LANG=first.lang,
                       LECTURE_VIDEO=str(first.video), LECTURE_BEATS=scratch)
            cmd = [sys.executable, "-m", "lecture.narrate", "--cache", str(first.cache), "--media", scratch,
                   *[job.scene for job in group]]
            for attempt in range(2):  # once more after a failure: another render of the same scene on
                # this machine may have removed a shared cache file under it (Manim's SVG cache)
                with open(log, "w", encoding="utf-8") as fh:
                    code = subprocess.run(cmd, cwd=REPO, env=env, stdout=fh, stderr=subprocess.STDOUT).returncode
                if code == 0:
                    break
            if code != 0:
                tail = "".join(log.read_text(errors="replace").splitlines(True)[-15:])
                raise RenderError(f"the storyboard of {', '.join(j.scene for j in group)} ({first.lang}) failed "
                                  f"(exit {code}); the last lines of {shown(log)}:\n{tail}")
            for done in group:
                beats = json.loads((Path(scratch) / f"{done.scene}.beats.json").read_text(encoding="utf-8"))["beats"]
                for job in (j for j in jobs if j.scene == done.scene):
                    write_json(values_file(job), {"inputs": base_inputs(job), "from": done.lang,
                                                  "beats": [{"key": b["key"], "values": b["values"]} for b in beats]})

    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        list(pool.map(run, groups))


def prepare_or_report(jobs: list[Job], source: str, takes: Path | None, parallel: int) -> list[Job] | None:
    """``prepare`` for a command (./render.sh, catalogue): the jobs with their narration, or None
    after printing why nothing can be rendered (a missing take, a voice not installed, a storyboard
    that fails)."""
    import sys

    from lecture.jobs import RenderError
    from voice import VoiceError

    try:
        return prepare(jobs, source, takes, parallel)
    except (VoiceError, RenderError, OSError) as exc:
        print(f"error: {exc}\nNothing was rendered.", file=sys.stderr)
        return None


def prepare(jobs: list[Job], source: str, takes: Path | None = None, parallel: int = 1,
            cache: Path | None = None, log=print) -> list[Job]:
    """``jobs`` with their narration files (unchanged for ``source == "none"``). Raises
    voice.VoiceError (a missing take, an engine not installed) or RenderError (a storyboard)."""
    if source == "none" or not jobs:
        return jobs
    from voice import line, synthesize
    from voice.config import CACHE_DIR

    start = time.perf_counter()
    beats = {job: known_values(job, base_inputs(job)) for job in jobs}
    stale = [job for job in jobs if beats[job] is None]
    if stale:
        scenes = list(dict.fromkeys(j.scene for j in stale))
        log(f"narration: running the storyboards of {len(scenes)} scene(s) for the numbers their lines "
            f"say ({', '.join(scenes)}), animations skipped")
        storyboards(stale, parallel)
        for job in stale:
            beats[job] = json.loads(values_file(job).read_text(encoding="utf-8"))["beats"]
    lines = {job: [line(b["key"], job.lang, b["values"]) for b in beats[job]] for job in jobs}
    clips = synthesize([item for job in jobs for item in lines[job]], source, takes=takes, cache=cache or CACHE_DIR)
    by_key = {(clip.lang, clip.key): clip for clip in clips}
    done = []
    for job in jobs:
        entries = {}
        for item in lines[job]:
            clip = by_key[(item.lang, item.key)]
            entries[item.key] = {"audio": str(clip.path), "clip": clip.path.stem, "duration": clip.duration,
                                 "speech_start": clip.speech_start, "speech_end": clip.speech_end,
                                 "text": clip.text, "spoken": clip.spoken, "lufs": clip.lufs,
                                 "true_peak_dbtp": clip.true_peak_dbtp, "engine": clip.engine,
                                 "engine_version": clip.engine_version, "voice": clip.voice}
        target = narration_file(job)
        write_json(target, {"scene": job.scene, "lang": job.lang, "source": source, "clips": entries})
        done.append(dataclasses.replace(job, narration=target))
    made = sum(clip.synthesized for clip in clips)
    log(f"narration ({source}): {len(clips)} clips, {made} made now, {len(clips) - made} from the cache, "
        f"{sum(c.duration for c in clips):.1f} s of audio, in {time.perf_counter() - start:.1f} s")
    return done


def main(argv: list[str]) -> int:
    """The storyboard runner: each scene's construct() with animations skipped, in this process;
    LessonScene writes ``$LECTURE_BEATS/<Scene>.beats.json``."""
    import argparse
    import importlib

    parser = argparse.ArgumentParser(prog="python -m lecture.narrate")
    parser.add_argument("--cache", type=Path, required=True, help="LaTeX and text SVG cache (one folder a scene)")
    parser.add_argument("--media", type=Path, required=True, help="scratch directory for Manim")
    parser.add_argument("scenes", nargs="+")
    args = parser.parse_args(argv)
    from manim import tempconfig

    from scenes import SCENES

    for name in args.scenes:
        cls = getattr(importlib.import_module(SCENES[name].module), name)
        settings = {"quality": "low_quality", "write_to_movie": False, "save_last_frame": True,
                    "disable_caching": True, "verbosity": "WARNING", "progress_bar": "none",
                    "media_dir": str(args.media), "tex_dir": str(args.cache / name / "Tex"),
                    "text_dir": str(args.cache / name / "texts")}
        with tempconfig(settings):
            cls().render()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
