"""Authoring errors with a name: a typo in the files producers edit every week (text, narration,
spoken forms, pacing, lessons, courses) is named with its file, line, key, what is wrong and the
fix; the command exits 2 with nothing written and no traceback. The lesson-text module (floor 1)
checks everything before anything runs; a scene's beats are checked against every language."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lesson_text import AuthoringError, LessonText, check, check_beats, require
from paths import REPO


def words(tmp_path: Path, zh: str, en: str, text_zh: str = "[s]\ntitle = \"标题\"\n",
          text_en: str = "[s]\ntitle = \"Title\"\n", described: tuple[str, str] | None = None) -> LessonText:
    """A lesson of the narration ``zh``, ``en``; its descriptions are ``described`` (zh, en), by
    default the narration's own lines (so that they have the same keys and placeholders)."""
    described = described or (zh, en)
    for folder, files in (("text", {"zh": text_zh, "en": text_en}), ("narration", {"zh": zh, "en": en}),
                          ("description", dict(zip(("zh", "en"), described)))):
        (tmp_path / folder).mkdir(exist_ok=True)
        for lang, body in files.items():
            (tmp_path / folder / f"{lang}.toml").write_text(body, encoding="utf-8")
    (tmp_path / "narration" / "spoken.toml").write_text("[zh.terms]\n", encoding="utf-8")
    return LessonText(tmp_path / "text", tmp_path / "narration")


def messages(problems) -> str:
    return "\n".join(str(p) for p in problems)


def test_a_toml_syntax_error_names_the_file_line_and_column_and_the_fix(tmp_path):
    text = words(tmp_path, '[s\nintro = "开始"\n', '[s]\nintro = "Start"\n')
    said = messages(check(text))
    assert "narration/zh.toml, line 1, column 3" in said and "the [section] header is not closed" in said
    assert "Fix: end the header with ]" in said and "1 | [s" in said


@pytest.mark.parametrize("body, words_said", [
    ('[s]\nintro = "开始\n', ["line 2", "a string is not closed", 'close it with "']),
    ('[s]\nintro = "开始"\nintro = "又一次"\n', ["line 3", "a key is given twice", "keep one of them"]),
    ('[s]\nintro = 开始\n', ["line 2", "a value is not valid TOML", "put text in double quotes"]),
    ('[s]\nintro = "开始" "多余"\n', ["line 2", "more on a line after its value"]),
])
def test_common_typos_are_explained(tmp_path, body, words_said):
    said = messages(check(words(tmp_path, body, '[s]\nintro = "Start"\n')))
    for word in words_said:
        assert word in said, said


def test_a_key_missing_in_one_language_is_named_with_where_it_is_in_the_other(tmp_path):
    text = words(tmp_path, '[s]\nintro = "开始"\n', '[s]\nintro = "Start"\nmore = "More"\n')
    said = messages(check(text))
    assert "narration/zh.toml: s.more: is missing (it is in en.toml, line 3)" in said
    assert "Fix: add it under [s]" in said


def test_a_placeholder_the_scene_does_not_pass_is_named_with_what_it_passes(tmp_path):
    text = words(tmp_path, '[s]\ntrain = "训练 {epoch_count} 轮"\n', '[s]\ntrain = "{epochs} epochs"\n')
    beats = [{"key": "s.train", "values": {"epochs": 500, "loss": 1.5}}]
    said = messages(check_beats(text, "s", beats))
    assert "narration/zh.toml, line 2: s.train: uses {epoch_count}, which the scene does not pass" in said
    assert "it passes: epochs, loss" in said and "en.toml" not in said


def test_a_beat_without_a_line_is_an_error_and_a_line_no_beat_uses_a_warning(tmp_path):
    text = words(tmp_path, '[s]\nintro = "开始"\nold = "旧的"\n', '[s]\nintro = "Start"\nold = "Old"\n')
    problems = check_beats(text, "s", [{"key": "s.intro", "values": {}}, {"key": "s.extra", "values": {}}])
    errors = [p for p in problems if not p.warning]
    warnings = [p for p in problems if p.warning]
    lines, descriptions = ([str(p) for p in errors if f"{kind}/" in str(p)] for kind in ("narration", "description"))
    assert len(lines) == 2 and all("s.extra: is a beat of the scene without a line" in p for p in lines)
    assert len(descriptions) == 2 and all("s.extra: is a beat of the scene without a description" in p
                                          and 'add extra = "what the screen shows" under [s]' in p for p in descriptions)
    assert len(warnings) == 4 and all("s.old: is used by no beat" in str(p) and "line 3" in str(p) for p in warnings)
    with pytest.raises(AuthoringError) as raised:
        require(problems)
    assert "4 problems in the lesson's files" in str(raised.value)


def test_a_bad_format_and_a_lone_brace_are_named(tmp_path):
    text = words(tmp_path, '[s]\na = "损失 {loss:.2q}"\nb = "括号 {"\n', '[s]\na = "{loss:.2f}"\nb = "x"\n')
    said = messages(check_beats(text, "s", [{"key": "s.a", "values": {"loss": 1.0}}, {"key": "s.b", "values": {}}]))
    assert "s.a: cannot be filled with loss=1.0" in said and "Fix: use a format that fits the value" in said
    assert "s.b: has a lone brace" in said and "write {{ or }}" in said


def test_spoken_forms_with_a_wrong_shape_are_named(tmp_path):
    words(tmp_path, '[s]\na = "x"\n', '[s]\na = "x"\n')
    (tmp_path / "narration" / "spoken.toml").write_text('[zh.terms]\nReLU = 3\n[zh.letters]\nab = "x"\n')
    said = messages(check(LessonText(tmp_path / "text", tmp_path / "narration")))
    assert "spoken.toml, line 2: zh.terms.ReLU: is 3, not the words to say" in said
    assert "spoken.toml, line 4: zh.letters.ab: is not a single lowercase letter" in said


