"""The video-site bundle (lecture.deliver.video_site): the description's chapters follow the big
sites' rules, the metadata agrees with the video it describes (probed again here), the captions
are the cut's, and the thumbnail is 1280x720, under 2 MB, with the title drawn above the scene's
picture. A synthetic cut (tests/page_site.py): no render."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest
from PIL import Image, ImageDraw

from lecture.deliver import settings as delivery_settings
from lecture.deliver import video_site
from lecture.deliver.products import upload
from lecture.publish.video_files import probe
from lecture.store.products import bring_up_to_date
from page_site import make_cut
from lesson_text import AuthoringError

LINE = re.compile(r"^(?:(\d+):)?(\d+):(\d\d) (.+)$")


def seconds_of(match) -> int:
    h, m, s = match.group(1), match.group(2), match.group(3)
    return int(h or 0) * 3600 + int(m) * 60 + int(s)


def chapters(*starts, end):
    bounds = list(starts) + [end]
    return [{"title": f"{i + 1}. Chapter {i + 1}", "start": a, "end": b} for i, (a, b) in enumerate(zip(bounds, bounds[1:]))]


def test_chapters_to_the_rules():
    got = video_site.site_chapters(chapters(0.0, 59.066, 91.8, 131.07, end=200.0), 200.0, log=lambda _: None)
    assert [c.start for c in got] == [0, 59, 92, 131]
    assert [c.title for c in got][0] == "Chapter 1"          # the "1. " of the lecture's own numbering dropped
    assert video_site.check_chapters(got, 200.0) == []


def test_a_short_chapter_is_joined_and_said():
    said = []
    got = video_site.site_chapters(chapters(0.0, 20.0, 24.0, 40.0, end=60.0), 60.0, log=said.append)
    assert [c.start for c in got] == [0, 20, 40]
    assert "Chapter 3" in said[0] and "10 s" in said[0]
    assert video_site.check_chapters(got, 60.0) == []


def test_too_few_chapters_are_refused_with_the_reason():
    with pytest.raises(video_site.VideoSiteError, match="at least 3"):
        video_site.site_chapters(chapters(0.0, 5.0, 8.0, end=30.0), 30.0, log=lambda _: None)


def test_the_checker_names_each_broken_rule():
    C = video_site.Chapter
    problems = video_site.check_chapters([C(3, "a"), C(2, "b" * 71), C(9, "")], 15.0)
    text = " | ".join(problems)
    for rule in ("0:00", "lasts", "71 characters", "no title", "ascending"):
        assert rule in text, (rule, problems)


@pytest.mark.parametrize("title", ["Deep learning basics: linear regression, curve fitting and activation functions, "
                                   "with many more words than fit", "深度学习基础：" + "线性回归、曲线拟合与激活函数" * 5])
def test_long_titles_are_shortened_at_a_boundary(title):
    short = video_site.shortened(title)
    assert len(short) <= video_site.MAX_TITLE and short.endswith("…")
    assert title.startswith(short[:-1])


def test_clock():
    assert [video_site.clock(s) for s in (0, 59, 61, 3599, 3600, 3723)] == ["0:00", "0:59", "1:01", "59:59",
                                                                          "1:00:00", "1:02:03"]


@pytest.fixture
def cut_with_poster(tmp_path):
    quality = tmp_path / "preview"
    cut = make_cut(quality, "zh", seconds=12.0)
    poster = Image.new("RGB", (854, 480), "#101319")
    pen = ImageDraw.Draw(poster)
    pen.rectangle((300, 20, 560, 50), fill="#E8E6E3")        # the scene's title band
    pen.rectangle((100, 120, 400, 420), fill="#E4572E")      # the picture below it
    (cut / "posters").mkdir()
    poster.save(cut / "posters" / f"{delivery_settings.delivery().thumbnail_scene}.png")
    return quality, cut


def test_the_bundle_follows_the_rules(cut_with_poster):
    quality, cut = cut_with_poster
    (made,) = [o for o in bring_up_to_date([upload(quality, "zh", ["zh", "en"])], log=lambda _: None)]
    assert made.made
    folder = quality / "package" / "upload" / "zh"
    duration = probe(folder / "lecture.zh.mp4")["duration"]
    text = (folder / "description.txt").read_text(encoding="utf-8")
    lines = [LINE.match(line) for line in text.splitlines() if LINE.match(line)]
    starts = [seconds_of(m) for m in lines]
    assert starts[0] == 0 and len(starts) >= 3 and starts == sorted(set(starts))
    assert all(b - a >= 10 for a, b in zip(starts, starts[1:] + [duration]))
    assert all(len(m.group(4)) <= 70 for m in lines)
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    assert meta["language"] == "zh-Hans" and meta["description"] == text
    assert meta["duration"] == pytest.approx(duration, abs=0.05)
    assert [c["start"] for c in meta["chapters"]] == starts
    assert meta["title"] and meta["tags"] and all(meta["tags"])
    for c in meta["captions"]:
        assert (folder / c["file"]).read_bytes() == (cut / c["file"]).read_bytes()
    assert {c["language"] for c in meta["captions"]} == {"zh-Hans", "en"}
    png = folder / "thumbnail.png"
    image = np.asarray(Image.open(png).convert("RGB")).astype(int)
    assert image.shape == (720, 1280, 3) and png.stat().st_size < 2_000_000
    red = (abs(image - [0xE4, 0x57, 0x2E]).max(axis=2) < 30)
    title = (image[:200].min(axis=2) > 200)                   # light text on the dark top band
    assert red.mean() > 0.05 and title.mean() > 0.01
    assert red[:200].sum() == 0                               # the picture is below the title
    band = (abs(image - [0xE8, 0xE6, 0xE3]).max(axis=2) < 20)[220:]
    assert band.sum() == 0                                    # the scene's own title band was taken off
    assert not bring_up_to_date([upload(quality, "zh", ["zh", "en"])], log=lambda _: None)[0].made


def test_a_thumbnail_scene_that_is_no_scene_is_named(tmp_path):
    path = tmp_path / "delivery.toml"
    path.write_text('mastery_score = 70\ncompleted_at = 0.9\nthumbnail_scene = "LinearFit"\n')
    with pytest.raises(AuthoringError, match=r"line 3.*thumbnail_scene.*LinearFit.*LinearRegressionFit"):
        delivery_settings.delivery(path)
