"""The timed-text standard's line breaking (lesson_text.timed_text): Chinese only between jieba's
words, numbers and Latin terms whole, within 16 / 42 characters and two lines, balanced, no
orphans; and the reading time another language's beat must be held for."""
from __future__ import annotations

import re
import textwrap

import pytest

from lesson_text import NARRATION, lesson_text
from lesson_text.timed_text import (CLOSING, MIN_SECONDS, broken_word, cue_spans, cue_texts, is_orphan, lines_for,
                                    reading_seconds, standard, words)

# The seven breaks a reader found inside a word (模|型, 参|数, 四分之|一, 一|次, 真实值|差, 它们|的,
# 几乎|重合), each in its sentence with the word put across the 16th character
REPORTED = [
    ("这一节我们用飞桨搭建一个最简单的模型：一元线性回归。", "模型"),
    ("第五步，优化器沿着负梯度方向更新参数，直线随之移动。", "参数"),
    ("Sigmoid 的导数最大只有四分之一，层数一多，梯度就会越乘越小。", "四分之一"),
    ("黄点是课程代码每五十轮打印一次的位置。", "一次"),
    ("第二步，用均方误差衡量预测值和真实值差多远。", "值差"),
    ("这些就是这次运行真正写出的文件和它们的大小。", "它们的"),
    ("和梯度下降的结果几乎重合。", "几乎重合"),
]


def across_the_boundary(sentence: str, word: str, limit: int = 16) -> str:
    """``sentence`` after short sentences ("嗯。", "好的。": they move the word, not how the
    sentence segments) until ``word`` is cut by the 16th or 32nd character, where a breaker that
    counts characters would cut it."""
    for twos in range(16):
        for threes in range(3):
            text = "嗯。" * twos + "好的。" * threes + sentence
            at = text.index(word)
            if any(at < edge < at + len(word) for edge in (limit, 2 * limit)):
                return text
    raise AssertionError(f"cannot put {word!r} across character {limit}")


@pytest.mark.parametrize("sentence, word", REPORTED)
def test_the_reported_breaks_inside_a_word_do_not_happen(sentence, word):
    text = across_the_boundary(sentence, word)
    at = text.index(word)
    assert any(at < edge < at + len(word) for edge in (16, 32))  # a count to 16 would cut it
    lines = lines_for(text, "zh")
    assert any(word in line for line in lines), (word, lines)
    for cue in cue_texts(text, "zh"):
        assert all(broken_word(a, b, "zh") is None for a, b in zip(cue, cue[1:])), cue


# The same words where the most even break of two lines would cut them: the middle of the text
# falls inside the word (它们|的 and 几乎|重合 are two words to jieba: the glue keeps them together)
CENTRED = [
    ("我们先搭建一个模型再用数据训练它。", "模型"),
    ("优化器每一步都更新参数让直线靠近数据。", "参数"),
    ("它的导数最大只有四分之一层数一多梯度就变小。", "四分之一"),
    ("黄点每五十轮打印一次当前的损失值。", "一次"),
    ("它算的是预测和真实值差的平方再取平均数。", "值差"),
    ("这是写出的文件和它们的大小和修改时间。", "它们的"),
    ("虚线和梯度下降的结果几乎重合只差非常小的一点点。", "几乎重合"),
]


@pytest.mark.parametrize("text, word", CENTRED)
def test_balanced_lines_do_not_cut_the_reported_words(text, word):
    at = text.index(word)
    assert 16 < len(text) <= 32 and at < len(text) / 2 < at + len(word)   # an even split would cut it
    (first, second), = cue_texts(text, "zh")
    assert word in first or word in second, (first, second)
    assert abs(len(first) - len(second)) <= len(word) + 1                 # and still about even


