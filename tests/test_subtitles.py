"""Cue timing (lecture.publish.subtitles): cues start where the voice says their first word, or in
proportion to characters (labelled so); two frames between cues, 5/6 s to 7 s each, no orphan,
nothing outside the video; and the SRT and WebVTT writers."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import srt

from lecture.publish.subtitles import Cue, TimingError, check, lecture_track, timing_of, to_srt, to_vtt
from lesson_text import NARRATION, TEXT, lesson_text
from lesson_text import narration_line as lesson_line
from lecture.publish.caption_check import check_cues
from lesson_text.timed_text import MAX_SECONDS, MIN_SECONDS, cue_spans, reading_seconds

FPS = 15
GAP = 2 / FPS
LINE = ("第一句话在这里慢慢地说一直说到这里才说完。第二句话接着说下去一直说到这里为止。"
        "第三句话最后才说说完就结束了。")   # three cues, one a sentence (no two fit in one)


def placeholders(template: str) -> set[str]:
    return set(re.findall(r"\{(\w+)", template))


@pytest.mark.parametrize("directory", [NARRATION, TEXT])
def test_languages_have_the_same_keys_and_placeholders(directory):
    zh, en = (lesson_text().file(directory, lang).entries for lang in ("zh", "en"))
    assert set(zh) == set(en)
    for key in zh:
        assert placeholders(zh[key]) == placeholders(en[key]), key


def lines(texts: dict[str, str]):
    """A narration(key, lang) that gives ``texts[key]`` in every language."""
    return lambda key, lang, **values: texts[key]


def scene(beats: list[dict], duration: float, start: float = 0.0) -> dict:
    return {"scene": "Toy", "start": start, "duration": duration, "beats": beats}


def voiced(key: str, start: float, end: float, speech: tuple[float, float], words=None) -> dict:
    audio = {"start": start, "end": speech[1] + 0.05, "speech_start": speech[0], "speech_end": speech[1]}
    return {"key": key, "start": start, "end": end, "values": {},
            "audio": {**audio, **({"words": words} if words is not None else {})}}


def test_the_test_line_is_three_cues():
    assert [c.start for c in cue_spans(LINE, "zh")] == [0, LINE.index("第二句"), LINE.index("第三句")]


def test_each_cue_starts_when_the_voice_says_its_first_word():
    second, third = LINE.index("第二句"), LINE.index("第三句")
    # the voice lingers on the first sentence: by characters, the second cue would start at 2.6 s
    words = [[0, 0.5], [second, 4.0], [second + 10, 5.0], [third, 7.2]]
    track = lecture_track([scene([voiced("a", 0.0, 10.0, (0.5, 9.0), words)], 10.0)], "zh", lines({"a": LINE}), FPS)
    assert track.timing == "voice" and track.voice_beats == 1
    assert [c.start for c in track.cues] == pytest.approx([0.5, 4.0, 7.2], abs=1e-3)
    assert track.cues[0].end == pytest.approx(4.0 - GAP, abs=1e-3)          # two frames before the next
    assert track.cues[-1].end == pytest.approx(9.0, abs=1e-3)               # the speech ends


def test_an_offset_between_two_words_is_placed_linearly_between_them():
    second = LINE.index("第二句")
    words = [[0, 1.0], [second - 4, 2.0], [second + 6, 7.0]]    # the cue starts 4 of 10 characters in
    track = lecture_track([scene([voiced("a", 0.0, 12.0, (1.0, 11.0), words)], 12.0)], "zh", lines({"a": LINE}), FPS)
    assert track.cues[1].start == pytest.approx(2.0 + 5.0 * 4 / 10, abs=1e-3)


def test_without_words_cues_are_proportional_and_say_so():
    track = lecture_track([scene([voiced("a", 0.0, 10.0, (1.0, 9.0))], 10.0)], "zh", lines({"a": LINE}), FPS)
    assert track.timing == "proportional" and track.voice_beats == 0
    second = LINE.index("第二句")
    assert track.cues[1].start == pytest.approx(1.0 + 8.0 * second / len(LINE), abs=1e-3)
    assert timing_of([scene([voiced("a", 0, 1, (0, 1), [[0, 0]])], 1)], "zh", "zh") == "voice"
    assert timing_of([scene([voiced("a", 0, 1, (0, 1), [[0, 0]])], 1)], "en", "zh") == "proportional"
    assert timing_of([scene([{"key": "a", "start": 0, "end": 1, "values": {}}], 1)], "zh", "zh") == "proportional"


def test_the_other_language_spans_from_the_speech_start_to_the_beat_end():
    en = "The first sentence is said here. The second one follows it and keeps going. The third comes last."
    beat = voiced("a", 2.0, 10.0, (2.5, 8.0), [[0, 2.5], [5, 3.0]])   # the zh voice's words: not the English
    beats = [beat, {"key": "b", "start": 10.0, "end": 12.0, "values": {}}]
    track = lecture_track([scene(beats, 12.0)], "en", lines({"a": en, "b": "Then this."}), FPS, voice_lang="zh")
    assert track.timing == "proportional"
    spans = cue_spans(en, "en")
    mine = [c for c in track.cues if c.start < 10.0]
    assert len(mine) == len(spans) == 2 and mine[0].start == pytest.approx(2.5, abs=1e-3)
    assert mine[-1].end == pytest.approx(10.0 - GAP, abs=1e-3)
    # each cue its share as it needs to be read: the same speed in both
    speeds = [sum(map(len, c.lines)) / (c.end - c.start) for c in mine]
    assert speeds[0] == pytest.approx(speeds[1], rel=1e-3)


def test_a_beat_held_for_reading_seconds_can_be_read_in_the_other_language():
    """reading_seconds is what another language's beat must last, from its start (the hold)."""
    en = lesson_line("activations.function_relu", "en")
    hold = reading_seconds(en, "en", FPS)
    beats = [voiced("a", 0.0, hold, (0.05, 2.0)), voiced("b", hold, hold + 3, (hold + 0.05, hold + 2.9))]
    track = lecture_track([scene(beats, hold + 3)], "en", lines({"a": en, "b": "Then this, read in time."}), FPS,
                          voice_lang="zh")
    result = check_cues(track.cues, "en", FPS)
    assert result.ok, result.details()
    cut = hold - 1.0  # the same line in a beat a second shorter, the next beat's voice starting sooner
    beats = [voiced("a", 0.0, cut, (0.05, 2.0)), voiced("b", cut, cut + 3, (cut + 0.05, cut + 2.9))]
    shorter = lecture_track([scene(beats, cut + 3)],
                            "en", lines({"a": en, "b": "Then this, read in time."}), FPS, voice_lang="zh")
    assert check_cues(shorter.cues, "en", FPS).counts()["too fast"] >= 1


