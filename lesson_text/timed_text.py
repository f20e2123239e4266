"""The timed-text standard of the lesson's captions, its numbers in one place, and line breaking.

The numbers are those of Netflix's Timed Text Style Guides (General Requirements, and the
Simplified Chinese and English guides), so that every track of every cut is held to one standard:
at most 16 characters a line and 9 characters a second in Chinese, 42 and 17 in English; at most
two lines a cue; a cue lasts 5/6 s to 7 s; two frames between consecutive cues. Characters are
counted as the guides count them: every character counts 1, punctuation and spaces included
(a CJK character too). Other languages are held to the English numbers.

Chinese has no spaces, so lines break only between words as jieba segments them (``jieba.lcut``),
after numbers, percentages and Latin terms (38.401, -3.27, 12.5%, nn.Sequential, Leaky ReLU, ∂L/∂w)
have been taken out whole. A few words are glued to their neighbour because a line must not start
or end with them: particles and suffixes (的, 了, 们, 器 ...) stay with the word before, adverbs,
negations and a few prepositions (几乎, 不, 把 ...) with the word after, a Chinese numeral with its
measure word (五十轮). Closing punctuation never starts a line. English breaks at spaces. Of the
legal breaks, the one after punctuation and with the most even lines wins. A text that needs
more than two lines becomes the fewest cues that hold it, split at sentence ends first, then at
clauses, then between words, with no cue of one word (English) or three characters (Chinese).

Pure Python; jieba is imported when Chinese is first segmented.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Standard:
    line_chars: int           # characters a line, at most
    chars_per_second: float   # reading speed, at most


STANDARDS = {"zh": Standard(16, 9.0), "en": Standard(42, 17.0)}
MAX_LINES = 2
MIN_SECONDS = 5 / 6
MAX_SECONDS = 7.0
GAP_FRAMES = 2
ORPHAN_CHARS = 3   # a Chinese cue this short is an orphan (English: one word)

SENTENCE_END = set("。！？!?…")
CLAUSE_END = set("，；：、,;:—")
CLOSING = set("，。；：！？、）》」』”’,.;:!?)]}…%")       # never starts a line
OPENING = set("（《「『“‘([{")                           # never ends a line
GLUE_PREVIOUS = {"的", "了", "着", "过", "地", "得", "们", "吗", "呢", "吧", "啊", "呀", "器", "率", "性", "者"}
GLUE_NEXT = {"几乎", "都", "就", "也", "还", "很", "不", "没", "没有", "最", "更", "只", "又", "再", "已经", "正好",
             "一直", "不断", "越", "才", "太", "非常", "比较", "被", "把", "将", "每"}
ZH_NUMERAL = re.compile(r"^[零一二三四五六七八九十百千万两几]+$")
# a line should not end with these (the guides: keep articles, prepositions, conjunctions with what follows)
FUNCTION_WORDS = {
    "en": {"a", "an", "the", "of", "to", "in", "on", "at", "for", "with", "from", "by", "and", "or", "but", "its",
           "their", "his", "her", "our", "this", "that", "these", "those", "is", "are", "=", "not"},
    "zh": {"和", "与", "或", "及", "以及", "从", "在", "对", "用", "向", "沿着", "并", "而", "但", "是", "等于"},
}
LATIN = r"[A-Za-z∂∇_][A-Za-z0-9∂∇_′']*(?:[./\-][A-Za-z0-9∂∇_′']+)*"
NUMBER = r"[-−+]?\d+(?:[.,:]\d+)*%?"
TERM = re.compile(rf"{LATIN}(?: {LATIN})*|(?<![\w.]){NUMBER}")


def standard(lang: str) -> Standard:
    """The numbers for ``lang`` ("zh", "zh-Hans", "en", ...)."""
    return STANDARDS.get(lang.split("-")[0].lower(), STANDARDS["en"])


def is_cjk(lang: str) -> bool:
    return lang.split("-")[0].lower() == "zh"


def gap_seconds(fps: float) -> float:
    """The least time between two cues: two frames at the video's frame rate."""
    return GAP_FRAMES / fps


def chars(lines) -> int:
    """Characters of a cue as the guides count them (a str, or its lines without the breaks)."""
    return len(lines) if isinstance(lines, str) else sum(len(line) for line in lines)


