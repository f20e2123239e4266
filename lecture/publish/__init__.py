"""Publishing: what a producer uploads, made from a cut's rendered scenes and their recording.

The outputs are a registry: each module of ``lecture/publish/outputs/`` is one output and
declares ``ORDER`` (outputs made from others come after them) and ``products(cut)``: the files it
makes, the inputs it is made from (lecture.store.products.Product) and how to make them. A new
output is one new module; its staleness comes with it. ``publish(cut)`` brings every product up
to date, each only when its inputs changed, and says why.

==================  ===========================================================================
output              made from
==================  ===========================================================================
lecture_video       the scenes' videos (their stamps), the chapter titles
subtitles           each scene's beats and its narration lines, in every language
transcript          the lecture's chapters, each scene's beats, their narration lines and
                    descriptions, in the cut's language (the described transcript)
posters             each scene's video; the contact sheet: the posters and titles
handout             the recording and the handout's strings
burn_in             (--burn-subtitles) the lecture and its subtitles in the cut's language
manifest            every other output, the scenes' inputs, the voice
==================  ===========================================================================

The logic they call lives beside them: video_files (probe, join, chapters), subtitles (cue
timing; line breaking and the timed-text standard are lesson_text.timed_text's), caption_check
(one written track against the standard), caption_report (every track a run wrote, checked and
reported), transcript (the described transcript's page), posters, handout, burn.
"""
from __future__ import annotations

import importlib
import pkgutil

from lecture.publish.cut import Cut
from lecture.store.products import Outcome, Product, bring_up_to_date


class MissingScenes(Exception):
    """A cut cannot be published: scenes are not rendered."""

    exit_code = 2


def output_modules():
    from lecture.publish import outputs

    found = [importlib.import_module(f"{outputs.__name__}.{m.name}") for m in pkgutil.iter_modules(outputs.__path__)]
    return sorted(found, key=lambda module: (module.ORDER, module.__name__))


def products(cut: Cut) -> list[Product]:
    return [product for module in output_modules() for product in module.products(cut)]


def publish(cut: Cut, force: bool = False, dry_run: bool = False, log=print) -> list[Outcome]:
    """Every output of ``cut`` brought up to date (each written atomically, its stamp last)."""
    missing = cut.missing()
    if missing:
        from lecture.store.layout import shown

        raise MissingScenes(f"{shown(cut.folder)} lacks {', '.join(missing)} (or their .beats.json): render "
                                f"every scene first: ./render.sh --quality {cut.quality} --lang {cut.lang}")
    return bring_up_to_date(products(cut), force=force, dry_run=dry_run, log=log)


__all__ = ["Cut", "MissingScenes", "products", "publish"]
