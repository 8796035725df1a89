"""Vertical balance: what a slide has under its header spread over the free
height, so that no stretch of the canvas is left empty (issue 14: no empty
band taller than a quarter of the slide) and the blocks neither float in
the middle nor pile up at the top.

Measured in shares of the stage, never in pixels: the same rule holds
whatever the type scale and the screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from taixin_kiosk.ui.layout.items import SlideLayout

# An empty gap between two blocks (or under the last one) takes at most this
# share of the stage's height; free height beyond it goes to the blocks that
# can stretch (a row of cards), and only what they cannot take is shared by
# the gaps again.
GAP_SHARE = 0.12


def gaps(free: float, count: int, cap: float) -> tuple[float, float]:
    """``free`` height shared by ``count`` gaps of at most ``cap`` each:
    (each gap, the height left over for stretching)."""
    if count <= 0 or free <= 0:
        return 0.0, max(0.0, free)
    each = min(cap, free / count)
    return each, free - each * count


def stretches(spare: float, needs: Sequence[float], most: float) -> list[float]:
    """``spare`` height shared by blocks that need ``needs``: each grows by
    an even share, but to no more than ``most`` times its need."""
    if not needs or spare <= 0:
        return [0.0] * len(needs)
    share = spare / len(needs)
    return [min(share, need * (most - 1.0)) for need in needs]


class Mark:
    """What a layout holds at one moment, so that what is added after it can
    be moved as one block."""

    __slots__ = ("decor", "out", "texts")

    def __init__(self, out: SlideLayout) -> None:
        self.out = out
        self.texts = len(out.texts)
        self.decor = len(out.decor)

    def shift(self, dy: float) -> None:
        """Moves every text and decoration added since the mark down by ``dy``."""
        if abs(dy) < 1e-9:
            return
        for item in self.out.texts[self.texts:]:
            item.rect.translate(0, dy)
        for deco in self.out.decor[self.decor:]:
            deco.rect.translate(0, dy)

    def bottom(self, default: float) -> float:
        """Where what was added since the mark ends."""
        rects = [t.rect for t in self.out.texts[self.texts:]]
        rects += [d.rect for d in self.out.decor[self.decor:]]
        return max((r.bottom() for r in rects), default=default)


class Rows(NamedTuple):
    """Rows of a block whose text is set (a grid of cards, a hero card): the
    height they need, each row's need, and ``place(top, grow)``, which lays
    them out from ``top`` with each row ``grow[r]`` taller and returns where
    they end."""

    natural: float
    needs: list[float]
    place: Callable[[float, Sequence[float]], float]
    # The scale their text is set at.
    scale: float
