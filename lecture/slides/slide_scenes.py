"""The lesson's scenes as slides, for manim's command line (lecture.runner.manim_process gives
it this file): one class per scene, named like the scene, built by ``slide_class``."""
from lecture.slides.slide_classes import slide_class
from scenes import SCENES

for _name in SCENES:
    _cls = slide_class(_name)
    _cls.__module__ = __name__  # manim lists the scenes defined in the file it was given
    globals()[_name] = _cls