@pytest.mark.parametrize("term", ["38.401", "-3.27", "12.5%", "nn.Sequential", "Leaky ReLU", "∂L/∂w", "paddle.summary"])
def test_numbers_percentages_and_latin_terms_stay_whole(term):
    for lead in range(8, 16):
        text = "这一行" * (lead // 3) + "好" * (lead % 3) + f"用 {term} 算出来，结果是对的。"
        lines = lines_for(text, "zh")
        assert any(term in line for line in lines), (term, lines)
        assert term in [w.text for w in words(text, "zh")] or any(term in w.text for w in words(text, "zh"))


def test_jieba_is_what_decides_a_word():
    assert [w.text for w in words("模型可以用 nn.Sequential 按顺序组网", "zh")][:4] == ["模型", "可以", "用",
                                                                                "nn.Sequential"]
    assert broken_word("这一节我们用飞桨搭建一个最简单的模", "型：一元线性回归。", "zh") == "模型"
    assert broken_word("这一节我们用飞桨搭建一个", "最简单的模型：一元线性回归。", "zh") is None
    assert broken_word("w 等于 -3", ".27", "zh") == "-3.27"
    assert broken_word("用 Leaky", "ReLU", "zh") == "Leaky ReLU"
    assert broken_word("它们", "。", "zh") == "它们"                  # closing punctuation belongs to its word


def lesson_lines(lang: str) -> dict[str, str]:
    """Every narration line, its placeholders filled with numbers of the sizes the lesson prints."""
    return {key: re.sub(r"\{[^}]*\}", "3142.0425", line)
            for key, line in lesson_text().file(NARRATION, lang).entries.items()}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_narration_line_keeps_to_the_limits(lang):
    limit = standard(lang).line_chars
    for key, text in lesson_lines(lang).items():
        cues = cue_texts(text, lang)
        assert all(1 <= len(cue) <= 2 for cue in cues), (key, cues)
        assert all(len(line) <= limit for cue in cues for line in cue), (key, cues)
        assert not any(line[0] in CLOSING for cue in cues for line in cue), (key, cues)
        assert "".join(line for cue in cues for line in cue).replace(" ", "") == text.replace(" ", ""), key
        assert not any(broken_word(a, b, lang) for cue in cues for a, b in zip(cue, cue[1:])), (key, cues)
        assert len(cues) == 1 or not any(is_orphan(" ".join(cue), lang) for cue in cues), (key, cues)


def test_a_line_that_fits_is_one_line():
    assert cue_texts("还是这十个样本。", "zh") == [["还是这十个样本。"]]
    assert cue_texts("The same ten samples.", "en") == [["The same ten samples."]]


def test_two_lines_break_after_punctuation_and_are_balanced():
    assert cue_texts("第三步，清空上一轮留下的梯度，否则梯度会累加。", "zh") == [["第三步，清空上一轮留下的梯度，", "否则梯度会累加。"]]
    assert cue_texts("Tanh is centred on zero, but it saturates at both ends too.", "en") == \
        [["Tanh is centred on zero,", "but it saturates at both ends too."]]
    text = "Next, the mean squared error measures how far the predictions are from the targets."
    (first, second), = cue_texts(text, "en")
    assert abs(len(first) - len(second)) <= 2 and len(first) <= len(second) + 1
    # no punctuation in reach: the most even break among the legal ones
    first, second = cue_texts("第二步，用均方误差衡量预测值和真实值差多远。", "zh")[0]
    assert (len(first), len(second)) == (11, 11)


def test_a_long_line_becomes_cues_split_at_sentence_ends_first():
    text = "训练数据是课程给出的十个样本。每个样本有输入 x 和目标值 y，画出来就是十个散点。"
    cues = cue_texts(text, "zh")
    assert len(cues) == 2 and cues[0][-1].endswith("。") and cues[1][0].startswith("每个样本")
    en = ("Over 500 epochs the loss falls from 3142 to 42.68. On the log scale, the excess over the minimum, "
          "in green, keeps falling by a constant factor.")
    assert cue_texts(en, "en")[0][-1].endswith(("42.68.", "scale,"))


@pytest.mark.parametrize("text, lang", [
    ("Finally the optimizer moves the parameters against the gradient, and the line moves along.", "en"),
    ("Finally the optimizer moves the parameters against the gradient and the line moves on run.", "en"),
    ("反向传播时，从损失开始，把每一段的导数依次相乘，最后就得到参数梯度。", "zh"),
])
def test_no_cue_is_an_orphan(text, lang):
    """Lines filled to the limit, two a cue, would leave the sentence's last word as a cue."""
    filled = textwrap.wrap(text, standard(lang).line_chars) if lang == "en" else \
        [text[i:i + 16] for i in range(0, len(text), 16)]
    assert len(filled) == 3 and is_orphan(filled[-1], lang)
    cues = cue_texts(text, lang)
    assert len(cues) >= 2 and not any(is_orphan(("" if lang == "zh" else " ").join(c), lang) for c in cues), cues


def test_orphans_are_one_word_or_three_chinese_characters():
    assert is_orphan("run.", "en") and not is_orphan("one run.", "en")
    assert is_orphan("梯度。", "zh") and not is_orphan("的梯度。", "zh")


def test_reading_seconds_is_each_cue_at_the_reading_speed_and_a_gap_after_it():
    gap = 2 / 30                                                                       # at 30 fps
    assert reading_seconds("好的。", "zh") == pytest.approx(MIN_SECONDS + gap)         # 3 / 9 s, at least 5/6
    assert reading_seconds("还是这十个样本。", "zh") == pytest.approx(8 / 9 + gap)
    text = "第三步，清空上一轮留下的梯度，否则梯度会累加。"
    assert reading_seconds(text, "zh") == pytest.approx(len(text) / 9 + gap)
    long = lesson_lines("en")["linreg_fit.train"]
    cues = cue_spans(long, "en")
    assert len(cues) == 2
    expect = sum(max(c.chars / 17, MIN_SECONDS) for c in cues)
    assert reading_seconds(long, "en", fps=15) == pytest.approx(expect + 2 * 2 / 15)  # a gap after each cue
    assert reading_seconds(long, "en") == pytest.approx(expect + 2 * 2 / 30)
