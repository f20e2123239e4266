"""The SCORM 1.2 package in a SCORM runtime: a page built from synthetic cuts (tests/page_site.py)
and the recorded traces, zipped by write_scorm12, unzipped and served from 127.0.0.1 beside a
small LMS (tests/scorm_harness.html: the pinned scorm-again's Scorm12API as window.API, the
package's launch page in a frame). Headless Chromium answers questions, seeks through the
chapters, leaves and comes back; what the runtime holds is checked against expectations
computed here from the traces, the cut's chapters and assets/delivery.toml. Skipped, with the
reason, without chromium, chromedriver, selenium or npm."""
from __future__ import annotations

import json
import math
import re
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

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(browser_tools.missing() is not None, reason=str(browser_tools.missing()))]
HARNESS = Path(__file__).with_name("scorm_harness.html")
LANG = "zh"
TIMESPAN = re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$")  # CMITimespan, HHHH:MM:SS.SS
LONG = "9" * 5000  # a typed answer too long for suspend_data


@pytest.fixture(scope="module")
def lms(tmp_path_factory, traces_dir):
    """The served folder (harness, scorm-again, the unzipped package) and what the test expects."""
    try:
        runtime = npm.unpacked(npm.SCORM_AGAIN) / "dist" / "scorm12.js"
    except npm.NpmError as error:
        pytest.skip(f"scorm-again comes from npm: {error}")
    work = tmp_path_factory.mktemp("scorm-lms")
    quality = work / "preview"
    make_cut(quality, "zh")
    make_cut(quality, "en")
    settings = delivery()
    site = package_site(quality, traces_dir, LANG, work / "site")
    package = scorm.write_scorm12(site, work / "package.zip", title="lecture", lang=LANG,
                                  mastery_score=settings.mastery_score, identifier="lecture_zh")
    root = work / "served"
    with zipfile.ZipFile(package) as z:
        z.extractall(root / "package")
        manifest = ET.fromstring(z.read("imsmanifest.xml"))
        names = set(z.namelist())
    ns = {"cp": scorm.IMSCP, "adlcp": scorm.ADLCP}
    shutil.copy(HARNESS, root / "harness.html")
    shutil.copy(runtime, root / "scorm12.js")
    chapters = json.loads((quality / LANG / "manifest.json").read_text(encoding="utf-8"))["chapters"]
    return {"root": root, "settings": settings, "chapters": chapters, "questions": questions(traces_dir),
            "launch": "package/" + manifest.find("cp:resources/cp:resource", ns).get("href"),
            "mastery": manifest.findtext(".//cp:item/adlcp:masteryscore", namespaces=ns), "names": names}


@pytest.fixture(scope="module")
def served(lms):
    with browser_tools.served(lms["root"]) as (base, requested), browser_tools.chromium() as driver:
        driver.set_window_size(1280, 900)
        yield base, driver, requested


def wait(d, script, timeout=15.0):
    end = time.monotonic() + timeout
    while not (value := d.execute_script(f"return {script}")):
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for: {script}")
        time.sleep(0.05)
    return value


