"""The narration pre-pass (lecture/narrate.py) with recorded takes made of test signals: clips per
beat, their identity as a render input, and every bad take reported before anything is replaced.
The storyboard runs are replaced by the values a render would record (fast)."""
from __future__ import annotations

import json
import shutil

import pytest

from lecture import narrate, render
from lecture.jobs import Job, inputs_of
from tests.voice_signals import encode, snapshot, speechlike, write_wav
from voice.errors import BadTakeError, MissingTakesError

VALUES = {  # what the scenes pass to self.beat(...), as a storyboard run records them
    "LinearRegressionFit": [("linreg_fit.intro", {}), ("linreg_fit.data", {}), ("linreg_fit.start", {}),
                            ("linreg_fit.train", {"epochs": 500, "loss0": 3142.0, "loss": 42.68}),
                            ("linreg_fit.compare_least_squares", {"w": 38.401, "b": 24.612})],
    "ZigZagUpdates": None,  # filled from the narration file's keys below
}


def zigzag_keys():
    from voice.lines import templates

    return [k for k in templates("zh") if k.startswith("zigzag.")]


def fake_storyboards(jobs, parallel):
    for job in jobs:
        beats = VALUES[job.scene] or [(k, {}) for k in zigzag_keys()]
        doc = {"inputs": narrate.base_inputs(job), "beats": [{"key": k, "values": v} for k, v in beats]}
        narrate.write_json(narrate.values_file(job), doc)


def record(takes, scene, keys, seconds=1.0, lang="zh"):
    for n, key in enumerate(keys):
        write_wav(takes / lang / scene / f"{key.split('.')[1]}.wav", speechlike(seconds + 0.1 * n, 48000, seed=n), 48000)


@pytest.fixture
def setup(tmp_path, traces_dir, monkeypatch):
    monkeypatch.setattr(narrate, "storyboards", fake_storyboards)
    takes = tmp_path / "takes"
    record(takes, "LinearRegressionFit", [k for k, _ in VALUES["LinearRegressionFit"]])
    record(takes, "ZigZagUpdates", zigzag_keys())
    video = tmp_path / "video.toml"
    shutil.copy(narrate.REPO / "assets" / "video.toml", video)
    jobs = [Job(s, "preview", "zh", traces_dir, tmp_path / "cut" / "zh", video, cache=tmp_path / "tex")
            for s in ("LinearRegressionFit", "ZigZagUpdates")]
    return takes, jobs, tmp_path / "voice-cache"


def test_every_beat_gets_a_normalised_clip_and_its_identity_is_a_render_input(setup):
    takes, jobs, cache = setup
    done = narrate.prepare(jobs, "recorded", takes, cache=cache, log=lambda line: None)
    doc = json.loads(done[0].narration.read_text(encoding="utf-8"))
    assert list(doc["clips"]) == [k for k, _ in VALUES["LinearRegressionFit"]]
    clip = doc["clips"]["linreg_fit.train"]
    assert "3142" in clip["text"] and "42.68" in clip["text"]  # the line as the scene will show it
    for clip in doc["clips"].values():
        assert abs(clip["lufs"] + 16) <= 1 and clip["true_peak_dbtp"] <= -1   # ±1 LU, no clipping
        assert clip["speech_end"] - clip["speech_start"] > 0.5                 # not silent
    assert "voice" in inputs_of(done[0]) and "voice" not in inputs_of(jobs[0])


