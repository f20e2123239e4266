"""The LMS side of tests/test_scorm_browser.py: the two SCORM editions as the test knows them, from
their run-time environments' books (never from the page it tests), and the steps on the harness
(tests/scorm_harness.html) in headless Chromium: launch, read the runtime's cmi and the calls the
page made, seek, leave, and the statuses a student's progress should give."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    """An edition as the test knows it, from its run-time environment's book (not from the page)."""
    edition: str          # lecture.deliver.scorm.EDITIONS: the package, served at /<edition>/
    runtime: str          # scorm-again's class, in dist/<script>
    script: str
    window: str           # where the page looks for it
    init: str
    finish: str
    set: str
    commit: str
    completion: str       # the status elements (one in SCORM 1.2)
    success: str
    score: str            # <score>.raw, .min, .max
    scaled: str | None
    location: str
    session_time: str
    time: re.Pattern      # session_time's format
    exit: str
    entry: str
    mode: str
    mastery: str          # what the LMS hands the manifest's mastery score in
    in_manifest: str      # where the manifest says it (ElementTree path)
    unit: int             # percent per unit of both
    learner: dict         # who the LMS says the student is
    suspend_limit: int    # characters of cmi.suspend_data

    @property
    def statuses(self) -> list[str]:
        return list(dict.fromkeys([self.completion, self.success]))


DIALECTS = [
    Dialect("scorm12", "Scorm12API", "scorm12.js", "API", "LMSInitialize", "LMSFinish", "LMSSetValue", "LMSCommit",
            "cmi.core.lesson_status", "cmi.core.lesson_status", "cmi.core.score", None, "cmi.core.lesson_location",
            "cmi.core.session_time", re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$"),  # CMITimespan, HHHH:MM:SS.SS
            "cmi.core.exit", "cmi.core.entry", "cmi.core.lesson_mode", "cmi.student_data.mastery_score",
            ".//{*}item/{*}masteryscore", 1, {"cmi.core.student_id": "s-1", "cmi.core.student_name": "Student, A"}, 4096),
    Dialect("scorm2004", "Scorm2004API", "scorm2004.js", "API_1484_11", "Initialize", "Terminate", "SetValue", "Commit",
            "cmi.completion_status", "cmi.success_status", "cmi.score", "cmi.score.scaled", "cmi.location",
            "cmi.session_time", re.compile(r"^PT(\d+H)?(\d+M)?\d+(\.\d{1,2})?S$"),  # ISO 8601, PT1H2M3.45S
            "cmi.exit", "cmi.entry", "cmi.mode", "cmi.scaled_passing_score",
            ".//{*}item/{*}sequencing/{*}objectives/{*}primaryObjective/{*}minNormalizedMeasure", 100,
            {"cmi.learner_id": "s-1", "cmi.learner_name": "Student, A"}, 64000),
]


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


def launch(d, base, href, dialect, data, popup=False, beside=None):
    """A fresh LMS window offering ``dialect``'s runtime preloaded with ``data`` (flattened cmi)
    (and ``beside``'s, empty), the page ``href`` in its frame, switched into (or, ``popup``, in a
    window of its own, left to the caller)."""
    d.switch_to.default_content()
    d.get("about:blank")
    d.get(base + "harness.html")
    if beside:
        d.execute_script("offer(arguments[0], arguments[1], {})", beside.runtime, beside.window)
    d.execute_script("launch(...arguments)", dialect.runtime, dialect.window, data, href, popup)
    if popup:
        return
    d.switch_to.frame("sco")
    wait(d, "window.Quiz && document.querySelectorAll('form.q').length > 0 && document.getElementById('video')"
            " && document.getElementById('video').readyState >= 1")


def harness(d, script):
    d.switch_to.default_content()
    try:
        return d.execute_script(f"return {script}")
    finally:
        d.switch_to.frame("sco")


def cmi_of(d):
    """The runtime's cmi, flattened: {"cmi.core.lesson_status": ..., ...}."""
    return harness(d, "kept()")


def calls(d, name=None):
    return [c for c in harness(d, "window.calls") if name in (None, c[0])]


def seek(d, seconds):
    d.execute_script("document.getElementById('video').currentTime = arguments[0]", seconds)
    wait(d, f"!document.getElementById('video').seeking && Math.abs(document.getElementById('video').currentTime - {seconds}) < 0.01")


def leave(d):
    """Navigate the frame away, as a student closing the lecture does: the page's pagehide."""
    d.switch_to.default_content()
    d.execute_script("document.getElementById('sco').src = 'about:blank'")
    wait(d, "window.lms.isTerminated()")
    d.switch_to.frame("sco")


def expected(dialect, right, total, mastery, watched, answered) -> dict:
    """The statuses the page should have set: in SCORM 2004 completion and success apart (success
    'unknown' until every question is answered); in 1.2 one lesson_status, where passed/failed
    also says completed, so it waits for the chapters too."""
    completion = "completed" if watched else "incomplete"
    success = ("passed" if right * 100 >= mastery * total else "failed") if answered else "unknown"
    if dialect.completion == dialect.success:
        return {dialect.completion: success if watched and answered else completion}
    return {dialect.completion: completion, dialect.success: success}


def statuses(d, dialect) -> dict:
    cmi = cmi_of(d)
    return {element: cmi[element] for element in dialect.statuses}
