"""Speakable text: what a voice reads for a subtitle line.

Two steps, in this order:

1. numbers are written out in words: Chinese with cn2an (38.401 -> 三十八点四零一, -3.27 ->
   负三点二七, 38% -> 百分之三十八, 1e-3 -> 十的负三次方), English with num2words (38.401 ->
   thirty-eight point four zero one, 1e-3 -> one times ten to the minus three). Digits after the
   point are read one by one and trailing zeros are kept: the voice says what the subtitle shows.
2. terms are replaced by their spoken forms from ``assets/narration/spoken.toml`` (``w``,
   ``nn.Sequential``, ``ReLU``, ``∂L/∂w``...); for Chinese, any Latin letter still left is spelt
   out with the ``letters`` table, because the Chinese neural voice says nothing for it.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from lesson_text import LessonText
from lesson_text.lesson import SPOKEN_FILE

# A number as a narration line writes it: optional sign (only where it cannot be a hyphen inside
# a word), digits, optional decimals, optional exponent, optional percent sign.
NUMBER = re.compile(r"(?<![A-Za-z0-9_.])(?P<sign>[-−])?(?P<int>\d+)(?:\.(?P<frac>\d+))?"
                    r"(?:[eE](?P<exp>[-+−]?\d+))?(?P<pct>%)?(?![A-Za-z0-9_])")
CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"


@cache
def spoken_table(path: Path = SPOKEN_FILE) -> dict:
    """lang -> {"terms": ..., "letters": ...}, read and checked by lesson_text (one reader)."""
    return LessonText(spoken_file=path).spoken_forms


# --- numbers -----------------------------------------------------------------------------------
def _zh_plain(sign: str, whole: str, frac: str | None) -> str:
    import cn2an

    text = cn2an.an2cn(f"{whole}.{frac}" if frac else whole)
    return ("负" if sign else "") + text


def _en_plain(sign: str, whole: str, frac: str | None) -> str:
    from num2words import num2words

    words = num2words(int(whole))
    if frac:
        words += " point " + " ".join(num2words(int(d)) for d in frac)
    return ("minus " if sign else "") + words


def say_number(match: re.Match, lang: str) -> str:
    sign, whole, frac = match["sign"], match["int"], match["frac"]
    exp, pct = match["exp"], match["pct"]
    plain = _zh_plain if lang == "zh" else _en_plain
    if exp is not None:
        exp_sign = "-" if exp[0] in "-−" else ""
        exp_digits = exp.lstrip("+-−").lstrip("0") or "0"
        if lang == "zh":
            power = f"十的{_zh_plain(exp_sign, exp_digits, None)}次方"
            mantissa = "" if (whole, frac) == ("1", None) else plain(None, whole, frac) + "乘以"
            return ("负" if sign else "") + mantissa + power
        return (plain(sign, whole, frac) + " times ten to the "
                + ("minus " if exp_sign else "") + _en_plain(None, exp_digits, None))
    if pct:
        if lang == "zh":
            return ("负" if sign else "") + "百分之" + _zh_plain(None, whole, frac)
        return plain(sign, whole, frac) + " percent"
    return plain(sign, whole, frac)


def say_numbers(text: str, lang: str) -> str:
    return NUMBER.sub(lambda m: say_number(m, lang), text)


# --- terms -------------------------------------------------------------------------------------
@cache
def _term_pattern(lang: str, path: Path = SPOKEN_FILE) -> tuple[re.Pattern | None, dict[str, str]]:
    terms = spoken_table(path).get(lang, {}).get("terms", {})
    if not terms:
        return None, {}
    alternatives = []
    for term in sorted(terms, key=len, reverse=True):
        escaped = re.escape(term)
        # a term that starts or ends with a word character is matched only as a whole word
        before = r"(?<![A-Za-z0-9_.])" if re.match(r"\w", term) else ""
        after = r"(?![A-Za-z0-9_])" if re.search(r"\w$", term) else ""
        alternatives.append(before + escaped + after)
    lookup = {term.lower(): spoken for term, spoken in terms.items()}
    return re.compile("|".join(alternatives), re.IGNORECASE), lookup


def say_terms(text: str, lang: str, path: Path = SPOKEN_FILE) -> str:
    pattern, lookup = _term_pattern(lang, path)
    if pattern is None:
        return text
    # pad with spaces so that neighbouring words stay apart; spacing is tidied afterwards
    return pattern.sub(lambda m: f" {lookup[m.group(0).lower()]} ", text)


def spell_latin(text: str, lang: str, path: Path = SPOKEN_FILE) -> str:
    letters = spoken_table(path).get(lang, {}).get("letters")
    if not letters:
        return text
    return re.sub(r"[A-Za-z]", lambda m: letters.get(m.group(0).lower(), m.group(0)), text)


def tidy(text: str, lang: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if lang == "zh":  # no spaces next to Chinese characters or full-width punctuation
        text = re.sub(rf"\s*([{CJK}])\s*", r"\1", text)
    else:
        text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    return text


def speakable(text: str, lang: str, path: Path = SPOKEN_FILE) -> str:
    """What a voice of ``lang`` reads for ``text`` (a subtitle line with its values filled in)."""
    text = say_terms(text, lang, path)
    text = say_numbers(text, lang)
    text = spell_latin(text, lang, path)
    return tidy(text, lang)


def unspeakable(spoken: str, lang: str) -> list[str]:
    """What the Chinese neural voice would drop silently from ``spoken``: Latin letters and digits."""
    if lang != "zh":
        return []
    return re.findall(r"[A-Za-z0-9]+", spoken)
