"""``handout/``: matplotlib figures from the recording (fit snapshots, loss curves, activations
with derivatives, both zig-zag paths) and ``handout.pdf`` with the key numbers. Made from the
traces and the handout's strings only: a narration edit leaves it alone."""
from __future__ import annotations

from lecture.publish.cut import Cut
from lecture.store.imports import code_inputs
from lecture.store.products import Product

ORDER = 40
FIGURES = ("fits", "losses", "activations", "zigzag")


def products(cut: Cut) -> list[Product]:
    folder = cut.folder / "handout"

    def build():
        from lecture.publish import handout  # matplotlib: imported only when there is work

        handout.build(cut.traces, folder, cut.lang)

    return [Product("handout/", cut.folder, "handout", [folder / f"{name}.png" for name in FIGURES] + [folder / "handout.pdf"],
                    inputs=lambda: {"traces": cut.traces_digest(), "code": code_inputs(__name__)},
                    build=build, lang=cut.lang)]
