"""``transcript.<lang>.html``: the described transcript of the cut, in its own language: each
chapter's title and start, each beat's time, narration line and what the screen shows
(lecture.publish.transcript). Timed by the cut's beats and the lecture's chapters; made again
when they change, or a string it shows (a narration line, a description, a title) changes."""
from __future__ import annotations

from lecture.publish import transcript
from lecture.publish.cut import Cut
from lecture.publish.outputs.lecture_video import STAMP as LECTURE
from lecture.publish.outputs.subtitles import lecture_scenes
from lecture.publish.video_files import probe
from lecture.store.files import write_text
from lecture.store.imports import code_inputs, file_digest
from lecture.store.products import Product

ORDER = 25
STAMP = "transcript"


def target(cut: Cut):
    return cut.folder / f"transcript.{cut.lang}.html"


def products(cut: Cut) -> list[Product]:
    def build():
        scenes = lecture_scenes(cut, probe(cut.folder / "lecture.mp4"))
        write_text(target(cut), transcript.page(scenes, cut.chapter_titles(), cut.lang))

    return [Product(target(cut).name, cut.folder, STAMP, [target(cut)],
                    inputs=lambda: {"lecture": cut.stamp(LECTURE),
                                    "beats": {s: file_digest(cut.beats_file(s)) for s in cut.scenes},
                                    "code": code_inputs(__name__)},
                    build=build, needs=(LECTURE,), lang=cut.lang)]
