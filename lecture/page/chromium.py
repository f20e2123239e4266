"""Debian's headless Chromium, started and stopped cleanly: one list of flags, a throwaway
profile that is removed only after every Chromium process has gone, and a process group so that
the renderer and crash-handler children die with the browser (they would otherwise keep writing
into the profile while it is deleted)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from sim.errors import SimError

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--autoplay-policy=no-user-gesture-required"]


def browser() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise SimError("no chromium found: ./render.sh check installs Debian's chromium (as root), "
                       "or run: sudo apt-get install -y chromium")
    return found


def remove_profile(path: Path, attempts: int = 20) -> None:
    """Delete a browser profile; Chromium's last writers may still be flushing for a moment."""
    for _ in range(attempts):
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            return
        time.sleep(0.1)


@contextmanager
def profile():
    """A fresh user-data directory, removed afterwards (tolerating a late write)."""
    path = Path(tempfile.mkdtemp(prefix="chromium-profile-"))
    try:
        yield path
    finally:
        remove_profile(path)


@contextmanager
def headless(url: str, *extra: str):
    """Chromium showing ``url`` until the block ends; then its whole process group is stopped."""
    with profile() as user_data:
        proc = subprocess.Popen([browser(), *FLAGS, *extra, f"--user-data-dir={user_data}", url],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            yield proc
        finally:
            stop(proc)


def stop(proc: subprocess.Popen, grace: float = 5.0) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(grace)
            # children of the group may outlive the leader by a moment
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline:
                try:
                    os.killpg(proc.pid, 0)
                except ProcessLookupError:
                    return
                time.sleep(0.05)
        except subprocess.TimeoutExpired:
            continue
