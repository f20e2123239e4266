"""A scratch narration track (``--voice``): espeak-ng reads each beat's line offline, the clips
are placed at the beats' start times, and the track is muxed as AAC beside the unchanged video
stream. It lets a producer check pacing before a real voice is recorded; a line longer than its
beat is cut at the next beat (counted in the manifest)."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import wave
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from lecture.assemble import set_chapters
from scenes.strings import narration
from sim.errors import SimError

VOICES = {"zh": "cmn", "en": "en-us"}
RATE = 22050  # espeak-ng's output rate


def speak(line: str, lang: str, speed: int = 175) -> np.ndarray:
    out = subprocess.run(["espeak-ng", "-v", VOICES.get(lang, lang), "-s", str(speed), "--stdout", line],
                         capture_output=True, check=True).stdout
    with wave.open(io.BytesIO(out)) as w:
        if w.getframerate() != RATE or w.getsampwidth() != 2:
            raise SimError(f"espeak-ng wrote {w.getframerate()} Hz, {8 * w.getsampwidth()} bit; expected {RATE} Hz, 16 bit")
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0


def track(beats: list[dict], chapters: list[dict], lang: str, duration: float) -> tuple[np.ndarray, int]:
    audio = np.zeros(int(duration * RATE) + RATE, dtype=np.float32)
    cut = 0
    for doc, chapter in zip(beats, chapters):
        for beat in doc["beats"]:
            line = narration(beat["key"], lang, **beat["values"])
            clip = speak(line, lang)
            room = int((beat["end"] - beat["start"]) * RATE)
            if len(clip) > room:  # read faster (espeak-ng goes up to about 450 words a minute)
                clip = speak(line, lang, speed=min(400, int(175 * len(clip) / room * 1.05) + 1))
            if len(clip) > room:
                cut += 1
                clip = clip[:room] * np.minimum(1.0, np.linspace(room / (0.05 * RATE), 0, room))
            start = int((chapter["start"] + beat["start"]) * RATE)
            audio[start:start + len(clip)] += clip[:len(audio) - start]
    return np.clip(audio[:int(duration * RATE)], -1, 1), cut


def add_voice(video: Path, beats: list[dict], chapters: list[dict], lang: str) -> dict:
    if not shutil.which("espeak-ng"):
        raise SimError("--voice needs espeak-ng: ./render.sh installs it when run as root with --voice, "
                       "or run: sudo apt-get install -y espeak-ng")
    with av.open(str(video)) as probe_in:
        duration = float(probe_in.duration) / 1e6
    audio, cut = track(beats, chapters, lang, duration)
    tmp = video.with_name(f".{video.name}.voice.tmp")
    with av.open(str(video)) as inp, av.open(str(tmp), "w", format="mp4", options={"movflags": "+faststart"}) as out:
        vin = inp.streams.video[0]
        vout = out.add_stream_from_template(vin)
        aout = out.add_stream("aac", rate=RATE, layout="mono")
        for packet in inp.demux(vin):
            if packet.dts is None:
                continue
            packet.stream = vout
            out.mux(packet)
        size = 1024
        for i in range(0, len(audio), size):
            chunk = audio[i:i + size]
            frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="fltp", layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = RATE, i, Fraction(1, RATE)
            for packet in aout.encode(frame):
                out.mux(packet)
        for packet in aout.encode():
            out.mux(packet)
        set_chapters(out, chapters)
    os.replace(tmp, video)
    return {"lang": lang, "engine": "espeak-ng", "voice": VOICES.get(lang, lang), "lines_cut_at_next_beat": cut}
