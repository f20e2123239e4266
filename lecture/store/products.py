"""A product: files made by one function from inputs it declares. ``bring_up_to_date`` makes each
product whose inputs differ from its stamp's (or whose files are missing), says why, and writes
the stamp after the files; a product whose inputs are unchanged is left alone.

The lesson's words a product reads are found by reading them: every string its build looks up
(lesson_text.recording) is kept in its stamp with its digest, so a product is stale when one of
those strings changed, and only then.

Products come in order; a product's inputs are computed when its turn comes, so they may
include the stamps of the products before it (``needs``). With ``dry_run`` nothing is made: a
product is said to be redone when its own inputs changed or a product it needs will be redone.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from lecture.store.inputs import reasons
from lecture.store.layout import shown
from lecture.store.stamps import Stamp
from lesson_text import lesson_text, recording


def _reads(recorded: dict) -> set[tuple[str, str, str]]:
    return {(kind, lang, key) for kind, langs in recorded.items() for lang, keys in langs.items() for key in keys}


def words_changed(stamp: Stamp, lang: str | None) -> list[str]:
    """The strings the product read last time that are different now."""
    recorded = (stamp.read() or {}).get("reads") or {}
    return reasons(recorded, lesson_text().read_digests(_reads(recorded)), lang) if recorded else []


@dataclass
class Product:
    name: str                              # as a producer reads it: "lecture.mp4", "poster of ChainRule"
    folder: Path                           # where its stamp lives
    stamp_name: str                        # .stamps/<stamp_name>.json
    targets: list[Path]                    # the files it makes
    inputs: Callable[[], dict]             # what it is made from (called when its turn comes)
    build: Callable[[], None]              # makes the targets (each written atomically)
    needs: tuple[str, ...] = ()            # stamp names of products it is made from
    lang: str | None = None                # its language: its own lines are named without it
    quiet: bool = False                    # say nothing when it is current

    @property
    def stamp(self) -> Stamp:
        return Stamp.of(self.folder, self.stamp_name)


@dataclass
class Outcome:
    product: Product
    reasons: list[str]
    seconds: float = 0.0
    made: bool = False
    extra: dict = field(default_factory=dict)


def bring_up_to_date(products: list[Product], force: bool = False, dry_run: bool = False,
                     log: Callable[[str], None] = print) -> list[Outcome]:
    outcomes, redone = [], set()
    for product in products:
        inputs = product.inputs()
        why = ["--force"] if force else (product.stamp.why_stale(inputs, product.targets, product.lang)
                                         or words_changed(product.stamp, product.lang))
        if not why and dry_run:
            upstream = [name for name in product.needs if name in redone]
            why = [f"{name} will be made again" for name in upstream[:1]]
        if not why:
            if not product.quiet:
                log(f"  {product.name}: unchanged")
            outcomes.append(Outcome(product, []))
            continue
        redone.add(product.stamp_name)
        if dry_run:
            log(f"  {product.name}: would be made again: {'; '.join(why)}")
            outcomes.append(Outcome(product, why))
            continue
        start = time.perf_counter()
        with recording() as read:
            product.build()
        seconds = time.perf_counter() - start
        product.stamp.write(inputs, reads=lesson_text().read_digests(read), seconds=round(seconds, 2))
        target = shown(product.targets[0]) if len(product.targets) == 1 else product.name
        log(f"  {target}: made in {seconds:.1f} s ({'; '.join(why)})")
        outcomes.append(Outcome(product, why, seconds, made=True))
    return outcomes
