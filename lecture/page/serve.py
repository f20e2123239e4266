"""A static file server on 127.0.0.1 that answers HTTP range requests, which a browser needs to
seek in an MP4. Used by the browser check of the lecture, the student page's tests, and
``python -m lecture page --serve``."""
from __future__ import annotations

import contextlib
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class RangeHandler(SimpleHTTPRequestHandler):
    """Serves the files of ``directory``; a ``Range: bytes=...`` request gets a 206 with that part."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".vtt": "text/vtt", ".js": "text/javascript",
                      ".mp4": "video/mp4", ".svg": "image/svg+xml"}

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if self.headers.get("Range", "").startswith("bytes=") and path.is_file():
            self.send_range(path)
        else:
            super().do_GET()

    def end_headers(self):
        self.send_header("Accept-Ranges", "bytes")
        super().end_headers()

    def send_range(self, path: Path) -> None:
        size = path.stat().st_size
        first, _, last = self.headers["Range"][6:].split(",")[0].strip().partition("-")
        try:
            start = int(first) if first else max(0, size - int(last))
            end = min(int(last), size - 1) if first and last else size - 1
        except ValueError:
            self.send_error(400, "bad Range header")
            return
        if start >= size or start > end:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()
        self.copy_part(path, start, end - start + 1)

    def copy_part(self, path: Path, start: int, length: int) -> None:
        with open(path, "rb") as fh:
            fh.seek(start)
            while length > 0:
                block = fh.read(min(length, 1 << 16))
                if not block:
                    break
                try:
                    self.wfile.write(block)
                except (BrokenPipeError, ConnectionResetError):
                    return
                length -= len(block)

    def copyfile(self, source, outputfile):
        try:
            super().copyfile(source, outputfile)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser stopped reading (it seeks with range requests instead)

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory: Path, handler: type[RangeHandler] = RangeHandler, port: int = 0):
    """Serve ``directory`` on 127.0.0.1 in a background thread; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=str(directory)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