# --- the lesson's own descriptions (assets/description/), copied and broken ----------------------
LEAST_SQUARES = {"key": "linreg_fit.compare_least_squares",  # the values its scene passes (tests/test_scenes.py)
                 "values": {"w": 38.40093, "b": 24.61193, "gd_w": 38.40104, "gd_b": 24.61110, "epochs": 500}}


@pytest.mark.parametrize("lang, old, new, said", [
    ("en", "gradient descent after {epochs} epochs, w = {gd_w:.3f}", "gradient descent after {epochs} epochs, w = {gdw:.3f}",
     ["description/en.toml, line", "linreg_fit.compare_least_squares: uses {gdw}, which the scene does not pass",
      "it passes: b, epochs, gd_b, gd_w, w"]),
    ("zh", "最小二乘 w = {w:.3f}", "最小二乘 w = {w:.3q}",
     ["description/zh.toml, line", "linreg_fit.compare_least_squares: cannot be filled with w=38.40093",
      "Fix: use a format that fits the value"]),
    ("zh", "compare_least_squares = ", "compare_least_squared = ",
     ["description/zh.toml: linreg_fit.compare_least_squares: is a beat of the scene without a description",
      "description/zh.toml: linreg_fit.compare_least_squares: is missing (it is in en.toml, line",
      'add compare_least_squares = "what the screen shows" under [linreg_fit]']),
    ("zh", 'data = "左下方', 'data = 左下方', ["description/zh.toml, line", "a value is not valid TOML",
                                              'put text in double quotes']),
])
def test_a_broken_description_is_named_with_its_file_line_key_and_fix(tmp_path, lang, old, new, said):
    for folder in ("text", "narration", "description"):
        shutil.copytree(REPO / "assets" / folder, tmp_path / folder)
    edit(tmp_path / "description" / f"{lang}.toml", old, new)
    text = LessonText(tmp_path / "text", tmp_path / "narration")
    found = messages(check(text, sections=["linreg_fit"], beats={"linreg_fit": [LEAST_SQUARES]}))
    for words_said in said:
        assert words_said in found, found
    assert "Fix:" in found and "Traceback" not in found


# --- the commands, on a copy of the repository whose files a producer has just broken ----------
@pytest.fixture
def copy(tmp_path):
    """The repository's code and assets (not .venv, out, traces) in a folder of its own."""
    target = tmp_path / "repo"
    shutil.copytree(REPO, target, ignore=shutil.ignore_patterns(".venv", ".voices", "out", "traces", ".git",
                                                                "__pycache__", "tests", "*.pyc"))
    return target


def run(copy: Path, *args, traces=None):
    argv = [sys.executable, "-m", "lecture.commands.render", *map(str, args)]
    if traces:
        argv += ["--traces", str(traces)]
    return subprocess.run(argv, cwd=copy, env={**os.environ, "PYTHONPATH": str(copy)}, capture_output=True, text=True,
                          timeout=300)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("file, old, new, said", [
    ("assets/narration/zh.toml", "[linreg_fit]", "[linreg_fit", ["narration/zh.toml, line", "column", "not closed"]),
    ("assets/narration/en.toml", 'data = "The same ten samples."\n', "", ["narration/en.toml: linreg_fit.data: is missing"]),
    ("assets/text/zh.toml", 'loss = "损失"', 'loss = 损失', ["text/zh.toml, line", "not valid TOML"]),
    ("assets/video.toml", "fit_seconds = 10.0", "fit_seconds = -1", ["video.toml, line 5: pacing.fit_seconds: is -1"]),
    ("assets/video.toml", "zh = 5.0", "zh = 5.0\nzh = 6.0", ["video.toml, line", "given twice"]),
    ("assets/narration/spoken.toml", '"MSE" = "均方误差"', '"MSE" = ""', ["spoken.toml", "zh.terms.MSE"]),
    ("assets/description/en.toml", 'data = "Axes', 'data = Axes', ["description/en.toml, line", "not valid TOML"]),
    ("assets/lessons/default.toml", "[linreg]", "[linreg", ["default.toml, line", "not closed"]),
])
def test_a_broken_file_stops_the_command_with_its_name_and_nothing_written(copy, traces_dir, file, old, new, said):
    edit(copy / file, old, new)
    before = sorted(p.name for p in copy.iterdir())
    done = run(copy, "LineCannotFit", traces=traces_dir if "lessons" not in file else None)
    assert done.returncode == 2, done.stdout + done.stderr
    for word in said:
        assert word in done.stderr, done.stderr
    assert "Fix:" in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in copy.iterdir()) == before, "something was written"


@pytest.mark.slow
def test_a_placeholder_the_scene_does_not_pass_stops_the_command_before_any_render(copy, traces_dir):
    """The beats come from the scene's storyboard (run here: its code is new to this copy)."""
    edit(copy / "assets/narration/zh.toml", "训练 {epochs} 轮", "训练 {epoch_count} 轮")
    done = run(copy, "LinearRegressionFit", "--out", copy / "out-render", traces=traces_dir)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "zh.toml, line 19: linreg_fit.train: uses {epoch_count}, which the scene does not pass" in done.stderr
    assert "it passes: b, epochs, loss, loss0, w" in done.stderr and "Traceback" not in done.stderr
    assert not (copy / "out-render").exists() or not list((copy / "out-render").rglob("*.mp4"))
