"""The voice layer (floor 1): narration audio and its durations, from lines to speak.

    from voice import line, synthesize, engine_info
    lines = [line("linreg_fit.train", "zh", {"epochs": 500, "loss0": 3142.0, "loss": 42.68})]
    clips = synthesize(lines, "neural")     # or "espeak", "recorded" (takes=DIR), "none"
    clips[0].path, clips[0].duration, clips[0].speech_start, clips[0].speech_end

Every clip is a 48 kHz mono WAV at -16 LUFS with true peak <= -1 dBTP, trimmed by one rule, kept
in out/.voice-cache/ by a hash of its spoken text, voice and engine version. It imports nothing
of scenes/ or lecture/. Command line: python -m voice (synth, script, bench, setup, info).
"""
from voice.config import VoiceConfig
from voice.errors import BadTakeError, MissingTakesError, VoiceError
from voice.lines import Line, by_scene, lesson_lines, line, make_line, scene_sections
from voice.spoken import speakable
from voice.synth import Clip, engine_info, synthesize

__all__ = ["BadTakeError", "Clip", "Line", "MissingTakesError", "VoiceConfig", "VoiceError", "by_scene",
           "engine_info", "lesson_lines", "line", "make_line", "scene_sections", "speakable", "synthesize"]
