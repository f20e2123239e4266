"""sim: runs the lesson's real computations and records per-epoch traces (never imports manim)."""
