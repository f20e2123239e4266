"""Live numbers: ``label = number`` readouts whose digits change every frame without typesetting.

The digits, the minus sign and the decimal point are the lecture font's (style.FONT), the same
typeface as the label, at the label's size and on its baseline. They are typeset once; a change
of value only gives each character slot the points of one of those glyphs (rebuilding a Text or a
DecimalNumber per frame would cost a Pango or LaTeX run, or a deep copy of every glyph).

Each slot has a fixed width (a digit that of "0", the point that of ".", the sign that of "−")
and its glyph is centred in it, so the figures are tabular whatever the font's own spacing: a
digit that changes moves none of the others, and a value that turns negative fills the slot kept
for its sign instead of pushing its digits to the right.
"""
from __future__ import annotations

from itertools import zip_longest

import numpy as np
from manim import DOWN, LEFT, ORIGIN, RIGHT, Text, VectorizedPoint, VGroup, VMobject

from scenes import style
from scenes.settings import pacing
from scenes.text import styled

MINUS = "\u2212"  # the font's minus sign: as wide as a digit, at the height of the figures' middle
BLANK = " "       # the sign slot of a value that is not negative: kept, nothing drawn


class FastNumber(VGroup):
    """A number in the lecture's font that changes in place, on a fixed-pitch grid of slots.

    ``signed``: keep a slot for the sign, so the digits stay put when the value crosses zero. A
    number that is never negative (an epoch, a loss) leaves it out; if one does go below zero its
    minus hangs left of the first slot, and still no digit moves.
    """

    # Typeset once. Its glyphs are, in order: 0 0 . 0 − 0 1 2 ... 9. Two glyphs of the same
    # character are one advance apart, so "00" gives a digit's width, "0.0" the point's and
    # "0−0" the sign's; the last ten are the digits' shapes, "1" (flat-footed) gives the baseline.
    # Centring each outline in its slot, instead of using the font's side bearings, moves a digit
    # of Noto Sans CJK by at most 1.5 % of an em (under a pixel at 1080p). These are the digits
    # Pango sets with no letter around them; after a Latin letter ("w = 1") Noto substitutes its
    # Latin-context digits (locl), 2 % of an em shorter, same widths: under a pixel as well.
    SAMPLE = "00.0" + MINUS + "0123456789"

    def __init__(self, value: float, decimals: int = 3, font_size: float = style.SMALL_SIZE,
                 color=style.TEXT, signed: bool = True):
        super().__init__()
        self.font = style.FONT
        glyphs = Text(self.SAMPLE, font=self.font, font_size=font_size)
        assert len(glyphs) == len(self.SAMPLE), f"{self.font} drew {len(glyphs)} glyphs for {self.SAMPLE!r}"
        left = [g.get_left()[0] for g in glyphs]
        digit = left[1] - left[0]
        self.pitch = {**dict.fromkeys("0123456789", digit), ".": left[3] - left[1] - digit,
                      MINUS: left[5] - left[3] - digit}
        self.pitch[BLANK] = self.pitch[MINUS]
        base = glyphs[6].get_bottom()[1]  # the foot of "1"
        self.shapes = {char: glyph.points - np.array([glyph.get_center()[0], base, 0.0])
                       for char, glyph in zip(self.SAMPLE, glyphs)}  # the last "0" wins: any will do
        self.decimals, self.color, self.signed = decimals, color, signed
        self.anchor = VectorizedPoint()  # the left end of the first slot, on the baseline
        self.add(self.anchor)
        self.set_value(value)

    def characters(self, value: float) -> str:
        """What the slots show for ``value``: the sign slot (when kept), then the digits. A value
        that rounds to zero shows no minus ("0.000", not "−0.000")."""
        digits = f"{abs(value):.{self.decimals}f}"
        negative = value < 0 and digits.strip("0.") != ""
        return (MINUS if negative else BLANK if self.signed else "") + digits

    def set_value(self, value: float) -> FastNumber:
        self.value = float(value)
        shown = self.characters(self.value)
        while len(self.submobjects) - 1 < len(shown):
            self.add(VMobject(fill_color=self.color, fill_opacity=1.0, stroke_width=0))
        origin = self.anchor.get_location()
        x = -self.pitch[MINUS] if shown.startswith(MINUS) and not self.signed else 0.0
        for slot, char in zip_longest(self.submobjects[1:], shown):
            if char is None or char == BLANK:
                slot.points = np.zeros((0, 3))
            else:
                slot.points = self.shapes[char] + origin + np.array([x + self.pitch[char] / 2, 0.0, 0.0])
            if char is not None:
                x += self.pitch[char]
        return self

    def get_value(self) -> float:
        return self.value


def baseline_and_start(label: VMobject, string: str, size: float) -> tuple[float, float]:
    """Where Pango would set a figure after ``label`` (``styled(string, size)``) and a space:
    the y of the label's baseline and the x of the figure's centre.

    A Text keeps outlines only, not its baseline: typeset ``string + " 1"`` once, read the
    foot and the centre of its "1" against the rest, and carry both over to ``label``.
    """
    probe = styled(string + " 1", size)
    one, rest = probe.submobjects[-1], VGroup(*probe.submobjects[:-1])
    baseline = label.get_bottom()[1] + one.get_bottom()[1] - rest.get_bottom()[1]
    start = label.get_right()[0] + one.get_center()[0] - rest.get_right()[0]
    return baseline, start


class Readout(VGroup):
    """``label = number``, read from ``getter`` at most ``readout_rate`` times a second.

    The number's first slot is centred where a figure typed after the label would be, on the
    label's baseline: label and number read as one line of one typeface.
    """

    def __init__(self, label: str, getter, decimals: int = 3, color=style.TEXT,
                 size: float = style.SMALL_SIZE, signed: bool = True):
        self.label = styled(label, size, style.MUTED)
        self.number = FastNumber(getter(), decimals=decimals, font_size=size, color=color, signed=signed)
        super().__init__(self.label, self.number)
        baseline, start = baseline_and_start(self.label, label, size)
        self.number.anchor.move_to([start - self.number.pitch["0"] / 2, baseline, 0.0])
        self.number.set_value(getter())
        self.getter = getter
        self.period = 1.0 / pacing().readout_rate
        self.waited = 0.0
        self.add_updater(self._tick)

    def _tick(self, m, dt):
        self.waited += dt
        if dt == 0 or self.waited >= self.period:
            self.waited = 0.0
            self.refresh()

    def settle(self) -> None:
        """Show the current value and start the throttle afresh (LessonScene.settle)."""
        self.waited = 0.0
        self.refresh()

    def refresh(self) -> Readout:
        self.number.set_value(self.getter())
        return self

    @property
    def value(self) -> float:
        return self.number.get_value()


def readout_column(readouts: list[Readout]) -> VGroup:
    return VGroup(*readouts).arrange(DOWN, aligned_edge=LEFT, buff=0.18)


def readout_grid(readouts: list[Readout], columns: int = 2, width: float = 2.8) -> VGroup:
    """Readouts in rows of ``columns``, each starting ``width`` units after the previous one."""
    group = VGroup(*readouts)
    for i, readout in enumerate(readouts):
        readout.move_to(ORIGIN, aligned_edge=LEFT).shift(RIGHT * width * (i % columns)
                                                         + DOWN * 0.5 * (i // columns))
    return group
