"""The deliverables of a quality as products (lecture.store.products), in
``<quality dir>/package/`` with their stamps in ``package/.stamps/``. Each is made from one
cut (through its manifest's stamp, which covers every published output of the cut), the
settings, the strings it reads and its code; made again only when one of those changed."""
from __future__ import annotations

from pathlib import Path

from lecture.deliver import settings as delivery_settings
from lecture.store.imports import code_inputs, file_digest
from lecture.store.layout import cut_dir, package_dir
from lecture.store.products import Product
from lecture.store.stamps import Stamp
from lesson_text import string


def cut_stamp(root: Path, lang: str) -> str | None:
    return Stamp.of(cut_dir(root, lang), "manifest").digest()


def upload(root: Path, lang: str, langs: list[str]) -> Product:
    from lecture.deliver import thumbnail, video_site
    from lecture.publish.video_files import probe

    folder = package_dir(root) / "upload" / lang
    cut = cut_dir(root, lang)

    def draw(target: Path) -> Path:
        scene = delivery_settings.load().thumbnail_scene
        chapters = len(video_site.site_chapters(_chapters(cut), probe(cut / "lecture.mp4")["duration"], log=lambda _: None))
        duration = video_site.clock(round(probe(cut / "lecture.mp4")["duration"]))
        line = string("upload.thumbnail_line", lang, chapters=chapters, duration=duration)
        return thumbnail.draw(cut / "posters" / f"{scene}.png", string("lecture.title", lang), line, lang, target)

    return Product(f"upload/{lang}/", package_dir(root), f"upload-{lang}",
                   [folder / name for name in ("metadata.json", "description.txt", "thumbnail.png")],
                   inputs=lambda: {"cut": cut_stamp(root, lang), "settings": delivery_settings.digest(),
                                   "code": code_inputs("lecture.deliver.video_site", "lecture.deliver.thumbnail")},
                   build=lambda: video_site.write_bundle(cut, lang, langs, folder, draw), lang=lang)


def _chapters(cut: Path) -> list[dict]:
    import json

    return json.loads((cut / "manifest.json").read_text(encoding="utf-8"))["chapters"]


def transcript(root: Path, lang: str) -> Product:
    from lecture.page.build import link_or_copy
    from lecture.store.files import temporary

    source = cut_dir(root, lang) / f"transcript.{lang}.html"
    target = package_dir(root) / source.name

    def build():
        import os

        from sim.errors import SimError

        if not source.is_file():
            raise SimError(f"{source} is missing: publish the cut again (./render.sh --lang {lang})")
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = temporary(target)
        link_or_copy(source, tmp)
        os.replace(tmp, target)

    return Product(source.name, package_dir(root), f"transcript-{lang}", [target],
                   inputs=lambda: {"transcript": file_digest(source) if source.is_file() else None,
                                   "cut": cut_stamp(root, lang)},
                   build=build, lang=lang)


def products(root: Path, traces: Path, langs: list[str]) -> list[Product]:
    found = []
    for lang in langs:
        found += [transcript(root, lang), upload(root, lang, langs)]
    return found
