"""Slides for teachers (lecture/slides/), without a real render.

Every storyboard is run as slides with animations skipped: one slide per beat, each slide's
notes the beat's narration line in the requested language, and a loop exactly where the
scene's training clock moves. The decks are built from small synthetic slide videos: the PPTX
opens with python-pptx with the right slides, titles, notes and autoplay; the HTML is one file
that loads nothing from another host and holds the notes verbatim.
"""
from __future__ import annotations

import json
import re
import shutil
import zipfile
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

pytest.importorskip("manim_slides", reason="manim-slides is not installed (pyproject group 'slides')")

from lecture.slides import deck  # noqa: E402
from lecture.slides import slide_classes as slides  # noqa: E402
from lesson_text import narration_line as narration  # noqa: E402
from lesson_text import string as text_string  # noqa: E402
from scenes import SCENES  # noqa: E402
from tests.scene_tools import lecture_env  # noqa: E402

NPM_MISSING = shutil.which("npm") is None and not all(
    (deck.layout.CACHE / "manim-slides" / f"revealjs{deck.REVEAL_VERSION}" / name.rsplit("/", 1)[1]).is_file()
    for name in deck.REVEAL_FILES)


# --- the storyboards as slides -----------------------------------------------------------------
def clocks(scene) -> tuple[float, ...]:
    from scenes.kit import Clock

    return tuple(v.get_value() for v in vars(scene).values() if isinstance(v, Clock))


def run_as_slides(name: str, traces_dir, media_dir, lang: str):
    """The storyboard of ``name`` as slides, animations skipped (no video is written): the
    scene, with the clock values at every stop in ``scene._stop_clocks``."""
    from manim import tempconfig

    class Probe(slides.slide_class(name)):
        def next_slide(self, **kwargs):
            self._stop_clocks.append(clocks(self))
            super().next_slide(**kwargs)

        def _save_slides(self, **kwargs):  # no partial movies to cut: just close the last slide
            self._stop_clocks.append(clocks(self))
            self._add_last_slide()

    Probe.__name__ = name
    Probe._stop_clocks = []
    settings = {"quality": "low_quality", "save_last_frame": True, "media_dir": str(media_dir),
                "disable_caching": True, "verbosity": "WARNING", "progress_bar": "none"}
    with lecture_env(traces_dir, lang), tempconfig(settings):
        scene = Probe()
        scene._stop_clocks = []
        scene.render()
    return scene


@pytest.fixture(scope="module")
def as_slides(traces_dir, tmp_path_factory):
    media, cache = tmp_path_factory.mktemp("slide-media"), {}

    def run(name, lang):
        if (name, lang) not in cache:
            cache[name, lang] = run_as_slides(name, traces_dir, media, lang)
        return cache[name, lang]

    return run


# One short scene with a training run, in zh (en with the slow tests, to keep the default run
# under two minutes; tests/test_slides_render.py, marked slow, runs every scene: their
# storyboards take about two minutes without a LaTeX cache).
FAST = "SigmoidCurveFit"


@pytest.mark.parametrize("lang", [pytest.param("en", marks=pytest.mark.slow), "zh"])
def test_one_slide_per_beat_with_its_narration_as_notes(as_slides, lang):
    scene = as_slides(FAST, lang)
    assert len(scene._slides) == len(scene.beats) > 1
    for slide, beat in zip(scene._slides, scene.beats):
        assert slide.notes == narration(beat["key"], lang, **beat["values"])
        assert slide.notes and bool(re.search(r"[\u4e00-\u9fff]", slide.notes)) == (lang == "zh")
        assert slide.end_animation > slide.start_animation


def test_a_slide_loops_where_the_training_clock_runs(as_slides):
    scene = as_slides(FAST, "en")
    assert len(scene._stop_clocks) == len(scene._slides) + 1
    moved = [scene._stop_clocks[i] != scene._stop_clocks[i + 1] for i in range(len(scene._slides))]
    assert [s.loop for s in scene._slides] == moved and sum(moved) == 1, "one training run, one looping slide"