@dataclass(frozen=True)
class Word:
    """An unbreakable piece of a text: a word, a term or a number, with what is glued to it."""
    text: str      # as in the text (a glued space kept)
    start: int     # offset of its first character in the text
    spaced: bool   # a space before it (dropped at a line break)

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def _pieces(text: str) -> list[tuple[int, str]]:
    """(offset, piece) of Chinese text: protected terms whole, the rest as jieba segments it."""
    found, at = [], 0
    for match in list(TERM.finditer(text)) + [None]:
        stop = match.start() if match else len(text)
        for chunk in re.finditer(r"\S+", text[at:stop]):
            offset = at + chunk.start()
            for token in _jieba().lcut(chunk.group(), HMM=True):
                found.append((offset, token))
                offset += len(token)
        if match:
            found.append((match.start(), match.group()))
            at = match.end()
    return found


@lru_cache(maxsize=512)
def words(text: str, lang: str) -> tuple[Word, ...]:
    """The unbreakable pieces of ``text``, in order (English: split at spaces). In Chinese a
    piece glued to its neighbour, or closing punctuation, joins the piece before it."""
    if not is_cjk(lang):
        return tuple(Word(m.group(), m.start(), m.start() > 0) for m in re.finditer(r"\S+", text))
    out: list[Word] = []
    last = ""
    for offset, piece in _pieces(text):
        if out and (_glued(last, piece) or not _breakable(last, piece)):
            out[-1] = Word(text[out[-1].start:offset + len(piece)], out[-1].start, out[-1].spaced)
        else:
            out.append(Word(piece, offset, offset > 0 and text[offset - 1].isspace()))
        last = piece
    return tuple(out)


def _glued(before: str, after: str) -> bool:
    """Must ``after`` stay on the line of ``before``? (Spaces do not matter: a checker of the
    written lines cannot see a space that a line break dropped.)"""
    if after in GLUE_PREVIOUS or before in GLUE_NEXT:
        return True
    counted = ZH_NUMERAL.match(before) or re.fullmatch(NUMBER, before)
    return bool(counted and len(after) == 1 and "\u4e00" <= after <= "\u9fff")  # 五十轮, 500 轮


def _breakable(before: str, after: str) -> bool:
    return after[0] not in CLOSING and before[-1] not in OPENING


def _join(ws) -> str:
    return "".join((" " if i and w.spaced else "") + w.text for i, w in enumerate(ws))


def _ends_with_function_word(before: Word, lang: str) -> bool:
    last = before.text.split()[-1] if is_cjk(lang) else before.text.lower().strip("\"'(")
    return last in FUNCTION_WORDS["zh" if is_cjk(lang) else "en"]


def _line_cost(first: str, second: str, before: Word, lang: str) -> float:
    """How bad a break between two lines is: their difference in length, more when not after
    punctuation (the guides break at the natural pauses first) or after a function word, a
    little more when the top line is the longer (they prefer a bottom-heavy pyramid)."""
    std = standard(lang)
    cost = abs(len(first) - len(second)) + (0.5 if len(first) > len(second) else 0)
    if before.text[-1] not in SENTENCE_END | CLAUSE_END | {"."}:
        cost += std.line_chars / (2 if is_cjk(lang) else 3)
    if _ends_with_function_word(before, lang):
        cost += std.line_chars / 3
    return cost


def _layout(ws: tuple[Word, ...], lang: str) -> tuple[float, list[str]] | None:
    """The best one or two lines for ``ws`` (cost, lines), or None when they do not fit."""
    limit = standard(lang).line_chars
    whole = _join(ws)
    if len(whole) <= limit:
        return 0.0, [whole]
    best = None
    for k in range(1, len(ws)):
        if not _breakable(ws[k - 1].text, ws[k].text):
            continue
        first, second = _join(ws[:k]), _join(ws[k:])
        if len(first) <= limit and len(second) <= limit:
            cost = _line_cost(first, second, ws[k - 1], lang)
            if best is None or cost < best[0]:
                best = (cost, [first, second])
    return best


def _boundary_cost(before: Word, lang: str) -> float:
    """Where a cue may end: at a sentence end (free), a clause (some), between words (more than
    one more cue costs), and more after a function word."""
    last = before.text.rstrip("”’\")」』")[-1:] or before.text[-1]
    cost = 0.0 if last in SENTENCE_END or last == "." else 4.0 if last in CLAUSE_END else 12.0
    return cost + (4.0 if _ends_with_function_word(before, lang) else 0.0)


def _split_long(ws: tuple[Word, ...], lang: str) -> tuple[Word, ...]:
    """Pieces longer than a line (a long Latin term in Chinese) split at their spaces, or hard."""
    limit, out = standard(lang).line_chars, []
    for w in ws:
        if len(w.text) <= limit:
            out.append(w)
            continue
        for m in re.finditer(r"\S+", w.text):
            for k in range(0, len(m.group()), limit):
                at = m.start() + k
                out.append(Word(m.group()[k:k + limit], w.start + at, w.spaced if at == 0 else k == 0))
    return tuple(out)


