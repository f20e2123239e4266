"""``lecture.burned.mp4`` (``--burn-subtitles``): the lecture with the cut's own subtitles drawn
into the picture (decoded and encoded again), for the places that cannot show a subtitle track.
``lecture.mp4`` stays clean, with its tracks beside it."""
from __future__ import annotations

from lecture.publish.cut import Cut
from lecture.publish.outputs.lecture_video import STAMP as LECTURE
from lecture.publish.outputs.subtitles import STAMP as SUBTITLES
from lecture.store.imports import code_inputs
from lecture.store.products import Product

ORDER = 50


def products(cut: Cut) -> list[Product]:
    if not cut.burn:
        return []

    def build():
        from lecture.publish.burn import burn
        from lecture.publish.outputs.subtitles import lecture_track
        from lecture.publish.video_files import probe

        lecture = probe(cut.folder / "lecture.mp4")
        cues = lecture_track(cut, cut.lang, lecture).cues
        burn(cut.folder / "lecture.mp4", cut.folder / "lecture.burned.mp4", cues, lecture["chapters"], cut.quality)

    return [Product("lecture.burned.mp4", cut.folder, "burned", [cut.folder / "lecture.burned.mp4"],
                    inputs=lambda: {"lecture": cut.stamp(LECTURE), "subtitles": cut.stamp(SUBTITLES),
                                    "code": code_inputs(__name__)},
                    build=build, needs=(LECTURE, SUBTITLES), lang=cut.lang)]
