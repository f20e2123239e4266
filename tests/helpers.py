"""Helpers for tests that run the command line or write lesson variants."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sim.config import DEFAULT_LESSON, REPO


def run_cli(*args, cwd=REPO, timeout=300) -> subprocess.CompletedProcess:
    """Run ``python -m sim ARGS`` as a user would, from the repository root."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "sim", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def write_variant(tmp_path: Path, body: str, name: str = "variant.toml") -> Path:
    """A lesson variant on top of the default lesson."""
    path = tmp_path / name
    path.write_text(f'base = "{DEFAULT_LESSON}"\n{body}', encoding="utf-8")
    return path
