"""The student page of one quality: ``<quality dir>/site/``, a self-contained static folder.

It reads every language cut that exists (``<quality dir>/<lang>/lecture.mp4``, its subtitles
``lecture.<lang>.vtt`` and ``manifest.json``) and the traces, and writes::

    site/index.html, page.css, player.js, explore.js, quiz.js, scorm.js   (from assets/page/)
    site/data/page.js     cuts, chapters and subtitles (WebVTT text), UI strings, the questions
    site/data/lesson.js   the recorded runs for the 'Explore the run' panels (lecture.page.export)
    site/tracks/*.vtt     the same WebVTT files, for other players
    site/video/lecture.<lang>.mp4   hard links to the cuts (copies across file systems)
    site/transcript.<lang>.html     each cut's described transcript, beside the page it links to

The WebVTT text is also embedded in data/page.js because a page opened from file:// may not load
<track> files or fetch() anything; scripts it may load. The site is built in a temporary folder
beside the target and renamed into place.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from lecture.page.export import lesson_data, to_js
from lecture.page.quiz import localized, questions
from lecture.publish.subtitles import vtt_time
from lecture.store.layout import cut_dir, site_dir
from lesson_text import TEXT, lesson_text
from lesson_text import string as text_string
from paths import ASSETS
from scenes import SCENES
from sim.errors import SimError

PAGE_ASSETS = ASSETS / "page"
STATIC = ("page.css", "player.js", "explore.js", "quiz.js", "scorm.js")
BUDGET = 2_000_000  # bytes of page, data and scripts (videos apart)
UI_KEYS = ("page.", "common.", "lecture.title", "activations.name_", "activations.function",
           "activations.derivative", "zigzag.sigmoid", "zigzag.centred")
EXTERNAL_URL = re.compile(r"(?i)\b(?:https?|wss?|ftp):/{2}|(?:src|href|url)\s*[=(]\s*[\"']?//")


def find_cuts(quality_dir: Path, langs: list[str]) -> dict[str, Path]:
    cuts = {lang: cut_dir(quality_dir, lang) for lang in langs}
    cuts = {lang: d for lang, d in cuts.items() if (d / "lecture.mp4").is_file()}
    if not cuts:
        raise SimError(f"no lecture in {quality_dir}/<lang>/lecture.mp4 for {', '.join(langs)}: "
                       "render the lecture first (./render.sh)")
    for lang, d in cuts.items():
        if not (d / "manifest.json").is_file():
            raise SimError(f"{d / 'manifest.json'} is missing: build the lecture again (./render.sh)")
    return cuts


def chapter_titles(chapters: list[dict], cut_lang: str, langs: list[str]) -> dict[str, list[dict]]:
    """The cut's chapters with titles in every language: the cut's own from its manifest, the
    others from the text files when the chapters are the scenes (else the cut's titles)."""
    out = {}
    for lang in langs:
        if lang == cut_lang or len(chapters) != len(SCENES):
            out[lang] = [dict(c) for c in chapters]
        else:
            out[lang] = [{**c, "title": f"{i + 1}. {text_string(f'{entry.key}.title', lang)}"}
                         for i, (c, entry) in enumerate(zip(chapters, SCENES.values()))]
    return out


def chapters_vtt(chapters: list[dict]) -> str:
    blocks = [f"{i + 1}\n{vtt_time(c['start'])} --> {vtt_time(c['end'])}\n{c['title']}" for i, c in enumerate(chapters)]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


def link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def ui_strings(lang: str) -> dict[str, str]:
    """The page's own strings, as written (their {placeholders} are filled by the page's scripts)."""
    words = lesson_text()
    keys = [k for k in words.file(TEXT, lang).entries if k.startswith(UI_KEYS) and not k.startswith("page.q_")]
    return {k: words.template(TEXT, k, lang) for k in keys}


def write_cut(site: Path, lang: str, cut: Path, langs: list[str]) -> dict:
    """Link the cut's video into ``site`` and write its tracks; returns what the page loads."""
    link_or_copy(cut / "lecture.mp4", site / "video" / f"lecture.{lang}.mp4")
    manifest = json.loads((cut / "manifest.json").read_text(encoding="utf-8"))
    chapters = chapter_titles(manifest["chapters"], lang, langs)
    tracks = {"chapters": {}, "subtitles": {}}
    for code in langs:
        tracks["chapters"][code] = chapters_vtt(chapters[code])
        vtt = cut / f"lecture.{code}.vtt"
        if vtt.is_file():
            tracks["subtitles"][code] = vtt.read_text(encoding="utf-8")
    for kind, texts in tracks.items():
        for code, text in texts.items():
            (site / "tracks" / f"{lang}.{kind}.{code}.vtt").write_text(text, encoding="utf-8")
    described = cut / f"transcript.{lang}.html"
    if described.is_file():
        shutil.copyfile(described, site / described.name)
    return {"video": f"video/lecture.{lang}.mp4", "tracks": tracks,
            **({"transcript": described.name} if described.is_file() else {})}


def render_index(lang: str) -> str:
    html = (PAGE_ASSETS / "index.html").read_text(encoding="utf-8")
    return html.replace("{{lang}}", lang).replace("{{title}}", text_string("lecture.title", lang))


def check_site(site: Path) -> int:
    """No URL to another host in any file, and page, data and scripts within ``BUDGET``."""
    total = 0
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.parent.name == "video":
            continue
        total += path.stat().st_size
        found = EXTERNAL_URL.search(path.read_text(encoding="utf-8"))
        if found:
            raise SimError(f"{path.relative_to(site)} refers to another host ({found.group(0)!r}): "
                           "the page must work offline")
    if total > BUDGET:
        raise SimError(f"the page, its data and scripts weigh {total:,} bytes, over the {BUDGET:,}-byte budget")
    return total


def replace_dir(tmp: Path, target: Path) -> None:
    """Put ``tmp`` at ``target``, moving the previous folder aside first and deleting it after."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
    os.replace(tmp, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def build_site(quality_dir: Path, traces: Path, langs: list[str], *, target: Path | None = None,
               cuts: list[str] | None = None, lms: dict | None = None) -> Path:
    """Write ``quality_dir/site/`` (or ``target``) from the cuts in ``quality_dir/<lang>/`` and the
    traces; ``langs`` are the page's languages, the first one shown first; ``cuts``: the languages
    whose videos it carries (default: every one of ``langs`` that has a cut); ``lms``: the
    delivery settings of a package (lecture.deliver), which the page's LMS adapter reads.
    Returns the site folder."""
    quality_dir, traces = Path(quality_dir), Path(traces)
    langs = list(dict.fromkeys(langs))
    cuts = find_cuts(quality_dir, list(cuts) if cuts else langs)
    site = Path(target) if target else site_dir(quality_dir)
    site.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=site.parent, prefix=f".{site.name}."))
    try:
        os.chmod(tmp, 0o755)
        for sub in ("video", "tracks", "data"):
            (tmp / sub).mkdir()
        page = {
            "langs": langs,
            "cuts": {lang: write_cut(tmp, lang, cut, langs) for lang, cut in cuts.items()},
            "ui": {lang: ui_strings(lang) for lang in langs},
            "quiz": localized(questions(traces), langs),
        }
        if lms is not None:
            page["lms"] = lms
        lesson = lesson_data(traces)
        page["lesson"] = lesson["lesson"]
        (tmp / "data" / "page.js").write_text(to_js("LECTURE_PAGE", page), encoding="utf-8")
        (tmp / "data" / "lesson.js").write_text(to_js("LESSON_DATA", lesson), encoding="utf-8")
        (tmp / "index.html").write_text(render_index(langs[0]), encoding="utf-8")
        for name in STATIC:
            shutil.copyfile(PAGE_ASSETS / name, tmp / name)
        check_site(tmp)
        replace_dir(tmp, site)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return site
