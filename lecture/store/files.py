"""Writing outputs so that nothing is ever half-written: a temporary name in the same folder,
then ``os.replace`` (atomic on one file system). A full disk is said in one line, with the folder,
the space needed and the space free; the temporary file is removed."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path


class DiskFullError(OSError):
    """No space left where an output was being written."""

    exit_code = 2

    def __init__(self, folder: Path, needed: int | None = None):
        self.folder, self.needed = Path(folder), needed
        free = free_bytes(folder)
        need = f"at least {megabytes(needed)} are needed there, " if needed else ""
        super().__init__(errno.ENOSPC, f"no space left in {self.folder}: {need}{megabytes(free)} are free. Fix: "
                                       f"free some space there, or render onto another disk with --out DIR")

    def __str__(self) -> str:
        return self.strerror


def megabytes(count: int | None) -> str:
    return "?" if count is None else f"{count / 1e6:.1f} MB"


def free_bytes(folder: Path) -> int:
    folder = Path(folder)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return shutil.disk_usage(folder).free


def temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


@contextmanager
def written(path: Path, size: int | None = None):
    """Write ``path`` through the temporary name this yields: renamed into place when the block
    ends, removed if it fails (a full disk said as DiskFullError, ``size``: the bytes it needed)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary(path)
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        if error.errno == errno.ENOSPC:
            raise DiskFullError(path.parent, size) from None
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes(path: Path, data: bytes) -> None:
    with written(path, len(data)) as tmp:
        tmp.write_bytes(data)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_json(path: Path, doc) -> None:
    write_text(path, json.dumps(doc, indent=1, ensure_ascii=False))


def move_into_place(src: Path, dst: Path) -> None:
    """``src`` (a finished file in a scratch folder of the same file system) replaces ``dst``."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    os.replace(src, dst)


def sha256(path: Path) -> str:
    """SHA-256 of a file, read in blocks (videos too)."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file()) if Path(folder).exists() else 0
