"""On-screen text, looked up by key in the language files ``assets/text/<lang>.toml`` (read by
lesson_text, the one reader of the lesson's words).

A key is ``section.name``; values may hold ``{placeholders}`` filled from trace numbers.
"""
from __future__ import annotations

import html

from manim import MarkupText, MathTex, Text

from lesson_text import lesson_text
from scenes import style
from scenes.settings import language


def phrase(key: str, **values) -> str:
    """The string for ``key`` in the render's language, with ``values`` filled in."""
    return lesson_text().string(key, language(), **values)


def text(key: str, size: float = style.BODY_SIZE, color=style.TEXT, **values) -> Text:
    """The text of ``key`` as one Text; lines are separated by newlines in the language file."""
    return styled(phrase(key, **values), size, color)


def styled(string: str, size: float = style.BODY_SIZE, color=style.TEXT) -> Text | MarkupText:
    """Text in the lecture's font. Maths symbols that the CJK font draws full-width (∂, −, ∇)
    are set in a Latin font through Pango markup, so "∂L/∂w" does not fall apart (Manim's t2f
    would shift them off the baseline)."""
    if not any(ch in string for ch in style.MATH_SYMBOLS):
        return Text(string, font=style.FONT, font_size=size, color=color, line_spacing=1.1)
    markup = html.escape(string, quote=False)
    for ch in style.MATH_SYMBOLS:
        markup = markup.replace(ch, f'<span font_family="{style.MATH_SYMBOL_FONT}">{ch}</span>')
    return MarkupText(markup, font=style.FONT, font_size=size, color=color, line_spacing=1.1)


def mono(string: str, size: float = style.SMALL_SIZE, color=style.TEXT) -> Text:
    return Text(string, font=style.MONO, font_size=size, color=color)


def tex(*parts: str, size: float = style.TEX_SIZE, color=style.TEXT) -> MathTex:
    return MathTex(*parts, font_size=size, color=color)
