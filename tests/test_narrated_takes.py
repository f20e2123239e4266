"""The narration pre-pass (lecture/runner/narration.py) with recorded takes made of test signals:
clips per beat, their identity as a render input, and every bad take reported before anything is
replaced. The storyboards are given as their cache would hold them (fast)."""
from __future__ import annotations

import json
import shutil

import pytest

from lecture.commands import render
from lecture.runner import narration
from lecture.runner.jobs import Job
from lecture.runner.plan import make_plan
from lecture.runner.scene_inputs import inputs, storyboard_inputs
from lecture.store import layout
from lesson_text import lesson_text
from tests.voice_signals import encode, snapshot, speechlike, write_wav
from voice.errors import BadTakeError, MissingTakesError

VALUES = {  # what the scenes pass to self.beat(...), as a storyboard records them
    "LinearRegressionFit": [("linreg_fit.intro", {}), ("linreg_fit.data", {"n": 10}),
                            ("linreg_fit.start", {"w": -1.670, "b": 0.0, "loss": 3142.0, "epochs": 500}),
                            ("linreg_fit.train", {"epochs": 500, "loss0": 3142.0, "loss": 42.68, "w": 38.401, "b": 24.611}),
                            ("linreg_fit.compare_least_squares", {"w": 38.401, "b": 24.612, "gd_w": 38.401, "gd_b": 24.611,
                                                                  "epochs": 500})],
    "ZigZagUpdates": None,  # every line of the section, filled in below
}


def zigzag_keys():
    return [k for k in lesson_text().lines("zh") if k.startswith("zigzag.")]


def zigzag_beats():
    """Every zigzag line, each placeholder of its line and its description given a number (a
    pair where it is indexed: {star[0]})."""
    from string import Formatter

    def values(key: str) -> dict:
        fields = [field for kind in ("narration", "description")
                  for _, field, _, _ in Formatter().parse(lesson_text().file(kind, "zh").entries[key]) if field]
        return {field.split("[")[0]: [11, 11] if "[" in field else 11 for field in fields}

    return [(k, values(k)) for k in zigzag_keys()]


def fake_storyboards(jobs):
    for job in jobs:
        beats = VALUES[job.scene] or zigzag_beats()
        narration.write_storyboard(narration.storyboard_file(job), storyboard_inputs(job.scene, job.traces),
                                   [{"key": k, "values": v} for k, v in beats])


def record(takes, scene, keys, seconds=1.0, lang="zh"):
    for n, key in enumerate(keys):
        write_wav(takes / lang / scene / f"{key.split('.')[1]}.wav", speechlike(seconds + 0.1 * n, 48000, seed=n), 48000)


def prepare(jobs, takes, cache):
    return make_plan(jobs, "recorded", takes, 1, log=lambda line: None)


@pytest.fixture
def setup(tmp_path, traces_dir, monkeypatch):
    monkeypatch.setattr(layout, "STORYBOARDS", tmp_path / "storyboards")
    monkeypatch.setattr("voice.config.CACHE_DIR", tmp_path / "voice-cache")
    takes = tmp_path / "takes"
    record(takes, "LinearRegressionFit", [k for k, _ in VALUES["LinearRegressionFit"]])
    record(takes, "ZigZagUpdates", zigzag_keys())
    video = tmp_path / "video.toml"
    shutil.copy(layout.REPO / "assets" / "video.toml", video)
    jobs = [Job(s, "preview", "zh", traces_dir, tmp_path / "cut" / "zh", video, cache=tmp_path / "tex")
            for s in ("LinearRegressionFit", "ZigZagUpdates")]
    fake_storyboards(jobs)
    return takes, jobs, tmp_path / "voice-cache"


