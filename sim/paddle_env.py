"""Import Paddle once, quietly, on the CPU."""
from __future__ import annotations

import os
import warnings


def import_paddle():
    """Return the paddle module, without its ccache warning or C++ info logs."""
    os.environ.setdefault("GLOG_minloglevel", "2")  # keep glog's "New Executor is Running" lines out
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="No ccache found")
        import paddle
    paddle.set_device("cpu")
    paddle.disable_static()
    return paddle


paddle = import_paddle()
nn = paddle.nn