def test_slide_classes_keep_the_scene(tmp_path):
    cls = slides.slide_class("ChainRule")
    assert cls.__name__ == "ChainRule" and issubclass(cls, slides.scene_class("ChainRule"))
    from lecture.runner.jobs import Job
    from lecture.runner.manim_process import slide_script

    script = slide_script(Job("ChainRule", "preview", "zh", Path("."), Path("."), Path("."), kind="slides"),
                          tmp_path)
    namespace = {"__name__": "chain_rule_slides"}
    exec(script.read_text(encoding="utf-8"), namespace)  # what Manim loads: one class, named like the scene
    assert [n for n, v in namespace.items() if isinstance(v, type) and v.__module__ == "chain_rule_slides"] == ["ChainRule"]


# --- inputs and the command line ---------------------------------------------------------------
def test_slide_inputs_are_the_videos_and_the_slide_code_and_change_with_language(traces_dir, tmp_path):
    from lecture.runner.jobs import Job
    from lecture.runner.scene_inputs import inputs
    from scenes.settings import video_file

    job = Job(scene="ChainRule", quality="preview", lang="zh", traces=traces_dir, out=tmp_path / "zh",
              video=video_file().resolve(), kind="slides")
    found = inputs(job)
    video = inputs(replace(job, kind="video"))
    assert {"lecture/slides/slide_classes.py"} <= set(found["code"]) - set(video["code"])
    assert "scenes/zigzag_updates.py" not in found["code"]  # only its own scene
    assert found["manim_slides"] and found != inputs(replace(job, lang="en", out=tmp_path / "en"))
    assert job.target == tmp_path / "zh" / "slides" / "ChainRule.json"
    assert job.stamp.why_stale(found, [job.target]) == ["never made"]
    (tmp_path / "zh" / "slides").mkdir(parents=True)
    job.target.write_text("{}")
    job.stamp.write(found)
    assert job.stamp.why_stale(found, [job.target]) == []


@pytest.mark.parametrize("argv, message", [
    (["--quality", "8k"], "unknown quality '8k'"),
    (["--lang", "fr"], "unknown language 'fr'"),
    (["NoSuchScene"], "unknown scene NoSuchScene"),
])
def test_bad_arguments_stop_before_anything(argv, message, capsys):
    from lecture.commands.slides import parse

    with pytest.raises(SystemExit) as stop:
        parse(argv)
    assert stop.value.code == 2 and message in capsys.readouterr().err


# --- the decks from synthetic slides ----------------------------------------------------------
NOTES = {  # Markdown and HTML characters must come through as they are
    "ModelDefinition": ["first <b>not bold</b> & 2*x*y", "grad_w_b and __init__", "# not a heading"],
    "ChainRule": ["dL/da · da/dz", "`code` stays"],
}


def write_video(path, frames: int, shade: int):
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=Fraction(15))
        stream.width, stream.height, stream.pix_fmt = 128, 72, "yuv420p"
        for i in range(frames):
            img = np.full((72, 128, 3), shade, np.uint8)
            img[:, i * 4:i * 4 + 8] = 255
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


@pytest.fixture(scope="module")
def fake_slides(tmp_path_factory):
    """A slides directory as lecture.slides leaves it, for two scenes, with tiny videos."""
    root = tmp_path_factory.mktemp("cut") / "slides"
    for k, (scene, notes) in enumerate(NOTES.items()):
        (root / "files" / scene).mkdir(parents=True)
        entries = []
        for i, line in enumerate(notes):
            write_video(root / "files" / scene / f"{i}.mp4", 6 + i, 40 * (k + i + 1))
            entries.append({"file": f"slides/files/{scene}/{i}.mp4", "rev_file": f"slides/files/{scene}/{i}.mp4",
                            "loop": i == 1, "notes": line})
        (root / f"{scene}.json").write_text(json.dumps(
            {"slides": entries, "resolution": [128, 72], "background_color": "#101319"}))
    return root


@pytest.fixture(scope="module")
def decks(fake_slides):
    if NPM_MISSING:
        pytest.skip("no npm to fetch reveal.js (apt-get install npm) and no cached copy")
    return deck.build_deck(fake_slides, list(NOTES), "en")


