"""Subtitles in every narration language, SRT and WebVTT: per scene in ``subtitles/`` (made again
only when that scene's beats or lines change), and for the whole lecture, timed to its chapters.
The cut's own language is timed to its voice, the others to its beats (lecture.publish.subtitles);
every file written is checked afterwards (lecture.publish.caption_report)."""
from __future__ import annotations

from lecture.publish import subtitles
from lecture.publish.cut import Cut
from lecture.publish.outputs.lecture_video import STAMP as LECTURE
from lecture.publish.video_files import probe
from lecture.store.files import write_text
from lecture.store.imports import code_inputs, file_digest
from lecture.store.products import Product
from lesson_text import narration_line

ORDER = 20
STAMP = "subtitles"
FORMATS = (("srt", subtitles.to_srt), ("vtt", subtitles.to_vtt))


def scene_product(cut: Cut, scene: str) -> Product:
    targets = [cut.folder / "subtitles" / f"{scene}.{lang}.{ext}" for lang in cut.languages for ext, _ in FORMATS]

    def build():
        doc = cut.beats(scene)
        fps = probe(cut.video(scene))["frame_rate"]
        for lang in cut.languages:
            cues = subtitles.lecture_track([{**doc, "start": 0.0}], lang, narration_line, fps, cut.lang).cues
            subtitles.check(cues, doc["duration"])
            for ext, fmt in FORMATS:
                write_text(cut.folder / "subtitles" / f"{scene}.{lang}.{ext}", fmt(cues))

    return Product(f"subtitles of {scene}", cut.folder, f"subtitles-{scene}", targets,
                   inputs=lambda: {"beats": file_digest(cut.beats_file(scene)), "code": code_inputs(__name__)},
                   build=build, lang=cut.lang, quiet=True)


def lecture_scenes(cut: Cut, lecture: dict) -> list[dict]:
    """Each scene's beats with its start and length in the lecture (``lecture``: its probe)."""
    return [{**cut.beats(s), "start": ch["start"], "duration": ch["end"] - ch["start"]}
            for s, ch in zip(cut.scenes, lecture["chapters"])]


def lecture_track(cut: Cut, lang: str, lecture: dict) -> subtitles.Track:
    """The whole lecture's track in ``lang`` (``lecture``: the probe of lecture.mp4)."""
    return subtitles.lecture_track(lecture_scenes(cut, lecture), lang, narration_line, lecture["frame_rate"], cut.lang)


def lecture_product(cut: Cut) -> Product:
    targets = [cut.folder / f"lecture.{lang}.{ext}" for lang in cut.languages for ext, _ in FORMATS]

    def build():
        lecture = probe(cut.folder / "lecture.mp4")
        for lang in cut.languages:
            cues = lecture_track(cut, lang, lecture).cues
            subtitles.check(cues, lecture["duration"])
            for ext, fmt in FORMATS:
                write_text(cut.folder / f"lecture.{lang}.{ext}", fmt(cues))

    return Product("lecture subtitles", cut.folder, STAMP, targets,
                   inputs=lambda: {"lecture": cut.stamp(LECTURE),
                                   "beats": {s: file_digest(cut.beats_file(s)) for s in cut.scenes},
                                   "code": code_inputs(__name__)},
                   build=build, needs=(LECTURE,), lang=cut.lang)


def products(cut: Cut) -> list[Product]:
    return [scene_product(cut, scene) for scene in cut.scenes] + [lecture_product(cut)]
