"""Where a slide's pictures go, and how large the deck's pictures are decoded
(before any text is laid out, so the app can decode them in the background
while it starts).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF

from taixin_kiosk.content.deck import Deck, Slide
from taixin_kiosk.ui.theme import Grid


def cover_image_box(g: Grid, large: bool = False) -> QRectF:
    """The cover illustration's box: the right of a landscape stage, the lower
    part of a portrait one (lower still under large text)."""
    if g.portrait:
        top = 0.6 if large else 0.5
        return QRectF(0, g.height * top, g.width, g.height * (1.0 - top))
    return QRectF(g.width * 0.38, 0, g.width * 0.62, g.height)


def emblem_side(g: Grid) -> float:
    """The side of the cover's square emblem."""
    return 120 * g.unit


def media_boxes(slide: Slide, width: float, height: float) -> list[tuple[str, float, float, str]]:
    """Where a slide draws its pictures on a ``width`` x ``height`` stage, without
    laying out its text: (path, box width, box height, "fill" | "contain")."""
    g = Grid(width, height)
    boxes = []
    if slide.type == "cover" and slide.image is not None:
        box = cover_image_box(g)
        boxes.append((str(slide.image), box.width(), box.height(), "fill"))
    if slide.type == "cover" and slide.emblem is not None:
        side = emblem_side(g)
        boxes.append((str(slide.emblem), side, side, "contain"))
    return boxes


# (width, height, "fill" | "contain"): how large a picture is drawn, in pixels.
Box = tuple[float, float, str]


def media_requests(deck: Deck, screen: tuple[float, float] | None) -> dict[str, Box | None]:
    """Every picture of the deck, with the largest box it is drawn in on a
    full-screen stage of ``screen`` size (None: keep the file's size)."""
    requests: dict[str, Box | None] = {}
    for slide in deck.slides:
        for path in (slide.image, slide.emblem):
            if path is not None:
                requests.setdefault(str(path), None)
        if screen is None:
            continue
        for name, w, h, mode in media_boxes(slide, screen[0], screen[1]):
            old = requests.get(name)
            requests[name] = (w, h, mode) if old is None else (max(w, old[0]),
                                                               max(h, old[1]), mode)
    return requests
