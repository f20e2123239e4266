"""Manim scenes of the lesson. They read traces (scenes.traces) and never train.

``SCENES`` lists them in lesson order, by class name: where each class is, and its section in
the lesson's text and narration files. This file holds only that table (a scene's render
depends on its own entry, not on the others: lecture/store/imports.py).
"""
from typing import NamedTuple


class SceneEntry(NamedTuple):
    module: str   # where the class is
    key: str      # its section in assets/text/*.toml and assets/narration/*.toml


SCENES = {
    "ModelDefinition": SceneEntry("scenes.model_definition", "model_definition"),
    "LinearRegressionFit": SceneEntry("scenes.linear_regression_fit", "linreg_fit"),
    "SaveLoadPredict": SceneEntry("scenes.save_load_predict", "save_load"),
    "LineCannotFit": SceneEntry("scenes.line_cannot_fit", "line_cannot_fit"),
    "SigmoidCurveFit": SceneEntry("scenes.sigmoid_curve_fit", "sigmoid_fit"),
    "ChainRule": SceneEntry("scenes.chain_rule", "chain_rule"),
    "ActivationGallery": SceneEntry("scenes.activation_gallery", "activations"),
    "ZigZagUpdates": SceneEntry("scenes.zigzag_updates", "zigzag"),
}
