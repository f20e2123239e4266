"""The SCORM packages in a SCORM runtime, both editions: a page built from synthetic cuts
(tests/page_site.py) and the recorded traces, zipped by lecture.deliver.scorm as SCORM 1.2 and as
SCORM 2004, unzipped and served from 127.0.0.1 beside a small LMS (tests/scorm_harness.html: the
pinned scorm-again's Scorm12API as window.API or its Scorm2004API as window.API_1484_11, the
package's launch page in a frame). Headless Chromium answers questions, seeks through the chapters,
leaves and comes back; what the runtime holds is checked against expectations computed here from
the traces, the cut's chapters and assets/delivery.toml, in each edition's names (DIALECTS).
Skipped, with the reason, without chromium, chromedriver, selenium or npm."""
from __future__ import annotations

import json
import math
import shutil
import time
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree as ET

import pytest

from lecture.deliver import scorm
from lecture.deliver.settings import delivery
from lecture.deliver.site import package_site
from lecture.page.quiz import questions
from lecture.store import npm
from page_site import make_cut
from tests import browser_tools
from tests.scorm_lms import DIALECTS, calls, cmi_of, expected, launch, leave, no_console_errors, seek, statuses, wait

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(browser_tools.missing() is not None, reason=str(browser_tools.missing()))]
HARNESS = Path(__file__).with_name("scorm_harness.html")
LANG = "zh"
LONG = "9" * 5000  # a typed answer too long for SCORM 1.2's suspend_data


@pytest.fixture(scope="module")
def lms(tmp_path_factory, traces_dir):
    """The served folder (harness, scorm-again, each edition's unzipped package) and what the test expects."""
    try:
        dist = npm.unpacked(npm.SCORM_AGAIN) / "dist"
    except npm.NpmError as error:
        pytest.skip(f"scorm-again comes from npm: {error}")
    work = tmp_path_factory.mktemp("scorm-lms")
    quality = work / "preview"
    make_cut(quality, "zh")
    make_cut(quality, "en")
    settings = delivery()
    site = package_site(quality, traces_dir, LANG, work / "site")
    root = work / "served"
    packages = {}
    for dialect in DIALECTS:
        package = scorm.write_package(scorm.EDITIONS[dialect.edition], site, work / f"{dialect.edition}.zip",
                                      title="lecture", lang=LANG, mastery_score=settings.mastery_score,
                                      identifier="lecture_zh")
        with zipfile.ZipFile(package) as z:
            z.extractall(root / dialect.edition)
            manifest = ET.fromstring(z.read("imsmanifest.xml"))
            names = set(z.namelist())
        packages[dialect.edition] = {"launch": f"{dialect.edition}/" + manifest.find("{*}resources/{*}resource").get("href"),
                                     "mastery": manifest.findtext(dialect.in_manifest), "names": names}
        shutil.copy(dist / dialect.script, root / dialect.script)
    shutil.copy(HARNESS, root / "harness.html")
    chapters = json.loads((quality / LANG / "manifest.json").read_text(encoding="utf-8"))["chapters"]
    return {"root": root, "settings": settings, "chapters": chapters, "questions": questions(traces_dir),
            "packages": packages}


@pytest.fixture(scope="module")
def served(lms):
    with browser_tools.served(lms["root"]) as (base, requested), browser_tools.chromium() as driver:
        driver.set_window_size(1280, 900)
        yield base, driver, requested


@pytest.fixture(params=DIALECTS, ids=lambda dialect: dialect.edition)
def dialect(request):
    return request.param


def answer(d, q, right):
    """Give ``q`` its right answer (from the traces) or a wrong one, and check it in the page."""
    form = d.find_element("css selector", f"form.q[data-id='{q['id']}']")
    if q["kind"] == "number":
        box = form.find_element("css selector", "input")
        value = q["shown"] if right else (LONG if q["id"] == "first_loss" else f"{q['answer'] + 10 * q['tolerance'] + 7:g}")
        d.execute_script("arguments[0].value = arguments[1]", box, value)
    else:
        for box in form.find_elements("css selector", "input:checked"):
            box.click()
        picks = q["answer"] if right else [next(o for o in q["options"] if o not in q["answer"])]
        for option in picks:
            form.find_element("css selector", f"input[value='{option}']").click()
    form.find_element("css selector", "button[type='submit']").click()
    assert form.get_attribute("data-state") == ("right" if right else "wrong"), q["id"]


