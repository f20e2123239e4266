"""The SCORM packages without a browser: the delivery settings and their named errors, the
one-language page a package carries, and the zip of each edition (SCORM 1.2, SCORM 2004 4th
Edition): its manifest parsed (the edition declared, the mastery score where the edition keeps it,
every file of the zip listed, every listed file in it), every URL the page loads inside it, the
same bytes twice. The page in a SCORM runtime is tests/test_scorm_browser.py."""
from __future__ import annotations

import hashlib
import io
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree as ET

import pytest

from lecture.deliver import scorm
from lecture.deliver.scorm import EDITIONS, PackageError, page_data, write_package
from lecture.deliver.settings import DELIVERY_FILE, Delivery, delivery
from lecture.deliver.site import package_site
from lecture.page.build import build_site, check_site
from lecture.store.files import DiskFullError
from lesson_text import AuthoringError
from page_site import make_cut

TITLE = "线性回归与激活函数"
# per edition: its namespaces (as the manifest declares them) and where it keeps the mastery score
NS = {"scorm12": {"": scorm.IMSCP, "adlcp": scorm.ADLCP, "imsmd": scorm.IMSMD},
      "scorm2004": {"": "http://www.imsglobal.org/xsd/imscp_v1p1", "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
                    "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3", "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3",
                    "imsss": "http://www.imsglobal.org/xsd/imsss"}}
VERSION = {"scorm12": "1.2", "scorm2004": "2004 4th Edition"}
SCORM_TYPE = {"scorm12": "scormtype", "scorm2004": "scormType"}


@pytest.fixture(scope="module")
def quality(tmp_path_factory):
    quality = tmp_path_factory.mktemp("scorm") / "preview"
    for lang in ("zh", "en"):
        make_cut(quality, lang)
    return quality


@pytest.fixture(scope="module")
def site(quality, traces_dir):
    return package_site(quality, traces_dir, "en", quality.parent / "package" / "en")


@pytest.fixture(scope="module", params=sorted(EDITIONS))
def package(request, site, quality):
    """(the zip, the page folder it was made from, its edition's name), for each edition."""
    edition = request.param
    target = quality.parent / f"lecture.en.{edition}.zip"
    return write_package(EDITIONS[edition], site, target, title=TITLE, lang="en",
                         mastery_score=delivery().mastery_score, identifier="paddle_basics_en"), site, edition