def no_console_errors(d):
    errors = [e for e in d.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert not errors, errors


def launch(d, base, lms, data):
    """A fresh LMS window preloaded with ``data``, the package's page in its frame, switched into."""
    d.switch_to.default_content()
    d.get("about:blank")
    d.get(base + "harness.html")
    d.execute_script("launch(arguments[0], arguments[1])", data, lms["launch"])
    d.switch_to.frame("sco")
    wait(d, "window.Quiz && document.querySelectorAll('form.q').length > 0 && document.getElementById('video')"
            " && document.getElementById('video').readyState >= 1")


def cmi_of(d):
    d.switch_to.default_content()
    try:
        return d.execute_script("return kept().cmi")
    finally:
        d.switch_to.frame("sco")


def calls(d, name=None):
    d.switch_to.default_content()
    try:
        found = d.execute_script("return window.calls")
    finally:
        d.switch_to.frame("sco")
    return [c for c in found if name in (None, c[0])]


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


def seek(d, seconds):
    d.execute_script("document.getElementById('video').currentTime = arguments[0]", seconds)
    wait(d, f"!document.getElementById('video').seeking && Math.abs(document.getElementById('video').currentTime - {seconds}) < 0.01")


def leave(d):
    """Navigate the frame away, as a student closing the lecture does: the page's pagehide."""
    d.switch_to.default_content()
    d.execute_script("document.getElementById('sco').src = 'about:blank'")
    wait(d, "window.API.isTerminated()")
    d.switch_to.frame("sco")


def expected_status(right, total, mastery, watched, answered):
    if not watched:
        return "incomplete"
    if not answered:
        return "completed"
    return "passed" if right * 100 >= mastery * total else "failed"


def test_a_student_watches_answers_leaves_and_resumes(served, lms):
    base, d, requested = served
    qs, chapters, settings = lms["questions"], lms["chapters"], lms["settings"]
    mastery = int(lms["mastery"])
    assert mastery == settings.mastery_score  # the manifest's, as an LMS hands it to the runtime
    total, need = len(qs), math.ceil(settings.completed_at * len(chapters) - 1e-9)
    to_pass = math.ceil(mastery * total / 100)  # right answers needed
    order = qs[1::3] + [q for q in qs if q not in qs[1::3]]  # numbers and choices, the long answer first
    wrong = {q["id"] for q in order[:total - max(0, to_pass - 1)]}  # one right answer short of passing
    right = total - len(wrong)
    data = {"core": {"student_id": "s-1", "student_name": "Student, A", "entry": "ab-initio"},
            "student_data": {"mastery_score": lms["mastery"]}}

    launch(d, base, lms, data)
    assert calls(d)[0] == ["LMSInitialize", "", "true"] and len(calls(d, "LMSInitialize")) == 1
    cmi = cmi_of(d)
    assert cmi["core"]["lesson_status"] == "incomplete" and cmi["core"]["score"]["raw"] == ""
    half = len(qs) // 2
    for q in qs[:half]:
        answer(d, q, q["id"] not in wrong)
    cmi = cmi_of(d)
    kept = json.loads(cmi["suspend_data"])
    assert set(kept["a"]) == {q["id"] for q in qs[:half]} and kept.get("c", []) == []
    assert cmi["core"]["score"]["raw"] == "" and cmi["core"]["lesson_status"] == "incomplete"
    commits = len(calls(d, "LMSCommit"))
    for i, chapter in enumerate(chapters[:need - 1]):
        seek(d, chapter["start"] + 0.5)
    assert json.loads(cmi_of(d)["suspend_data"])["c"] == list(range(need - 1))
    assert cmi_of(d)["core"]["lesson_status"] == "incomplete"  # one chapter short
    for q in qs[half:]:
        answer(d, q, q["id"] not in wrong)
    score = cmi_of(d)["core"]["score"]
    assert float(score["raw"]) == pytest.approx(100 * right / total, abs=0.005)
    assert (score["min"], score["max"]) == ("0", "100")
    assert cmi_of(d)["core"]["lesson_status"] == "incomplete"  # answered, not yet watched
    seek(d, chapters[need - 1]["start"] + 0.5)
    first = expected_status(right, total, mastery, True, True)
    assert cmi_of(d)["core"]["lesson_status"] == first == ("failed" if to_pass > 0 else "passed")
    end = time.monotonic() + 10
    while len(calls(d, "LMSCommit")) <= commits:  # the changes are committed, throttled
        assert time.monotonic() < end, "no LMSCommit after the answers and chapters"
        time.sleep(0.2)
    place = chapters[3]["start"] + 0.77
    seek(d, place)
    assert float(cmi_of(d)["core"]["lesson_location"]) == pytest.approx(place, abs=0.051)
    kept = json.loads(cmi_of(d)["suspend_data"])
    assert kept["c"] == list(range(need)) and len(cmi_of(d)["suspend_data"]) <= 4096
    assert kept["a"]["first_loss"] == LONG[:32]  # cut to fit
    no_console_errors(d)

    leave(d)
    finish = calls(d, "LMSFinish")
    assert len(finish) == 1 and finish[0] == ["LMSFinish", "", "true"] and calls(d)[-1] == finish[0]
    assert all(c[-1] == "true" for c in calls(d, "LMSSetValue") + calls(d, "LMSCommit")), calls(d)  # none refused
    sets = {c[1]: c[2] for c in calls(d, "LMSSetValue")}
    assert TIMESPAN.match(sets["cmi.core.session_time"]) and sets["cmi.core.exit"] == "suspend"
    stored = cmi_of(d)
    assert stored["core"]["exit"] == "suspend" and TIMESPAN.match(stored["core"]["session_time"])

    # the LMS launches it again with what it kept
    again = {"core": {"student_id": "s-1", "student_name": "Student, A", "entry": "resume",
                      "lesson_status": stored["core"]["lesson_status"], "lesson_location": stored["core"]["lesson_location"],
                      "score": stored["core"]["score"]},
             "suspend_data": stored["suspend_data"], "student_data": {"mastery_score": lms["mastery"]}}
    launch(d, base, lms, again)
    wait(d, f"Math.abs(document.getElementById('video').currentTime - {float(stored['core']['lesson_location'])}) < 0.01")
    for q in qs:
        form = d.find_element("css selector", f"form.q[data-id='{q['id']}']")
        assert form.get_attribute("data-state") == ("wrong" if q["id"] in wrong else "right"), q["id"]
    assert d.find_element("css selector", "form.q[data-id='first_loss'] input").get_attribute("value") == LONG[:32]
    assert not [c for c in calls(d, "LMSSetValue") if c[1] == "cmi.core.lesson_status"]  # not lowered
    fix = next(q for q in reversed(order) if q["id"] in wrong)
    answer(d, fix, True)
    score = cmi_of(d)["core"]["score"]
    assert float(score["raw"]) == pytest.approx(100 * (right + 1) / total, abs=0.005)
    assert cmi_of(d)["core"]["lesson_status"] == expected_status(right + 1, total, mastery, True, True) == "passed"
    no_console_errors(d)
    leave(d)
    assert len(calls(d, "LMSFinish")) == 1 and cmi_of(d)["core"]["exit"] == "suspend"
    fetched = {unquote(urlsplit(path).path) for path in requested}
    assert fetched - {"/harness.html", "/scorm12.js"} <= {f"/package/{name}" for name in lms["names"]}, fetched
    assert "/package/scorm.js" in fetched and f"/package/video/lecture.{LANG}.mp4" in fetched


def test_the_api_is_found_through_the_opener(served, lms):
    base, d, _ = served
    d.switch_to.default_content()
    d.get("about:blank")
    d.get(base + "harness.html")
    harness = d.current_window_handle
    d.execute_script("launch(arguments[0], arguments[1], true)", {"student_data": {"mastery_score": lms["mastery"]}},
                     lms["launch"])
    wait(d, "window.calls.length > 0")
    (popup,) = set(d.window_handles) - {harness}
    d.switch_to.window(popup)
    wait(d, "window.Quiz && document.querySelectorAll('form.q').length > 0")
    answer(d, lms["questions"][0], True)
    for chapter in lms["chapters"]:  # watched, not all answered: completed
        seek(d, chapter["start"] + 0.5)
    d.close()  # the student closes the window: pagehide
    d.switch_to.window(harness)
    wait(d, "window.API.isTerminated()")
    done = d.execute_script("return window.calls")
    assert done[0] == ["LMSInitialize", "", "true"] and [c for c in done if c[0] == "LMSFinish"] == [["LMSFinish", "", "true"]]
    kept = d.execute_script("return kept().cmi")
    assert json.loads(kept["suspend_data"])["a"] == {lms["questions"][0]["id"]: lms["questions"][0]["shown"]}
    assert kept["core"]["lesson_status"] == "completed" and kept["core"]["score"]["raw"] == ""
    assert kept["core"]["exit"] == "suspend"


def test_the_package_page_without_an_lms_keeps_answers_in_the_browser(served, lms):
    base, d, _ = served
    d.switch_to.default_content()
    d.get("about:blank")
    d.get(base + lms["launch"])
    wait(d, "window.Quiz && document.querySelectorAll('form.q').length > 0")
    d.execute_script("localStorage.clear(); document.getElementById('quiz-reset').click();")
    q = lms["questions"][0]
    answer(d, q, True)
    d.get("about:blank")
    d.get(base + lms["launch"])
    wait(d, f"document.querySelector(\"form.q[data-id='{q['id']}']\").dataset.state === 'right'")
    assert d.execute_script("return typeof window.API") == "undefined"
    no_console_errors(d)
