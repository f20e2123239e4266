"""Every scene builds and renders its last frame; the picture is tied back to the traces.

Positions on screen are mapped back through each scene's axes (``p2c``) and compared with the
recorded numbers or with an independent computation; readouts are compared with the trace.
"""
from __future__ import annotations

import numpy as np
import pytest

from scenes import SCENES
from tests.scene_tools import (data_points, line_through, render_last_frame, strings)


@pytest.fixture(scope="session")
def rendered(traces_dir, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    cache = {}

    def _render(name, lang="zh"):
        if (name, lang) not in cache:
            cache[name, lang] = render_last_frame(name, traces_dir, media, lang)
        return cache[name, lang]

    return _render


@pytest.mark.parametrize("lang", ["zh", pytest.param("en", marks=pytest.mark.slow)])  # en: in CI's slow run
@pytest.mark.parametrize("name", list(SCENES))
def test_scene_layout_at_every_beat(rendered, name, lang):
    """Every part inside the safe area and no part over another it was not placed on
    (tests/layout.py), after every animation and wait of the storyboard."""
    scene, frame = rendered(name, lang)
    assert frame.shape[:2] == (480, 854)
    assert frame[..., :3].std() > 5, "the last frame is blank"
    assert scene.layout_problems[:5] == [], f"{name} ({lang}): layout problems"


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(SCENES))
def test_scene_layout_at_every_beat_in_hd(traces_dir, tmp_path, name, lang):
    """The same check with the frame at 1080p (text is laid out at the render's resolution)."""
    scene, frame = render_last_frame(name, traces_dir, tmp_path, lang, quality="high_quality")
    assert frame.shape[:2] == (1080, 1920)
    assert scene.layout_problems[:5] == [], f"{name} ({lang}, hd): layout problems"


@pytest.mark.parametrize("name", list(SCENES))
def test_scene_reads_exactly_the_traces_its_inputs_are_derived_from(rendered, name):
    """What makes a video stale is derived from the scene's source (its load("...") calls): a
    trace read some other way would go unnoticed."""
    from lecture.runner.scene_inputs import trace_names

    scene, _ = rendered(name)
    assert scene.traces_read == set(trace_names(name))


@pytest.mark.parametrize("name", list(SCENES))
def test_scene_reads_only_the_words_its_inputs_are_derived_from(rendered, name):
    """A scene's render depends on its own sections of the text and narration files and the
    [common] strings, in its language (lecture.runner.scene_inputs): it reads no other."""
    from lecture.runner.scene_inputs import sections

    scene, _ = rendered(name)
    own = sections(name)
    outside = sorted(f"{kind} {lang} {key}" for kind, lang, key in scene.words_read
                     if key.split(".", 1)[0] not in own or (kind, lang) not in (("text", "zh"), ("narration", "zh"),
                                                                               ("narration", "en")))
    assert scene.words_read and outside == []




def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def curve_coords(axes, mobject) -> np.ndarray:
    return np.array([axes.p2c(p)[:2] for p in mobject.get_anchors()])


def test_linear_regression_fit(rendered, load):
    scene, _ = rendered("LinearRegressionFit")
    tr = load("linreg_sequential")
    x, y = tr["x"].astype(float), tr["y"].astype(float)
    w, b = line_through(scene.axes, scene.fit_line.get_start(), scene.fit_line.get_end())
    assert (w, b) == pytest.approx((tr["w"][-1], tr["b"][-1]), abs=1e-4)
    ls_w, ls_b = np.polyfit(x, y, 1)  # closed form, computed here
    assert line_through(scene.axes, scene.ls_line.get_start(), scene.ls_line.get_end()) == \
        pytest.approx((ls_w, ls_b), abs=1e-6)
    np.testing.assert_allclose(data_points(scene.axes, scene.dots), np.c_[x, y], atol=1e-6)
    values = [r.value for r in scene.readouts]
    assert values == pytest.approx([len(tr["w"]) - 1, tr["loss"][-1], tr["w"][-1], tr["b"][-1]], rel=1e-7)
    assert scene.loss_axes.p2c(scene.loss_dot.get_center())[:2] == \
        pytest.approx((len(tr["loss"]) - 1, tr["loss"][-1]), rel=1e-6)
    # the loss curve ends on the last recorded loss; the mean squared error there is the run's
    end = scene.loss_axes.p2c(scene.loss_curve.points[-1])[:2]
    assert end == pytest.approx((len(tr["loss"]) - 1, np.mean((w * x + b - y) ** 2)), rel=1e-4)


