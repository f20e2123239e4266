"""The described transcript (lecture/publish/transcript.py): one page per cut with each chapter,
each beat's time, its narration line and what the screen shows, the numbers from the traces.
Made here from a small synthetic cut (real beat keys, values read from the recording): no render."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from string import Formatter

import pytest

from lecture.page.build import EXTERNAL_URL
from lecture.publish import transcript
from lesson_text import DESCRIPTION, description, lesson_text, narration_line, string


class Outline(HTMLParser):
    """The parts of the page a test reads: the root's lang, the headings, and each paragraph's
    text with its class and the links in it."""

    def __init__(self):
        super().__init__()
        self.lang, self.tags, self.headings, self.paragraphs, self.links = None, [], [], [], []
        self.open: list[tuple[str, str, list]] = []  # (tag, class, text) of the elements being read

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "a":
            self.links.append(attrs.get("href", ""))
        if tag in ("h1", "h2", "p", "title"):
            self.open.append((tag, attrs.get("class", ""), []))

    def handle_endtag(self, tag):
        if self.open and self.open[-1][0] == tag:
            name, cls, text = self.open.pop()
            words = "".join(text).replace("\xa0", " ")  # the page keeps "w = 0.338" on one line
            (self.headings if name in ("h1", "h2") else self.paragraphs).append((name, cls, words))

    def handle_data(self, data):
        for _, _, text in self.open:
            text.append(data)


def outline(page: str) -> Outline:
    parsed = Outline()
    parsed.feed(page)
    parsed.close()
    return parsed


@pytest.fixture(scope="module")
def cut(load):
    """Two chapters: the linear regression's intro and training (its values as the scene passes
    them, from the recording), and the zig-zag's intro and run."""
    trace = load("linreg_sequential")
    train = {"epochs": int(trace["epoch"][-1]), "loss0": float(trace["loss"][0]), "loss": float(trace["loss"][-1]),
             "w": float(trace["w"][-1]), "b": float(trace["b"][-1])}
    scenes = [{"scene": "LinearRegressionFit", "start": 0.0, "beats": [
                  {"key": "linreg_fit.intro", "start": 0.0, "values": {}},
                  {"key": "linreg_fit.train", "start": 7.25, "values": train}]},
              {"scene": "ZigZagUpdates", "start": 65.5, "beats": [
                  {"key": "zigzag.intro", "start": 0.0, "values": {}},
                  {"key": "zigzag.run_both", "start": 4.04, "values": {}}]}]
    return scenes, train


@pytest.mark.parametrize("lang, tag", [("zh", "zh-Hans"), ("en", "en")])
def test_the_page_has_its_language_one_title_and_a_heading_per_chapter(cut, lang, tag):
    scenes, _ = cut
    titles = [f"{n}. {string(f'{key}.title', lang)}" for n, key in ((1, "linreg_fit"), (2, "zigzag"))]
    page = transcript.page(scenes, titles, lang)
    found = outline(page)
    assert found.lang == tag and found.tags.count("main") == 1 and "script" not in found.tags
    h1 = [text for name, _, text in found.headings if name == "h1"]
    h2 = [text for name, _, text in found.headings if name == "h2"]
    assert h1 == [string("lecture.title", lang)]
    assert [h.split(" ")[0] for h in h2] == ["1.", "2."] and titles[1] in h2[1] and h2[1].endswith("1:05")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert not EXTERNAL_URL.search(page) and "{" not in "".join(text for _, _, text in found.paragraphs)
    said = [text for _, cls, text in found.paragraphs if cls == "said"]
    seen = [text for _, cls, text in found.paragraphs if cls == "seen"]
    beats = [beat for scene in scenes for beat in scene["beats"]]
    label = string("transcript.on_screen", lang)
    for beat, line, shown in zip(beats, said, seen, strict=True):
        assert line.endswith(narration_line(beat["key"], lang, **beat["values"]))
        assert shown.startswith(label) and shown.endswith(description(beat["key"], lang, **beat["values"]).replace("`", ""))
    times = [float(m.group(1)) * 60 + float(m.group(2)) for m in
             (re.search(r"#lang=\w+&t=(\d+):(\d+\.\d)$", href) for href in found.links) if m]
    assert times == sorted(times) == pytest.approx([0.0, 7.3, 65.5, 69.6])  # each beat's start, a tenth up


def test_a_number_on_the_page_is_the_traces_as_its_description_formats_it(cut, load):
    scenes, train = cut
    page = transcript.page(scenes, ["1. A", "2. B"], "en")
    seen = [text for _, cls, text in outline(page).paragraphs if cls == "seen"][1]
    template = lesson_text().file(DESCRIPTION, "en").entries["linreg_fit.train"]
    spec = next(spec for _, name, spec, _ in Formatter().parse(template) if name == "w")
    w = float(load("linreg_sequential")["w"][-1])
    assert train["w"] == w and f"w = {w:{spec}}" in seen and f"{w:{spec}}" == "38.401"


def test_a_brace_left_in_a_description_is_refused(cut, monkeypatch):
    from lesson_text import AuthoringError

    scenes, _ = cut
    monkeypatch.setattr(transcript, "description", lambda key, lang, **values: "the {curve} rises")
    with pytest.raises(AuthoringError, match=r"description/en\.toml.*linreg_fit\.intro: still holds a brace"):
        transcript.page(scenes, ["1. A", "2. B"], "en")


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("scheme", ["LIGHT", "DARK"])
def test_every_colour_pair_has_the_contrast_of_wcag_aa(scheme):
    colours = getattr(transcript, scheme)
    for fore, back in transcript.PAIRS:
        lighter, darker = sorted((luminance(colours[fore]), luminance(colours[back])), reverse=True)
        assert (lighter + 0.05) / (darker + 0.05) >= 4.5, (scheme, fore, back)


def test_times_are_the_pages_clock():
    assert [transcript.clock(s) for s in (0, 59.99, 125.3, 3725)] == ["0:00", "0:59", "2:05", "1:02:05"]
    assert transcript.seek("zh", 125.31) == "index.html#lang=zh&t=2:05.4"
    assert transcript.seek("en", 125.3) == "index.html#lang=en&t=2:05.3"
