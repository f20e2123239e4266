"""The described transcript of a cut: the lecture as text, a media alternative to the video
(WCAG 2.2 SC 1.2.3, "audio description or media alternative").

One page, ``transcript.<lang>.html``, in the cut's language: the lecture's title (``<h1>``), then
per chapter (one scene) its title and start time (``<h2>``), and per beat its time in the
lecture, its narration line as the subtitles say it, and what the screen shows then (the beat's
description, lesson_text.description, filled from the values the beat passes: the numbers of the
recorded runs). A time is a plain link to the students' page beside it, ``index.html#lang=zh&t=
2:05.3``, which opens the lecture there; the page copies the transcript next to its index.html.

The page is self-contained: its style inline, no script, nothing from another host; black on
white (or light on dark when the reader's system asks for it), every colour pair at least 4.5:1
(WCAG AA, tests/test_transcript.py), one column that a phone shows without zooming. The words
around the beats are ``[transcript]`` strings of assets/text/<lang>.toml.
"""
from __future__ import annotations

import html
import math
import re

from lesson_text import DESCRIPTION, NARRATION, AuthoringError, description, lesson_text, narration_line, string
from lesson_text.timed_text import is_cjk

PAGE = "index.html"  # the students' page, beside the transcript in site/
# (colour, background) pairs each at least 4.5:1; the dark set when the system prefers it
LIGHT = {"text": "#1b1e23", "muted": "#4a515c", "background": "#ffffff", "panel": "#edf1f6", "link": "#0b57d0",
         "rule": "#c7cfda"}
DARK = {"text": "#e8e6e3", "muted": "#b4bcc8", "background": "#101319", "panel": "#1b2029", "link": "#8ab4f8",
        "rule": "#3a4150"}
PAIRS = (("text", "background"), ("muted", "background"), ("link", "background"), ("text", "panel"))
CODE = re.compile(r"`([^`]+)`")  # `code` in a description: set as code

STYLE = """
:root { color-scheme: light dark; %(light)s }
@media (prefers-color-scheme: dark) { :root { %(dark)s } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--background); color: var(--text);
       font: 1.0625rem/1.7 system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
.page { max-width: 46rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
a { color: var(--link); }
a:focus-visible { outline: 3px solid var(--link); outline-offset: 2px; }
h1 { font-size: 1.6rem; line-height: 1.3; margin: 0.75rem 0 0.25rem; }
h2 { font-size: 1.25rem; line-height: 1.4; margin: 2.25rem 0 0.75rem; padding-top: 1rem;
     border-top: 1px solid var(--rule); }
.kind { font-size: 1.1rem; margin: 0 0 0.75rem; color: var(--muted); }
.intro, footer { color: var(--muted); }
nav ol { list-style: none; padding-left: 0; }
nav li { display: flex; gap: 0.75em; }
nav .time { flex: none; min-width: 2.6em; }
.time { font-variant-numeric: tabular-nums; white-space: nowrap; }
h2 .time { font-size: 1rem; font-weight: 400; margin-left: 0.5em; }
ol.beats { list-style: none; margin: 0; padding: 0; }
ol.beats > li { margin: 0 0 1.4rem; }
.said { margin: 0 0 0.4rem; }
.said .time { margin-right: 0.6em; }
.seen { margin: 0; padding: 0.6rem 0.85rem; background: var(--panel); border-left: 4px solid var(--link);
        border-radius: 4px; }
code { font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-size: 0.92em; overflow-wrap: anywhere; }
footer { margin-top: 3rem; font-size: 0.95rem; }
"""


def clock(seconds: float) -> str:
    """``M:SS`` (``H:MM:SS`` from an hour), the second the time falls in, as the page shows it."""
    whole = max(0, int(seconds))
    hours, minutes, rest = whole // 3600, whole // 60 % 60, whole % 60
    return f"{hours}:{minutes:02d}:{rest:02d}" if hours else f"{minutes}:{rest:02d}"


def seek(lang: str, seconds: float) -> str:
    """The students' page at ``seconds`` into the ``lang`` cut: rounded up to a tenth, so the
    player lands on the beat's own frames, not the end of the one before."""
    tenths = math.ceil(round(max(0.0, seconds) * 10, 6))
    return f"{PAGE}#lang={lang}&t={clock(tenths // 10)}.{tenths % 10}"


