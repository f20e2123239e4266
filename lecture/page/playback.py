"""Does the lecture play in a real browser? Headless Chromium loads it in a <video> element on a
page served from 127.0.0.1, seeks to several times, draws each frame to a canvas, and reports
the duration and whether the frames decoded (not blank) back to this process."""
from __future__ import annotations

import json
import threading
from pathlib import Path

from lecture.page.chromium import browser, headless
from lecture.page.serve import RangeHandler, serve
from sim.errors import SimError

PAGE = """<!doctype html><meta charset="utf-8"><title>lecture check</title>
<video id="v" src="/VIDEO" muted preload="auto"></video><canvas id="c" width="160" height="90"></canvas>
<script>
const v = document.getElementById('v'), c = document.getElementById('c'), g = c.getContext('2d');
const report = r => fetch('/result', {method: 'POST', body: JSON.stringify(r)});
v.onerror = () => report({error: 'media error ' + (v.error && v.error.code)});
v.onloadedmetadata = async () => {
  const frames = [];
  for (const f of [0.1, 0.3, 0.5, 0.7, 0.9]) {
    await new Promise(ok => { v.onseeked = ok; v.currentTime = f * v.duration; });
    g.drawImage(v, 0, 0, 160, 90);
    const px = g.getImageData(0, 0, 160, 90).data;
    let sum = 0, sq = 0;
    for (let i = 0; i < px.length; i += 4) { const y = (px[i] + px[i+1] + px[i+2]) / 3; sum += y; sq += y * y; }
    const n = px.length / 4, mean = sum / n;
    frames.push({time: v.currentTime, mean: mean, std: Math.sqrt(sq / n - mean * mean)});
  }
  report({duration: v.duration, width: v.videoWidth, height: v.videoHeight, frames: frames});
};
</script>"""

def check(video: Path, timeout: float = 90.0) -> dict:
    if not video.is_file():
        raise SimError(f"{video} does not exist: render the lecture first (./render.sh)")
    browser()
    result, got = {}, threading.Event()

    class Handler(RangeHandler):
        def do_GET(self):
            if self.path in ("/", "/index.html"):
                body = PAGE.replace("VIDEO", video.name).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif self.path == f"/{video.name}":
                super().do_GET()
            else:
                self.send_error(404)

        def do_POST(self):
            result.update(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()
            got.set()

    with serve(video.parent, Handler) as url, headless(url):
        got.wait(timeout)
    if not got.is_set():
        raise SimError(f"Chromium did not report within {timeout:.0f} s: the video may not load")
    if "error" in result:
        raise SimError(f"Chromium could not play {video.name}: {result['error']}")
    from lecture.publish.video_files import probe

    expected = probe(video)["duration"]
    blank = [f for f in result["frames"] if f["std"] < 2]
    print(f"browser check: Chromium plays {video.name}: duration {result['duration']:.2f} s "
          f"(file: {expected:.2f} s), {result['width']}x{result['height']}, "
          f"{len(result['frames']) - len(blank)}/{len(result['frames'])} sampled frames decoded with content")
    if abs(result["duration"] - expected) > 0.5 or blank:
        raise SimError(f"browser check failed: duration {result['duration']} vs {expected}, blank frames {blank}")
    return result
