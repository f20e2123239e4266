"""The video-site bundle, ``upload/<lang>/``: what a producer uploads to a video site.

* ``lecture.<lang>.mp4``: the cut (a hard link);
* ``description.txt``: the lecture's summary, then its chapters as the big video sites read them
  from a description (one ``M:SS Title`` line each). Their rules, checked here: the first chapter
  at 0:00, at least ``MIN_CHAPTERS``, each at least ``MIN_CHAPTER_SECONDS`` long, in ascending
  order, titles of at most ``MAX_TITLE`` characters; a description of at most
  ``MAX_DESCRIPTION`` characters and a title of at most ``MAX_VIDEO_TITLE``;
* ``lecture.<code>.srt`` / ``.vtt``: the captions of every language the cut carries;
* ``thumbnail.png`` (lecture.deliver.thumbnail);
* ``metadata.json``: title, description, language, tags, duration, chapters, the files.

A chapter shorter than the minimum is joined to the one before it (and said); a lecture that
cannot give the minimum number of chapters is refused with the reason.
"""
from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lecture.page.build import link_or_copy, replace_dir
from lecture.publish.video_files import probe
from lecture.store.files import write_text
from lesson_text import string
from sim.errors import SimError

MIN_CHAPTERS = 3
MIN_CHAPTER_SECONDS = 10
MAX_TITLE = 70
MAX_VIDEO_TITLE = 100
MAX_DESCRIPTION = 5000
MAX_TAGS = 500            # characters of all tags together
NUMBERED = re.compile(r"^\d+\.\s*")


class VideoSiteError(SimError):
    """The lecture cannot be described to a video site's rules."""


@dataclass(frozen=True)
class Chapter:
    start: int       # whole seconds, as the description says it
    title: str

    def line(self) -> str:
        return f"{clock(self.start)} {self.title}"


