"""The course file of ./render.sh catalogue and the farm's driver-side logic, without Ray (fast).

The Ray tests themselves (a two-node cluster, a killed worker, a whole course) are in
tests/test_farm.py, marked slow.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from lecture.commands import catalogue
from lecture.runner import ray_engine as farm
from lecture.runner.course import parse
from lecture.runner.engines import EngineError, LocalEngine, make_engine
from lecture.runner.jobs import Job
from lecture.runner.manim_process import Made
from lecture.runner.progress import LessonProgress
from lesson_text import AuthoringError
from paths import REPO


def course(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "course.toml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD = f'languages = ["zh", "en"]\nqualities = ["preview"]\nlessons = ["{REPO}/assets/lessons/default.toml"]\n'


def test_the_example_course_parses():
    c = parse(REPO / "assets" / "course.toml")
    assert [p.name for _, p in c.lessons] == ["default.toml", "fast_lr.toml"]
    assert c.languages == ("zh", "en") and c.qualities == ("preview",) and c.scenes == ()


@pytest.mark.parametrize("body, words", [
    ("languages = [\"zh\"\n", ["line 1", "Fix:"]),
    (GOOD.replace('"en"', '"fr"'), ["line 1", "languages: names an unknown language 'fr'", "valid: en, zh"]),
    (GOOD.replace('"preview"', '"8k"'), ["line 2", "unknown quality '8k'", "valid: preview, hd, 4k"]),
    (GOOD.replace("default.toml", "nosuch.toml"), ["line 3", "unknown lesson", "nosuch.toml", "assets/lessons/fast_lr.toml"]),
    (GOOD + 'scenes = ["Intro"]\n', ["line 4", "unknown scene 'Intro'", "ChainRule"]),
    (GOOD + 'qualitys = ["hd"]\n', ["line 4", "qualitys: is an unknown key", "valid keys"]),
    (GOOD.replace('["zh", "en"]', "[]"), ["languages: must be a non-empty list"]),
    (GOOD.replace('["zh", "en"]', '["zh", "zh"]'), ["names a language twice"]),
    ('languages = ["zh"]\nqualities = ["preview"]\n', ["must list the course's lesson files"]),
    (GOOD.replace('lessons = [', 'lessons = [{ file = "x", traces = "y" }, '), ["neither a lesson file nor a recording"]),
    (GOOD.replace('lessons = [', f'lessons = ["{REPO}/assets/lessons/default.toml", '), ["both the lesson 'default'"]),
])
def test_a_bad_course_is_refused_with_the_line_and_the_fix(tmp_path, body, words):
    with pytest.raises(AuthoringError) as err:
        parse(course(tmp_path, body))
    assert str(tmp_path / "course.toml") in str(err.value) or "course.toml" in str(err.value)
    for word in words:
        assert word in str(err.value)


def test_a_bad_value_in_a_lesson_file_is_named(tmp_path):
    lesson = tmp_path / "broken.toml"
    lesson.write_text(f'base = "{REPO}/assets/lessons/default.toml"\n[linreg]\nlearning_rate = -1\n')
    with pytest.raises(AuthoringError, match="learning_rate"):
        parse(course(tmp_path, GOOD.replace(f"{REPO}/assets/lessons/default.toml", str(lesson))))


def test_a_missing_course_file(tmp_path):
    with pytest.raises(AuthoringError, match="is missing. Fix: give an existing course file"):
        parse(tmp_path / "nope.toml")


def tree(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*")) if path.exists() else []


@pytest.mark.parametrize("body", ['languages = ["fr"]', GOOD.replace("default.toml", "nosuch.toml")])
def test_the_command_stops_before_anything_is_written(tmp_path, capsys, body):
    traces_before = tree(REPO / "traces")
    out = tmp_path / "out"
    assert catalogue.main([str(course(tmp_path, body)), "--engine", "local", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "error:" in err and "Nothing was recorded or rendered" in err
    assert not out.exists()
    assert tree(REPO / "traces") == traces_before


def test_address_needs_the_ray_engine(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        catalogue.main([str(course(tmp_path, GOOD)), "--engine", "local", "--address", "127.0.0.1:6379"])
    assert exit_.value.code == 2 and "--address needs --engine ray" in capsys.readouterr().err


def test_render_command_knows_its_engines(capsys):
    from lecture.commands.render import parse as render_parse

    assert render_parse([]).engine == "local"  # nothing changes for who does not ask for Ray
    assert render_parse(["--engine", "ray", "--address", "127.0.0.1:1"]).address == "127.0.0.1:1"
    with pytest.raises(SystemExit):
        render_parse(["--address", "127.0.0.1:1"])
    assert "--address needs --engine ray" in capsys.readouterr().err
    assert isinstance(make_engine("local", 2), LocalEngine)
    assert isinstance(make_engine("ray", 2, "127.0.0.1:1"), farm.RayEngine)  # ray is imported only to run
    with pytest.raises(EngineError, match="valid engines: local, ray"):
        make_engine("dask", 2)


def test_course_jobs_are_labelled_with_their_lesson_and_progress_is_counted_per_lesson(tmp_path):
    jobs = [Job("ChainRule", "preview", lang, tmp_path, tmp_path / lesson / lang, tmp_path, lesson=lesson)
            for lesson in ("default", "fast_lr") for lang in ("zh", "en")]
    assert jobs[2].label == "fast_lr/preview ChainRule [zh]"
    assert Job("ChainRule", "preview", "zh", tmp_path, tmp_path, tmp_path).label == "ChainRule [zh]"
    assert Job("ChainRule", "preview", "zh", tmp_path, tmp_path, tmp_path, kind="slides").label == "ChainRule slides [zh]"
    assert len({j.label for j in jobs}) == 4

    class Record:
        def __init__(self):
            self.calls = []

        def __getattr__(self, name):
            return lambda *args, **kw: self.calls.append((name, *args, *kw.values()))

    inner = Record()
    progress = LessonProgress(inner, {j.label: j.lesson for j in jobs})
    for job in jobs:
        progress.finished(job.label, "ok", error=job.lang == "en" and job.lesson == "fast_lr")
    finished = [c for c in inner.calls if c[0] == "finished" and c[1].startswith("lesson ")]
    assert finished == [("finished", "lesson default", "2 jobs done, 0 failed", False),
                        ("finished", "lesson fast_lr", "2 jobs done, 1 failed", True)]


def test_staging_carries_code_traces_and_pacing_but_not_a_variants_recording(tmp_path):
    traces = tmp_path / "traces"
    (traces / "fast_lr").mkdir(parents=True)
    (traces / "linreg_sequential.json").write_text("{}")
    (traces / "linreg_sequential.npz").write_bytes(b"x")
    (traces / "fast_lr" / "linreg_sequential.json").write_text("{}")
    video = REPO / "assets" / "video.toml"
    jobs = [Job("ChainRule", "preview", lang, traces, tmp_path / lang, video) for lang in ("zh", "en")]
    specs = farm.stage(jobs, tmp_path / "stage")
    stage = tmp_path / "stage"
    assert specs[jobs[0]]["traces"] == specs[jobs[1]]["traces"]
    assert sorted(p.name for p in (stage / specs[jobs[0]]["traces"]).iterdir()) == \
        ["linreg_sequential.json", "linreg_sequential.npz"]
    assert (stage / specs[jobs[0]]["video"]).read_bytes() == video.read_bytes()
    for name in ("paths.py", "scenes/chain_rule.py", "scenes/__init__.py", "sim/trace.py", "lecture/runner/ray_engine.py",
                 "lecture/runner/manim_cli.py", "lesson_text/lesson.py", "assets/text/zh.toml", "assets/narration/en.toml"):
        assert (stage / name).read_bytes() == (REPO / name).read_bytes(), name
    # only what a task runs: derived from the imports, not listed
    assert not (stage / "scenes" / "zigzag_updates.py").exists() and not (stage / "lecture" / "publish").exists()
    assert not (stage / "lecture" / "slides").exists()
    slides = farm.stage([Job("ChainRule", "preview", "zh", traces, tmp_path / "zh", video, kind="slides")], tmp_path / "s2")
    assert slides and (tmp_path / "s2" / "lecture" / "slides" / "slide_classes.py").is_file()
    assert not list(stage.rglob("__pycache__"))


def test_the_driver_writes_outputs_atomically_and_the_stamp_last(tmp_path, monkeypatch):
    import lecture.runner.manim_process as process

    job = Job("ChainRule", "preview", "zh", tmp_path, tmp_path / "cut", tmp_path)
    result = {"worker": "w (127.0.0.1, node 1, pid 2)", "seconds": 1.5, "started": 1.0, "log": b"log",
              "files": {"ChainRule.mp4": b"new video", "ChainRule.beats.json": b"{}", "ChainRule.srt": b"1\n"},
              "dirs": []}
    job.out.mkdir()
    job.target.write_bytes(b"old video")
    real = os.replace

    def interrupted(src, dst):  # Ctrl-C while the video is being put into place
        if Path(dst) == job.target:
            raise KeyboardInterrupt
        real(src, dst)

    monkeypatch.setattr(process.os, "replace", interrupted)
    monkeypatch.setattr("lecture.store.files.os.replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        farm.deliver_result(job, {"scene": "ChainRule"}, result)
    assert job.target.read_bytes() == b"old video" and not job.stamp.path.exists()
    assert not [p for p in job.out.rglob("*") if p.name.endswith(".tmp")]
    assert not (job.out / ".work").exists(), "the scratch folder was left behind"
    monkeypatch.setattr(process.os, "replace", real)
    monkeypatch.setattr("lecture.store.files.os.replace", real)
    farm.deliver_result(job, {"scene": "ChainRule"}, result)
    assert job.target.read_bytes() == b"new video"
    assert json.loads(job.stamp.path.read_text())["worker"].startswith("w (127.0.0.1")
    assert (job.out / "logs" / "ChainRule.log").read_bytes() == b"log"


def test_a_folder_output_is_swapped_in_whole(tmp_path):
    """Slides bring a folder of videos: it replaces the old one in one rename."""
    from lecture.runner.manim_process import deliver

    job = Job("ChainRule", "preview", "zh", tmp_path, tmp_path / "cut", tmp_path, kind="slides")
    old = job.folder / "files" / "ChainRule"
    old.mkdir(parents=True)
    (old / "stale.mp4").write_bytes(b"old")
    made = tmp_path / "work" / "files" / "ChainRule"
    made.mkdir(parents=True)
    (made / "0.mp4").write_bytes(b"new")
    (tmp_path / "work" / "ChainRule.json").write_text("{}")
    deliver(job, Made({"files/ChainRule": made, "ChainRule.json": tmp_path / "work" / "ChainRule.json"}, 1.0, 1.0), {"x": 1})
    assert sorted(p.name for p in old.iterdir()) == ["0.mp4"] and job.target.is_file()
    assert not list(job.folder.glob("files/.*")), "the old folder was left behind"


@pytest.mark.skipif(__import__("importlib").util.find_spec("ray") is None, reason="Ray (the farm group) is not installed")
def test_an_unreachable_cluster_stops_with_the_fix_and_renders_nothing(tmp_path):
    with pytest.raises(EngineError, match="nothing answers at 127.0.0.1:1.*ray start --head"):
        with farm.RayEngine("127.0.0.1:1"):
            pass


def test_staging_carries_a_jobs_narration_clips(tmp_path):
    clips = {}
    for key in ("intro", "train"):
        (tmp_path / f"{key}.wav").write_bytes(key.encode())
        clips[key] = {"audio": str(tmp_path / f"{key}.wav"), "duration": 1.0, "speech_start": 0.0,
                      "speech_end": 1.0, "text": key}
    narration = tmp_path / "ChainRule.json"
    narration.write_text(json.dumps({"source": "espeak", "clips": clips}))
    (tmp_path / "traces").mkdir()
    job = Job("ChainRule", "preview", "zh", tmp_path / "traces", tmp_path / "zh", REPO / "assets" / "video.toml",
              narration=narration)
    stage = tmp_path / "stage"
    spec = farm.stage([job], stage)[job]
    staged = json.loads((stage / spec["narration"]).read_text())
    for key, clip in staged["clips"].items():
        assert not Path(clip["audio"]).is_absolute() and (stage / clip["audio"]).read_bytes() == key.encode()
        assert {k: v for k, v in clip.items() if k != "audio"} == {k: v for k, v in clips[key].items() if k != "audio"}
