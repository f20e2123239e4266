"""The subtitle builder: Chinese line breaking, timing invariants, SRT and WebVTT syntax."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import srt

from lecture.publish.subtitles import (MAX_COLUMNS, NO_LINE_START, Cue, check, cues_for, lecture_cues, to_srt, to_vtt,
                               width, wrap)
from lesson_text import NARRATION, TEXT, lesson_text
from lesson_text import narration_line as narration


def table(lang, kind):
    return lesson_text().file(kind, lang).entries


def all_lines(lang):
    return {k: v for k, v in table(lang, NARRATION).items()}


def fill(template: str) -> str:
    """A narration line with its placeholders filled by plausible numbers."""
    return re.sub(r"\{[^}]*\}", "12.345", template)


def placeholders(template: str) -> set[str]:
    return set(re.findall(r"\{(\w+)", template))


@pytest.mark.parametrize("directory", [NARRATION, TEXT])
def test_languages_have_the_same_keys_and_placeholders(directory):
    zh, en = table("zh", directory), table("en", directory)
    assert set(zh) == set(en)
    for key in zh:
        assert placeholders(zh[key]) == placeholders(en[key]), key


def test_width_counts_cjk_as_two_columns():
    assert width("ab") == 2 and width("梯度") == 4 and width("，") == 2


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_narration_line_wraps_within_the_limits(lang):
    for key, template in all_lines(lang).items():
        text = fill(template)
        lines = wrap(text, MAX_COLUMNS[lang])
        assert all(width(line) <= MAX_COLUMNS[lang] for line in lines), (key, lines)
        assert not any(line[0] in NO_LINE_START for line in lines), (key, lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", ""), key  # nothing lost or added


def test_chinese_breaks_after_punctuation_and_never_inside_numbers_or_words():
    text = "损失从 3142.0425 降到 42.6774，右边用对数坐标，绿线是比最小值多出的部分，它一直按比例下降。"
    lines = wrap(text, 20)
    assert all(width(x) <= 20 for x in lines)
    assert any(line.endswith("，") for line in lines)
    tokens = set(re.findall(r"[0-9.]+|[A-Za-z]+", text))
    assert tokens <= set(re.findall(r"[0-9.]+|[A-Za-z]+", " ".join(lines)))
    assert wrap("一" * 40, 36) == ["一" * 18, "一" * 18, "一" * 4]


def test_closing_punctuation_carries_a_character_down():
    lines = wrap("一" * 18 + "：二二", 36)
    assert lines == ["一" * 17, "一：二二"]


def test_cues_have_at_most_two_lines_and_split_the_beat():
    cues = cues_for(fill(all_lines("zh")["linreg_fit.train"]), 10.0, 20.0, "zh")
    assert all(1 <= len(c.lines) <= 2 for c in cues)
    assert cues[0].start == 10.0 and cues[-1].end == pytest.approx(20.0)
    check(cues, 20.0)


def test_lecture_cues_shift_scenes_and_stay_inside():
    scenes = [{"start": 0.0, "duration": 5.0, "beats": [
                  {"key": "linreg_fit.intro", "start": 0.0, "end": 2.0, "values": {}},
                  {"key": "linreg_fit.data", "start": 2.0, "end": 5.0, "values": {}}]},
              {"start": 5.0, "duration": 3.0, "beats": [
                  {"key": "zigzag.intro", "start": 0.0, "end": 3.0, "values": {}}]}]
    for lang in ("zh", "en"):
        cues = lecture_cues(scenes, lang, narration)
        check(cues, 8.0)
        assert cues[-1].end == pytest.approx(8.0) and any(c.start == pytest.approx(5.0) for c in cues)


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