def test_a_longer_take_changes_only_its_scene(setup):
    takes, jobs, cache = setup
    before = {job.scene: inputs_of(job) for job in narrate.prepare(jobs, "recorded", takes, cache=cache, log=print)}
    old = json.loads(narrate.narration_file(jobs[0]).read_text())["clips"]["linreg_fit.data"]["duration"]
    write_wav(takes / "zh/LinearRegressionFit/data.wav", speechlike(2.5, 48000), 48000)  # re-recorded, longer
    after = {job.scene: inputs_of(job) for job in narrate.prepare(jobs, "recorded", takes, cache=cache, log=print)}
    new = json.loads(narrate.narration_file(jobs[0]).read_text())["clips"]["linreg_fit.data"]["duration"]
    assert new == pytest.approx(old + (2.5 - 1.1), abs=0.15)  # the take was 1.1 s of speech-like sound
    assert after["LinearRegressionFit"] != before["LinearRegressionFit"]
    assert after["ZigZagUpdates"] == before["ZigZagUpdates"]
    # a cache moved elsewhere: same clips, same identity (paths are not part of it)
    shutil.copytree(cache, cache.with_name("moved"))
    moved = {job.scene: inputs_of(job) for job in narrate.prepare(jobs, "recorded", takes, cache=cache.with_name("moved"),
                                                                  log=print)}
    assert moved == after


def test_missing_corrupt_and_wrong_format_takes_are_all_named_and_nothing_is_replaced(setup, tmp_path):
    takes, jobs, cache = setup
    narrate.prepare(jobs, "recorded", takes, cache=cache, log=print)
    kept = {job.scene: narrate.narration_file(job).read_bytes() for job in jobs}
    (takes / "zh/LinearRegressionFit/intro.wav").unlink()
    (takes / "zh/ZigZagUpdates" / f"{zigzag_keys()[-1].split('.')[1]}.wav").unlink()
    before = snapshot(takes)
    with pytest.raises(MissingTakesError) as missing:
        narrate.prepare(jobs, "recorded", takes, cache=cache, log=print)
    message = str(missing.value)
    assert "zh:linreg_fit.intro" in message and str(takes / "zh/LinearRegressionFit/intro.wav") in message
    assert f"zh:{zigzag_keys()[-1]}" in message  # every missing take at once
    record(takes, "LinearRegressionFit", ["linreg_fit.intro"])
    record(takes, "ZigZagUpdates", zigzag_keys()[-1:])
    (takes / "zh/LinearRegressionFit/data.wav").write_bytes(b"RIFF\x00\x00 not a wave file")          # corrupt
    encode(takes / "zh/LinearRegressionFit/start.wav", speechlike(1.0, 44100), 44100, "libmp3lame", "mp3")  # MP3 named .wav
    before = snapshot(takes)
    with pytest.raises(BadTakeError) as bad:
        narrate.prepare(jobs, "recorded", takes, cache=cache, log=print)
    assert "data.wav" in str(bad.value) and "start.wav" in str(bad.value) and "MP3" in str(bad.value).upper()
    assert snapshot(takes) == before  # takes are only read
    assert {job.scene: narrate.narration_file(job).read_bytes() for job in jobs} == kept  # nothing replaced


def test_render_command_stops_before_rendering_when_takes_are_missing(setup, tmp_path, traces_dir, capsys):
    takes, jobs, _ = setup
    shutil.rmtree(takes / "zh" / "LinearRegressionFit")
    out = tmp_path / "out"
    code = render.main(["LinearRegressionFit", "--voice", "recorded", "--takes", str(takes),
                        "--traces", str(traces_dir), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "5 recorded take(s) missing" in err and "Nothing was rendered" in err
    assert str(takes / "zh/LinearRegressionFit/compare_least_squares.wav") in err
    assert not list(out.rglob("*.mp4"))


def test_voice_options_are_checked(capsys):
    assert render.parse([]).voice == "none" and render.parse(["--voice"]).voice == "espeak"
    assert render.parse(["--voice", "neural", "--engine", "ray"]).voice == "neural"  # Ray's tasks carry the clips
    for bad in (["--voice", "robot"], ["--takes", "x"]):
        with pytest.raises(SystemExit):
            render.parse(bad)
    err = capsys.readouterr().err
    assert "valid voices: neural, recorded, espeak, none" in err and "--takes needs --voice recorded" in err
