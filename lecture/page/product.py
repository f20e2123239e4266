"""The students' page as a product with declared inputs (lecture.store.products): made again
only when a cut's published outputs (through its manifest's stamp), the recording, the page's
own files or the strings it shows changed."""
from __future__ import annotations

from pathlib import Path

from lecture.store.imports import code_inputs, file_digest
from lecture.store.layout import cut_dir, site_dir
from lecture.store.products import Product
from lecture.store.stamps import Stamp
from paths import ASSETS

PAGE_ASSETS = ASSETS / "page"


def page_inputs(quality_dir: Path, traces: Path, langs: list[str]) -> dict:
    """What a page built from the cuts of ``langs`` is made from (its code apart): the cuts'
    published outputs (their manifests' stamps), the recording, the page's own files."""
    return {"cuts": {lang: Stamp.of(cut_dir(quality_dir, lang), "manifest").digest() for lang in langs},
            "traces": {p.stem: file_digest(p) for p in sorted(Path(traces).glob("*.json"))},
            "files": {p.name: file_digest(p) for p in sorted(PAGE_ASSETS.glob("*")) if p.is_file()}}


def site_product(quality_dir: Path, traces: Path, langs: list[str]) -> Product:
    site = site_dir(quality_dir)

    def inputs() -> dict:
        return {**page_inputs(quality_dir, traces, langs), "settings": {"langs": langs},
                "code": code_inputs("lecture.page.build")}

    def build():
        from lecture.page.build import build_site

        build_site(quality_dir, traces, langs)

    return Product("page", quality_dir, "site", [site / "index.html"], inputs=inputs, build=build, lang=langs[0])
