"""The layout check: every visible part of a scene stays inside the safe area of the frame, and
no part overlaps another unless the scene declared that one is drawn on the other.

The parts are the scene's top-level mobjects, taken apart through plain ``VGroup``/``Group``
containers down to the first mobject of any other type: an axes with its labels, a curve, a code
block, a table, a readout, a formula, a text, a ``Drawing`` (contour lines, a scatter). Parts
declared with ``scene.place_on(base, *parts)`` may overlap the base and each other.
"""
from __future__ import annotations

import numpy as np
from manim import Group, Mobject, VGroup, VMobject, config

SAFE_MARGIN = 0.05  # of the frame's width and height, on each side
MIN_OVERLAP = 0.02  # scene units: boxes that only touch are not overlapping


def visible_points(m: Mobject) -> np.ndarray:
    """The points of the members of ``m`` that are drawn (some stroke or fill shows)."""
    found = [s.points for s in m.get_family() if isinstance(s, VMobject) and len(s.points) and (
        s.get_stroke_opacity() > 0.05 and s.get_stroke_width() > 0 or s.get_fill_opacity() > 0.05)]
    return np.concatenate(found)[:, :2] if found else np.zeros((0, 2))


def parts(scene) -> list[Mobject]:
    found = []

    def visit(m):
        if type(m) in (VGroup, Group) and m.submobjects:
            for sub in m.submobjects:
                visit(sub)
        elif len(visible_points(m)):
            found.append(m)

    for m in scene.mobjects:
        visit(m)
    return found


def describe(m: Mobject) -> str:
    label = getattr(m, "original_text", None) or getattr(m, "tex_string", None) or ""
    name = getattr(m, "layout_name", None) or type(m).__name__
    return f"{name}({label[:24]!r})" if label else name


def layers(scene, found: list[Mobject]) -> np.ndarray:
    """A layer number per part: parts declared on one another share a layer (union-find)."""
    index = {id(m): i for i, m in enumerate(found)}
    parent = list(range(len(found)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def members(m):
        return [index[id(s)] for s in m.get_family() if id(s) in index]

    for base, part in getattr(scene, "layered", []):
        group = members(base) + members(part)
        for i in group[1:]:
            parent[root(i)] = root(group[0])
    return np.array([root(i) for i in range(len(found))])


def layout_problems(scene) -> list[str]:
    found = parts(scene)
    if not found:
        return []
    boxes = np.array([[*p.min(axis=0), *p.max(axis=0)] for p in map(visible_points, found)])
    half_w, half_h = config.frame_width / 2, config.frame_height / 2
    safe_w, safe_h = half_w - SAFE_MARGIN * config.frame_width, half_h - SAFE_MARGIN * config.frame_height
    problems = [f"{describe(m)} leaves the safe area: x {b[0]:.2f}..{b[2]:.2f}, y {b[1]:.2f}..{b[3]:.2f} "
                f"(safe: |x| <= {safe_w:.2f}, |y| <= {safe_h:.2f})"
                for m, b in zip(found, boxes)
                if b[0] < -safe_w - 1e-6 or b[2] > safe_w + 1e-6 or b[1] < -safe_h - 1e-6 or b[3] > safe_h + 1e-6]
    layer = layers(scene, found)
    overlap_x = np.minimum(boxes[:, None, 2], boxes[None, :, 2]) - np.maximum(boxes[:, None, 0], boxes[None, :, 0])
    overlap_y = np.minimum(boxes[:, None, 3], boxes[None, :, 3]) - np.maximum(boxes[:, None, 1], boxes[None, :, 1])
    # a straight horizontal or vertical line has a box of zero height or width: give it some
    thin = np.minimum(boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]) < MIN_OVERLAP
    need = np.where(thin[:, None] | thin[None, :], 0.0, MIN_OVERLAP)
    clash = (overlap_x > need) & (overlap_y > need) & (layer[:, None] != layer[None, :])
    for i, j in zip(*np.nonzero(np.triu(clash, 1))):
        problems.append(f"{describe(found[i])} overlaps {describe(found[j])} by "
                        f"{overlap_x[i, j]:.2f} x {overlap_y[i, j]:.2f}")
    return problems
