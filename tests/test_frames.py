"""Frame comparisons (Manim's frames_comparison): the last frame of three data-heavy scenes,
rendered from freshly recorded traces, must match the committed control frames pixel for
pixel (within 1 level). After an intended change of the look, regenerate them with
``./render.sh test tests/test_frames.py --set_test`` and look at the new frames before
committing (tests/control_data/scenes/*.npz).
"""
from __future__ import annotations

import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.linear_regression_fit import LinearRegressionFit
from scenes.sigmoid_curve_fit import SigmoidCurveFit
from scenes.zigzag_updates import ZigZagUpdates
from tests.scene_tools import lecture_env

__module_test__ = "scenes"


@pytest.fixture(autouse=True)
def _traces(traces_dir):
    with lecture_env(traces_dir, "zh"):
        yield


def construct_and_draw(cls, scene):
    """Run the storyboard, then hold the final state for one still frame. Without it, Manim's
    test renderer (animations skipped) keeps only what moved in the last animation: its cached
    background of static mobjects is never drawn in a dry run."""
    cls.construct(scene)
    for mobject in scene.mobjects:
        mobject.clear_updaters()
    scene.wait(1)


@frames_comparison(base_scene=LinearRegressionFit)
def test_linear_regression_fit(scene):
    construct_and_draw(LinearRegressionFit, scene)


@frames_comparison(base_scene=SigmoidCurveFit)
def test_sigmoid_curve_fit(scene):
    construct_and_draw(SigmoidCurveFit, scene)


@frames_comparison(base_scene=ZigZagUpdates)
def test_zigzag_updates(scene):
    construct_and_draw(ZigZagUpdates, scene)
