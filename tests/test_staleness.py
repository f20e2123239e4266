"""What makes a scene stale is computed, not rendered: each scene's inputs are derived from what it
imports and reads (lecture.runner.scene_inputs), on a copy of the repository where a producer
or a developer has just changed one file. No render runs here.

* one zh line changed: exactly one scene of the zh cut is stale, and it says which line;
* one en line changed: no scene of the zh cut (narrated) is stale;
* one scene module changed: only that scene;
* a shared module (scenes/kit.py) changed: every scene that imports it;
* a trace changed: only the scenes that read it;
* a docstring changed, a scene added to the table: nothing.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from paths import REPO

# Every scene's inputs, for the zh and en cuts, narrated (the clip of a line stood in for by a
# digest of its spoken text, as the voice cache keys clips: no voice runs) and silent, in each
# state of the copy: the changes of SCENARIOS, each applied alone and undone after.
INPUTS = r"""
import hashlib, json, re, sys
from pathlib import Path
import lesson_text.lesson as words
from lecture.runner import scene_inputs
from lecture.runner.jobs import Job
from paths import VIDEO_FILE
from scenes import SCENES

from types import SimpleNamespace
from lecture.runner.narration import held_for_reading

def clip(key, lang):
    # a clip as the narration gives it: its identity, a length at the voices' speed (4.5
    # characters a second in Chinese, 15 in English), and the hold for the other language
    source = words.lesson_text().file("narration", lang)
    text = source.entries[key]
    duration = len(text) / (4.5 if lang == "zh" else 15.0)
    other = "en" if lang == "zh" else "zh"
    shown = re.sub("\\{[^}]*\\}|[\ue000-\uf8ff]", "", words.lesson_text().file("narration", other).entries[key])
    hold = held_for_reading(SimpleNamespace(duration=duration), [(shown, other)], 15, 0.4)
    return {"clip": hashlib.sha256((source.spoken.get(key) or text).encode()).hexdigest()[:24],
            "duration": duration, "hold": hold}

def everything(traces):
    scene_inputs.trace_names.cache_clear()
    words._DEFAULT = None
    found = {}
    for voiced in (True, False):
        for lang in ("zh", "en"):
            source = words.lesson_text().file("narration", lang)
            for scene, entry in SCENES.items():
                job = Job(scene, "preview", lang, traces, Path("/nowhere") / lang, VIDEO_FILE,
                          voice="neural" if voiced else "none")
                doc = None
                if voiced:
                    keys = [k for k in source.entries if k.startswith(entry.key + ".")]
                    doc = {"source": "neural", "clips": {k: clip(k, lang) for k in keys}}
                    job = Job(**{**job.__dict__, "narration": Path("/nowhere/narration.json")})
                found[("voiced " if voiced else "silent ") + f"{scene} [{lang}]"] = scene_inputs.inputs(job, doc)
    return found

