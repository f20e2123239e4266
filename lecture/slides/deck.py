"""The teacher's decks from the scenes' slides (``lecture.slides``): ``lecture.html`` and
``lecture.pptx`` in the slides directory, each written to a temporary name and renamed.

* ``lecture.html``: RevealJS through manim-slides' converter, one file (every video inlined as a
  data URI) and offline: the RevealJS files come from the pinned npm package ``reveal.js``
  (fetched once with ``npm pack``, its integrity checked, kept in ``out/.cache/``) through the
  converter's asset cache, so nothing is downloaded from a CDN and the page loads nothing from
  another host. Notes are set as plain text (not Markdown) so that they are the narration line.
* ``lecture.pptx``: written with python-pptx, one slide per stop: the scene's title (in the
  title placeholder, behind the video), the slide's video filling the slide, starting by itself
  (looping for a training run), its first frame as poster, the narration line as notes.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from lecture.store import layout, npm

REVEAL_VERSION = npm.REVEAL.version
# What manim-slides' RevealJS template loads (it finds them in its cache by file name).
REVEAL_FILES = ("dist/reveal.css", "dist/theme/black.css", "dist/plugin/highlight/zenburn.css",
                "dist/reveal.js", "dist/plugin/notes.js", "dist/plugin/markdown.js")


class DeckError(ValueError):
    exit_code = 2


# --- RevealJS files, from the npm registry --------------------------------------------------------
def reveal_cache(root: Path = layout.CACHE) -> Path:
    """``$XDG_CACHE_HOME/manim-slides/revealjs<version>`` as manim-slides looks it up, with
    ``XDG_CACHE_HOME`` = ``root`` while converting; filled from the pinned npm package."""
    folder = root / "manim-slides" / f"revealjs{REVEAL_VERSION}"
    if all((folder / Path(name).name).is_file() for name in REVEAL_FILES):
        return folder
    try:
        package = npm.unpacked(npm.REVEAL, root / "npm")
    except npm.NpmError as error:
        raise DeckError(f"the offline HTML needs reveal.js: {error}") from None
    staging = Path(tempfile.mkdtemp(dir=root, prefix=".reveal-"))
    for name in REVEAL_FILES:
        shutil.copyfile(package / name, staging / Path(name).name)
    folder.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(staging, folder)
    return folder


@contextmanager
def cache_home(root: Path):
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(root)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = old


# --- the decks --------------------------------------------------------------------------------
def load_configs(slides: Path, scenes: list[str]):
    from manim_slides.config import PresentationConfig

    missing = [s for s in scenes if not (slides / f"{s}.json").is_file()]
    if missing:
        raise DeckError(f"no slides of {', '.join(missing)} in {slides}: render them first")
    return [PresentationConfig.from_file(slides / f"{s}.json") for s in scenes]


def titles(scenes: list[str], lang: str) -> tuple[str, list[str]]:
    from lesson_text import string as text_string
    from scenes import SCENES

    return text_string("lecture.title", lang), [text_string(f"{SCENES[s].key}.title", lang) for s in scenes]


def write_html(configs, scenes: list[str], lang: str, target: Path, cache_root: Path = layout.CACHE) -> Path:
    from manim_slides.convert import RevealJS

    lecture_title, scene_titles = titles(scenes, lang)
    configs = [c.model_copy(deep=True) for c in configs]
    for config in configs:
        for slide in config.slides:  # the template puts notes in as HTML: escape them
            slide.notes = html.escape(slide.notes, quote=False)
    reveal_cache(cache_root)
    tmp = target.with_name(f".{target.name}.tmp.html")
    with cache_home(cache_root):
        RevealJS(presentation_configs=configs, one_file=True, offline=True, reveal_version=REVEAL_VERSION,
                 title=lecture_title, background_color=configs[0].background_color,
                 disable_revealjs_cache=False, flush_revealjs_cache=False).convert_to(tmp)
    page = tmp.read_text(encoding="utf-8")
    # plain-text notes (Markdown would turn grad_w_b or 2*x into emphasis); each slide named
    # after its scene, for screen readers and for whoever reads the page
    page = re.sub(r'<aside class="notes" data-markdown(="")?>', '<aside class="notes">', page)
    labels = iter([(s, t) for s, t, c in zip(scenes, scene_titles, configs) for _ in c.slides])

    def name(match):
        scene, title = next(labels, (None, None))
        if scene is None:
            raise DeckError("the RevealJS page has more slides than the scenes")
        return f'<section data-scene="{scene}" aria-label="{html.escape(title)}"{match.group(1)}'

    try:
        page = re.sub(r"<section(\s+data-background-)", name, page)  # the slides (not the JS strings)
        if next(labels, None) is not None:
            raise DeckError("the RevealJS page has fewer slides than the scenes")
        hosts = external_urls(page)
        if hosts:
            raise DeckError(f"the RevealJS page would load from other hosts: {hosts[:5]}")
    except DeckError:
        tmp.unlink(missing_ok=True)
        raise
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, target)
    return target


def external_urls(page: str) -> list[str]:
    """URLs the page would load: in src/href/poster/data-background-* attributes, CSS url() and
    @import (not text inside scripts, such as a licence header or XML namespace)."""
    found = re.findall(r"""(?:\s(?:src|href|poster|data-background-[a-z]+)\s*=\s*["']?|url\(\s*["']?|@import\s+["'])"""
                       r"""\s*((?:https?:)?//[^"'\s)>]+)""", page, flags=re.I)
    return sorted(set(found))


def write_pptx(configs, scenes: list[str], lang: str, target: Path) -> Path:
    import pptx
    from manim_slides.convert import FrameIndex, read_image_from_video_file
    from pptx.util import Emu

    _, scene_titles = titles(scenes, lang)
    deck = pptx.Presentation()
    width, height = configs[0].resolution
    deck.slide_width = Emu(12192000)  # 13.33 in, 16:9 as the videos
    deck.slide_height = Emu(round(12192000 * height / width))
    layout_ = deck.slide_layouts[5]  # Title Only
    with tempfile.TemporaryDirectory() as tmp:
        for config, title in zip(configs, scene_titles):
            for i, slide_config in enumerate(config.slides):
                slide = deck.slides.add_slide(layout_)
                slide.shapes.title.text = title
                poster = Path(tmp) / f"{len(deck.slides)}.png"
                read_image_from_video_file(slide_config.file, FrameIndex.first).save(poster)
                movie = slide.shapes.add_movie(str(slide_config.file), 0, 0, deck.slide_width, deck.slide_height,
                                               poster_frame_image=str(poster), mime_type="video/mp4")
                play_on_entry(movie, loop=slide_config.loop)
                slide.notes_slide.notes_text_frame.text = slide_config.notes
        tmp_target = target.with_name(f".{target.name}.tmp.pptx")
        deck.save(tmp_target)
    os.replace(tmp_target, target)
    return target


def play_on_entry(movie, loop: bool) -> None:
    """Start the movie when its slide shows (and repeat it): the slide timing python-pptx
    writes waits for a click ("indefinite"); manim-slides' PowerPoint converter does the same."""
    from lxml import etree

    def find(element, query):
        return etree.XPath(query, namespaces={"p": "http://schemas.openxmlformats.org/presentationml/2006/main"})(element)

    shape_id = find(movie._element, ".//p:cNvPr")[0].get("id")
    slide = movie._element.getparent().getparent().getparent()
    media = find(slide, f'.//p:timing//p:video//p:spTgt[@spid="{shape_id}"]')[0].getparent().getparent()
    find(media, ".//p:cond")[0].set("delay", "0")
    if loop:
        find(media, ".//p:cTn")[0].set("repeatCount", "indefinite")


def build_deck(slides: Path, scenes: list[str], lang: str) -> list[Path]:
    """Write lecture.html and lecture.pptx from the scenes' slides."""
    html_file, pptx_file = slides / "lecture.html", slides / "lecture.pptx"
    configs = load_configs(slides, scenes)
    return [write_html(configs, scenes, lang, html_file), write_pptx(configs, scenes, lang, pptx_file)]


def deck_product(slides: Path, scenes: list[str], lang: str, quality: str):
    """The two decks as one product (lecture.store.products): made again when a scene's slides,
    this code, the strings they show or the RevealJS version changed."""
    from lecture.store.imports import code_inputs
    from lecture.store.products import Product
    from lecture.store.stamps import Stamp

    return Product("decks", slides, "deck", [slides / "lecture.html", slides / "lecture.pptx"],
                   inputs=lambda: {"scenes": {s: Stamp.of(slides, s).digest() for s in scenes},
                                   "settings": {"lang": lang, "quality": quality, "reveal.js": REVEAL_VERSION},
                                   "code": code_inputs(__name__)},
                   build=lambda: build_deck(slides, scenes, lang), needs=tuple(scenes), lang=lang)
