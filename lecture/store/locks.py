"""One writer per output folder: ``<folder>/.lock``, held with ``flock`` for as long as a run
writes there, and naming the run that holds it (pid, start, command) for anyone who finds it
taken. The kernel releases the lock when its process ends, however it ends, so a killed run
never leaves a folder locked.

A second run that finds the folder taken says which run holds it, then waits for it
(``wait=True``, the default of ./render.sh) or stops with ``FolderBusy`` (``--no-wait``).
"""
from __future__ import annotations

import fcntl
import json
import os
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

from lecture.store.layout import shown


class FolderBusy(Exception):
    exit_code = 3


def holder(lock: Path) -> str:
    try:
        doc = json.loads(lock.read_text(encoding="utf-8"))
        started = time.strftime("%H:%M:%S", time.localtime(doc["started"]))
        return f"pid {doc['pid']}, started {started}: {doc['command']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "another run"


@contextmanager
def folder_lock(folder: Path, wait: bool = True, log=print):
    """Hold ``folder``'s lock for the block; see the module's docstring."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ".lock"
    handle = open(path, "a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            who = holder(path)
            if not wait:
                raise FolderBusy(f"{shown(folder)} is being written by another run ({who}). Nothing was "
                                 f"done. Fix: wait for it to finish, or run without --no-wait to wait for it") from None
            log(f"waiting: {shown(folder)} is being written by another run ({who}); this run goes on when it "
                f"ends (Ctrl-C to stop; --no-wait to stop at once instead)")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "started": time.time(),
                                 "command": " ".join(["./render.sh", *sys.argv[1:]])}))
        handle.flush()
        yield
    finally:
        handle.close()  # releases the lock; the file stays (another run may be waiting on it)


@contextmanager
def folder_locks(folders, wait: bool = True, log=print):
    """The locks of several folders, taken in sorted order (two runs never deadlock)."""
    with ExitStack() as stack:
        for folder in sorted({Path(f).resolve() for f in folders}):
            stack.enter_context(folder_lock(folder, wait, log))
        yield
