"""The student page without a browser: the exported data is downsampled yet reads the traces'
numbers exactly, every answer comes from the traces or the lesson config, the folder is
self-contained (videos linked, no URL to another host) and within its size budget."""
from __future__ import annotations

import json
import os
import re

import numpy as np
import pytest

from lecture.page import build_site
from lecture.page.build import BUDGET, EXTERNAL_URL, check_site
from lecture.page.export import CURVE_LIMIT, STATE_LIMIT, lesson_data, sample
from lecture.page.quiz import questions
from page_site import make_cut, make_site
from sim.errors import SimError


@pytest.fixture(scope="module")
def site(tmp_path_factory, traces_dir):
    return make_site(tmp_path_factory.mktemp("page") / "preview", traces_dir)


def read_js(path, name):
    text = path.read_text(encoding="utf-8")
    prefix = f"window.{name} = "
    assert text.startswith(prefix) and text.rstrip().endswith(";")
    return json.loads(text[len(prefix):].rstrip().rstrip(";"))


def test_sample_keeps_the_ends_and_at_most_the_limit():
    assert list(sample(5, 10)) == [0, 1, 2, 3, 4]
    idx = sample(50_001, 501)
    assert len(idx) <= 501 and idx[0] == 0 and idx[-1] == 50_000 and np.all(np.diff(idx) > 0)


def test_export_is_downsampled_but_states_are_exact(traces_dir, load):
    data = lesson_data(traces_dir)
    seq, sig = load("linreg_sequential"), load("sigmoid_fit")
    reg = data["regression"]
    assert len(reg["w"]) == min(len(seq["w"]), STATE_LIMIT)
    assert reg["epoch"][250] == 250 and reg["w"][250] == seq["w"][250] and reg["b"][250] == seq["b"][250]
    assert reg["loss"][-1] == seq["loss"][-1] and reg["x"] == seq["x"].tolist() and reg["y"] == seq["y"].tolist()
    assert len(reg["curve"]["loss"]) <= CURVE_LIMIT
    s = data["sigmoid"]
    assert len(s["w"]) <= STATE_LIMIT < len(sig["w"])  # 1001 epochs: downsampled
    for k, e in enumerate(s["epoch"]):
        assert s["w"][k] == sig["w"][e] and s["loss"][k] == sig["loss"][e]
    assert s["epoch"][0] == 0 and s["epoch"][-1] == len(sig["w"]) - 1
    assert s["line_fit"] == sig.results["line_fit"]
    act = data["activations"]
    assert len(act["x"]) <= 2 * CURVE_LIMIT and 0.0 in act["x"]  # the kinks at 0 are kept
    for z, name in ((data["zigzag"]["sigmoid"], "zigzag_sigmoid"), (data["zigzag"]["centred"], "zigzag_centred")):
        tr = load(name)
        assert z["w0"] == tr["w"][:, 0].tolist() and z["steps_to_target"] == tr.results["steps_to_target"]
        assert len(z["contours"]) == 10 and all(c["d"].startswith("M") for c in z["contours"])


def test_zero_centred_activations_are_the_odd_ones(load):
    act = load("activations")
    assert act.results["zero_centred"] == ["tanh"]
    for name in act.results["scalar_functions"]:
        mean = act[name].mean()  # over inputs symmetric about 0
        assert (abs(mean) < 1e-9) == (name in act.results["zero_centred"]), name


def test_answers_are_the_traces_numbers(traces_dir, load, lesson):
    qs = {q["id"]: q for q in questions(traces_dir)}
    seq, fit, sig, act = load("linreg_sequential"), load("linreg_fit"), load("sigmoid_fit"), load("activations")
    epochs = len(seq["w"]) - 1
    assert qs["w_final"]["answer"] == seq["w"][epochs] and qs["b_final"]["answer"] == seq["b"][epochs]
    assert qs["w_final"]["values"]["epochs"] == lesson.linreg.epochs == 500
    assert 0 < qs["w_final"]["tolerance"] <= 0.01  # stated in the question
    assert qs["prediction"]["answer"] == fit.results["prediction"]["high_level_api"]
    assert qs["prediction"]["values"]["x"] == lesson.linreg.predict_x
    assert qs["samples"]["answer"] == len(lesson.linreg.data)
    assert qs["first_loss"]["answer"] == seq["loss"][0]
    assert qs["line_loss"]["answer"] == sig.results["line_fit"]["loss"]
    assert qs["sigmoid_loss"]["answer"] == sig["loss"][-1]
    assert qs["beats_line"]["answer"] == ["yes" if sig["loss"][-1] < sig.results["line_fit"]["loss"] else "no"]
    assert qs["grad_w0"]["answer"] == sig["grad_w"][0]
    assert qs["sigmoid_peak"]["answer"] == act["d_sigmoid"].max()
    assert qs["zero_centred"]["answer"] == ["tanh"]
    for name in ("sigmoid", "centred"):
        tr = load(f"zigzag_{name}")
        steps = int(np.flatnonzero(tr["loss"] <= tr.config["target_loss"])[0])
        assert qs[f"steps_{name}"]["answer"] == steps and qs[f"steps_{name}"]["tolerance"] == 0
    chapters = [q["chapter"] for q in qs.values()]
    assert all(2 <= chapters.count(c) <= 3 for c in range(8))


