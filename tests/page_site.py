"""A small synthetic lecture laid out as ./render.sh writes it (``<quality dir>/<lang>/`` cuts:
lecture.mp4, lecture.<lang>.vtt for every language, transcript.<lang>.html, manifest.json with the
chapters), for the student page's tests: no Manim render needed. The subtitles are real narration
lines."""
from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np

from lecture.publish import transcript
from lecture.publish.subtitles import lecture_track, to_srt, to_vtt
from lesson_text import NARRATION, lesson_text
from lesson_text import narration_line as narration
from lesson_text import string as text_string
from scenes import SCENES

FPS = 15
CHAPTER_SECONDS = {"zh": 2.0, "en": 2.4}  # the cuts differ in length, as narrated cuts do


def write_video(path: Path, seconds: float) -> None:
    """H.264 yuv420p at 160x90: a grey picture with a bar that moves, brighter every chapter."""
    import av

    with av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"}) as out:
        stream = out.add_stream("libx264", rate=Fraction(FPS), options={"g": str(FPS), "preset": "ultrafast"})  # a keyframe a second
        stream.width, stream.height, stream.pix_fmt = 160, 90, "yuv420p"
        for i in range(int(round(seconds * FPS))):
            img = np.full((90, 160, 3), 40 + 20 * int(i / FPS / 2) % 200, np.uint8)
            img[30:60, (i * 4) % 150:(i * 4) % 150 + 10] = 255
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def plain_keys(section: str) -> list[str]:
    """Narration keys of a scene whose lines need no trace values, in every language."""
    zh, en = (lesson_text().file(NARRATION, lang).entries for lang in ("zh", "en"))
    return [k for k in zh if k.startswith(section + ".") and "{" not in zh[k] and "{" not in en.get(k, "{")]


def make_cut(quality_dir: Path, lang: str, langs=("zh", "en"), seconds: float | None = None) -> Path:
    """A cut of ``lang`` (each chapter ``seconds`` long; default CHAPTER_SECONDS)."""
    cut = quality_dir / lang
    cut.mkdir(parents=True, exist_ok=True)
    seconds = seconds or CHAPTER_SECONDS[lang]
    chapters, scenes = [], []
    for i, (scene, entry) in enumerate(SCENES.items()):
        start = i * seconds
        title = f"{i + 1}. {text_string(f'{entry.key}.title', lang)}"
        chapters.append({"title": title, "start": start, "end": start + seconds})
        keys = plain_keys(entry.key)[:2]
        beats = [{"key": k, "start": j * seconds / len(keys), "end": (j + 1) * seconds / len(keys), "values": {}}
                 for j, k in enumerate(keys)]
        scenes.append({"scene": scene, "start": start, "duration": seconds, "beats": beats})
    write_video(cut / "lecture.mp4", seconds * len(SCENES))
    for code in langs:
        cues = lecture_track(scenes, code, narration, 15, lang).cues
        (cut / f"lecture.{code}.vtt").write_text(to_vtt(cues), encoding="utf-8")
        (cut / f"lecture.{code}.srt").write_text(to_srt(cues), encoding="utf-8")
    (cut / "chapters.txt").write_text("".join(f"{int(c['start']) // 60:02d}:{int(c['start']) % 60:02d} {c['title']}\n"
                                              for c in chapters), encoding="utf-8")
    intros = [{**scene, "beats": [b for b in scene["beats"] if b["key"].endswith(".intro")]} for scene in scenes]
    (cut / f"transcript.{lang}.html").write_text(transcript.page(intros, [c["title"] for c in chapters], lang),
                                                 encoding="utf-8")  # the intros' descriptions need no values
    manifest = {"lang": lang, "chapters": chapters, "outputs": {"lecture.mp4": {"duration": seconds * len(SCENES)}}}
    (cut / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return cut


def make_site(quality: Path, traces: Path) -> Path:
    """The page built from synthetic zh and en cuts in ``quality`` and the recorded traces."""
    from lecture.page import build_site

    for lang in ("zh", "en"):
        make_cut(quality, lang)
    return build_site(quality, traces, ["zh", "en"])
