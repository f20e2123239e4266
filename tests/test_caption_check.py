"""The caption check (lecture.publish.caption_check) catches each rule broken, in SRT text as a file
holds it; reads WebVTT too; sums a track up in one line and gives each failing cue in full; and
the run's report (lecture.publish.caption_report) tells a beat too short for its line."""
from __future__ import annotations

from pathlib import Path

import pytest

from lecture.publish.caption_check import FIXES, TrackUnreadable, check_cues, check_file, parse
from lecture.publish.caption_report import BeatLine, CaptionCheck, report
from lecture.publish.subtitles import Cue, to_srt, to_vtt

FPS = 15


def srt_of(*cues: tuple[str, str, str]) -> str:
    """SRT text of (start, end, text) cues, times as SRT writes them."""
    return "".join(f"{i + 1}\n00:{a} --> 00:{b}\n{text}\n\n" for i, (a, b, text) in enumerate(cues))


GOOD_ZH = srt_of(("00:01,000", "00:04,000", "第三步，清空上一轮留下的梯度，\n否则梯度会累加。"),
                 ("00:04,134", "00:06,000", "接下来看数据。"))
GOOD_EN = srt_of(("00:01,000", "00:05,000", "Tanh is centred on zero,\nbut it saturates at both ends too."))


@pytest.mark.parametrize("text, lang", [(GOOD_ZH, "zh"), (GOOD_EN, "en")])
def test_a_good_track_passes_in_one_line(text, lang):
    result = check_cues(parse(text), lang, FPS, f"lecture.{lang}.srt")
    assert result.ok and result.summary() == f"lecture.{lang}.srt: {result.cues} cues, all pass"


BAD = [  # (rule, lang, SRT text that breaks it and nothing else)
    ("line too long", "zh", srt_of(("00:01,000", "00:05,000", "训练数据是课程给出的十个样本，每个"))),
    ("line too long", "en", srt_of(("00:01,000", "00:05,000", "The training data are the lesson's ten samples."))),
    ("over 2 lines", "zh", srt_of(("00:01,000", "00:06,000", "训练数据是\n课程给出的\n十个样本。"))),
    ("under 5/6 s", "zh", srt_of(("00:01,000", "00:01,700", "还是这个。"))),
    ("over 7 s", "en", srt_of(("00:01,000", "00:08,100", "Now let the loop run\nthrough the whole training."))),
    ("too fast", "zh", srt_of(("00:01,000", "00:03,000", "第三步，清空上一轮留下的梯度，\n否则梯度会累加。"))),   # 23 in 2 s
    ("too fast", "en", srt_of(("00:01,000", "00:02,900", "Now let the loop run\nthrough the whole training."))),
    ("gap under 2 frames", "zh", srt_of(("00:01,000", "00:03,000", "接下来看数据。"),
                                        ("00:03,100", "00:05,000", "还是这十个样本。"))),         # 100 ms < 133
    ("gap under 2 frames", "en", srt_of(("00:01,000", "00:03,000", "Now the data."),
                                        ("00:02,500", "00:05,000", "The same ten samples."))),   # an overlap
    ("break inside a word", "zh", srt_of(("00:01,000", "00:05,000", "我们搭建一个最简单的模\n型：一元线性回归。"))),
    ("break inside a word", "zh", srt_of(("00:01,000", "00:05,000", "截距 b 等于 -\n3.27 左右。"))),
    ("break inside a word", "zh", srt_of(("00:01,000", "00:05,000", "梯度不会在 Leaky\nReLU 里消失。"))),
    ("break inside a word", "zh", srt_of(("00:01,000", "00:05,000", "这些是文件和它们\n的大小。"))),
    ("starts with punctuation", "en", srt_of(("00:01,000", "00:05,000", "Tanh is centred on zero\n, but it saturates."))),
    ("orphan", "en", srt_of(("00:01,000", "00:02,000", "run."))),
    ("orphan", "zh", srt_of(("00:01,000", "00:02,000", "梯度。"))),
]


@pytest.mark.parametrize("rule, lang, text", BAD, ids=[f"{r}-{lang}-{i}" for i, (r, lang, _) in enumerate(BAD)])
def test_each_rule_broken_is_caught_and_named(rule, lang, text):
    result = check_cues(parse(text), lang, FPS, "bad.srt")
    assert not result.ok and rule in result.counts(), result.details()
    assert set(result.counts()) == {rule} or rule == "orphan", result.details()   # an orphan is also short
    failure = result.failures[0]
    assert failure.index >= 1 and failure.end > failure.start and failure.lines
    assert f"{rule}:" in result.details() and FIXES[rule] in result.details()
    assert result.summary().startswith(f"bad.srt: {result.cues} cues, {len(result.failures)} fail: ")


