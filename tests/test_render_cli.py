"""The render command's own logic: progress from Manim's bars, and products (the lecture and its
outputs) made again only when what they are made from changed."""
from __future__ import annotations

from lecture.runner.manim_process import FrameCounter
from lecture.store.products import Product, bring_up_to_date


def test_frame_counter_adds_up_manim_progress_bars():
    seen = []
    counter = FrameCounter(seen.append)
    for segment in ["Animation 0: FadeIn(Text('a')):   0%|          | 0/15 [00:00<?, ?it/s]",
                    "Animation 0: FadeIn(Text('a')):  60%|######    | 9/15 [00:00<00:00, 80.1it/s]",
                    "Animation 0: FadeIn(Text('a')): 100%|##########| 15/15 [00:00<00:00, 80.1it/s]",
                    "Manim Community v0.22.0",
                    "Waiting 1:  50%|#####     | 10/20 [00:00<00:00, 99it/s]",
                    "Waiting 1: 100%|##########| 20/20 [00:00<00:00, 99it/s]",
                    "Animation 2: Create(Axes 1/2):  10%|#  | 3/30 [00:00<00:00, 9it/s]"]:
        counter.feed(segment)
    assert seen == [0, 9, 15, 25, 35, 38]


def test_a_product_is_made_again_only_when_its_inputs_or_files_change(tmp_path):
    made, inputs = [], {"scenes": {"A": "1", "B": "2"}, "settings": {"voice": "none"}}
    target = tmp_path / "lecture.mp4"

    def build():
        made.append(dict(inputs))
        target.write_text("video")

    product = Product("lecture.mp4", tmp_path, "lecture", [target], inputs=lambda: inputs, build=build)
    said = []
    assert bring_up_to_date([product], log=said.append)[0].reasons == ["never made"]
    assert bring_up_to_date([product], log=said.append)[0].reasons == [] and len(made) == 1
    inputs["scenes"]["B"] = "3"  # one scene rendered again
    assert bring_up_to_date([product], log=said.append)[0].reasons == ["scenes B changed"]
    inputs["settings"]["voice"] = "espeak"
    assert bring_up_to_date([product], log=said.append)[0].reasons == ["voice none -> espeak"]
    target.unlink()
    assert "is missing" in bring_up_to_date([product], log=said.append)[0].reasons[0]
    assert len(made) == 4
    # a dry run says what would be made and makes nothing
    inputs["scenes"]["A"] = "9"
    outcome = bring_up_to_date([product], dry_run=True, log=said.append)[0]
    assert outcome.reasons == ["scenes A changed"] and not outcome.made and len(made) == 4
    assert said[-1] == "  lecture.mp4: would be made again: scenes A changed"
