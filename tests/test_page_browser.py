"""The student page in a real browser: Debian's chromium and chromium-driver driven by Selenium,
the site served from 127.0.0.1 (with HTTP range requests) and opened from file://. Skipped, with
the reason, when the browser, its driver or selenium is missing (CI installs them as root)."""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from lecture.page.chromium import FLAGS as CHROMIUM_FLAGS
from lecture.page.serve import serve
from page_site import make_site

pytestmark = pytest.mark.slow
SHOTS = Path("/tmp/page-shots")  # a copy of the screenshots, to look at
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


@pytest.fixture(scope="module")
def site(tmp_path_factory, traces_dir):
    return make_site(tmp_path_factory.mktemp("page") / "preview", traces_dir)


@pytest.fixture(scope="module")
def url(site):
    with serve(site) as base:
        yield base + "index.html"


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed: "
                                    ".venv/bin/pip install -c requirements.lock selenium==4.51.0")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver")
    if not browser or not chromedriver:
        pytest.skip("Debian's chromium and chromium-driver are not installed "
                    "(as root: apt-get install -y chromium chromium-driver; CI does)")
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager never downloads a browser or driver
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('profile')}", "--window-size=1280,800"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=chromedriver))
    d.set_script_timeout(20)
    yield d
    d.quit()


def wait(d, script, timeout=15.0):
    """Poll ``return <script>`` until it is truthy; returns its value."""
    end = time.monotonic() + timeout
    while True:
        value = d.execute_script(f"return {script}")
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for: {script}")
        time.sleep(0.05)


def open_page(d, address):
    d.get("about:blank")  # a new document even when only the #fragment differs
    d.get(address)
    wait(d, "document.querySelectorAll('#chapters li').length === 8 && document.querySelector('#cues li') !== null")
    wait(d, "document.getElementById('video').readyState >= 1")
    assert_no_errors(d)