def test_consecutive_cues_are_two_frames_apart_at_the_videos_frame_rate():
    beats = [{"key": k, "start": 3.0 * i, "end": 3.0 * (i + 1), "values": {}} for i, k in enumerate("abc")]
    texts = lines({"a": "第一句话。", "b": "第二句话说得长一些。", "c": "第三句。"})
    for fps in (15, 60):
        cues = lecture_track([scene(beats, 9.0)], "zh", texts, fps).cues
        gaps = [b.start - a.end for a, b in zip(cues, cues[1:])]
        assert gaps == pytest.approx([2 / fps] * 2, abs=1e-3)


def test_a_short_cue_runs_on_into_free_time_or_is_merged():
    # a 0.4 s line with 3 s of silence after it: held until 5/6 s
    free = [voiced("a", 0.0, 4.0, (0.1, 0.5)), voiced("b", 4.0, 6.0, (4.0, 5.5))]
    cues = lecture_track([scene(free, 6.0)], "zh", lines({"a": "好，开始吧。", "b": "接下来看数据。"}), FPS).cues
    assert cues[0].start == pytest.approx(0.1) and cues[0].end == pytest.approx(0.1 + MIN_SECONDS, abs=1e-3)
    # no free time: the short line joins its neighbour in one cue
    tight = [voiced("a", 0.0, 0.5, (0.0, 0.4)), voiced("b", 0.5, 4.0, (0.5, 3.5))]
    cues = lecture_track([scene(tight, 4.0)], "zh", lines({"a": "好，", "b": "接下来看数据。"}), FPS).cues
    assert len(cues) == 1 and cues[0].lines == ("好，接下来看数据。",) and cues[0].start == 0.0
    assert all(c.end - c.start >= MIN_SECONDS - 1e-3 for c in cues)


