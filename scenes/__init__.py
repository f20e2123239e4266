"""Manim scenes of the lesson. They read traces (scenes.traces) and never train.

``SCENES`` lists them in lesson order: class name -> (module, traces it reads).
"""
SCENES = {
    "ModelDefinition": ("scenes.model_definition", ("linreg_sequential", "linreg_layer")),
    "LinearRegressionFit": ("scenes.linear_regression_fit", ("linreg_sequential",)),
    "SaveLoadPredict": ("scenes.save_load_predict", ("linreg_fit",)),
    "LineCannotFit": ("scenes.line_cannot_fit", ("sigmoid_fit",)),
    "SigmoidCurveFit": ("scenes.sigmoid_curve_fit", ("sigmoid_fit",)),
    "ChainRule": ("scenes.chain_rule", ("sigmoid_fit",)),
    "ActivationGallery": ("scenes.activation_gallery", ("activations",)),
    "ZigZagUpdates": ("scenes.zigzag_updates", ("zigzag_sigmoid", "zigzag_centred")),
}
