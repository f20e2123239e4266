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

    folder = package_dir(root) / "upload" / lang
    cut = cut_dir(root, lang)

    def draw(target: Path, chapters: list, duration: float) -> Path:
        scene = delivery_settings.delivery().thumbnail_scene
        line = string("upload.thumbnail_line", lang, chapters=len(chapters), duration=video_site.clock(round(duration)))
        return thumbnail.draw(cut / "posters" / f"{scene}.png", string("lecture.title", lang), line, lang, target)

    return Product(f"upload/{lang}/", package_dir(root), f"upload-{lang}",
                   [folder / name for name in ("metadata.json", "description.txt", "thumbnail.png")],
                   inputs=lambda: {"cut": cut_stamp(root, lang), "settings": delivery_settings.digest(),
                                   "code": code_inputs("lecture.deliver.video_site", "lecture.deliver.thumbnail")},
                   build=lambda: video_site.write_bundle(cut, lang, langs, folder, draw), lang=lang)


def transcript(root: Path, lang: str) -> Product:
    from lecture.page.build import link_or_copy
    from lecture.store.files import written

    source = cut_dir(root, lang) / f"transcript.{lang}.html"
    target = package_dir(root) / source.name

    def build():
        from sim.errors import SimError

        if not source.is_file():
            raise SimError(f"{source} is missing: publish the cut again (./render.sh --lang {lang})")
        with written(target) as tmp:
            link_or_copy(source, tmp)

    return Product(source.name, package_dir(root), f"transcript-{lang}", [target],
                   inputs=lambda: {"transcript": file_digest(source) if source.is_file() else None,
                                   "cut": cut_stamp(root, lang)},
                   build=build, lang=lang)


def scorm(edition: str, root: Path, traces: Path, lang: str) -> Product:
    """``lecture-<lang>.<edition>.zip`` (``scorm12``, ``scorm2004``: lecture.deliver.scorm.EDITIONS):
    the page of the ``lang`` cut, as lecture.deliver.site builds it."""
    import shutil
    import tempfile

    from lecture.deliver.scorm import EDITIONS, write_package
    from lecture.deliver.site import package_site
    from lecture.page.product import page_inputs
    from sim.trace import read_meta

    target = package_dir(root) / f"lecture-{lang}.{edition}.zip"

    def build():
        settings = delivery_settings.delivery()
        lesson = read_meta(traces, "linreg_sequential")["config"].get("lesson", "default")
        target.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".site-{edition}-{lang}."))
        try:
            site = package_site(root, traces, lang, scratch / "site", settings=settings)
            write_package(EDITIONS[edition], site, target, title=string("lecture.title", lang), lang=lang,
                          mastery_score=settings.mastery_score, identifier=f"lecture-{lesson}-{lang}")
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    return Product(target.name, package_dir(root), f"{edition}-{lang}", [target],
                   inputs=lambda: {**page_inputs(root, traces, [lang]), "settings": delivery_settings.digest(),
                                   "code": code_inputs("lecture.deliver.scorm", "lecture.deliver.site")},
                   build=build, lang=lang)


def products(root: Path, traces: Path, langs: list[str]) -> list[Product]:
    """Per language: the transcript, the video-site bundle, a SCORM package of every edition."""
    from lecture.deliver.scorm import EDITIONS

    found = []
    for lang in langs:
        found += [transcript(root, lang), upload(root, lang, langs),
                  *(scorm(edition, root, traces, lang) for edition in EDITIONS)]
    return found