class Loads(HTMLParser):
    """The URLs a page's HTML loads (scripts, style sheets, media and their tracks, images) or links to."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "video", "audio", "source", "track", "iframe") and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])
        if tag == "a" and attrs.get("href") and not attrs["href"].startswith(("#", "mailto:")):
            self.urls.append(attrs["href"].split("#")[0])  # a page of the package it links to


def write(tmp_path, text):
    path = tmp_path / "delivery.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_settings(tmp_path):
    assert delivery() == Delivery(mastery_score=70, completed_at=0.9)
    assert delivery(write(tmp_path, "mastery_score = 0\ncompleted_at = 1\n")) == Delivery(0, 1.0)


@pytest.mark.parametrize("text, line, key, words", [
    ("mastery_score = 170\ncompleted_at = 0.9\n", 1, "mastery_score", "whole number from 0 to 100"),
    ("mastery_score = 70.5\ncompleted_at = 0.9\n", 1, "mastery_score", "whole number"),
    ('mastery_score = "70"\ncompleted_at = 0.9\n', 1, "mastery_score", "whole number"),
    ("mastery_score = true\ncompleted_at = 0.9\n", 1, "mastery_score", "whole number"),
    ("mastery_score = 70\ncompleted_at = 0\n", 2, "completed_at", "above 0 and at most 1"),
    ("mastery_score = 70\ncompleted_at = 90\n", 2, "completed_at", "above 0 and at most 1"),
    ("mastery_score = 70\ncompleted_at = 0.9\npass_mark = 3\n", 3, "pass_mark", "not a delivery setting"),
    ("mastery_score = 70\n", None, "completed_at", "is missing"),
])
def test_bad_settings_are_named(tmp_path, text, line, key, words):
    path = write(tmp_path, text)
    with pytest.raises(AuthoringError) as error:
        delivery(path)
    (problem,) = error.value.problems
    assert (problem.file, problem.line, problem.key) == (str(path), line, key)
    assert words in str(problem) and "Fix:" in str(problem)


def test_a_settings_typo_names_the_line(tmp_path):
    with pytest.raises(AuthoringError) as error:
        delivery(write(tmp_path, "mastery_score = 70\ncompleted_at = 0.9 0.8\n"))
    assert error.value.problems[0].line == 2
    with pytest.raises(AuthoringError, match="is missing"):
        delivery(tmp_path / "nothing.toml")
    assert DELIVERY_FILE.name == "delivery.toml"


def test_the_package_page_is_one_cut_and_carries_the_settings(site, quality):
    page = page_data(site)
    assert page["langs"] == ["en", "zh"] and list(page["cuts"]) == ["en"]  # the cut's language first
    assert set(page["cuts"]["en"]["tracks"]["subtitles"]) == {"en", "zh"}  # both subtitles kept
    assert page["lms"] == delivery().page() == {"mastery_score": 70, "completed_at": 0.9}
    assert sorted(p.name for p in (site / "video").iterdir()) == ["lecture.en.mp4"]
    assert not (quality / "site").exists()  # the quality's own page is not touched


def test_the_students_page_itself_has_no_lms_settings(quality, traces_dir, tmp_path):
    plain = build_site(quality, traces_dir, ["zh", "en"], target=tmp_path / "plain")
    page = page_data(plain)
    assert "lms" not in page and list(page["cuts"]) == ["zh", "en"]  # scorm.js then does nothing
    assert (plain / "scorm.js").is_file() and sorted(p.name for p in tmp_path.iterdir()) == ["plain"]


def mastery_of(item: ET.Element, edition: str, ns: dict) -> str:
    """The mastery score as the edition's manifest keeps it: 1.2's masteryscore (percent), 2004's
    primary objective satisfied by a normalized measure of at least the score over 100."""
    if edition == "scorm12":
        return item.findtext("adlcp:masteryscore", namespaces=ns)
    (objective,) = item.findall("imsss:sequencing/imsss:objectives/imsss:primaryObjective", ns)
    assert objective.get("satisfiedByMeasure") == "true" and objective.get("objectiveID")
    return objective.findtext("imsss:minNormalizedMeasure", namespaces=ns)


def test_the_manifest_lists_every_file_of_the_zip(package):
    target, site, edition = package
    ns = {"cp": NS[edition][""], **NS[edition]}
    with zipfile.ZipFile(target) as z:
        names = z.namelist()
        manifest = z.read("imsmanifest.xml")
    root = ET.fromstring(manifest)
    declared = dict(value for _, value in ET.iterparse(io.BytesIO(manifest), events=("start-ns",)))
    assert declared == NS[edition]  # every namespace of the edition, the unused ones too
    assert names[0] == "imsmanifest.xml" and names[1:] == sorted(names[1:])
    assert root.tag == f"{{{ns['cp']}}}manifest" and root.get("identifier") == "paddle_basics_en"
    assert root.findtext("cp:metadata/cp:schema", namespaces=ns) == "ADL SCORM"
    assert root.findtext("cp:metadata/cp:schemaversion", namespaces=ns) == VERSION[edition]
    organizations = root.find("cp:organizations", ns)
    (organization,) = organizations.findall("cp:organization", ns)
    assert organizations.get("default") == organization.get("identifier")
    (item,) = organization.findall("cp:item", ns)
    assert item.findtext("cp:title", namespaces=ns) == TITLE
    mastery = delivery().mastery_score
    assert mastery_of(item, edition, ns) == {"scorm12": str(mastery), "scorm2004": f"{mastery / 100:.2f}"}[edition]
    (resource,) = root.findall("cp:resources/cp:resource", ns)
    assert item.get("identifierref") == resource.get("identifier")
    assert resource.get(f"{{{ns['adlcp']}}}{SCORM_TYPE[edition]}") == "sco" and resource.get("type") == "webcontent"
    assert resource.get("href") == "index.html"
    listed = [unquote(f.get("href")) for f in resource.findall("cp:file", ns)]
    assert sorted(listed) == sorted(set(listed))
    assert set(listed) == set(names) - {"imsmanifest.xml"}  # every file listed, every listed file there
    on_disk = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert set(listed) == on_disk and resource.get("href") in listed


def test_the_2004_mastery_is_the_score_over_100():
    for score, measure in [(0, "0.00"), (7, "0.07"), (70, "0.70"), (100, "1.00")]:
        manifest = scorm.manifest_xml(["index.html"], title=TITLE, lang="en", mastery_score=score,
                                      identifier="p", edition=EDITIONS["scorm2004"])
        ns = {"cp": NS["scorm2004"][""], **NS["scorm2004"]}
        assert mastery_of(ET.fromstring(manifest).find("cp:organizations/cp:organization/cp:item", ns),
                          "scorm2004", ns) == measure


def test_both_editions_carry_the_same_page(site, tmp_path):
    zips = [write_package(EDITIONS[edition], site, tmp_path / f"{edition}.zip", title=TITLE, lang="en",
                          mastery_score=70, identifier="paddle_basics_en") for edition in sorted(EDITIONS)]
    contents = []
    for path in zips:
        with zipfile.ZipFile(path) as z:
            contents.append({name: z.read(name) for name in z.namelist() if name != "imsmanifest.xml"})
    assert contents[0] == contents[1] and len(contents[0]) > 10


def test_everything_the_page_loads_is_in_the_zip(package, tmp_path):
    target, _, _ = package
    with zipfile.ZipFile(target) as z:
        names = set(z.namelist())
        z.extractall(tmp_path / "unzipped")
        parser = Loads()
        parser.feed(z.read("index.html").decode("utf-8"))
    page = page_data(tmp_path / "unzipped")
    loads = parser.urls + [cut["video"] for cut in page["cuts"].values()]
    assert {"scorm.js", "quiz.js", "player.js", "page.css", "data/page.js", "video/lecture.en.mp4"} <= set(loads)
    local = [u for u in loads if not u.startswith("data:")]
    assert all(unquote(u) in names for u in local), sorted(set(local) - names)
    (tmp_path / "unzipped" / "imsmanifest.xml").unlink()  # its namespaces are names, never fetched
    check_site(tmp_path / "unzipped")  # the page loads nothing from another host


def test_the_same_site_gives_the_same_bytes(package, tmp_path):
    target, site, edition = package
    again = getattr(scorm, f"write_{edition}")(site, tmp_path / "again.zip", title=TITLE, lang="en", mastery_score=70,
                                               identifier="paddle_basics_en")
    assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(target.read_bytes()).digest()
    with zipfile.ZipFile(again) as z:
        infos = z.infolist()
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    kinds = {i.filename: i.compress_type for i in infos}
    assert kinds["video/lecture.en.mp4"] == zipfile.ZIP_STORED and kinds["data/page.js"] == zipfile.ZIP_DEFLATED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again.zip"]  # no temporary left


def test_bad_arguments_are_named_and_nothing_is_written(package, tmp_path, monkeypatch):
    _, site, edition = package
    write = getattr(scorm, f"write_{edition}")
    good = dict(title=TITLE, lang="en", mastery_score=70, identifier="paddle_basics_en")
    for change, words in [({"mastery_score": 60}, "lms.mastery_score: is 70"),
                          ({"identifier": "2 x"}, f"write_{edition}: .*not an XML name"),
                          ({"lang": "zh"}, "not the zh cut first"), ({"title": " "}, "title ' ' is empty")]:
        with pytest.raises(PackageError, match=words):
            write(site, tmp_path / "p.zip", **{**good, **change})
    with pytest.raises(PackageError, match="does not end in .zip"):
        write(site, tmp_path / "p.tar", **good)
    with pytest.raises(PackageError, match="index.html is missing"):
        write(tmp_path, tmp_path / "p.zip", **good)

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(scorm.shutil, "copyfileobj", broken)
    with pytest.raises(DiskFullError, match="no space left in .*MB are needed there"):
        write(site, tmp_path / "p.zip", **good)
    assert list(tmp_path.iterdir()) == []  # neither the package nor its temporary
