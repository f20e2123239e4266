"""The lecture builder on short synthetic scene videos: remux without re-encoding, chapters
against the scene durations, subtitles, posters, handout and manifest."""
from __future__ import annotations

import hashlib
import json
from fractions import Fraction

import av
import numpy as np
import pytest
import srt

from lecture.publish import Cut, MissingScenes, publish
from lecture.publish.video_files import probe
from lecture.store.stamps import Stamp
from scenes import SCENES

FPS = 15


def write_video(path, seconds: float, shade: int):
    """A small H.264 yuv420p video with a moving bar, as Manim writes at preview quality."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=Fraction(FPS))
        stream.width, stream.height, stream.pix_fmt = 128, 72, "yuv420p"
        for i in range(int(round(seconds * FPS))):
            img = np.full((72, 128, 3), shade, np.uint8)
            img[:, (i * 4) % 128:(i * 4) % 128 + 8] = 255
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


@pytest.fixture(scope="module")
def lecture(tmp_path_factory, traces_dir):
    out = tmp_path_factory.mktemp("preview") / "preview"
    out.mkdir()
    lengths = {}
    for i, scene in enumerate(SCENES):
        seconds = 1.0 + 0.2 * i
        write_video(out / f"{scene}.mp4", seconds, 30 + 20 * i)
        beats = [{"key": "linreg_fit.intro", "start": 0.0, "end": seconds / 2, "values": {}},
                 {"key": "zigzag.run_both", "start": seconds / 2, "end": seconds, "values": {}}]
        (out / f"{scene}.beats.json").write_text(json.dumps({"scene": scene, "duration": seconds, "beats": beats}))
        lengths[scene] = seconds
    publish(Cut(out, "zh", "preview", traces_dir), log=lambda line: None)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return out, lengths, manifest


def test_lecture_is_the_scenes_joined_without_reencoding(lecture):
    out, lengths, _ = lecture
    info = probe(out / "lecture.mp4")
    assert info["codec"] == "h264" and info["pixel_format"] == "yuv420p"
    assert info["duration"] == pytest.approx(sum(lengths.values()), abs=1 / FPS)
    scene_packets = []
    for scene in SCENES:
        with av.open(str(out / f"{scene}.mp4")) as c:
            scene_packets += [bytes(p) for p in c.demux(video=0) if p.size]
    with av.open(str(out / "lecture.mp4")) as c:
        lecture_packets = [bytes(p) for p in c.demux(video=0) if p.size]
    with av.open(str(out / "lecture.mp4")) as c:
        decoded = sum(1 for _ in c.decode(video=0))
    assert lecture_packets == scene_packets  # the same compressed frames: no re-encoding
    assert decoded == len(scene_packets)  # and every one of them decodes


def test_chapters_follow_the_scene_durations(lecture):
    out, lengths, manifest = lecture
    chapters = probe(out / "lecture.mp4")["chapters"]
    assert len(chapters) == len(SCENES)
    t = 0.0
    for chapter, scene, line in zip(chapters, SCENES, (out / "chapters.txt").read_text().splitlines()):
        assert chapter["start"] == pytest.approx(t, abs=1 / FPS)
        assert chapter["end"] - chapter["start"] == pytest.approx(lengths[scene], abs=1 / FPS)
        assert line == f"{int(t) // 60:02d}:{int(t) % 60:02d} {chapter['title']}"
        t += lengths[scene]
    assert chapters[0]["title"].startswith("1. ") and "定义模型" in chapters[0]["title"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_lecture_subtitles_lie_inside_their_scenes(lecture, lang):
    out, lengths, _ = lecture
    subs = list(srt.parse((out / f"lecture.{lang}.srt").read_text(encoding="utf-8")))
    total = sum(lengths.values())
    assert subs and subs[-1].end.total_seconds() <= total + 1e-3
    assert all(a.end <= b.start for a, b in zip(subs, subs[1:]))
    assert all(len(s.content.splitlines()) <= 2 for s in subs)
    vtt = (out / f"lecture.{lang}.vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT") and vtt.count("-->") == len(subs)
    for scene in SCENES:
        own = list(srt.parse((out / "subtitles" / f"{scene}.{lang}.srt").read_text(encoding="utf-8")))
        assert own[0].start.total_seconds() == 0 and own[-1].end.total_seconds() <= lengths[scene] + 1e-3


def test_posters_handout_and_manifest(lecture):
    out, _, manifest = lecture
    assert all((out / "posters" / f"{s}.png").is_file() for s in SCENES)
    assert (out / "posters" / "contact_sheet.png").is_file()
    handout = out / "handout"
    assert (handout / "handout.pdf").read_bytes().startswith(b"%PDF")
    assert {p.name for p in handout.glob("*.png")} == {"fits.png", "losses.png", "activations.png", "zigzag.png"}
    assert "transcript.zh.html" in manifest["outputs"]  # the described transcript, in the cut's language
    for name, info in manifest["outputs"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == info["sha256"], name
    assert manifest["outputs"]["lecture.mp4"]["duration"] == pytest.approx(probe(out / "lecture.mp4")["duration"])
    from sim.record import TRACE_NAMES

    assert set(manifest["traces"]) == set(TRACE_NAMES)
    assert {"manim", "av", "paddlepaddle"} <= set(manifest["versions"])


def test_publishing_refuses_missing_scenes(tmp_path, traces_dir):
    with pytest.raises(MissingScenes, match="render every scene first"):
        publish(Cut(tmp_path, "zh", "preview", traces_dir))


def test_one_scene_changed_remakes_only_what_is_made_from_it(tmp_path, traces_dir):
    """The lecture is joined again, but the other scenes' posters and subtitles, the handout and
    the contact sheet's other posters are reused (each output's declared inputs)."""
    out = tmp_path / "zh"
    out.mkdir()
    for i, scene in enumerate(SCENES):
        write_video(out / f"{scene}.mp4", 1.0, 40 + 20 * i)
        beats = [{"key": "linreg_fit.intro", "start": 0.0, "end": 1.0, "values": {}}]
        (out / f"{scene}.beats.json").write_text(json.dumps({"scene": scene, "duration": 1.0, "beats": beats}))
        Stamp.of(out, scene).write({"video": i})
    cut = Cut(out, "zh", "preview", traces_dir)
    first = {o.product.name for o in publish(cut, log=lambda line: None) if o.made}
    assert "handout/" in first and "poster of ChainRule" in first
    again = {o.product.name for o in publish(cut, log=lambda line: None) if o.made}
    assert again == set(), "made again though nothing changed"
    write_video(out / "ChainRule.mp4", 1.4, 200)  # ChainRule rendered again: its video and beats
    (out / "ChainRule.beats.json").write_text(json.dumps(
        {"scene": "ChainRule", "duration": 1.4, "beats": [{"key": "linreg_fit.intro", "start": 0.0, "end": 1.4, "values": {}}]}))
    Stamp.of(out, "ChainRule").write({"video": "new"})
    said = []
    remade = {o.product.name for o in publish(cut, log=said.append) if o.made}
    assert remade == {"lecture.mp4", "subtitles of ChainRule", "lecture subtitles", "transcript.zh.html",
                      "poster of ChainRule", "posters/contact_sheet.png", "manifest.json"}
    assert any("lecture.mp4" in line and "scenes ChainRule changed" in line for line in said), said
    assert probe(out / "lecture.mp4")["duration"] == pytest.approx(8.4, abs=0.1)


def test_burned_subtitles_appear_only_during_cues(lecture, tmp_path):
    from lecture.publish.burn import burn
    from lecture.publish.subtitles import Cue

    out, _, manifest = lecture
    target = tmp_path / "burned.mp4"
    burn(out / "lecture.mp4", target, [Cue(0.2, 0.8, ("字幕测试", "second line"))], manifest["chapters"], "preview")
    info = probe(target)
    assert info["codec"] == "h264" and info["pixel_format"] == "yuv420p" and len(info["chapters"]) == len(SCENES)

    def bottom(path, t):
        with av.open(str(path)) as c:
            for frame in c.decode(video=0):
                if frame.time >= t:
                    return frame.to_ndarray(format="rgb24")[-30:].astype(float)

    assert np.abs(bottom(target, 0.5) - bottom(out / "lecture.mp4", 0.5)).mean() > 5   # text drawn
    assert np.abs(bottom(target, 1.5) - bottom(out / "lecture.mp4", 1.5)).mean() < 3   # none after the cue


def test_manifest_says_how_each_subtitle_track_is_timed(lecture):
    out, _, manifest = lecture
    tracks = {name: info for name, info in manifest["outputs"].items() if name.endswith((".srt", ".vtt"))}
    assert {"lecture.zh.srt", "lecture.en.vtt", f"subtitles/{next(iter(SCENES))}.en.srt"} <= set(tracks)
    assert {info["timing"] for info in tracks.values()} == {"proportional"}   # silent: no voice to time by


@pytest.mark.parametrize("strict", [False, True])
def test_the_run_checks_every_subtitle_file_it_wrote(lecture, tmp_path, traces_dir, strict):
    """Publishing again after the subtitles changed: each written track summed up at the end,
    failing cues in full; a warning, or with --strict-captions a failed run."""
    import shutil

    from lecture.commands.render import parse
    from lecture.commands.session import CutSpec, Options, publish as publish_cuts, user_errors
    from lecture.publish.subtitles import TimingError

    out = tmp_path / "zh"
    shutil.copytree(lecture[0], out)
    (out / ".stamps" / "subtitles.json").unlink()           # the lecture's tracks are made again
    said = []
    options = Options(scenes=[], strict_captions=strict, log=said.append)
    problems = publish_cuts([CutSpec(traces_dir, "preview", "zh", out)], options, [])
    text = "\n".join(said)
    assert "captions (the timed-text check of every subtitle file written" in text
    summaries = [line for line in said if line.startswith(("  zh/lecture.zh.srt: ", "  zh/lecture.en.srt: "))]
    assert len(summaries) == 2 and all(" cues, " in line for line in summaries)
    assert "subtitles/" not in text.split("captions (")[1]  # the scenes' tracks were not written again
    assert "too fast" in text and "assets/narration/zh.toml [zigzag.run_both]" in text   # 1 s scenes, long lines
    assert problems == (["captions"] if strict else [])
    assert ("error: captions fail" in text) == strict and ("warning: captions fail" in text) != strict
    assert parse(["--strict-captions"]).strict_captions and not parse([]).strict_captions
    assert TimingError in user_errors()
