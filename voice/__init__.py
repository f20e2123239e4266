"""The voice layer (floor 1): narration audio and its durations, from lines to speak.

    from voice import line, synthesize
    lines = [line("linreg_fit.train", "zh", {"epochs": 500, "loss0": 3142.0, "loss": 42.68})]
    clips = synthesize(lines, "neural")     # or "espeak", "recorded" (takes=DIR), "none"
    clips[0].path, clips[0].duration, clips[0].speech_start, clips[0].speech_end

Every clip is a 48 kHz mono WAV at -16 LUFS with true peak <= -1 dBTP, trimmed by one rule, kept
in out/.voice-cache/ by a hash of its spoken text, voice and engine version. The voices are
plug-ins (voice.services, one module each). It reads the lesson's words only through
lesson_text, and imports and reads nothing of scenes/ or lecture/. Command line: python -m voice
(list, needs, bench, setup, info).
"""
from voice.config import VoiceConfig
from voice.errors import BadTakeError, MissingTakesError, VoiceError
from voice.lines import Line, by_scene, line, make_line
from voice.services import NAMES, engine_info, service, synthesize
from voice.services.base import Clip
from voice.spoken import speakable

__all__ = ["NAMES", "BadTakeError", "Clip", "Line", "MissingTakesError", "VoiceConfig", "VoiceError", "by_scene",
           "engine_info", "line", "make_line", "service", "speakable", "synthesize"]