@dataclass(frozen=True)
class CueText:
    """One cue of a text: where it starts and ends in the text, and its lines."""
    start: int
    end: int
    lines: tuple[str, ...]

    @property
    def chars(self) -> int:
        return chars(self.lines)


def _cue_lines(ws: tuple[Word, ...], lang: str) -> tuple[str, ...]:
    """The lines of one cue. In Chinese, broken as the cue's own text segments (which is what a
    check of the written lines sees; jieba's segmentation depends a little on context), else as
    the whole text segmented."""
    own = _layout(_split_long(words(_join(ws), lang), lang), lang) if is_cjk(lang) else None
    return tuple((own or _layout(ws, lang))[1])


@lru_cache(maxsize=512)
def cue_spans(text: str, lang: str) -> tuple[CueText, ...]:
    """The cues ``text`` is shown in: the fewest cues, split where it costs least (a sentence end
    costs nothing, a clause a little, a break between words more than another cue), each cue's
    lines balanced, no orphan cue unless the whole text is one, few short cues."""
    ws = _split_long(words(text, lang), lang)
    n = len(ws)
    cap = MAX_LINES * standard(lang).line_chars + 1
    best: list[tuple[float, int] | None] = [(0.0, 0)] + [None] * n
    for j in range(1, n + 1):
        for i in range(j - 1, -1, -1):
            if ws[j - 1].end - ws[i].start > cap:
                break
            if best[i] is None or (i and not _breakable(ws[i - 1].text, ws[i].text)):
                continue
            laid = _layout(ws[i:j], lang)
            if laid is None:
                continue
            # an orphan: also one word of Chinese alone (a number, a term) where the text has more
            piece = _join(ws[i:j])
            orphan = j - i < n and (j - i == 1 or is_orphan(piece, lang))
            short = j - i < n and len(piece) < standard(lang).line_chars * (0.5 if is_cjk(lang) else 0.6)
            cost = (best[i][0] + 10 + laid[0] / 5 + (_boundary_cost(ws[i - 1], lang) if i else 0)
                    + (100 if orphan else 0) + (5 if short else 0))
            if best[j] is None or cost < best[j][0]:
                best[j] = (cost, i)
    if n and best[n] is None:  # an unbreakable run longer than two lines: one piece a cue
        return tuple(CueText(w.start, w.end, (w.text,)) for w in ws)
    cuts, j = [], n
    while j:
        cuts.append((best[j][1], j))
        j = best[j][1]
    return tuple(CueText(ws[i].start, ws[j - 1].end, _cue_lines(ws[i:j], lang)) for i, j in reversed(cuts))


def cue_texts(text: str, lang: str) -> list[list[str]]:
    """The lines of each cue ``text`` is shown in."""
    return [list(cue.lines) for cue in cue_spans(text, lang)]


def lines_for(text: str, lang: str) -> list[str]:
    """Every caption line of ``text``, in order (cue_texts groups them by cue)."""
    return [line for cue in cue_spans(text, lang) for line in cue.lines]


def reading_seconds(text: str, lang: str, fps: float = 30.0) -> float:
    """The least time ``text`` needs on screen as captions: each cue its characters at the reading
    speed (at least 5/6 s), and after each the two-frame gap before the next cue (after the last
    too: the next beat's first cue is a cue after it). A beat held this long, from its start, can
    be read in full in any language (lecture.publish.subtitles gives each cue its share)."""
    cues = cue_spans(text, lang)
    rate = standard(lang).chars_per_second
    return sum(max(cue.chars / rate, MIN_SECONDS) for cue in cues) + len(cues) * gap_seconds(fps)


def is_orphan(text: str, lang: str) -> bool:
    """A cue too small to stand alone: one word (English), three characters or fewer (Chinese)."""
    text = text.strip()
    return len(text) <= ORPHAN_CHARS if is_cjk(lang) else len(text.split()) <= 1


def joined(first: str, second: str) -> tuple[str, int]:
    """Two lines as one text, and the offset where the second starts (a space between them
    where both sides are Latin letters or digits, as the line break dropped it)."""
    space = " " if first[-1:].isascii() and first[-1:].isalnum() and second[:1].isascii() and second[:1].isalnum() \
        else ""
    return first + space + second, len(first) + len(space)


def broken_word(first: str, second: str, lang: str) -> str | None:
    """The word, number or term that a line break between ``first`` and ``second`` cuts in two
    (None: the break is between words). Closing punctuation at the start of the second line
    counts as cutting the word it closes."""
    if not is_cjk(lang) or not first or not second:
        return None
    text, at = joined(first, second)
    for w in words(text, lang):
        if w.start < at < w.end:
            return w.text.rstrip("".join(CLOSING)) or w.text
    return None