def test_a_cue_outside_the_video_is_caught():
    result = check_cues(parse(srt_of(("00:08,000", "00:11,000", "接下来看数据。"))), "zh", FPS, duration=10.0)
    assert set(result.counts()) == {"outside the video"}


def test_the_gap_is_two_frames_at_the_videos_rate_with_a_millisecond_for_rounding():
    two_frames = srt_of(("00:01,000", "00:03,000", "接下来看数据。"), ("00:03,033", "00:05,000", "还是这十个样本。"))
    assert check_cues(parse(two_frames), "zh", 60).ok                  # 33 ms = 2 frames at 60 fps, rounded
    assert check_cues(parse(two_frames), "zh", 15).counts() == {"gap under 2 frames": 1}


def test_the_summary_counts_every_rule_and_the_details_give_each_cue_in_full():
    text = srt_of(("00:01,000", "00:01,500", "Now the data, read far too quickly."),
                  ("00:01,550", "00:05,000", "run."))
    result = check_cues(parse(text), "en", FPS, "lecture.en.srt", where=lambda t: f"assets/narration/en.toml [k{t:g}]")
    assert result.summary() == "lecture.en.srt: 2 cues, 2 fail: 1 under 5/6 s, 1 too fast, 1 gap under 2 frames, 1 orphan"
    details = result.details()
    assert "cue 1 (00:00:01,000 --> 00:00:01,500, 0.50 s), assets/narration/en.toml [k1]:" in details
    assert "| Now the data, read far too quickly." in details and "| run." in details
    assert "35 characters in 0.50 s = 70.0 a second (at most 17" in details


def test_srt_and_webvtt_files_are_read_back_as_written(tmp_path):
    cues = [Cue(1.0, 4.0, ("第三步，清空上一轮留下的梯度，", "否则梯度会累加。")), Cue(4.134, 6.0, ("接下来看数据。",))]
    for ext, fmt in (("srt", to_srt), ("vtt", to_vtt)):
        path = tmp_path / f"lecture.zh.{ext}"
        path.write_text(fmt(cues), encoding="utf-8")
        assert parse(path.read_text(encoding="utf-8")) == cues
        result = check_file(path, FPS)
        assert result.ok and result.lang == "zh" and result.summary() == f"lecture.zh.{ext}: 2 cues, all pass"


def test_an_unreadable_track_is_named_without_a_traceback(tmp_path):
    broken = tmp_path / "lecture.zh.srt"
    broken.write_text("1\n00:00:01,000 --> nonsense\nx\n", encoding="utf-8")
    with pytest.raises(TrackUnreadable, match="lecture.zh.srt: not a valid SRT file.*Fix: publish it again"):
        check_file(broken, FPS)
    (tmp_path / "lecture.srt").write_text(GOOD_ZH, encoding="utf-8")
    with pytest.raises(TrackUnreadable, match="no language in the name"):
        check_file(tmp_path / "lecture.srt", FPS)


def test_the_report_says_which_cues_fail_only_because_their_beat_is_short():
    text = srt_of(("00:01,000", "00:03,000", "Now let the loop run\nthrough the whole training."),  # too fast
                  ("00:05,000", "00:06,000", "run."))                                              # orphan
    track = check_cues(parse(text), "en", FPS, "lecture.en.srt")
    short = BeatLine(0.9, "linreg_fit.intro", "assets/narration/en.toml", 2.2, 3.0)
    other = BeatLine(4.9, "linreg_fit.data", "assets/narration/en.toml", 3.0, 1.0)
    said = []
    check = CaptionCheck(track, Path("lecture.en.srt"), own=False, beats=[short, other])
    assert report([check], said.append) == 2 and check.only_short_beats() == 1
    assert any("lecture.en.srt: 2 cues, 2 fail" in line and "(1 only because their beat is shorter" in line
               for line in said), said
    assert "hold the beat 0.80 s longer" in short.describe(own=False) and "hold" not in short.describe(own=True)
    own = CaptionCheck(track, Path("lecture.en.srt"), own=True, beats=[short, other])
    assert own.only_short_beats() == 0   # in the voice's own language a short beat is the voice's pace
