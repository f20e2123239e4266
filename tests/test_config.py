"""Lesson files: variants, and a clear error naming the field for every kind of bad value."""
from __future__ import annotations

import pytest

from helpers import write_variant
from paths import LESSONS_DIR
from sim.config import DEFAULT_LESSON, load_lesson
from sim.errors import ConfigError, SimError


def test_default_lesson_holds_the_lesson_facts(lesson):
    assert lesson.linreg.seed == 1 and lesson.linreg.learning_rate == 0.01 and lesson.linreg.epochs == 500
    assert len(lesson.linreg.data) == 10 and lesson.linreg.data[0] == (-0.5, 7.7)
    s = lesson.sigmoid_fit
    assert (s.w0, s.b0, s.learning_rate, s.epochs, s.report_every) == (0.0, 0.0, 0.05, 1000, 50)
    assert [x for x, _ in s.data] == [0.8, 1.1, 1.7, 3.2, 3.7, 4.0, 4.2]


def test_every_shipped_variant_loads():
    files = sorted(LESSONS_DIR.glob("*.toml"))
    assert DEFAULT_LESSON in files and len(files) >= 2
    for path in files:
        load_lesson(path)


def test_variant_overrides_one_field(tmp_path, lesson):
    variant = load_lesson(write_variant(tmp_path, "[linreg]\nlearning_rate = 0.1\n"))
    assert variant.linreg.learning_rate == 0.1
    assert variant.linreg.data == lesson.linreg.data and variant.sigmoid_fit == lesson.sigmoid_fit
    assert variant.name == "variant" and variant.digest() != lesson.digest()


BAD = [
    ("[linreg]\nlearning_rate = -0.01\n", "linreg.learning_rate", "must be positive"),
    ("[linreg]\nlearning_rate = 0\n", "linreg.learning_rate", "must be positive"),
    ('[linreg]\nlearning_rate = "0.01"\n', "linreg.learning_rate", "not a number"),
    ("[linreg]\nlearning_rate = true\n", "linreg.learning_rate", "not a number"),
    ("[linreg]\nlearning_rate = nan\n", "linreg.learning_rate", "is nan"),
    ("[linreg]\nepochs = 0\n", "linreg.epochs", "at least 1"),
    ("[linreg]\nepochs = 2.5\n", "linreg.epochs", "not a whole number"),
    ("[linreg]\ndata = []\n", "linreg.data", "is empty"),
    ("[linreg]\ndata = [[1.0, 2.0], [3.0]]\n", "linreg.data", "mismatched"),
    ("[linreg]\ndata = [[1.0, 2.0], [2.0, nan]]\n", "linreg.data", "is nan"),
    ("[linreg]\ndata = [[1.0, 2.0], [1.0, 3.0]]\n", "linreg.data", "one distinct x"),
    ("[sigmoid_fit]\nlearning_rate = -1\n", "sigmoid_fit.learning_rate", "must be positive"),
    ("[sigmoid_fit]\ndata = [[0.8, inf], [1.0, 0]]\n", "sigmoid_fit.data", "is inf"),
    ("[sigmoid_fit]\nchain_epochs = [5000]\n", "sigmoid_fit.chain_epochs", "between 0 and epochs"),
    ("[activations]\nx_max = -10.0\n", "activations.x_max", "not above x_min"),
    ("[zigzag]\nw_star = [1.0]\n", "zigzag.w_star", "expected 2"),
    ("[linreg]\nlearnig_rate = 0.1\n", "linreg.learnig_rate", "not a known setting"),
    ("[lineg]\nlearning_rate = 0.1\n", "lineg", "not a known section"),
]


@pytest.mark.parametrize("body,field,problem", BAD, ids=[f"{f}:{p}" for _, f, p in BAD])
def test_bad_values_name_the_field(tmp_path, body, field, problem):
    with pytest.raises(ConfigError) as err:
        load_lesson(write_variant(tmp_path, body))
    assert err.value.field == field
    assert problem in str(err.value)
    assert "Fix:" in str(err.value)


def test_missing_field_and_section(tmp_path):
    text = DEFAULT_LESSON.read_text().replace("epochs = 500\n", "")
    path = tmp_path / "lesson.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match="linreg.epochs is missing"):
        load_lesson(path)
    path.write_text(DEFAULT_LESSON.read_text().split("[sigmoid_fit]")[0])
    with pytest.raises(ConfigError, match=r"\[sigmoid_fit\] is missing"):
        load_lesson(path)


def test_unreadable_files(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_lesson(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[linreg\nseed = 1\n")
    with pytest.raises(SimError, match=r"bad.toml, line 1, column 8: the \[section\] header is not closed.*Fix:"):
        load_lesson(bad)
    loop = tmp_path / "loop.toml"
    loop.write_text('base = "loop.toml"\n')
    with pytest.raises(ConfigError, match="cycle"):
        load_lesson(loop)
