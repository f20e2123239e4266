"""Narration sets the timing (fast: no real render, no neural voice). A toy LessonScene run with
animations skipped, against a narration file of synthetic clips; the narration pre-pass with
recorded takes made of test signals; subtitles on the audio spans."""
from __future__ import annotations

import json
import os
from contextlib import contextmanager

import pytest
from manim import FadeIn, Square, tempconfig

from lecture.publish.subtitles import lecture_track
from lesson_text import narration_line as narration
from scenes.lesson import LessonScene
from scenes.settings import voice_pause
from tests.voice_signals import speechlike, write_wav

KEYS = ["linreg_fit.intro", "linreg_fit.data", "linreg_fit.start"]


class Toy(LessonScene):
    """Three beats: the first two with a clip (when the narration file has one), the last without."""
    key = "linreg_fit"

    def construct(self):
        self.beat("intro")
        self.play(FadeIn(Square()), run_time=0.5)
        self.beat("data")
        self.wait(0.2)
        self.beat("start")
        self.play(FadeIn(Square().shift(2)), run_time=0.3)


def narration_file(path, clips: dict) -> str:
    """clips: key -> (duration, speech_start, speech_end), as lecture/narrate.py writes them."""
    doc = {"source": "recorded", "clips": {}}
    for key, (duration, start, end) in clips.items():
        wav = write_wav(path.parent / f"{key}.wav", speechlike(duration, 48000, lead=0, tail=0), 48000)
        doc["clips"][key] = {"audio": str(wav), "clip": key, "duration": duration, "speech_start": start,
                             "speech_end": end, "text": narration(key, "zh")}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


@contextmanager
def env(**values):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update({k: str(v) for k, v in values.items()})
    try:
        yield
    finally:
        for k, v in old.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)


def run_toy(tmp_path, clips: dict, name: str = "run"):
    folder = tmp_path / name
    folder.mkdir()
    settings = {"quality": "low_quality", "write_to_movie": False, "save_last_frame": True,
                "disable_caching": True, "verbosity": "WARNING", "progress_bar": "none", "media_dir": str(folder)}
    with env(LECTURE_NARRATION=narration_file(folder / "narration.json", clips), LECTURE_LANG="zh",
             LECTURE_BEATS=folder), tempconfig(settings):
        scene = Toy()
        scene.render()
    return scene, json.loads((folder / "Toy.beats.json").read_text(encoding="utf-8"))


CLIPS = {"linreg_fit.intro": (1.3, 0.05, 1.25), "linreg_fit.data": (2.1, 0.1, 2.0)}
FRAME = 1 / 15  # low quality: every beat starts on a frame


def test_every_time_is_on_the_frame_grid_whether_animations_are_rendered_or_skipped(tmp_path):
    """A storyboard (animations skipped) and a render have the same times: each play ends on a
    whole frame, as Manim writes frames (LessonScene.settle)."""
    _, doc = run_toy(tmp_path, CLIPS)
    for beat in doc["beats"]:
        assert beat["start"] * 15 == pytest.approx(round(beat["start"] * 15), abs=1e-9)
    assert doc["duration"] * 15 == pytest.approx(round(doc["duration"] * 15), abs=1e-9)


def test_each_clip_starts_at_its_beat_and_ends_before_the_next(tmp_path):
    _, doc = run_toy(tmp_path, CLIPS)
    beats = doc["beats"]
    assert [b["key"] for b in beats] == KEYS
    for beat, after in zip(beats[:2], beats[1:]):
        audio = beat["audio"]
        assert audio["start"] == pytest.approx(beat["start"], abs=1e-9)
        assert audio["end"] - audio["start"] == pytest.approx(CLIPS[beat["key"]][0])
        assert audio["end"] <= after["start"] + 1e-9
        # held until the clip and the pause are over (the animation alone is shorter), to the next frame
        until = max(audio["end"] + voice_pause(), beat["start"] + 0.5)
        assert until - 1e-6 <= after["start"] <= until + FRAME + 1e-6
    assert "audio" not in beats[2]  # no clip: held for reading, as before
    assert doc["duration"] >= beats[1]["audio"]["end"] + voice_pause()


