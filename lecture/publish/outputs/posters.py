"""``posters/<Scene>.png``: each scene's last frame with its title, made again only when that
scene's video changed; ``posters/contact_sheet.png``: all of them under the lecture's title."""
from __future__ import annotations

from lecture.publish import posters
from lecture.publish.cut import Cut
from lecture.store.imports import code_inputs
from lecture.store.products import Product
from lesson_text import string

ORDER = 30


def scene_poster(cut: Cut, scene: str) -> Product:
    target = cut.folder / "posters" / f"{scene}.png"
    return Product(f"poster of {scene}", cut.folder, f"poster-{scene}", [target],
                   inputs=lambda: {"video": cut.scene_stamp(scene), "code": code_inputs(__name__)},
                   build=lambda: posters.poster(cut.video(scene), target, max(0.0, cut.beats(scene)["duration"] - 0.5)),
                   lang=cut.lang, quiet=True)


def contact_sheet(cut: Cut) -> Product:
    target = cut.folder / "posters" / "contact_sheet.png"
    return Product("posters/contact_sheet.png", cut.folder, "contact_sheet", [target],
                   inputs=lambda: {"posters": {s: cut.stamp(f"poster-{s}") for s in cut.scenes},
                                   "code": code_inputs(__name__)},
                   build=lambda: posters.contact_sheet([cut.folder / "posters" / f"{s}.png" for s in cut.scenes],
                                                       cut.chapter_titles(), target, string("lecture.title", cut.lang)),
                   needs=tuple(f"poster-{s}" for s in cut.scenes), lang=cut.lang)


def products(cut: Cut) -> list[Product]:
    return [scene_poster(cut, scene) for scene in cut.scenes] + [contact_sheet(cut)]