def test_every_beat_gets_a_normalised_clip_and_its_identity_is_a_render_input(setup):
    takes, jobs, cache = setup
    plan = prepare(jobs, takes, cache)
    doc = json.loads(plan.jobs[0].narration.read_text(encoding="utf-8"))
    assert list(doc["clips"]) == [k for k, _ in VALUES["LinearRegressionFit"]]
    clip = doc["clips"]["linreg_fit.train"]
    assert "3142" in clip["text"] and "42.68" in clip["text"]  # the line as the scene will show it
    for clip in doc["clips"].values():
        assert abs(clip["lufs"] + 16) <= 1 and clip["true_peak_dbtp"] <= -1   # ±1 LU, no clipping
        assert clip["speech_end"] - clip["speech_start"] > 0.5                 # not silent
    assert "clips" in plan.inputs[plan.jobs[0]] and "clips" not in inputs(jobs[0])
    assert plan.reasons[plan.jobs[0]] == ["never made"]


def test_a_longer_take_changes_only_its_scene_and_says_which_beat(setup, monkeypatch):
    takes, jobs, cache = setup
    before = prepare(jobs, takes, cache)
    for job in before.jobs:  # as if rendered
        job.target.parent.mkdir(parents=True, exist_ok=True)
        job.target.write_bytes(b"video")
        job.stamp.write(before.inputs[job])
    old = json.loads(narration.narration_file(jobs[0]).read_text())["clips"]["linreg_fit.data"]["duration"]
    write_wav(takes / "zh/LinearRegressionFit/data.wav", speechlike(2.5, 48000), 48000)  # re-recorded, longer
    after = prepare(jobs, takes, cache)
    new = json.loads(narration.narration_file(jobs[0]).read_text())["clips"]["linreg_fit.data"]["duration"]
    assert new == pytest.approx(old + (2.5 - 1.1), abs=0.15)  # the take was 1.1 s of speech-like sound
    assert after.reasons[after.jobs[0]] == ["the clip of beat data changed"]
    assert after.reasons[after.jobs[1]] == []
    # a cache moved elsewhere: same clips, same identity (paths are not part of it)
    shutil.copytree(cache, cache.with_name("moved"))
    monkeypatch.setattr("voice.config.CACHE_DIR", cache.with_name("moved"))
    moved = prepare(jobs, takes, cache)
    assert [moved.inputs[j] for j in moved.jobs] == [after.inputs[j] for j in after.jobs]


def test_missing_corrupt_and_wrong_format_takes_are_all_named_and_nothing_is_replaced(setup, tmp_path):
    takes, jobs, cache = setup
    prepare(jobs, takes, cache)
    kept = {job.scene: narration.narration_file(job).read_bytes() for job in jobs}
    (takes / "zh/LinearRegressionFit/intro.wav").unlink()
    (takes / "zh/ZigZagUpdates" / f"{zigzag_keys()[-1].split('.')[1]}.wav").unlink()
    with pytest.raises(MissingTakesError) as missing:
        prepare(jobs, takes, cache)
    message = str(missing.value)
    assert "zh:linreg_fit.intro" in message and str(takes / "zh/LinearRegressionFit/intro.wav") in message
    assert f"zh:{zigzag_keys()[-1]}" in message  # every missing take at once
    record(takes, "LinearRegressionFit", ["linreg_fit.intro"])
    record(takes, "ZigZagUpdates", zigzag_keys()[-1:])
    (takes / "zh/LinearRegressionFit/data.wav").write_bytes(b"RIFF\x00\x00 not a wave file")          # corrupt
    encode(takes / "zh/LinearRegressionFit/start.wav", speechlike(1.0, 44100), 44100, "libmp3lame", "mp3")  # MP3 named .wav
    before = snapshot(takes)
    with pytest.raises(BadTakeError) as bad:
        prepare(jobs, takes, cache)
    assert "data.wav" in str(bad.value) and "start.wav" in str(bad.value) and "MP3" in str(bad.value).upper()
    assert snapshot(takes) == before  # takes are only read
    assert {job.scene: narration.narration_file(job).read_bytes() for job in jobs} == kept  # nothing replaced


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
    assert "valid voices: neural, espeak, recorded, none" in err and "--takes needs --voice recorded" in err

