"""Where things are in the repository: the one module every floor may import.

It imports nothing of the project, so ``scenes/`` (which only draws) can find the asset files
without importing the recorder, and ``sim/`` and ``lecture/`` agree with it on every path.
"""
from pathlib import Path

REPO = Path(__file__).resolve().parent
ASSETS = REPO / "assets"
LESSONS_DIR = ASSETS / "lessons"         # one TOML file per lesson variant
DEFAULT_LESSON = LESSONS_DIR / "default.toml"
TEXT_DIR = ASSETS / "text"               # on-screen strings, one file per language
NARRATION_DIR = ASSETS / "narration"     # narration lines, one file per language
DESCRIPTION_DIR = ASSETS / "description"  # what the screen shows at each beat, one file per language
VIDEO_FILE = ASSETS / "video.toml"       # pacing and reading speeds
TRACES = REPO / "traces"                 # the default lesson's recording (variants: traces/<lesson>/)
OUT = REPO / "out"                       # everything rendered (see lecture/layout.py)