def test_a_student_watches_answers_leaves_and_resumes(served, lms, dialect):
    base, d, requested = served
    requested.clear()
    qs, chapters, settings, package = lms["questions"], lms["chapters"], lms["settings"], lms["packages"][dialect.edition]
    mastery = round(float(package["mastery"]) * dialect.unit, 6)
    assert mastery == settings.mastery_score  # the manifest's, as an LMS hands it to the runtime
    total, need = len(qs), math.ceil(settings.completed_at * len(chapters) - 1e-9)
    to_pass = math.ceil(mastery * total / 100)  # right answers needed
    order = qs[1::3] + [q for q in qs if q not in qs[1::3]]  # numbers and choices, the long answer first
    wrong = {q["id"] for q in order[:total - max(0, to_pass - 1)]}  # one right answer short of passing
    right = total - len(wrong)
    raw, score = f"{dialect.score}.raw", lambda: {k: v for k, v in cmi_of(d).items() if k.startswith(dialect.score + ".")}
    data = {**dialect.learner, dialect.entry: "ab-initio", dialect.mastery: package["mastery"]}

    launch(d, base, package["launch"], dialect, data)
    assert calls(d)[0] == [dialect.init, "", "true"] and len(calls(d, dialect.init)) == 1
    assert statuses(d, dialect) == expected(dialect, 0, total, mastery, False, False) and cmi_of(d)[raw] == ""
    half = len(qs) // 2
    for q in qs[:half]:
        answer(d, q, q["id"] not in wrong)
    cmi = cmi_of(d)
    kept = json.loads(cmi["cmi.suspend_data"])
    assert set(kept["a"]) == {q["id"] for q in qs[:half]} and kept.get("c", []) == []
    assert cmi[raw] == "" and statuses(d, dialect) == expected(dialect, 0, total, mastery, False, False)
    commits = len(calls(d, dialect.commit))
    for chapter in chapters[:need - 1]:
        seek(d, chapter["start"] + 0.5)
    assert json.loads(cmi_of(d)["cmi.suspend_data"])["c"] == list(range(need - 1))
    assert statuses(d, dialect) == expected(dialect, right, total, mastery, False, False)  # one chapter short
    for q in qs[half:]:
        answer(d, q, q["id"] not in wrong)
    got = score()
    assert float(got[raw]) == pytest.approx(100 * right / total, abs=0.005)
    assert (got[f"{dialect.score}.min"], got[f"{dialect.score}.max"]) == ("0", "100")
    if dialect.scaled:
        assert float(got[dialect.scaled]) == pytest.approx(right / total, abs=0.00005)
    assert statuses(d, dialect) == expected(dialect, right, total, mastery, False, True)  # answered, not yet watched
    seek(d, chapters[need - 1]["start"] + 0.5)
    first = expected(dialect, right, total, mastery, True, True)
    assert statuses(d, dialect) == first and first[dialect.success] == ("failed" if to_pass > 0 else "passed")
    end = time.monotonic() + 10
    while len(calls(d, dialect.commit)) <= commits:  # the changes are committed, throttled
        assert time.monotonic() < end, f"no {dialect.commit} after the answers and chapters"
        time.sleep(0.2)
    place = chapters[3]["start"] + 0.77
    seek(d, place)
    assert float(cmi_of(d)[dialect.location]) == pytest.approx(place, abs=0.051)
    kept = json.loads(cmi_of(d)["cmi.suspend_data"])
    assert kept["c"] == list(range(need)) and len(cmi_of(d)["cmi.suspend_data"]) <= dialect.suspend_limit
    typed = LONG if len(LONG) < dialect.suspend_limit else LONG[:32]  # cut to fit in 1.2, whole in 2004
    assert kept["a"]["first_loss"] == typed
    no_console_errors(d)

    leave(d)
    finish = calls(d, dialect.finish)
    assert len(finish) == 1 and finish[0] == [dialect.finish, "", "true"] and calls(d)[-1] == finish[0]
    assert all(c[-1] == "true" for c in calls(d, dialect.set) + calls(d, dialect.commit)), calls(d)  # none refused
    sets = {c[1]: c[2] for c in calls(d, dialect.set)}
    assert dialect.time.match(sets[dialect.session_time]) and sets[dialect.exit] == "suspend"
    stored = cmi_of(d)
    assert stored[dialect.exit] == "suspend" and dialect.time.match(stored[dialect.session_time])

    # the LMS launches it again with what it kept
    again = {**dialect.learner, dialect.entry: "resume", dialect.mastery: package["mastery"],
             **{k: v for k, v in stored.items() if k.startswith(dialect.score + ".") and v != ""},
             **{k: stored[k] for k in (*dialect.statuses, dialect.location, "cmi.suspend_data")}}
    launch(d, base, package["launch"], dialect, again)
    wait(d, f"Math.abs(document.getElementById('video').currentTime - {float(stored[dialect.location])}) < 0.01")
    for q in qs:
        form = d.find_element("css selector", f"form.q[data-id='{q['id']}']")
        assert form.get_attribute("data-state") == ("wrong" if q["id"] in wrong else "right"), q["id"]
    assert d.find_element("css selector", "form.q[data-id='first_loss'] input").get_attribute("value") == typed
    assert not [c for c in calls(d, dialect.set) if c[1] in dialect.statuses]  # not lowered
    fix = next(q for q in reversed(order) if q["id"] in wrong)
    answer(d, fix, True)
    assert float(score()[raw]) == pytest.approx(100 * (right + 1) / total, abs=0.005)
    best = expected(dialect, right + 1, total, mastery, True, True)
    assert statuses(d, dialect) == best and best[dialect.success] == "passed"
    no_console_errors(d)
    leave(d)
    assert len(calls(d, dialect.finish)) == 1 and cmi_of(d)[dialect.exit] == "suspend"
    fetched = {unquote(urlsplit(path).path) for path in requested}
    runtimes = {"/harness.html", *(f"/{other.script}" for other in DIALECTS)}
    assert fetched - runtimes <= {f"/{dialect.edition}/{name}" for name in package["names"]}, fetched
    assert f"/{dialect.edition}/scorm.js" in fetched and f"/{dialect.edition}/video/lecture.{LANG}.mp4" in fetched


