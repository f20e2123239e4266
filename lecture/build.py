"""Everything a producer uploads, made from the rendered scenes and the traces they came from."""
from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import time
from pathlib import Path

from lecture import assemble, handout, posters, subtitles
from lecture.jobs import sha256
from scenes import SCENES
from scenes.settings import languages
from scenes.strings import narration, text_string
from sim.errors import SimError
from sim.trace import read_meta

LANGS = tuple(languages())  # subtitles in every language


def write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def title(scene: str, lang: str) -> str:
    return text_string(f"{SCENES[scene].key}.title", lang)


def voice_info(beats: list[dict], source: str, lang: str) -> dict | None:
    """The voice of this cut for the manifest: source, engine, its voice and version, and how
    much of the lecture it speaks (None: silent)."""
    if source in (None, "none", False):
        return None
    from voice import engine_info

    spans = [b["audio"] for doc in beats for b in doc["beats"] if b.get("audio")]
    return {**engine_info(source, lang), "clips": len(spans),
            "seconds": round(sum(a["end"] - a["start"] for a in spans), 3)}


def build(out: Path, traces: Path, lang: str, quality: str, burn_subtitles: bool = False,
          voice: str = "none") -> dict:
    start = time.perf_counter()
    videos = [out / f"{s}.mp4" for s in SCENES]
    missing = [v.name for v in videos if not v.is_file() or not v.with_suffix(".beats.json").is_file()]
    if missing:
        raise SimError(f"{out} lacks {', '.join(missing)} (or their .beats.json); render every scene first: "
                       f"./render.sh --quality {quality}")
    beats = [json.loads((out / f"{s}.beats.json").read_text(encoding="utf-8")) for s in SCENES]

    chapters = assemble.join(videos, [f"{i + 1}. {title(s, lang)}" for i, s in enumerate(SCENES)],
                             out / "lecture.mp4", lang=lang)
    write_text(out / "chapters.txt", assemble.chapters_txt(chapters))
    lecture = assemble.probe(out / "lecture.mp4")

    outputs = {"lecture.mp4": lecture, "chapters.txt": {}}
    all_cues = {}
    (out / "subtitles").mkdir(exist_ok=True)
    for code in LANGS:
        scenes = [{**doc, "start": ch["start"], "duration": ch["end"] - ch["start"]} for doc, ch in zip(beats, chapters)]
        cues = subtitles.lecture_cues(scenes, code, narration)
        subtitles.check(cues, lecture["duration"])
        all_cues[code] = cues
        write_text(out / f"lecture.{code}.srt", subtitles.to_srt(cues))
        write_text(out / f"lecture.{code}.vtt", subtitles.to_vtt(cues))
        outputs[f"lecture.{code}.srt"] = outputs[f"lecture.{code}.vtt"] = {"cues": len(cues)}
        for doc, ch in zip(beats, chapters):
            own = subtitles.lecture_cues([{**doc, "start": 0.0, "duration": ch["end"] - ch["start"]}], code, narration)
            subtitles.check(own, ch["end"] - ch["start"])
            for ext, fmt in (("srt", subtitles.to_srt), ("vtt", subtitles.to_vtt)):
                name = f"subtitles/{doc['scene']}.{code}.{ext}"
                write_text(out / name, fmt(own))
                outputs[name] = {"cues": len(own)}

    if burn_subtitles:
        from lecture.burn import burn

        burn(out / "lecture.mp4", out / "lecture.mp4", all_cues[lang], chapters, quality)
        lecture = {**assemble.probe(out / "lecture.mp4"), "burned_subtitles": lang}
        outputs["lecture.mp4"] = lecture
    spoken = voice_info(beats, voice, lang)
    if spoken:
        lecture = {**lecture, "voice": {lang: spoken}}
        outputs["lecture.mp4"] = lecture

    (out / "posters").mkdir(exist_ok=True)
    poster_files = []
    for scene, ch in zip(SCENES, chapters):
        target = out / "posters" / f"{scene}.png"
        posters.poster(out / f"{scene}.mp4", target, max(0.0, ch["end"] - ch["start"] - 0.5))
        poster_files.append(target)
        outputs[f"posters/{scene}.png"] = {}
    posters.contact_sheet(poster_files, [f"{i + 1}. {title(s, lang)}" for i, s in enumerate(SCENES)],
                          out / "posters" / "contact_sheet.png", text_string("lecture.title", lang))
    outputs["posters/contact_sheet.png"] = {}

    handout_dir = out / "handout"
    for path in handout.build(traces, handout_dir, lang):
        outputs[os.path.relpath(path, out)] = {}

    for scene, ch in zip(SCENES, chapters):
        outputs[f"{scene}.mp4"] = {**assemble.probe(out / f"{scene}.mp4"), "chapter": ch}
    manifest = {
        "made": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "quality": quality, "lang": lang,
        "chapters": chapters, "voice": {lang: spoken} if spoken else None,
        "traces": {name: {k: meta[k] for k in ("arrays_sha256", "source_sha256")} | {"config": meta["config"]}
                   for name in sorted({t for entry in SCENES.values() for t in entry.traces})
                   for meta in [read_meta(traces, name)]},
        "scene_inputs": {s: json.loads((out / ".stamps" / f"{s}.json").read_text())["inputs"]
                         for s in SCENES if (out / ".stamps" / f"{s}.json").is_file()},
        "versions": {"python": platform.python_version(),
                     **{p: importlib.metadata.version(p) for p in ("manim", "av", "numpy", "matplotlib", "paddlepaddle")}},
        "outputs": {name: {**info, "bytes": (out / name).stat().st_size, "sha256": sha256(out / name)}
                    for name, info in sorted(outputs.items())},
    }
    write_text(out / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    print(f"lecture: {out / 'lecture.mp4'} ({lecture['duration']:.1f} s, {len(chapters)} chapters), "
          f"subtitles in {', '.join(LANGS)}, posters, {handout_dir}/, manifest.json "
          f"in {time.perf_counter() - start:.1f} s")
    return manifest