def clock(seconds: int) -> str:
    """0:00, 12:34, 1:02:03 (hours only when there are some)."""
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def shortened(title: str, limit: int = MAX_TITLE) -> str:
    """``title`` within ``limit`` characters: cut at a word or punctuation boundary, with '…'."""
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    boundary = max(cut.rfind(c) for c in " ，,：:；;、")
    return (cut[:boundary] if boundary > limit // 2 else cut).rstrip(" ，,：:；;、") + "…"


def site_chapters(chapters: list[dict], duration: float, log=print) -> list[Chapter]:
    """The lecture's chapters (its manifest's: title, start, end) to the video sites' rules."""
    out: list[Chapter] = []
    for index, chapter in enumerate(chapters):
        title = shortened(NUMBERED.sub("", chapter["title"]).strip())
        start = 0 if index == 0 else round(chapter["start"])   # sites read whole seconds
        if out and start - out[-1].start < MIN_CHAPTER_SECONDS:
            log(f"  note: chapter '{out[-1].title}' is shorter than {MIN_CHAPTER_SECONDS} s; "
                f"'{title}' is joined to it in description.txt")
            continue
        out.append(Chapter(start, title))
    if out and duration - out[-1].start < MIN_CHAPTER_SECONDS:
        log(f"  note: the last chapter '{out[-1].title}' is shorter than {MIN_CHAPTER_SECONDS} s; joined to the one before")
        out.pop()
    if len(out) < MIN_CHAPTERS:
        raise VideoSiteError(f"video sites show chapters only when there are at least {MIN_CHAPTERS} of at least "
                             f"{MIN_CHAPTER_SECONDS} s, and this lecture has {len(out)}: render all the scenes "
                             "(./render.sh), or upload the video without chapters")
    return out


def check_chapters(chapters: list[Chapter], duration: float) -> list[str]:
    """Every rule the video sites set for description chapters that ``chapters`` break (empty: none)."""
    problems = []
    if not chapters or chapters[0].start != 0:
        problems.append("the first chapter must start at 0:00")
    if len(chapters) < MIN_CHAPTERS:
        problems.append(f"{len(chapters)} chapters; at least {MIN_CHAPTERS} are needed")
    ends = [c.start for c in chapters[1:]] + [duration]
    for chapter, end in zip(chapters, ends):
        if end - chapter.start < MIN_CHAPTER_SECONDS:
            problems.append(f"chapter at {clock(chapter.start)} lasts {end - chapter.start:.1f} s (< {MIN_CHAPTER_SECONDS} s)")
        if len(chapter.title) > MAX_TITLE:
            problems.append(f"chapter at {clock(chapter.start)}: title of {len(chapter.title)} characters (> {MAX_TITLE})")
        if not chapter.title:
            problems.append(f"chapter at {clock(chapter.start)} has no title")
    if any(b.start <= a.start for a, b in zip(chapters, chapters[1:])):
        problems.append("chapters are not in ascending order")
    return problems


def description(lang: str, chapters: list[Chapter]) -> str:
    """description.txt: the summary, the chapters, what comes with the video."""
    chapter_lines = "\n".join(c.line() for c in chapters)
    text = "\n\n".join([string("upload.summary", lang), f"{string('upload.chapters', lang)}\n{chapter_lines}",
                        string("upload.about", lang)]) + "\n"
    if len(text) > MAX_DESCRIPTION:
        raise VideoSiteError(f"description.txt would have {len(text)} characters (video sites take {MAX_DESCRIPTION}): "
                             f"shorten [upload] summary or about in assets/text/{lang}.toml")
    return text


def tags(lang: str) -> list[str]:
    """The tags of ``upload.tags`` (comma-separated in the text file; either comma)."""
    found = [t.strip() for t in re.split(r"[,，]", string("upload.tags", lang)) if t.strip()]
    if sum(len(t) for t in found) > MAX_TAGS:
        raise VideoSiteError(f"the tags have {sum(len(t) for t in found)} characters (video sites take {MAX_TAGS}): "
                             f"shorten [upload] tags in assets/text/{lang}.toml")
    return found


def caption_files(cut: Path, langs: list[str]) -> dict[str, Path]:
    """The cut's lecture captions, SRT and WebVTT, of every language it has."""
    return {p.name: p for lang in langs for ext in ("srt", "vtt") for p in [cut / f"lecture.{lang}.{ext}"] if p.is_file()}


def language_tag(lang: str) -> str:
    """``lang`` as the web and the video sites name it (BCP 47: zh-Hans), from its text file."""
    return string("lecture.language_tag", lang)


def metadata(lang: str, title: str, text: str, video: Path, chapters: list[Chapter], captions: dict[str, Path]) -> dict:
    info = probe(video)
    return {
        "title": title, "description": text, "language": language_tag(lang), "audio_language": language_tag(lang),
        "tags": tags(lang), "duration": info["duration"],
        "video": {"file": video.name, "width": info["width"], "height": info["height"],
                  "frame_rate": info["frame_rate"]},
        "chapters": [{"start": c.start, "time": clock(c.start), "title": c.title} for c in chapters],
        "captions": [{"file": name, "language": language_tag(name.split(".")[-2]),
                      "format": name.rsplit(".", 1)[1]} for name in sorted(captions)],
        "thumbnail": "thumbnail.png",
    }


def write_bundle(cut: Path, lang: str, langs: list[str], folder: Path, thumbnail, log=print) -> Path:
    """``folder`` (upload/<lang>/) from the cut in ``cut``: built beside it and renamed into place.
    ``thumbnail(path, chapters, duration)`` draws the thumbnail."""
    manifest = json.loads((cut / "manifest.json").read_text(encoding="utf-8"))
    video = cut / "lecture.mp4"
    duration = probe(video)["duration"]
    chapters = site_chapters(manifest["chapters"], duration, log)
    problems = check_chapters(chapters, duration)
    if problems:
        raise VideoSiteError(f"{cut / 'manifest.json'}: the chapters break the video sites' rules: {'; '.join(problems)}")
    title = string("lecture.title", lang)
    if len(title) > MAX_VIDEO_TITLE:
        raise VideoSiteError(f"the title has {len(title)} characters (video sites take {MAX_VIDEO_TITLE}): "
                             f"shorten [lecture] title in assets/text/{lang}.toml")
    text = description(lang, chapters)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    try:
        tmp.chmod(0o755)
        link_or_copy(video, tmp / f"lecture.{lang}.mp4")
        captions = caption_files(cut, langs)
        for name, path in captions.items():
            link_or_copy(path, tmp / name)
        write_text(tmp / "description.txt", text)
        thumbnail(tmp / "thumbnail.png", chapters, duration)
        doc = metadata(lang, title, text, tmp / f"lecture.{lang}.mp4", chapters, captions)
        write_text(tmp / "metadata.json", json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
        replace_dir(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder
