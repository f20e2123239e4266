"""The live readouts (scenes/readouts.py), built in-process without a render: their digits are the
lecture font's glyphs, not LaTeX's; the figures are tabular (a slot never moves when its digit
or the sign changes); a value set is the value shown, glyph for glyph; and label and number share
one size and one baseline, as if Pango had set them as one line."""
from __future__ import annotations

import numpy as np
import pytest
from manim import DecimalNumber, MathTex, SingleStringMathTex, Text, tempconfig

from scenes import style
from scenes.readouts import MINUS, FastNumber, Readout

SIZE = style.SMALL_SIZE


@pytest.fixture(autouse=True)
def _media(tmp_path):
    with tempconfig({"media_dir": str(tmp_path), "verbosity": "WARNING"}):
        yield


def lecture_glyphs(string: str, size: float = SIZE) -> dict[str, np.ndarray]:
    """Each character's outline in the lecture font, typeset here, independently of FastNumber."""
    text = Text(string, font=style.FONT, font_size=size)
    return {char: glyph.points for char, glyph in zip(string, text)}


def same_shape(points: np.ndarray, reference: np.ndarray, tol: float = 1e-6) -> bool:
    """The same outline, wherever it stands (both moved to the centre of their bounding box)."""
    if points.shape != reference.shape or not len(points):
        return False
    centre = lambda p: (p.min(axis=0) + p.max(axis=0)) / 2  # noqa: E731
    return bool(np.allclose(points - centre(points), reference - centre(reference), atol=tol))


def slots(number: FastNumber) -> list:
    return number.submobjects[1:]  # [0] is the anchor


def centres(number: FastNumber) -> list[float]:
    return [float(slot.get_center()[0]) for slot in slots(number) if len(slot.points)]


def test_the_digits_are_glyphs_of_the_lecture_font_not_latex():
    number = FastNumber(-9876.543210, decimals=6)
    assert number.font == style.FONT
    assert not [m for m in number.get_family() if isinstance(m, (SingleStringMathTex, MathTex, DecimalNumber))]
    reference = lecture_glyphs("0123456789." + MINUS)
    shown = [slot.points for slot in slots(number) if len(slot.points)]
    assert len(shown) == len("-9876.543210")
    for points, char in zip(shown, MINUS + "9876.543210"):
        assert same_shape(points, reference[char]), char


def test_digits_are_tabular_each_slot_keeps_its_place():
    number = FastNumber(38.401)
    before = centres(number)
    number.set_value(11.111)
    assert len(centres(number)) == len(before) == 6  # five digits and the point; the sign slot is blank
    assert np.allclose(centres(number), before, rtol=0, atol=1e-6)
    number.set_value(-38.401)  # the minus fills the kept sign slot: no digit moves
    assert np.allclose(centres(number)[1:], before, rtol=0, atol=1e-6)


def test_a_number_without_a_sign_slot_hangs_its_minus_and_moves_no_digit():
    number = FastNumber(42.68, decimals=2, signed=False)
    before = centres(number)
    number.set_value(-17.05)
    assert np.allclose(centres(number)[1:], before, rtol=0, atol=1e-6)
    assert centres(number)[0] < before[0]  # the minus is left of the first digit


@pytest.mark.parametrize("value, decimals, shown", [
    (38.401035, 3, " 38.401"), (-1.6701256, 3, MINUS + "1.670"), (500.0, 0, " 500"),
    (0.0498, 4, " 0.0498"), (-0.0001, 3, " 0.000"), (24.61109, 3, " 24.611")])
def test_the_value_set_is_the_value_got_and_the_glyphs_shown(value, decimals, shown):
    number = FastNumber(7.0, decimals=decimals)
    number.set_value(value)
    assert number.get_value() == value
    assert number.characters(value) == shown
    reference = lecture_glyphs("0123456789." + MINUS)
    for slot, char in zip(slots(number), shown):
        if char == " ":
            assert not len(slot.points)
        else:
            assert same_shape(slot.points, reference[char]), (value, char)
    assert all(not len(slot.points) for slot in slots(number)[len(shown):])  # a shorter value clears the rest


@pytest.mark.parametrize("label", ["w =", "轮次 =", "loss ="])
def test_label_and_number_share_size_baseline_and_spacing_of_one_typeset_line(label):
    readout = Readout(label, lambda: 1.0, decimals=0, signed=False)
    one = slots(readout.number)[0]
    line = Text(label + " 1", font=style.FONT, font_size=SIZE)  # Pango sets both on one baseline
    first, foot = line.submobjects[0], line.submobjects[-1]
    assert one.height == pytest.approx(np.ptp(lecture_glyphs("1")["1"][:, 1]), abs=1e-6)
    assert one.get_bottom()[1] - readout.label.submobjects[0].get_bottom()[1] == \
        pytest.approx(foot.get_bottom()[1] - first.get_bottom()[1], abs=1e-6)
    assert one.get_center()[0] - readout.label.get_left()[0] == \
        pytest.approx(foot.get_center()[0] - line.get_left()[0], abs=1e-6)


def test_settle_and_refresh_show_the_getters_value_now():
    value = [1.5]
    readout = Readout("b =", lambda: value[0])
    value[0] = -2.25
    readout.waited = 0.01
    readout.settle()
    assert readout.value == -2.25 and readout.waited == 0.0
    value[0] = 3.0
    assert readout.refresh() is readout and readout.value == 3.0
