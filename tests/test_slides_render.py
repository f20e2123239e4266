"""Slides from a real render (slow): one short scene rendered at preview as a video (the job code
./render.sh uses) and as slides (./render.sh slides), then its decks opened for real.

* the slide run has one stop per beat, notes in the requested language, and its beats at the
  same times as the video's; each slide's last frame is the video's frame just before the next
  beat (the last slide's: the video's last frame), within a small pixel tolerance;
* lecture.pptx opens with python-pptx: one slide per stop, notes, the slide's own video;
* lecture.html in headless Chromium served from 127.0.0.1: → three times reaches the fourth
  slide, whose video element has a source that decodes; nothing is fetched from another host.

All scenes' storyboards as slides (animations skipped) are checked here too, the default run
checks only two.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import av
import numpy as np
import pytest

pytest.importorskip("manim_slides", reason="manim-slides is not installed (pyproject group 'slides')")

from lecture.commands import slides  # noqa: E402
from lecture.slides import deck  # noqa: E402
from lesson_text import narration_line as narration  # noqa: E402
from scenes import SCENES  # noqa: E402
from tests import browser_tools  # noqa: E402
from tests.test_slides import NPM_MISSING, run_as_slides  # noqa: E402

pytestmark = pytest.mark.slow

SCENE, LANG = "LinearRegressionFit", "en"  # 31 s, five beats, a training run that loops


@pytest.fixture(scope="module")
def rendered(traces_dir, tmp_path_factory):
    from lecture.runner.jobs import Job
    from lecture.runner.manim_process import render_into_place
    from lecture.runner.scene_inputs import inputs
    from scenes.settings import video_file

    if NPM_MISSING:
        pytest.skip("no npm to fetch reveal.js (apt-get install npm) and no cached copy")
    root = tmp_path_factory.mktemp("slides-render")
    job = Job(scene=SCENE, quality="preview", lang=LANG, traces=Path(traces_dir), out=root / LANG,
              video=video_file().resolve())
    job.out.mkdir(parents=True)
    render_into_place(job, inputs(job))
    start = time.perf_counter()
    argv = [SCENE, "--traces", str(traces_dir), "--out", str(root), "--lang", LANG, "-j", "1"]
    assert slides.main(argv) == 0
    seconds = time.perf_counter() - start
    assert slides.main(argv) == 0  # unchanged: not rendered again
    assert time.perf_counter() - start - seconds < seconds / 2
    folder = job.out / "slides"
    html_file, pptx_file = deck.build_deck(folder, [SCENE], LANG)
    config = json.loads((folder / f"{SCENE}.json").read_text())
    return {"video": job.target, "video_beats": json.loads((job.out / f"{SCENE}.beats.json").read_text()),
            "slide_beats": json.loads((folder / f"{SCENE}.beats.json").read_text()),
            "slides": [folder.parent / s["file"] for s in config["slides"]], "config": config,
            "html": html_file, "pptx": pptx_file}


def frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24").astype(np.int16) for f in container.decode(video=0)]


def test_one_stop_per_beat_notes_and_timing(rendered):
    beats, video_beats = rendered["slide_beats"]["beats"], rendered["video_beats"]["beats"]
    assert [b["key"] for b in beats] == [b["key"] for b in video_beats]
    assert [b["start"] for b in beats] == pytest.approx([b["start"] for b in video_beats], abs=1e-6)
    config = rendered["config"]
    assert len(config["slides"]) == len(beats)
    assert [s["notes"] for s in config["slides"]] == [narration(b["key"], LANG, **b["values"]) for b in beats]
    assert [s["loop"] for s in config["slides"]] == [b["key"].endswith(".train") for b in beats]


def test_each_slide_ends_on_the_video_frame_at_the_next_beat(rendered):
    video = frames(rendered["video"])
    runs = [frames(path) for path in rendered["slides"]]
    assert sum(len(r) for r in runs) == len(video)
    fps = 15
    starts = [b["start"] for b in rendered["video_beats"]["beats"]][1:]
    ends = [round(s * fps) - 1 for s in starts] + [len(video) - 1]
    for i, (run, end) in enumerate(zip(runs, ends)):
        diff = np.abs(run[-1] - video[end])
        assert diff.mean() < 1.0 and np.percentile(diff, 99.9) < 24, \
            f"slide {i + 1}: last frame differs from video frame {end} (mean {diff.mean():.2f})"
        first = np.abs(run[0] - video[end - len(run) + 1])
        assert first.mean() < 1.0, f"slide {i + 1} does not start where the video is at its beat"


def test_no_slide_stops_on_a_cleared_screen(rendered):
    """A teacher talks over a slide's last frame: it should still show what the slide built up
    (a storyboard that fades its content out before the next beat leaves an empty stop)."""
    for i, path in enumerate(rendered["slides"]):
        run = frames(path)
        background = np.median(run[-1])
        content = [float((np.abs(f[70:].mean(axis=2) - background) > 30).mean()) for f in run]
        assert content[-1] >= 0.5 * max(content), f"slide {i + 1} ends on a cleared screen"


def test_pptx_opens_with_one_slide_per_stop(rendered):
    import pptx
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    presentation = pptx.Presentation(str(rendered["pptx"]))
    config = rendered["config"]
    assert len(presentation.slides) == len(config["slides"])
    for slide, slide_config, path in zip(presentation.slides, config["slides"], rendered["slides"]):
        assert slide.notes_slide.notes_text_frame.text == slide_config["notes"]
        movie = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.MEDIA][0]
        rel = [r for r in slide.part.rels.values() if r.reltype.endswith("/media")][0]
        assert rel.target_part.blob == path.read_bytes() and movie.width == presentation.slide_width


@pytest.mark.skipif(browser_tools.missing() is not None, reason=str(browser_tools.missing()))
def test_html_in_chromium_fourth_slide_video_decodes(rendered):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.wait import WebDriverWait

    page = rendered["html"]
    assert deck.external_urls(page.read_text(encoding="utf-8")) == []
    with browser_tools.served(page.parent) as (base, requested), browser_tools.chromium() as driver:
        driver.get(base + page.name)
        WebDriverWait(driver, 60).until(lambda d: d.execute_script("return !!(window.Reveal && Reveal.isReady())"))
        assert driver.execute_script("return Reveal.getIndices().h") == 0
        for _ in range(3):
            ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()
            time.sleep(0.3)
        assert driver.execute_script("return Reveal.getIndices().h") == 3
        assert driver.execute_script("return Reveal.getCurrentSlide().dataset.scene") == SCENE
        video = driver.execute_async_script(browser_tools.CURRENT_VIDEO)
        assert video.get("error") is None, video
        assert video["src"].startswith("data:video/mp4;base64,")
        assert video["readyState"] >= 2 and (video["width"], video["height"]) == (854, 480)
        assert video["std"] > 5, f"the decoded frame is blank: {video}"
        assert video["loop"] is True  # the training run
        assert video["duration"] == pytest.approx(len(frames(rendered["slides"][3])) / 15, abs=0.1)
        notes = driver.execute_script("return Reveal.getSlideNotes()")
        assert notes == rendered["config"]["slides"][3]["notes"]
        fetched = driver.execute_script(browser_tools.RESOURCES)
    assert all(url.startswith(base) for url in fetched), fetched
    assert set(requested) <= {"/" + page.name, "/favicon.ico"}, requested


@pytest.fixture(scope="module")
def as_slides(traces_dir, tmp_path_factory):
    media = tmp_path_factory.mktemp("slide-media-all")
    return lambda name: run_as_slides(name, traces_dir, media, "en")


@pytest.mark.parametrize("name", list(SCENES))
def test_every_scene_one_slide_per_beat(as_slides, name):
    scene = as_slides(name)
    assert len(scene._slides) == len(scene.beats) > 1
    assert [s.notes for s in scene._slides] == [narration(b["key"], "en", **b["values"]) for b in scene.beats]
    moved = [scene._stop_clocks[i] != scene._stop_clocks[i + 1] for i in range(len(scene._slides))]
    assert [s.loop for s in scene._slides] == moved
