"""Headless Chromium for tests: Debian's chromium and chromium-driver driven by Selenium (never a
downloaded driver), pages served from 127.0.0.1 with HTTP range requests, and no other host
reachable from the browser."""
from __future__ import annotations

import os
import shutil
import threading
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from lecture.page import chromium as chromium_process

FLAGS = [*chromium_process.FLAGS, "--window-size=1280,800",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


def missing() -> str | None:
    """Why the browser tests cannot run here (None: they can)."""
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        return "needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "needs selenium (pyproject group 'browser')"
    return None


class RangeHandler(SimpleHTTPRequestHandler):
    """Static files with single byte ranges (what a <video> asks for); every path asked is kept."""

    requested: list[str]

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.requested.append(self.path)
        path = Path(self.translate_path(self.path))
        ranged = self.headers.get("Range", "").startswith("bytes=") and path.is_file()
        if not ranged:
            return super().do_GET()
        size = path.stat().st_size
        first, _, last = self.headers["Range"][6:].partition("-")
        start = int(first) if first else size - int(last)
        end = min(int(last), size - 1) if first and last else size - 1
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        with open(path, "rb") as fh:
            fh.seek(start)
            try:
                self.wfile.write(fh.read(end - start + 1))
            except (BrokenPipeError, ConnectionResetError):
                pass


@contextmanager
def served(directory: Path):
    """Serve ``directory`` on 127.0.0.1; yields (base URL, list of requested paths)."""
    requested: list[str] = []
    handler = type("Handler", (RangeHandler,), {"requested": requested})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", requested
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium():
    """A Selenium WebDriver on headless Chromium with a fresh profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_AVOID_STATS", "true")
    with chromium_process.profile() as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium")
        for flag in FLAGS + [f"--user-data-dir={profile}"]:
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # the console: driver.get_log("browser")
        driver = webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver")), options=options)
        try:
            driver.set_script_timeout(60)
            yield driver
        finally:
            driver.quit()


# Reports the current slide's background video once it has a frame: its source, size, and the
# brightness spread of that frame drawn to a canvas (a decoded frame has content).
CURRENT_VIDEO = """
const done = arguments[arguments.length - 1];
const slide = Reveal.getCurrentSlide();
const holder = slide.slideBackgroundContentElement || Reveal.getSlideBackground(slide);
const v = holder && holder.querySelector('video');
if (!v) { done({error: 'no video element'}); return; }
const report = () => {
  const c = document.createElement('canvas'); c.width = 160; c.height = 90;
  const g = c.getContext('2d'); g.drawImage(v, 0, 0, 160, 90);
  const px = g.getImageData(0, 0, 160, 90).data;
  let sum = 0, sq = 0;
  for (let i = 0; i < px.length; i += 4) { const y = (px[i] + px[i+1] + px[i+2]) / 3; sum += y; sq += y * y; }
  const n = px.length / 4, mean = sum / n;
  done({src: (v.currentSrc || v.src || '').slice(0, 40), readyState: v.readyState, width: v.videoWidth,
        height: v.videoHeight, duration: v.duration, loop: v.loop, mean: mean, std: Math.sqrt(sq / n - mean * mean),
        error: v.error ? v.error.code : null});
};
if (v.error) done({error: 'media error ' + v.error.code});
else if (v.readyState >= 2) report();
else { v.addEventListener('loadeddata', report, {once: true});
       v.addEventListener('error', () => done({error: 'media error ' + (v.error && v.error.code)}), {once: true}); }
"""

RESOURCES = "return performance.getEntriesByType('resource').map(e => e.name);"


# axe-core (the pinned npm package, lecture.store.npm) run on the page in the browser: the
# violations of WCAG 2.0, 2.1 and 2.2 levels A and AA, each with its rule, impact and nodes.
AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
                   resultTypes: ['violations']})
  .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                          nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary)}))))
  .catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));
"""


def axe_violations(driver) -> list[dict]:
    """axe-core's WCAG A/AA violations on the page open in ``driver``."""
    from lecture.store import npm

    source = (npm.unpacked(npm.AXE_CORE) / "axe.min.js").read_text(encoding="utf-8")
    driver.execute_script(source)
    return driver.execute_async_script(AXE_RUN)