def test_site_is_self_contained_and_small(site):
    files = [p for p in site.rglob("*") if p.is_file()]
    names = {p.relative_to(site).as_posix() for p in files}
    assert {"index.html", "page.css", "player.js", "explore.js", "quiz.js", "data/page.js", "data/lesson.js",
            "video/lecture.zh.mp4", "video/lecture.en.mp4", "tracks/zh.chapters.en.vtt",
            "transcript.zh.html", "transcript.en.html"} <= names  # each cut's described transcript beside the page
    for lang in ("zh", "en"):  # hard links, not copies, on one file system
        assert os.path.samefile(site / "video" / f"lecture.{lang}.mp4", site.parent / lang / "lecture.mp4")
    total = check_site(site)
    assert total == sum(p.stat().st_size for p in files if p.parent.name != "video") <= BUDGET
    for path in files:
        if path.suffix in (".html", ".js", ".css", ".vtt"):
            text = path.read_text(encoding="utf-8")
            assert not EXTERNAL_URL.search(text), path
            local = r"(?!data:,|data/|video/|tracks/|page\.css|\w+\.js|index\.html#|#)"  # what the page loads, or the page
            assert not re.search(r"(?i)(src|href)\s*=\s*[\"']" + local, text), path


def test_page_data_has_both_languages_and_the_cuts(site):
    page = read_js(site / "data" / "page.js", "LECTURE_PAGE")
    assert page["langs"] == ["zh", "en"] and set(page["cuts"]) == {"zh", "en"}
    for lang, cut in page["cuts"].items():
        assert cut["transcript"] == f"transcript.{lang}.html"  # the page links to the shown cut's
        assert set(cut["tracks"]["subtitles"]) == set(cut["tracks"]["chapters"]) == {"zh", "en"}
        assert cut["tracks"]["chapters"]["en"].count("-->") == 8
    assert set(page["ui"]["zh"]) == set(page["ui"]["en"])
    for q in page["quiz"]:
        assert q["text"]["zh"] and q["text"]["en"] and "{" not in q["text"]["en"] + q["text"]["zh"]


def test_one_cut_gives_both_subtitle_tracks(tmp_path, traces_dir):
    make_cut(tmp_path, "zh")
    page = read_js(build_site(tmp_path, traces_dir, ["zh", "en"]) / "data" / "page.js", "LECTURE_PAGE")
    assert set(page["cuts"]) == {"zh"} and set(page["cuts"]["zh"]["tracks"]["subtitles"]) == {"zh", "en"}


def test_rebuild_replaces_the_site_and_failures_leave_it(tmp_path, traces_dir, monkeypatch):
    make_cut(tmp_path, "en")
    site = build_site(tmp_path, traces_dir, ["zh", "en"])
    (site / "stale.txt").write_text("old")
    assert not (build_site(tmp_path, traces_dir, ["zh", "en"]) / "stale.txt").exists()
    import lecture.page.build as page_build

    monkeypatch.setattr(page_build, "BUDGET", 1000)
    with pytest.raises(SimError, match="budget"):
        build_site(tmp_path, traces_dir, ["zh", "en"])
    assert (site / "index.html").is_file() and sorted(p.name for p in tmp_path.iterdir()) == ["en", "site"]
    with pytest.raises(SimError, match="render the lecture first"):
        build_site(tmp_path / "nothing", traces_dir, ["zh"])


def test_server_answers_range_requests(tmp_path):
    """The shared 127.0.0.1 server (lecture/serve.py): browsers seek in an MP4 with ranges."""
    from urllib.error import HTTPError
    from urllib.request import Request, urlopen

    from lecture.page.serve import serve

    body = bytes(range(256)) * 40
    (tmp_path / "clip.mp4").write_bytes(body)
    with serve(tmp_path) as base:
        def get(rng=None):
            request = Request(base + "clip.mp4", headers={"Range": rng} if rng else {})
            with urlopen(request, timeout=10) as r:
                return r.status, r.headers, r.read()

        status, headers, data = get()
        assert status == 200 and data == body and headers["Accept-Ranges"] == "bytes"
        status, headers, data = get("bytes=100-199")
        assert status == 206 and data == body[100:200] and headers["Content-Range"] == f"bytes 100-199/{len(body)}"
        assert headers["Content-Type"] == "video/mp4"
        assert get("bytes=10000-")[2] == body[10000:] and get("bytes=-5")[2] == body[-5:]
        with pytest.raises(HTTPError) as err:
            get(f"bytes={len(body)}-")
        assert err.value.code == 416


def test_command_line(tmp_path, traces_dir):
    import subprocess
    import sys

    from paths import REPO

    def page(*args):
        return subprocess.run([sys.executable, "-m", "lecture.commands.page", *map(str, args)], cwd=REPO, capture_output=True,
                              text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})

    empty = page("--out", tmp_path, "--traces", traces_dir)
    assert empty.returncode == 2 and "render the lecture first" in empty.stderr
    make_cut(tmp_path, "zh")
    done = page("--out", tmp_path, "--traces", traces_dir)
    assert done.returncode == 0, done.stderr
    assert str(tmp_path / "site" / "index.html") in done.stdout and (tmp_path / "site" / "index.html").is_file()
    again = page("--out", tmp_path, "--traces", traces_dir)
    assert again.returncode == 0 and "page: unchanged" in again.stdout, again.stdout
