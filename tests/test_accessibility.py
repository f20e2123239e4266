"""axe-core (npm, pinned) in headless Chromium: no violation of WCAG 2.2 level A or AA on the
students' page, in each of its languages, nor on the described transcripts. Slow: a real
browser (Debian's chromium and chromium-driver)."""
from __future__ import annotations

import time

import pytest

import browser_tools
from page_site import make_site

pytestmark = [pytest.mark.slow, pytest.mark.skipif(bool(browser_tools.missing()), reason=browser_tools.missing() or "")]


@pytest.fixture(scope="module")
def site(tmp_path_factory, traces_dir):
    return make_site(tmp_path_factory.mktemp("a11y") / "preview", traces_dir)


@pytest.fixture(scope="module")
def driver():
    with browser_tools.chromium() as d:
        yield d


def settled(driver, url: str) -> None:
    driver.get(url)
    end = time.monotonic() + 15
    while time.monotonic() < end and not driver.execute_script(
            "return document.readyState === 'complete' && document.querySelectorAll('#quiz-list .q').length > 0"):
        time.sleep(0.1)


def readable(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in violations)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_has_no_wcag_a_or_aa_violation(site, driver, lang):
    with browser_tools.served(site) as (base, _):
        settled(driver, f"{base}index.html#lang={lang}")
        violations = browser_tools.axe_violations(driver)
    assert violations == [], readable(violations)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_described_transcript_has_no_wcag_a_or_aa_violation(site, driver, lang):
    with browser_tools.served(site) as (base, _):
        driver.get(f"{base}transcript.{lang}.html")
        assert driver.execute_script("return document.documentElement.lang").startswith(lang)
        violations = browser_tools.axe_violations(driver)
    assert violations == [], readable(violations)