def test_model_definition_shows_the_first_update(rendered, load):
    scene, _ = rendered("ModelDefinition")
    tr = load("linreg_sequential")
    x, y, lr = tr["x"].astype(float), tr["y"].astype(float), tr.config["learning_rate"]
    w0, b0 = float(tr["w"][0]), float(tr["b"][0])
    err = w0 * x + b0 - y  # one gradient-descent step on the MSE, by hand
    w1, b1 = w0 - lr * np.mean(2 * err * x), b0 - lr * np.mean(2 * err)
    assert line_through(scene.axes, scene.fit_line.get_start(), scene.fit_line.get_end()) == \
        pytest.approx((w1, b1), abs=1e-4)
    np.testing.assert_allclose(data_points(scene.axes, scene.dots), np.c_[x, y], atol=1e-6)
    assert any(f"{w1:.3f}" in s and f"{b1:.3f}" in s for s in strings(scene))


def test_save_load_predict(rendered, load):
    scene, _ = rendered("SaveLoadPredict")
    tr = load("linreg_fit")
    r = tr.results
    x = r["predict_x"]
    expected = float(tr["w"][-1]) * x + float(tr["b"][-1])  # the trained line, evaluated here
    assert scene.axes.p2c(scene.prediction.get_center())[:2] == pytest.approx((x, expected), abs=1e-3)
    assert [s for s in strings(scene) if s.startswith(("-", "=", " ", "Total", "Trainable"))] == \
        [row for row in r["summary"]["table"] if row.startswith(("-", "=", " ", "Total", "Trainable"))]
    assert r["summary"]["total_params"] == 2


def test_line_cannot_fit(rendered, load):
    scene, _ = rendered("LineCannotFit")
    tr = load("sigmoid_fit")
    x, y = tr["x"].astype(float), tr["y"].astype(float)
    assert line_through(scene.axes, scene.line.get_start(), scene.line.get_end()) == \
        pytest.approx(tuple(np.polyfit(x, y, 1)), abs=1e-6)
    xy = curve_coords(scene.axes, scene.curve)
    np.testing.assert_allclose(xy[:, 1], sigmoid(tr["w"][-1] * xy[:, 0] + tr["b"][-1]), atol=1e-6)
    step = scene.step[0]  # the low side of the step ends at step_at
    assert scene.axes.p2c(step.get_end())[0] == pytest.approx(tr.config["step_at"])


def test_sigmoid_curve_fit(rendered, load):
    scene, _ = rendered("SigmoidCurveFit")
    tr = load("sigmoid_fit")
    xy = curve_coords(scene.axes, scene.curve)
    np.testing.assert_allclose(xy[:, 1], sigmoid(tr["w"][-1] * xy[:, 0] + tr["b"][-1]), atol=1e-6)
    cfg = tr.config
    assert len(scene.marks) == cfg["epochs"] // cfg["report_every"] + 1
    for mark in scene.marks:
        assert mark.get_fill_opacity() == 1.0, "every report epoch is lit at the end"
        e, loss = scene.loss_axes.p2c(mark.get_center())[:2]
        assert loss == pytest.approx(float(tr["loss"][int(round(e))]), abs=1e-6)
    assert [r.value for r in scene.readouts] == pytest.approx(
        [cfg["epochs"], tr["w"][-1], tr["b"][-1], tr["loss"][-1]], rel=1e-7)


def test_chain_rule(rendered, load):
    scene, _ = rendered("ChainRule")
    tr = load("sigmoid_fit")
    e = scene.epoch
    x, y = tr["x"].astype(float), tr["y"].astype(float)
    w, b = float(tr["w"][e]), float(tr["b"][e])
    loss = lambda w, b: np.mean((y - sigmoid(w * x + b)) ** 2)  # noqa: E731
    h = 1e-6
    grad = np.array([(loss(w + h, b) - loss(w - h, b)) / (2 * h), (loss(w, b + h) - loss(w, b - h)) / (2 * h)])
    # the table's last column, as displayed, averages to the central-difference dL/dw
    table = scene.get_table()
    cells = [m.original_text for m in table]
    per_sample = [float(c) for c in cells[len(cells) - len(x) * 6 + 5::6]]
    assert np.mean(per_sample) == pytest.approx(grad[0], abs=2e-4)
    # the arrow on the contours points along -grad
    (x0, y0), (x1, y1) = (scene.axes.p2c(p)[:2] for p in (scene.arrow.get_start(), scene.arrow.get_end()))
    direction = np.array([x1 - x0, y1 - y0])
    assert direction / np.linalg.norm(direction) == pytest.approx(-grad / np.linalg.norm(grad), abs=1e-3)


REFERENCE = {  # the activation functions, written out again here as the independent reference
    "sigmoid": lambda x, c: sigmoid(x),
    "tanh": lambda x, c: np.tanh(x),
    "relu": lambda x, c: np.maximum(x, 0),
    "leaky_relu": lambda x, c: np.where(x > 0, x, c["leaky_slope"] * x),
    "prelu": lambda x, c: np.where(x > 0, x, c["prelu_alpha"] * x),
    "elu": lambda x, c: np.where(x > 0, x, c["elu_alpha"] * np.expm1(np.minimum(x, 0))),
}