def filled(kind: str, key: str, lang: str, values: dict) -> str:
    """The beat's narration line or description, every placeholder filled (AuthoringError if a
    brace is left: a value the check did not see)."""
    text = (narration_line if kind == NARRATION else description)(key, lang, **values)
    if "{" in text or "}" in text:
        raise AuthoringError(lesson_text().file(kind, lang).problem(
            key, f"still holds a brace once filled ({text[:60]!r})",
            "name each value {name} after one the beat passes, and write no other braces"))
    return text


def inline(text: str) -> str:
    """``text`` escaped for HTML, its `code` set as code, ``w = 0.338`` kept on one line."""
    escaped = html.escape(text, quote=False).replace(" = ", "\u00a0=\u00a0")
    return CODE.sub(lambda m: f"<code>{m.group(1)}</code>", escaped)


def time_link(href: str, seconds: float, lang: str) -> str:
    shown = clock(seconds)
    label = html.escape(string("transcript.watch_from", lang, time=shown))
    return f'<a class="time" href="{html.escape(href)}" aria-label="{label}">{shown}</a>'


def beat_item(beat: dict, start: float, lang: str) -> str:
    values = beat.get("values", {})
    said = filled(NARRATION, beat["key"], lang, values)
    seen = filled(DESCRIPTION, beat["key"], lang, values)
    at = start + beat["start"]
    gap = "" if is_cjk(lang) else " "  # after the label: 画面：屏幕…, On screen: The…
    return (f'<li>\n<p class="said">{time_link(seek(lang, at), at, lang)} {inline(said)}</p>\n'
            f'<p class="seen"><strong>{html.escape(string("transcript.on_screen", lang))}</strong>{gap}{inline(seen)}</p>\n'
            f'</li>')


def chapter(number: int, title: str, scene: dict, lang: str) -> str:
    head = (f'<h2 id="chapter-{number}">{html.escape(title)} '
            f'{time_link(f"{PAGE}#lang={lang}&chapter={number}", scene["start"], lang)}</h2>')
    items = "\n".join(beat_item(beat, scene["start"], lang) for beat in scene["beats"])
    return f'<section aria-labelledby="chapter-{number}">\n{head}\n<ol class="beats">\n{items}\n</ol>\n</section>'


def page(scenes: list[dict], titles: list[str], lang: str) -> str:
    """The transcript of the ``lang`` cut: ``scenes`` in lesson order, each with its ``start``
    in the lecture and its ``beats`` (as ``<Scene>.beats.json`` holds them), ``titles`` their
    chapter titles."""
    if len(titles) != len(scenes):
        raise ValueError(f"{len(scenes)} scenes but {len(titles)} chapter titles")
    lecture, kind = string("lecture.title", lang), string("transcript.title", lang)
    variables = {name: "; ".join(f"--{k}: {v}" for k, v in colours.items()) for name, colours in
                 (("light", LIGHT), ("dark", DARK))}
    contents = "\n".join(f'<li><span class="time">{clock(s["start"])}</span> '
                         f'<a href="#chapter-{n}">{html.escape(t)}</a></li>'
                         for n, (t, s) in enumerate(zip(titles, scenes), start=1))
    chapters = "\n".join(chapter(n, t, s, lang) for n, (t, s) in enumerate(zip(titles, scenes), start=1))
    return f"""<!doctype html>
<html lang="{html.escape(string("lecture.language_tag", lang))}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(f"{lecture} — {kind}")}</title>
<style>{STYLE % variables}</style>
</head>
<body>
<div class="page">
<header>
<p><a href="{PAGE}#lang={lang}">{html.escape(string("transcript.back", lang))}</a></p>
<h1>{html.escape(lecture)}</h1>
<p class="kind">{html.escape(kind)}</p>
<p class="intro">{html.escape(string("transcript.intro", lang))}</p>
<nav aria-label="{html.escape(string("transcript.contents", lang))}">
<ol>
{contents}
</ol>
</nav>
</header>
<main>
{chapters}
</main>
<footer><p>{html.escape(string("page.footer", lang))}</p></footer>
</div>
</body>
</html>
"""