def test_the_api_is_found_through_the_opener(served, lms, dialect):
    base, d, _ = served
    package = lms["packages"][dialect.edition]
    launch(d, base, package["launch"], dialect, {dialect.mastery: package["mastery"]}, popup=True)
    harness_window = d.current_window_handle
    wait(d, "window.calls.length > 0")
    (popup,) = set(d.window_handles) - {harness_window}
    d.switch_to.window(popup)
    wait(d, "window.Quiz && document.querySelectorAll('form.q').length > 0")
    answer(d, lms["questions"][0], True)
    for chapter in lms["chapters"]:  # watched, not all answered: completed
        seek(d, chapter["start"] + 0.5)
    d.close()  # the student closes the window: pagehide
    d.switch_to.window(harness_window)
    wait(d, "window.lms.isTerminated()")
    done = d.execute_script("return window.calls")
    assert done[0] == [dialect.init, "", "true"] and [c for c in done if c[0] == dialect.finish] == [[dialect.finish, "", "true"]]
    kept = d.execute_script("return kept()")
    assert json.loads(kept["cmi.suspend_data"])["a"] == {lms["questions"][0]["id"]: lms["questions"][0]["shown"]}
    mastery = float(package["mastery"]) * dialect.unit
    assert {e: kept[e] for e in dialect.statuses} == expected(dialect, 1, len(lms["questions"]), mastery, True, False)
    assert kept[f"{dialect.score}.raw"] == "" and kept[dialect.exit] == "suspend"


def test_2004_is_preferred_when_the_lms_offers_both(served, lms):
    base, d, _ = served
    old, new = DIALECTS
    launch(d, base, lms["packages"][old.edition]["launch"], new, {}, beside=old)  # a 1.2 package's page, too
    answer(d, lms["questions"][0], True)
    leave(d)
    made = {c[0] for c in calls(d)}
    assert {new.init, new.set, new.commit, new.finish} <= made and not {old.init, old.set} & made, made


def test_nothing_is_set_in_review_mode(served, lms, dialect):
    base, d, _ = served
    package = lms["packages"][dialect.edition]
    launch(d, base, package["launch"], dialect, {dialect.mode: "review", dialect.mastery: package["mastery"]})
    for q in lms["questions"]:
        answer(d, q, True)
    for chapter in lms["chapters"]:
        seek(d, chapter["start"] + 0.5)
    leave(d)
    sets = [c[1] for c in calls(d, dialect.set)]
    assert not [e for e in sets if e in dialect.statuses or e.startswith(dialect.score + ".")], sets
    assert calls(d, dialect.finish) == [[dialect.finish, "", "true"]]


def test_the_package_page_without_an_lms_keeps_answers_in_the_browser(served, lms):
    base, d, _ = served
    page = lms["packages"][DIALECTS[0].edition]["launch"]
    d.switch_to.default_content()
    d.get("about:blank")
    d.get(base + page)
    wait(d, "window.Quiz && document.querySelectorAll('form.q').length > 0")
    d.execute_script("localStorage.clear(); document.getElementById('quiz-reset').click();")
    q = lms["questions"][0]
    answer(d, q, True)
    d.get("about:blank")
    d.get(base + page)
    wait(d, f"document.querySelector(\"form.q[data-id='{q['id']}']\").dataset.state === 'right'")
    assert d.execute_script("return [typeof window.API, typeof window.API_1484_11]") == ["undefined", "undefined"]
    no_console_errors(d)
