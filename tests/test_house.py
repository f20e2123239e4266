"""The house: data flows one way (sim -> scenes -> lecture), scenes only draw, and the code on
screen is the code that ran."""
from __future__ import annotations

import ast
import inspect
import textwrap

import pytest

from paths import REPO
from sim import linreg, shown_code
from sim.record import TRACE_NAMES


def imports(package: str) -> dict[str, set[str]]:
    """module file -> every module it imports (at any depth of the file)."""
    found = {}
    for path in sorted((REPO / package).glob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
        found[path.name] = names
    return found


def test_scenes_import_nothing_above_them_and_only_the_trace_reader_from_sim():
    for module, names in imports("scenes").items():
        assert not {n for n in names if n.split(".")[0] == "lecture"}, module
        assert {n for n in names if n.split(".")[0] == "sim"} <= {"sim.trace", "sim.errors"}, module


def test_sim_imports_neither_scenes_nor_lecture():
    for module, names in imports("sim").items():
        assert not {n for n in names if n.split(".")[0] in ("scenes", "lecture", "manim")}, module


def test_no_scene_imports_another_scene():
    from scenes import SCENES

    modules = {entry.module for entry in SCENES.values()}
    for module, names in imports("scenes").items():
        assert not (names & modules) - {f"scenes.{module[:-3]}"}, module


def call_names(function) -> list[str]:
    """The calls in ``function``'s source, in order: ``model``, ``optimizer.step``..."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    calls = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset))
    return [ast.unparse(n.func) for n in calls]


def test_the_loop_on_screen_makes_the_calls_the_recorded_loop_makes_in_that_order():
    shown = [ast.unparse(n.func) for step in shown_code.LOOP_STEPS
             for n in ast.walk(ast.parse(step)) if isinstance(n, ast.Call)]
    assert shown == ["model", "criterion", "optimizer.clear_grad", "loss.backward", "optimizer.step"]
    ran = call_names(linreg.train_loop)
    positions = [ran.index(name) for name in shown]  # ValueError: a shown call the loop never makes
    assert positions == sorted(positions)


def test_the_models_on_screen_are_the_source_that_ran():
    namespace = {}
    exec(shown_code.layer_source(), {"nn": linreg.nn}, namespace)  # it is valid code defining the class
    assert inspect.getsource(linreg.LinearModel).strip() == shown_code.layer_source()
    assert shown_code.sequential_source() == "model = nn.Sequential(\n    nn.Linear(1, 1),\n)"
    assert "nn.Sequential(" in inspect.getsource(linreg.sequential_model)


@pytest.mark.parametrize("name", [n for n in TRACE_NAMES if n.startswith("linreg_")])
def test_recorded_code_carries_the_recorded_config(load, name):
    trace = load(name)
    code, cfg = trace.results["code"], trace.config
    assert f"range({cfg['epochs']})" in code["loop"]
    assert f"epochs={cfg['epochs']}" in code["high_level"] and f"save_freq={cfg['save_freq']}" in code["high_level"]
    assert f"batch_size={cfg['batch_size']}" in code["high_level"]