def test_pptx_has_one_slide_per_stop_with_title_video_and_notes(decks):
    import pptx
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    presentation = pptx.Presentation(str(decks[1]))
    expected = [(scene, line, i == 1) for scene, lines in NOTES.items() for i, line in enumerate(lines)]
    assert len(presentation.slides) == len(expected)
    for slide, (scene, line, loop) in zip(presentation.slides, expected):
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text == line
        assert slide.shapes.title.text == text_string(f"{SCENES[scene].key}.title", "en")
        movies = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.MEDIA]
        assert len(movies) == 1 and movies[0].width == presentation.slide_width
        timing = slide.element.xml[slide.element.xml.index("<p:timing"):]
        assert '<p:cond delay="0"/>' in timing and ('repeatCount="indefinite"' in timing) == loop
    with zipfile.ZipFile(decks[1]) as z:
        assert len([n for n in z.namelist() if n.startswith("ppt/media/") and n.endswith(".mp4")]) == len(expected)


def test_html_is_one_offline_file_with_the_notes_verbatim(decks, fake_slides):
    from bs4 import BeautifulSoup

    page = decks[0].read_text(encoding="utf-8")
    assert deck.external_urls(page) == []
    soup = BeautifulSoup(page, "html.parser")
    assert [a.get_text() for a in soup.select("aside.notes")] == [n for lines in NOTES.values() for n in lines]
    assert not soup.select("aside[data-markdown]")
    sections = soup.select("section[data-background-video]")
    assert [s["data-scene"] for s in sections] == [scene for scene, lines in NOTES.items() for _ in lines]
    assert all(s["data-background-video"].startswith("data:video/mp4;base64,") for s in sections)
    assert ["data-background-video-loop" in s.attrs for s in sections] == [i == 1 for ls in NOTES.values() for i, _ in enumerate(ls)]
    assert not soup.select("script[src], link[href], img[src], iframe, video[src^=http]")
    assert soup.title.get_text() == text_string("lecture.title", "en")
    # every "http" left is text that loads nothing: licence headers, comments, marked's strings
    texts = set(re.findall(r"https?://[^\s\"'`<>)]*", page))
    assert texts <= {"http://", "https://revealjs.com", "https://hakim.se", "https://revealjs.com/plugins/",
                     "https://github.com/markedjs/marked.",
                     "https://github.com/hakimel/reveal.js/discussions/3362#discussioncomment-11733074."}, texts
    assert not list(fake_slides.glob(".*.tmp*")), "temporary files left behind"


def test_decks_are_not_rebuilt_when_unchanged(decks, fake_slides):
    from lecture.store.products import bring_up_to_date
    from lecture.store.stamps import Stamp

    before = [p.stat().st_mtime_ns for p in decks]
    for scene in NOTES:
        Stamp.of(fake_slides, scene).write({"slides": scene})
    product = deck.deck_product(fake_slides, list(NOTES), "en", "preview")
    assert bring_up_to_date([product], log=lambda line: None)[0].made
    first = [p.stat().st_mtime_ns for p in decks]
    assert not bring_up_to_date([product], log=lambda line: None)[0].made
    assert [p.stat().st_mtime_ns for p in decks] == first != before
    Stamp.of(fake_slides, "ChainRule").write({"slides": "again"})  # one scene's slides made again
    assert bring_up_to_date([product], log=lambda line: None)[0].reasons == ["scenes ChainRule changed"]


def test_external_urls_are_found():
    assert deck.external_urls('<link rel="stylesheet" href="https://cdn.example/x.css">') == ["https://cdn.example/x.css"]
    assert deck.external_urls("<style>@import url(//fonts.example/f.css);</style>") == ["//fonts.example/f.css"]
    assert deck.external_urls('<video src="data:video/mp4;base64,AAAA"></video><a>https://x.org</a>') == []


def test_a_tampered_reveal_package_is_refused(tmp_path, monkeypatch):
    if shutil.which("npm") is None:
        pytest.skip("no npm")
    from lecture.store import npm

    monkeypatch.setattr(npm, "REVEAL", npm.NpmPackage("reveal.js", npm.REVEAL.version, "sha512-AAAA"))
    with pytest.raises(deck.DeckError, match="integrity"):
        deck.reveal_cache(tmp_path)
    assert not (tmp_path / "manim-slides").exists()
    assert not (tmp_path / "npm" / f"reveal.js-{npm.REVEAL.version}").exists()