def assert_no_errors(d):
    errors = [e for e in d.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert not errors, errors


def current_time(d):
    return d.execute_script("return document.getElementById('video').currentTime")


def cues_of(vtt: str) -> list[str]:
    return [block.split("\n", 1)[1].strip().replace("\n", " ") for block in vtt.split("\n\n")[1:] if "-->" in block]


def page_data(site):
    text = (site / "data" / "page.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("{"):].rstrip().rstrip(";"))


def test_chapter_click_seeks_to_its_start(driver, url, site):
    open_page(driver, url)
    starts = [c["start"] for c in json.loads((site.parent / "zh" / "manifest.json").read_text())["chapters"]]
    driver.find_elements("css selector", "#chapters button")[2].click()
    wait(driver, f"Math.abs(document.getElementById('video').currentTime - {starts[2]}) <= 0.1")
    assert abs(current_time(driver) - starts[2]) <= 0.1
    wait(driver, "document.querySelectorAll('#chapters li')[2].classList.contains('current')")
    # a click on a transcript line seeks to its cue, which is then highlighted
    cue = driver.find_elements("css selector", "#cues li button")[5]
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", cue)
    cue.click()
    wait(driver, "document.querySelectorAll('#cues li')[5].classList.contains('current')")
    driver.find_elements("css selector", "#chapters button")[7].click()  # the last chapter: its cue scrolls into view
    wait(driver, "document.querySelector('#cues li.current') && document.querySelector('#cues li.current').dataset.index > 5")
    visible = ("const box = document.getElementById('cues'), li = box.querySelector('li.current');"
               "return li.offsetTop >= box.scrollTop && li.offsetTop + li.offsetHeight <= box.scrollTop + box.clientHeight")
    assert driver.execute_script(visible)
    assert_no_errors(driver)


def test_switching_to_english_loads_its_cut_at_the_same_chapter(driver, url, site):
    open_page(driver, url)
    data = page_data(site)
    zh_first = cues_of(data["cuts"]["zh"]["tracks"]["subtitles"]["zh"])[0]
    first = driver.find_element("css selector", "#cues li .text").text
    assert first.replace(" ", "").startswith(zh_first.replace(" ", ""))
    driver.find_elements("css selector", "#chapters button")[3].click()
    wait(driver, "document.querySelectorAll('#chapters li')[3].classList.contains('current')")
    driver.find_element("css selector", "#lang-buttons button[data-lang='en']").click()
    en_cues = cues_of(data["cuts"]["en"]["tracks"]["subtitles"]["en"])
    wait(driver, "document.getElementById('video').src.endsWith('video/lecture.en.mp4')")
    texts = [li.text for li in driver.find_elements("css selector", "#cues li .text")]
    assert " ".join(texts) == " ".join(en_cues) and all(t.isascii() for t in texts)  # cues joined in sentences
    en_start = json.loads((site.parent / "en" / "manifest.json").read_text())["chapters"][3]["start"]
    wait(driver, f"Math.abs(document.getElementById('video').currentTime - {en_start}) <= 0.1")
    assert driver.find_element("css selector", "#chapters li.current").text.endswith(
        json.loads((site.parent / "en" / "manifest.json").read_text())["chapters"][3]["title"].split(". ", 1)[1])
    assert driver.find_element("tag name", "h1").text.isascii()
    # search the English transcript
    driver.find_element("id", "search").send_keys("line")
    shown = [li for li in driver.find_elements("css selector", "#cues li") if li.is_displayed()]
    assert shown and all("line" in li.text.lower() for li in shown) and len(shown) < len(en_cues)
    driver.find_element("css selector", "#lang-buttons button[data-lang='zh']").click()
    assert_no_errors(driver)


def test_epoch_slider_shows_the_trace_and_draws_its_line(driver, url, load):
    open_page(driver, url)
    seq = load("linreg_sequential")
    driver.execute_script("const s = document.getElementById('reg-slider'); s.value = 250;"
                          "s.dispatchEvent(new Event('input'));")
    assert driver.find_element("id", "reg-epoch").text == "250"
    assert driver.find_element("id", "reg-w").text == f"{seq['w'][250]:.4f}"
    assert driver.find_element("id", "reg-b").text == f"{seq['b'][250]:.4f}"
    line = driver.execute_script("const l = document.getElementById('reg-line'); return {map: JSON.parse("
                                 "l.closest('g.plot').dataset.map), x1: +l.getAttribute('x1'), y1: +l.getAttribute('y1'),"
                                 "x2: +l.getAttribute('x2'), y2: +l.getAttribute('y2')};")
    (left, right, top, bottom), (x0, x1), (y0, y1) = line["map"]["box"], line["map"]["x"], line["map"]["y"]
    to_x = lambda p: x0 + (p - left) / (right - left) * (x1 - x0)
    to_y = lambda p: y0 + (bottom - p) / (bottom - top) * (y1 - y0)
    xa, ya, xb, yb = to_x(line["x1"]), to_y(line["y1"]), to_x(line["x2"]), to_y(line["y2"])
    w = (yb - ya) / (xb - xa)
    assert w == pytest.approx(seq["w"][250], abs=0.01) and ya - w * xa == pytest.approx(seq["b"][250], abs=0.02)
    # the marker sits on the loss curve at that epoch; the zig-zag shows each step's signs
    driver.execute_script("const s = document.getElementById('zig-slider'); s.value = 5; s.dispatchEvent(new Event('input'));")
    assert driver.find_element("id", "zig-sigmoid-signs").text in ("(+, +)", "(−, −)")  # all-positive inputs
    assert_no_errors(driver)


def test_answers_are_checked_and_kept(driver, url, load):
    open_page(driver, url)
    driver.execute_script("localStorage.clear(); document.getElementById('quiz-reset').click();")
    seq = load("linreg_sequential")
    form = driver.find_element("css selector", "form.q[data-id='w_final']")
    box = form.find_element("css selector", "input")
    box.send_keys("1.5")
    form.find_element("css selector", "button[type='submit']").click()
    assert form.get_attribute("data-state") == "wrong"
    box.clear()
    box.send_keys(f"{seq['w'][-1]:.3f}")
    form.find_element("css selector", "button[type='submit']").click()
    assert form.get_attribute("data-state") == "right"
    multi = driver.find_element("css selector", "form.q[data-id='zero_centred']")
    multi.find_element("css selector", "input[value='relu']").click()
    multi.find_element("css selector", "button[type='submit']").click()
    assert multi.get_attribute("data-state") == "wrong"
    multi.find_element("css selector", "input[value='relu']").click()
    multi.find_element("css selector", "input[value='tanh']").click()
    multi.find_element("css selector", "button[type='submit']").click()
    assert multi.get_attribute("data-state") == "right"
    open_page(driver, url)  # kept in localStorage
    assert driver.find_element("css selector", "form.q[data-id='w_final']").get_attribute("data-state") == "right"
    assert driver.find_element("css selector", "form.q[data-id='w_final'] input").get_attribute("value") == f"{seq['w'][-1]:.3f}"
    assert_no_errors(driver)


def test_address_and_keyboard(driver, url, site):
    starts = [c["start"] for c in json.loads((site.parent / "zh" / "manifest.json").read_text())["chapters"]]
    open_page(driver, url + "#chapter=4")
    wait(driver, f"Math.abs(document.getElementById('video').currentTime - {starts[3]}) <= 0.1")
    open_page(driver, url + "#t=0:05")
    wait(driver, "Math.abs(document.getElementById('video').currentTime - 5) <= 0.1")
    body = driver.find_element("tag name", "body")
    body.send_keys("\ue014")  # arrow right: +5 s
    wait(driver, "Math.abs(document.getElementById('video').currentTime - 10) <= 0.1")
    body.send_keys(" ")
    wait(driver, "!document.getElementById('video').paused")
    body.send_keys(" ")
    wait(driver, "document.getElementById('video').paused")
    assert_no_errors(driver)


def test_works_from_file_url(driver, site):
    open_page(driver, site.joinpath("index.html").as_uri())
    driver.find_elements("css selector", "#chapters button")[2].click()
    wait(driver, "document.querySelectorAll('#chapters li')[2].classList.contains('current')")
    assert driver.find_element("id", "reg-epoch").text == "0"
    assert len(driver.find_elements("css selector", "form.q")) >= 16
    assert_no_errors(driver)


@pytest.mark.parametrize("size", SIZES)
def test_screenshots(driver, url, size, tmp_path):
    width, height = SIZES[size]
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": size == "phone"})
    try:
        open_page(driver, url + "#chapter=2")
        driver.execute_script("const s = document.getElementById('reg-slider'); s.value = 40; s.dispatchEvent(new Event('input'));"
                              "const z = document.getElementById('zig-slider'); z.value = 30; z.dispatchEvent(new Event('input'));")
        overflow = "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        assert driver.execute_script(overflow)  # nothing sticks out sideways
        shots = {"top": "top", "explore": "explore", "quiz": "quiz"}
        SHOTS.mkdir(exist_ok=True)
        for name, anchor in shots.items():
            driver.execute_script(f"document.querySelector('.{anchor}, #{anchor}').scrollIntoView()")
            time.sleep(0.3)
            path = tmp_path / f"{size}-{name}.png"
            driver.save_screenshot(str(path))
            shutil.copy(path, SHOTS / path.name)
        driver.find_element("css selector", "#lang-buttons button[data-lang='en']").click()
        assert driver.execute_script(overflow)  # English is longer
        driver.execute_script("document.getElementById('explore').scrollIntoView()")
        time.sleep(0.3)
        driver.save_screenshot(str(tmp_path / f"{size}-explore-en.png"))
        shutil.copy(tmp_path / f"{size}-explore-en.png", SHOTS)
        driver.find_element("css selector", "#lang-buttons button[data-lang='zh']").click()
        assert_no_errors(driver)
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
