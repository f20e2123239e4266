"""``./render.sh package --no-render`` on two synthetic cuts (tests/page_site.py, no render): every
deliverable of both languages is written (a SCORM zip of each edition among them), a second run
makes nothing again, an edited delivery setting makes only what reads it again, and a missing cut
is named with the command that makes it."""
from __future__ import annotations

import zipfile
from xml.etree import ElementTree as ET

import pytest
from PIL import Image

from lecture.commands import package
from lecture.deliver import settings as delivery_settings
from lecture.deliver.scorm import EDITIONS
from page_site import make_cut

LANGS = ("zh", "en")


@pytest.fixture(scope="module")
def quality(tmp_path_factory):
    quality = tmp_path_factory.mktemp("package") / "preview"
    scene = delivery_settings.delivery().thumbnail_scene
    for lang in LANGS:
        cut = make_cut(quality, lang, seconds=11.0)
        (cut / "posters").mkdir()
        Image.new("RGB", (854, 480), "#203040").save(cut / "posters" / f"{scene}.png")
        (cut / ".stamps").mkdir(exist_ok=True)
    return quality


def run(quality, traces, capsys, *more):
    code = package.main(["--no-render", "--out", str(quality), "--traces", str(traces), *more])
    return code, capsys.readouterr()


def test_package_writes_every_deliverable_of_both_languages_once(quality, traces_dir, capsys):
    code, said = run(quality, traces_dir, capsys)
    assert code == 0, said.err
    folder = quality / "package"
    for lang in LANGS:
        for edition in EDITIONS:
            with zipfile.ZipFile(folder / f"lecture-{lang}.{edition}.zip") as z:
                names = set(z.namelist())
                version = ET.fromstring(z.read("imsmanifest.xml")).findtext("{*}metadata/{*}schemaversion")
            assert {"imsmanifest.xml", "index.html", f"transcript.{lang}.html", f"video/lecture.{lang}.mp4"} <= names
            assert version == EDITIONS[edition].version
        assert (folder / f"transcript.{lang}.html").read_bytes() == (quality / lang / f"transcript.{lang}.html").read_bytes()
        for name in ("description.txt", "metadata.json", "thumbnail.png", f"lecture.{lang}.mp4",
                     "lecture.zh.srt", "lecture.en.vtt"):
            assert (folder / "upload" / lang / name).is_file(), (lang, name)
    made = 2 + len(EDITIONS)  # per language: the transcript, the upload bundle, a SCORM zip of each edition
    assert said.out.count("made in") == made * len(LANGS)
    code, said = run(quality, traces_dir, capsys)
    assert code == 0 and "made in" not in said.out and said.out.count("unchanged") == made * len(LANGS)


def test_one_language_and_a_missing_cut(quality, traces_dir, capsys, tmp_path):
    code, said = run(quality, traces_dir, capsys, "--lang", "en")
    assert code == 0 and "zh" not in said.out.split("package:")[1].split("\n")[0]
    empty = tmp_path / "preview"
    make_cut(empty, "zh", seconds=11.0)
    code, said = run(empty, traces_dir, capsys)
    assert code == 2
    assert "no published cut for en" in said.err and "./render.sh --quality preview --lang en" in said.err
    assert not (empty / "package" / "upload").exists()


def test_a_bad_delivery_setting_stops_before_anything(quality, traces_dir, capsys, tmp_path, monkeypatch):
    bad = tmp_path / "delivery.toml"
    bad.write_text("mastery_score = 700\ncompleted_at = 0.9\n", encoding="utf-8")
    monkeypatch.setattr(delivery_settings, "DELIVERY_FILE", bad)
    before = sorted(p.stat().st_mtime_ns for p in (quality / "package").rglob("*") if p.is_file())
    code = package.main(["--out", str(quality), "--traces", str(traces_dir)])   # would render first
    said = capsys.readouterr()
    assert code == 2
    assert f"{bad}, line 1" in said.err and "mastery_score" in said.err and "0 to 100" in said.err
    assert "rendering" not in said.out
    assert sorted(p.stat().st_mtime_ns for p in (quality / "package").rglob("*") if p.is_file()) == before
