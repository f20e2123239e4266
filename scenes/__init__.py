"""Manim scenes of the lesson. They read traces (scenes.traces) and never train.

``SCENES`` lists them in lesson order, by class name.
"""
from typing import NamedTuple


class SceneEntry(NamedTuple):
    module: str               # where the class is
    key: str                  # its section in assets/text/*.toml and assets/narration/*.toml
    traces: tuple[str, ...]   # the traces it reads (what makes its video stale)


SCENES = {
    "ModelDefinition": SceneEntry("scenes.model_definition", "model_definition", ("linreg_sequential", "linreg_layer")),
    "LinearRegressionFit": SceneEntry("scenes.linear_regression_fit", "linreg_fit", ("linreg_sequential",)),
    "SaveLoadPredict": SceneEntry("scenes.save_load_predict", "save_load", ("linreg_fit",)),
    "LineCannotFit": SceneEntry("scenes.line_cannot_fit", "line_cannot_fit", ("sigmoid_fit",)),
    "SigmoidCurveFit": SceneEntry("scenes.sigmoid_curve_fit", "sigmoid_fit", ("sigmoid_fit",)),
    "ChainRule": SceneEntry("scenes.chain_rule", "chain_rule", ("sigmoid_fit",)),
    "ActivationGallery": SceneEntry("scenes.activation_gallery", "activations", ("activations",)),
    "ZigZagUpdates": SceneEntry("scenes.zigzag_updates", "zigzag", ("zigzag_sigmoid", "zigzag_centred")),
}
