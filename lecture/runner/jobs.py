"""A job: one scene, at one quality, in one language, from one recording, made into its video or
its slides by one Manim process (``lecture.runner.manim_process``).

A job says what it is and where its outputs go; what it is made from is derived
(``lecture.runner.scene_inputs``) and compared with its stamp before anything runs.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lecture.store import layout
from lecture.store.stamps import Stamp

QUALITIES = {  # name -> (manim flag, resolution, frame rate, x264 preset)
    "preview": ("l", "480p15", 15, "veryfast"),
    "hd": ("h", "1080p60", 60, "veryfast"),
    "4k": ("k", "2160p60", 60, "medium"),
}
KINDS = ("video", "slides")


class RenderError(Exception):
    """A render failed; the message names the scene, the cause and the log."""

    exit_code = 1


class EngineError(Exception):
    """An engine cannot run at all (a cluster that refuses the driver, Ray not installed)."""

    exit_code = 2


@dataclass(frozen=True)
class Job:
    scene: str
    quality: str
    lang: str
    traces: Path
    out: Path                      # the language cut's directory
    video: Path                    # the pacing file
    cache: Path = layout.CACHE     # LaTeX and text SVGs, kept between renders
    narration: Path | None = None  # the clips to play at the beats (lecture.runner.narration); None: silent
    voice: str = "none"            # the --voice the narration came from
    kind: str = "video"            # "video": <Scene>.mp4; "slides": slides/<Scene>.json and its files
    lesson: str = ""               # a course's lesson (shown in progress lines)
    segment_cache: Path | None = None  # where Manim's partial movies are kept (default: in the cut)

    @property
    def folder(self) -> Path:
        """Where this job's outputs go: the cut, or its slides/ folder."""
        return self.out if self.kind == "video" else self.out / "slides"

    @property
    def target(self) -> Path:
        """The output that says the job is done (the video, or the slides' JSON)."""
        return self.folder / (f"{self.scene}.mp4" if self.kind == "video" else f"{self.scene}.json")

    @property
    def stamp(self) -> Stamp:
        return Stamp.of(self.folder, self.scene)

    @property
    def log(self) -> Path:
        return self.folder / "logs" / f"{self.scene}.log"

    @property
    def fps(self) -> int:
        return QUALITIES[self.quality][2]

    @property
    def label(self) -> str:
        what = "" if self.kind == "video" else " slides"
        return f"{self.lesson}/{self.quality} {self.scene}{what} [{self.lang}]" if self.lesson \
            else f"{self.scene}{what} [{self.lang}]"

    def text_cache(self) -> Path:
        """LaTeX and text SVGs of this scene in this language (shared by every quality)."""
        return self.cache / f"{self.scene}-{self.lang}"

    def segments(self) -> Path:
        """Manim's partial movies of this scene, kept between renders of this cut."""
        return self.segment_cache or layout.segments_dir(self.folder, self.scene)