def test_a_long_cue_is_split_at_its_line_break_and_lasts_at_most_seven_seconds():
    text = "第三步，清空上一轮留下的梯度，否则梯度会累加。"   # one cue of two lines
    cues = lecture_track([scene([{"key": "a", "start": 0.0, "end": 20.0, "values": {}}], 20.0)], "zh",
                         lines({"a": text}), FPS).cues
    assert [c.lines for c in cues] == [("第三步，清空上一轮留下的梯度，",), ("否则梯度会累加。",)]
    assert all(c.end - c.start <= MAX_SECONDS + 1e-3 for c in cues)


def test_a_one_word_line_is_not_left_alone():
    beats = [voiced("a", 0.0, 3.0, (0.0, 2.8)), voiced("b", 3.0, 3.8, (3.0, 3.4))]
    texts = lines({"a": "The line moves with them.", "b": "Again."})
    cues = lecture_track([scene(beats, 3.8)], "en", texts, FPS).cues
    assert len(cues) == 1 and cues[0].lines == ("The line moves with them. Again.",)


def test_a_voice_too_fast_to_read_loses_no_words_and_no_cue_leaves_the_video():
    """Each cue gets 5/6 s: it starts earlier into free time, and only when that is not enough
    does the next cue of the same beat wait (the one case a cue starts after its voice)."""
    second, third = LINE.index("第二句"), LINE.index("第三句")
    words = [[0, 0.2], [second, 1.0], [third, 1.6]]
    beats = [voiced("a", 0.0, 2.0, (0.2, 1.9), words), voiced("b", 2.0, 3.0, (2.0, 2.9), [[0, 2.0]])]
    cues = lecture_track([scene(beats, 3.0, start=10.0)], "zh", lines({"a": LINE, "b": "完。"}), FPS).cues
    check(cues, 13.0)
    assert "".join(line for c in cues for line in c.lines) == LINE + "完。"
    assert cues[0].start <= 10.2 and cues[1].start == pytest.approx(11.0)
    assert all(10.0 <= c.start < c.end <= 13.0 and c.end - c.start >= MIN_SECONDS - 1e-3 for c in cues)


@pytest.mark.parametrize("words, problem", [
    ([[0, 1.0], [5, 0.5]], "sorted"),
    ([[0, 1.0], [999, 2.0]], "within the line"),
    ([["x", 1.0]], "pairs"),
])
def test_words_that_cannot_time_the_line_are_named_with_the_fix(words, problem):
    beats = [voiced("toy.intro", 0.0, 3.0, (0.0, 2.0), words)]
    with pytest.raises(TimingError, match=problem) as error:
        lecture_track([scene(beats, 3.0)], "zh", lines({"toy.intro": LINE}), FPS)
    assert "Toy.beats.json, beat toy.intro" in str(error.value) and "./render.sh Toy --force" in str(error.value)


def test_lecture_tracks_of_the_lesson_shift_scenes_and_stay_inside():
    scenes = [scene([{"key": "linreg_fit.intro", "start": 0.0, "end": 2.0, "values": {}},
                     {"key": "linreg_fit.data", "start": 2.0, "end": 5.0, "values": {}}], 5.0),
              scene([{"key": "zigzag.intro", "start": 0.0, "end": 6.0, "values": {}}], 6.0, start=5.0)]
    for lang in ("zh", "en"):
        cues = lecture_track(scenes, lang, lesson_line, FPS).cues
        check(cues, 11.0)
        assert cues[-1].end == pytest.approx(11.0) and any(c.start == pytest.approx(5.0) for c in cues)


@pytest.mark.parametrize("bad, message", [
    ([Cue(0, 2, ("a",)), Cue(1.5, 3, ("b",))], "before cue 1 ends"),
    ([Cue(0, 2, ("a",)), Cue(2, 9, ("b",))], "outside the video"),
    ([Cue(1, 1, ("a",))], "empty"),
])
def test_check_refuses_overlaps_and_cues_outside(bad, message):
    with pytest.raises(ValueError, match=message):
        check(bad, 5.0)


