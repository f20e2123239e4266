"""``manifest.json``: every output of the cut with its size, SHA-256, for videos duration,
resolution, frame rate and codec, for subtitle tracks their ``timing`` ("voice": cues start where
the voice says their first word; "proportional": by characters); the hashes and config of the
traces, each scene's render inputs, the voice and the library versions: enough to tell later
whether a video is stale. Made last, from the stamps of every other output."""
from __future__ import annotations

import importlib.metadata
import json
import platform
import time

from lecture.publish.cut import Cut
from lecture.publish.subtitles import timing_of
from lecture.publish.video_files import probe
from lecture.store.files import sha256, write_text
from lecture.store.imports import code_inputs
from lecture.store.products import Product
from lecture.store.stamps import Stamp

ORDER = 90
STAMP = "manifest"


def voice_info(cut: Cut, beats: list[dict]) -> dict | None:
    """The voice of this cut: source, engine, its voice and version, and how much of the lecture
    it speaks (None: silent)."""
    if cut.voice in (None, "none"):
        return None
    from voice import engine_info

    spans = [b["audio"] for doc in beats for b in doc["beats"] if b.get("audio")]
    return {**engine_info(cut.voice, cut.lang), "clips": len(spans),
            "seconds": round(sum(a["end"] - a["start"] for a in spans), 3)}


def outputs(cut: Cut) -> list[str]:
    """The files of the cut that a producer uploads (relative paths), in a stable order."""
    root = cut.folder
    names = [*(f"{s}.mp4" for s in cut.scenes), "lecture.mp4", "lecture.burned.mp4", "chapters.txt",
             *(f"lecture.{lang}.{ext}" for lang in cut.languages for ext in ("srt", "vtt")), f"transcript.{cut.lang}.html"]
    names += [str(p.relative_to(root)) for folder in ("subtitles", "posters", "handout")
              for p in sorted((root / folder).glob("*")) if p.is_file() and not p.name.startswith(".")]
    return [name for name in names if (root / name).is_file()]


def build(cut: Cut) -> None:
    from sim.trace import read_meta

    lecture = probe(cut.folder / "lecture.mp4")
    chapters = lecture["chapters"]
    beats = [cut.beats(s) for s in cut.scenes]
    spoken = voice_info(cut, beats)
    described = {"lecture.mp4": {**lecture, **({"voice": {cut.lang: spoken}} if spoken else {})}}
    for scene, chapter in zip(cut.scenes, chapters):
        described[f"{scene}.mp4"] = {**probe(cut.video(scene)), "chapter": chapter}
    if (cut.folder / "lecture.burned.mp4").is_file():
        described["lecture.burned.mp4"] = {**probe(cut.folder / "lecture.burned.mp4"), "burned_subtitles": cut.lang}
    for name in outputs(cut):
        if name.endswith((".srt", ".vtt")):   # how its cues were timed: to the voice, or by characters
            docs = beats if not name.startswith("subtitles/") else [cut.beats(name.split("/")[1].split(".")[0])]
            described[name] = {"timing": timing_of(docs, name.split(".")[-2], cut.lang)}
    files = {}
    for name in outputs(cut):
        path = cut.folder / name
        files[name] = {**described.get(name, {}), "bytes": path.stat().st_size, "sha256": sha256(path)}
    names = [p.stem for p in sorted(cut.traces.glob("*.json")) if p.name != "index.json"]
    manifest = {
        "made": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "quality": cut.quality, "lang": cut.lang,
        "chapters": chapters, "voice": {cut.lang: spoken} if spoken else None,
        "traces": {name: {k: meta[k] for k in ("arrays_sha256", "source_sha256")} | {"config": meta["config"]}
                   for name in names for meta in [read_meta(cut.traces, name)]},
        "scene_inputs": {s: Stamp.of(cut.folder, s).inputs() for s in cut.scenes},
        "versions": {"python": platform.python_version(),
                     **{p: importlib.metadata.version(p) for p in ("manim", "av", "numpy", "matplotlib", "paddlepaddle")}},
        "outputs": dict(sorted(files.items())),
    }
    write_text(cut.folder / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))


def products(cut: Cut) -> list[Product]:
    from lecture.publish import output_modules

    def others() -> dict:
        names = [p.stamp_name for m in output_modules() if m.ORDER < ORDER for p in m.products(cut)]
        return {name: cut.stamp(name) for name in names}

    return [Product("manifest.json", cut.folder, STAMP, [cut.folder / "manifest.json"],
                    inputs=lambda: {"outputs": others(), "scenes": cut.scene_stamps(), "settings": {"voice": cut.voice},
                                    "code": code_inputs(__name__)},
                    build=lambda: build(cut), needs=("lecture", "subtitles", "transcript", "contact_sheet", "handout"),
                    lang=cut.lang)]