@pytest.mark.xdist_group("ActivationGallery")
@pytest.mark.parametrize("name", list(REFERENCE))
def test_activation_graphs(rendered, load, name):
    scene, _ = rendered("ActivationGallery")
    cfg = load("activations").config
    graph, derivative, _ = scene.get_graphs(name)
    xy = curve_coords(scene.axes, graph)
    np.testing.assert_allclose(xy[:, 1], REFERENCE[name](xy[:, 0], cfg), atol=1e-6)
    h = 1e-5
    for piece in derivative:
        d = curve_coords(scene.axes, piece)
        away = np.abs(d[:, 0]) > 0.02  # central differences are undefined at the kink
        fd = (REFERENCE[name](d[:, 0] + h, cfg) - REFERENCE[name](d[:, 0] - h, cfg)) / (2 * h)
        np.testing.assert_allclose(d[away, 1], fd[away], atol=1e-4)


@pytest.mark.xdist_group("ActivationGallery")
def test_softmax_view(rendered, load):
    scene, _ = rendered("ActivationGallery")
    z = load("activations")["softmax_logits"][-1].astype(float)
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    inputs, _, (outputs, _), (_, matrix) = scene.softmax_view
    heights = np.array([bar[0].height for bar in outputs])
    np.testing.assert_allclose(heights / heights.sum(), p, atol=1e-3)
    shown_matrix = np.array([m.get_value() for m in matrix.get_entries()]).reshape(3, 3)
    np.testing.assert_allclose(shown_matrix, np.diag(p) - np.outer(p, p), atol=6e-4)


def test_zigzag_updates(rendered, load):
    scene, _ = rendered("ZigZagUpdates")
    traces = [load("zigzag_sigmoid"), load("zigzag_centred")]
    for panel, path, tr in zip(scene.panels, scene.paths, traces):
        assert panel.axes.p2c(path[1].get_center())[:2] == pytest.approx(tuple(tr["w"][-1]), abs=1e-6)
    counts = [group.readout.value for group in scene.signs]
    # positive inputs: the one-example gradient 2 (p - t) h has the sign of the error in both
    # components, so every update moves both weights the same way
    assert (traces[0]["h"] > 0).all() and counts[0] == len(traces[0]["w"]) - 1
    assert counts[1] < len(traces[1]["w"]) - 1
    target = traces[0].config["target_loss"]
    steps = [int(np.argmax(tr["loss"] <= target)) for tr in traces]
    assert steps[0] > 5 * steps[1]
    texts = strings(scene)
    assert all(any(f" {n} " in s for s in texts) for n in steps)


@pytest.mark.parametrize("name", list(SCENES))
def test_beats_have_narration_and_hold_long_enough_to_read(rendered, name):
    from scenes.settings import reading_speeds
    from lesson_text import narration_line as narration

    scene, _ = rendered(name)
    assert scene.beats and scene.beats[0]["start"] == 0
    for beat, after in zip(scene.beats, scene.beats[1:]):
        assert after["start"] > beat["start"]
    for beat in scene.beats:
        for lang, rate in reading_speeds().items():
            line = narration(beat["key"], lang, **beat["values"])
            assert "{" not in line
            assert beat["end"] - beat["start"] >= len(line) / rate - 1e-6, (beat["key"], lang)


@pytest.mark.parametrize("name", list(SCENES))
def test_every_beat_is_described_in_every_language_with_its_values(rendered, name):
    """What the screen shows at each beat (assets/description/, for the described transcript):
    filled from the values the storyboard passed, in every language, and not the narration again."""
    from lesson_text import check_beats, description, lesson_text, narration_line

    scene, _ = rendered(name)
    assert [p for p in check_beats(lesson_text(), SCENES[name].key, scene.beats) if not p.warning] == []
    for beat in scene.beats:
        for lang in lesson_text().languages():
            seen = description(beat["key"], lang, **beat["values"])
            assert seen and "{" not in seen and "}" not in seen, (beat["key"], lang)
            assert seen != narration_line(beat["key"], lang, **beat["values"]), (beat["key"], lang)


@pytest.mark.parametrize("name", ["LineCannotFit"])
def test_a_scenes_tests_share_one_worker(request, name):
    """Under ./render.sh test (pytest-xdist, --dist loadgroup) every test of a scene carries the
    scene's group (tests/conftest.py), so its storyboard runs once. pytest 9.2 broke this silently
    (pytest-xdist#1386): each storyboard then ran on both workers."""
    if not request.config.getoption("loadgroup", default=False):
        pytest.skip("not under pytest-xdist --dist loadgroup")
    assert request.node.nodeid.endswith(f"@{name}")