def test_srt_round_trips_and_vtt_is_well_formed():
    cues = [Cue(0.0, 1.5, ("第一行", "第二行")), Cue(1.5, 62.25, ("later",))]
    parsed = list(srt.parse(to_srt(cues)))
    assert [(s.start, s.end, s.content) for s in parsed] == [
        (timedelta(0), timedelta(seconds=1.5), "第一行\n第二行"), (timedelta(seconds=1.5), timedelta(seconds=62.25), "later")]
    vtt = to_vtt(cues)
    assert vtt.startswith("WEBVTT\n\n")
    times = re.findall(r"^(\d\d:\d\d:\d\d\.\d\d\d) --> (\d\d:\d\d:\d\d\.\d\d\d)$", vtt, re.M)
    assert times == [("00:00:00.000", "00:00:01.500"), ("00:00:01.500", "00:01:02.250")]


def recorded_lecture(words: bool = False) -> list[dict]:
    """The lesson's eight scenes as a narrated preview render recorded their beats (the zh cut,
    neural voice: tests/control_data/beats/, copied from out/preview/zh/; render again and copy
    them to refresh). With ``words``, each beat's voice says every second character unevenly,
    fast at first and slower later (the anchors a voice's alignment gives)."""
    import json
    from pathlib import Path

    from scenes import SCENES

    scenes, start = [], 0.0
    for name in SCENES:
        doc = json.loads((Path(__file__).parent / "control_data" / "beats" / f"{name}.beats.json").read_text("utf-8"))
        for beat in doc["beats"] if words else []:
            text, audio = lesson_line(beat["key"], "zh", **beat["values"]), beat["audio"]
            span = audio["speech_end"] - audio["speech_start"]
            audio["words"] = [[o, audio["speech_start"] + span * (o / len(text)) ** 0.8] for o in range(0, len(text), 2)]
        scenes.append({**doc, "start": start})
        start += doc["duration"]
    return scenes


@pytest.mark.parametrize("words", [False, True], ids=["proportional", "voice"])
def test_the_lessons_recorded_beats_give_tracks_that_keep_to_the_standard(words):
    """Every rule holds on both tracks of the zh cut, but one: an English cue may be too fast,
    and then only in a beat shorter than its line needs (reading_seconds: the hold that fixes it)."""
    scenes = recorded_lecture(words)
    end = scenes[-1]["start"] + scenes[-1]["duration"]
    beats = [(s["start"] + b["start"], s["start"] + b["end"], b) for s in scenes for b in s["beats"]]
    for lang in ("zh", "en"):
        track = lecture_track(scenes, lang, lesson_line, FPS, voice_lang="zh")
        assert track.timing == ("voice" if words and lang == "zh" else "proportional")
        result = check_cues(track.cues, lang, FPS, f"lecture.{lang}.srt", duration=end)
        assert set(result.counts()) <= ({"too fast"} if lang == "en" else set()), result.details()
        for failure in result.failures:
            start, stop, beat = next(b for b in beats if b[0] <= failure.start + 0.25 < b[1])
            assert reading_seconds(lesson_line(beat["key"], lang, **beat["values"]), lang, FPS) > stop - start


def test_a_written_term_the_voice_says_quickly_holds_its_cue_until_it_can_be_read():
    # "nn.Sequential" is 13 characters on screen, but the voice says 顺序容器 in under a second:
    # the cue that shows it may not go by faster than 9 characters a second while the beat has room
    text = "模型可以用 nn.Sequential 按顺序组网，也可以继承 nn.Layer 自己写一个类。两种写法里都只有一个线性层。"
    second = cue_spans(text, "zh")[1].start
    words = [[0, 0.1], [second, 1.5], [len(text), 9.0]]  # the voice reaches the second cue after 1.4 s
    track = lecture_track([scene([voiced("a", 0.0, 12.0, (0.1, 9.0), words)], 12.0)], "zh", lines({"a": text}), FPS)
    first = track.cues[0]
    shown = sum(len(line) for line in first.lines)
    assert shown / 9 > 1.4 and first.end - first.start >= shown / 9 - 1e-3
    assert check_cues(track.cues, "zh", FPS).ok
