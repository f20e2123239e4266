"""The house: data flows one way, up three floors; the top floor is rooms by purpose; no module
imports one that imports it back; the lesson's words and the voices read nothing of the scenes;
scenes only draw; and the code on screen is the code that ran."""
from __future__ import annotations

import ast
import inspect
import textwrap
from pathlib import Path

import pytest

from lecture.store.imports import imports_of
from paths import REPO
from sim import linreg, shown_code
from sim.record import TRACE_NAMES

PACKAGES = ("sim", "voice", "lesson_text", "scenes", "lecture")
FLOORS = {"paths": 0, "lesson_text": 1, "sim": 1, "voice": 1, "scenes": 2, "lecture": 3}
# floor 1's packages among themselves: the words and the recording need nothing of the voices
SAME_FLOOR = {"lesson_text": set(), "sim": {"lesson_text"}, "voice": {"lesson_text"}}
# the rooms of lecture/ and the rooms each may import (commands: any)
ROOMS = {"store": set(), "runner": {"store"}, "publish": {"store"}, "page": {"store", "publish"},
         "slides": {"store"}, "deliver": {"store", "publish", "page"},
         "commands": {"store", "runner", "publish", "page", "slides", "deliver", "commands"}}


def modules() -> list[Path]:
    found = [REPO / "paths.py"]
    for package in PACKAGES:
        found += sorted((REPO / package).rglob("*.py"))
    return [p.resolve() for p in found]


def where(path: Path) -> tuple[str, ...]:
    return Path(path).resolve().relative_to(REPO).with_suffix("").parts


def graph(packages: bool = True) -> dict[Path, set[Path]]:
    """Module -> the modules it imports; with ``packages``, the packages' __init__ on the way too."""
    return {path: {p for p in imports_of(path, packages) if p != path} for path in modules()}


def test_every_floor_imports_only_from_below_or_its_own_floor():
    for path, imported in graph().items():
        top = where(path)[0]
        for other in imported:
            theirs = where(other)[0]
            assert FLOORS[theirs] < FLOORS[top] or theirs == top or theirs in SAME_FLOOR.get(top, set()), \
                f"{path.relative_to(REPO)} imports {other.relative_to(REPO)}"


def test_the_top_floor_is_rooms_and_each_imports_only_the_rooms_below_it():
    for path, imported in graph().items():
        parts = where(path)
        if parts[0] != "lecture" or len(parts) < 3:
            assert parts[0] != "lecture" or parts == ("lecture", "__init__"), f"{path}: lecture/ holds only rooms"
            continue
        room = parts[1]
        assert room in ROOMS, f"{path.relative_to(REPO)} is in no room"
        for other in imported:
            theirs = where(other)
            if theirs[0] == "lecture" and len(theirs) > 2 and theirs[1] != room:
                assert theirs[1] in ROOMS[room], f"{room}: {path.relative_to(REPO)} imports {other.relative_to(REPO)}"


def test_no_command_module_is_imported_by_another_module():
    commands = {p for p in modules() if where(p)[:2] == ("lecture", "commands")
                and "def main(" in p.read_text(encoding="utf-8")}
    assert len(commands) >= 8
    for path, imported in graph().items():
        assert not (imported & commands), f"{path.relative_to(REPO)} imports the command {sorted(imported & commands)}"


def test_no_module_imports_one_that_imports_it_back():
    """No cycle in the import graph (imports anywhere in a file count, functions included; a
    package's __init__ that Python runs before a module inside it is not an import of it)."""
    edges = graph(packages=False)
    index, low, stack, on, cycles = {}, {}, [], set(), []

    def visit(node):  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(str(p.relative_to(REPO)) for p in component))

    for node in edges:
        if node not in index:
            visit(node)
    assert cycles == []


def strings_in(path: Path) -> list[str]:
    return [n.value for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(n, ast.Constant) and isinstance(n.value, str)]


@pytest.mark.parametrize("package", ["voice", "lesson_text"])
def test_the_words_and_the_voices_read_nothing_of_the_scenes(package):
    for path in (REPO / package).rglob("*.py"):
        imported = {where(p)[0] for p in imports_of(path)}
        assert not imported & {"scenes", "lecture"}, path
        named = [s for s in strings_in(path) if "scenes" in s.split("/") or s.startswith(("scenes.", "scenes/"))]
        assert named == [], f"{path.relative_to(REPO)} names {named}"


def test_scenes_import_nothing_above_them_and_only_the_trace_reader_from_sim():
    for path, imported in graph().items():
        if where(path)[0] != "scenes":
            continue
        for other in imported:
            if where(other)[0] == "sim":
                assert where(other) in (("sim", "trace"), ("sim", "errors"), ("sim", "__init__")), path


def test_no_scene_imports_another_scene():
    from scenes import SCENES

    files = {(REPO / (e.module.replace(".", "/") + ".py")).resolve() for e in SCENES.values()}
    for path in files:
        assert not set(imports_of(path)) & (files - {path}), path


def test_the_scene_table_is_data_only():
    """lecture/store/imports.py treats scenes/__init__.py as data (a scene depends on its own entry
    only): it may hold the SceneEntry type and the SCENES table, nothing that runs."""
    tree = ast.parse((REPO / "scenes" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        ok = (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)) \
            or isinstance(node, ast.ImportFrom) and node.module == "typing" \
            or isinstance(node, ast.ClassDef) and node.name == "SceneEntry" \
            or isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["SCENES"]
        assert ok, ast.dump(node)[:200]


def test_one_place_each():
    """One runner of a Manim process, one reader of the lesson's words, one list of voices."""
    for path in modules():
        text = path.read_text(encoding="utf-8")
        rel = str(path.relative_to(REPO))
        if "subprocess" in text and "manim" in text and rel.startswith("lecture/"):
            starts = [s for s in strings_in(path) if s in ("manim", "lecture.runner.manim_cli", "manim_cli")]
            assert rel in ("lecture/runner/manim_process.py", "lecture/commands/speed.py") or not starts, rel
        if rel.startswith(("scenes/", "voice/", "lecture/")) and "tomllib" in text:
            pytest.fail(f"{rel} reads TOML itself: the lesson's files are read by lesson_text")
    from voice.services import VOICES

    render_sh = (REPO / "render.sh").read_text(encoding="utf-8")
    names = list(VOICES)  # render.sh asks the list (python -m voice needs), it does not hold one
    assert not any(f"{a}|{b}" in render_sh for a in names for b in names if a != b)
    assert "python -m voice needs" in render_sh or "-m voice needs" in render_sh


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