repo, scenarios = Path(sys.argv[1]), json.loads(sys.argv[2])
out = {"before": everything(repo / "traces")}
for name, (file, old, new) in scenarios.items():
    path = repo / file
    kept = path.read_bytes()
    text = kept.decode("utf-8")
    assert old in text, (file, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    out[name] = everything(repo / "traces")
    path.write_bytes(kept)
print(json.dumps(out))
"""

SCENARIOS = {
    "zh line": ("assets/narration/zh.toml", 'intro = "这一节', 'intro = "好，这一节'),
    "en line": ("assets/narration/en.toml", "Now let the loop run", "Now let the training loop run"),
    "en line too long": ("assets/narration/en.toml", "Now let the loop run through the whole training.",
                         "Now let the loop run through the whole training, epoch after epoch, with its loss "
                         "printed and its parameters saved as it goes."),
    "scene module": ("scenes/chain_rule.py", "self.introduce()", "self.introduce()\n        self.wait(0.1)"),
    "shared module": ("scenes/kit.py", "def eased(power: float):", "def eased(power: float):\n    power = float(power)"),
    "trace": ("traces/linreg_layer.json", '"results": {', '"results": {"note": "recorded again", '),
    "docstring": ("scenes/kit.py", '"""Small drawing helpers', '"""Drawing helpers'),
    "comment": ("scenes/lesson.py", "        # one frozen wait of the whole frames", "        # a single frozen wait of the whole frames"),
    "scene added": ("scenes/__init__.py", '    "ZigZagUpdates": SceneEntry(',
                    '    "Recap": SceneEntry("scenes.chain_rule", "chain_rule"),\n    "ZigZagUpdates": SceneEntry('),
}


@pytest.fixture(scope="module")
def states(tmp_path_factory, traces_dir) -> dict:
    """The inputs of every scene before and in each scenario, computed in one process."""
    repo = tmp_path_factory.mktemp("staleness") / "repo"
    shutil.copytree(REPO, repo, ignore=shutil.ignore_patterns(".venv", ".voices", "out", "traces", ".git", "tests",
                                                              "__pycache__", "*.pyc"))
    shutil.copytree(traces_dir, repo / "traces")
    done = subprocess.run([sys.executable, "-c", INPUTS, str(repo), json.dumps(SCENARIOS)], cwd=repo,
                          env={**os.environ, "PYTHONPATH": str(repo)}, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def stale(states: dict, scenario: str, kind: str = "voiced") -> dict[str, list[str]]:
    """label -> why it is stale, for the jobs of ``kind`` that ``scenario`` makes stale."""
    from lecture.store.inputs import reasons

    before, after = states["before"], states[scenario]
    found = {}
    for label in before:
        if label.startswith(kind) and label in after:
            why = reasons(before[label], after[label], label[-3:-1])
            if why:
                found[label.split(" ", 1)[1]] = why
    return found


def test_one_zh_line_makes_exactly_one_scene_stale_and_says_which_line(states):
    assert stale(states, "zh line") == {
        "ModelDefinition [zh]": ["the clip of beat intro changed", "narration line intro changed"]}


def test_one_en_line_makes_no_scene_of_the_zh_cut_stale(states):
    assert stale(states, "en line") == {"LinearRegressionFit [en]": ["the clip of beat intro changed",
                                                                     "narration line intro changed"]}


def test_an_en_line_too_long_for_its_zh_beat_holds_that_beat_longer(states):
    """The English subtitle of a Chinese beat must be readable (17 characters a second): a line
    that no longer fits makes only that beat of the zh cut longer, and says so."""
    found = stale(states, "en line too long")
    assert found["LinearRegressionFit [zh]"][0].startswith("beat intro is held 0.0 -> ")
    assert "so that its subtitles can be read" in found["LinearRegressionFit [zh]"][0]
    assert set(found) == {"LinearRegressionFit [zh]", "LinearRegressionFit [en]"}


def test_a_silent_cut_holds_every_languages_reading_time_so_it_depends_on_them(states):
    """Without a voice, a beat is held until every language's line can be read: an en line is an
    input of the zh scene then, and the reason says so."""
    assert stale(states, "en line", "silent") == {
        "LinearRegressionFit [zh]": ["en narration line linreg_fit.intro changed"],
        "LinearRegressionFit [en]": ["narration line intro changed"]}


def test_one_scene_module_makes_only_that_scene_stale(states):
    assert set(stale(states, "scene module")) == {"ChainRule [zh]", "ChainRule [en]"}


def test_a_shared_module_makes_every_scene_that_imports_it_stale(states):
    changed = stale(states, "shared module")
    assert len(changed) == 16  # every scene imports the kit (scenes/lesson.py does), both cuts
    assert all(reasons == ["code scenes/kit.py changed"] for reasons in changed.values())


def test_a_changed_trace_makes_only_the_scenes_that_read_it_stale(states):
    assert stale(states, "trace") == {"ModelDefinition [zh]": ["trace linreg_layer changed"],
                                      "ModelDefinition [en]": ["trace linreg_layer changed"]}


@pytest.mark.parametrize("scenario", ["docstring", "comment", "scene added"])
def test_a_docstring_a_comment_or_a_new_scene_makes_no_scene_stale(states, scenario):
    """Code is compared by what it does (its syntax tree without docstrings); scenes/__init__.py
    is the table of scenes: each scene depends on its own entry only."""
    assert stale(states, scenario) == {} and stale(states, scenario, "silent") == {}