def test_subcaptions_and_subtitles_follow_the_audio_spans(tmp_path):
    scene, doc = run_toy(tmp_path, CLIPS)
    spans = [(s.start.total_seconds(), s.end.total_seconds()) for s in scene.renderer.file_writer.subcaptions]
    beats = doc["beats"]
    for (start, end), beat in zip(spans, beats[:2]):
        assert start == pytest.approx(beat["audio"]["speech_start"], abs=1e-3)
        assert end == pytest.approx(beat["audio"]["speech_end"], abs=1e-3)
    assert spans[2] == pytest.approx((beats[2]["start"], doc["duration"]), abs=1e-3)  # reading estimate
    for lang in ("zh", "en"):  # both languages from this cut's speech starts, shifted into the lecture
        cues = lecture_track([{**doc, "start": 10.0}], lang, narration, 15, voice_lang="zh").cues
        firsts = [cues[0], next(c for c in cues if c.start >= 10 + beats[1]["start"] - 1e-6)]
        for cue, beat in zip(firsts, beats):  # the other language may start earlier, from the beat's start
            assert 10 + (beat["audio"]["speech_start"] if lang == "zh" else beat["start"]) - 1e-3 <= cue.start \
                <= 10 + beat["audio"]["speech_start"] + 1e-3
        last = max(c.end for c in cues if c.start < 10 + beats[1]["start"])
        before_next = beats[1]["audio"]["speech_start"] - 2 / 15
        if lang == "zh":  # the voice's language: until the speech ends, or on until it can be read
            first = beats[0]["audio"]
            readable = first["speech_start"] + max(5 / 6, len(narration(beats[0]["key"], "zh")) / 9)
            assert last == pytest.approx(10 + min(max(first["speech_end"], readable), before_next), abs=1e-3)
        else:             # the other: until two frames before the next cue
            assert last == pytest.approx(10 + before_next, abs=1e-3)


def test_a_longer_take_stretches_its_beat_by_the_difference(tmp_path):
    _, short = run_toy(tmp_path, CLIPS, "short")
    longer = {**CLIPS, "linreg_fit.data": (3.4, 0.1, 3.3)}
    _, long = run_toy(tmp_path, longer, "long")
    assert long["duration"] - short["duration"] == pytest.approx(3.4 - 2.1, abs=FRAME + 1e-6)
    assert long["beats"][1]["start"] == pytest.approx(short["beats"][1]["start"])  # the beats before: unchanged


def test_a_clip_made_for_another_line_is_refused(tmp_path):
    folder = tmp_path / "stale"
    folder.mkdir()
    path = narration_file(folder / "narration.json", CLIPS)
    doc = json.loads(open(path, encoding="utf-8").read())
    doc["clips"]["linreg_fit.data"]["text"] = "an older line"
    (folder / "narration.json").write_text(json.dumps(doc), encoding="utf-8")
    settings = {"write_to_movie": False, "save_last_frame": True, "media_dir": str(folder), "verbosity": "WARNING"}
    with env(LECTURE_NARRATION=path, LECTURE_LANG="zh"), tempconfig(settings):
        with pytest.raises(ValueError, match="run ./render.sh again"):
            Toy().render()


def test_the_scratch_voice_refuses_chinese_before_anything_runs():
    """espeak-ng's Mandarin voice reads its tone digits as English words: refused, with the fix."""
    from voice import VoiceError
    from voice.services import check

    with pytest.raises(VoiceError, match="cannot narrate the 'zh' cut.*--voice neural"):
        check("espeak", ["zh"])


@pytest.mark.skipif(not __import__("shutil").which("espeak-ng"),
                    reason="espeak-ng is not installed (./render.sh --voice espeak installs it)")
@pytest.mark.parametrize("lang", ["en"])
def test_scratch_voice_a_longer_line_gives_a_longer_clip_at_the_target_loudness(tmp_path, lang):
    from voice import line, synthesize

    short = line("linreg_fit.data", lang)
    long = line("linreg_fit.compare_least_squares", lang, {"w": 38.401, "b": 24.612})
    clips = synthesize([short, long], "espeak", cache=tmp_path)
    assert clips[1].duration > 1.5 * clips[0].duration
    for clip in clips:
        assert abs(clip.lufs + 16) <= 1 and clip.true_peak_dbtp <= -1
        assert clip.speech_end - clip.speech_start > 0.5  # not silent
