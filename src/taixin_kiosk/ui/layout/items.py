"""The records a slide layout is made of: text boxes, icons, panels, pictures,
accent bars, and the layout that holds them; the text alignments they use.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont

WRAP = int(Qt.TextFlag.TextWordWrap)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
CENTER = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
# How far (in pixels) a measured box may exceed its room and still fit:
# sub-pixel rounding is not an overflow.
EPS = 0.75


class TextItem:
    """One text box of a slide, as measured; ``fits`` is False if it overflowed.

    A plain class, not a dataclass: these layout records are all defined on
    the way to the first slide, and a dataclass costs ~0.3 ms to define.
    """

    __slots__ = ("align", "backing", "color", "first_width", "fits", "font", "key", "rect",
                 "role", "second_color", "second_font", "second_shown", "second_text",
                 "second_top", "second_width", "shown", "text")

    def __init__(self, rect: QRectF, text: str, role: str, font: QFont, color: QColor,
                 align: int = LEFT, key: str = "", fits: bool = True,
                 backing: QColor | None = None) -> None:
        self.rect = rect
        self.text = text
        self.role = role
        self.font = font
        self.color = color
        self.align = align
        self.key = key
        self.fits = fits
        # The text as measured and drawn: ``text`` with the joiners that keep
        # its names and words whole on a line (layout.breaks); ``text`` is
        # the text as written, what is read out and compared.
        self.shown = text
        # A plate behind the text, so map lines running under a label never cut it.
        self.backing = backing
        # Subtitle mode: the other language under the text, inside ``rect``.
        # Each language wraps at its own width (both evened out), placed in
        # ``rect`` by the alignment; ``second_top`` is relative to the top.
        self.second_text = ""
        self.second_shown = ""
        self.second_font = font
        self.second_color = color
        self.first_width = 0.0
        self.second_width = 0.0
        self.second_top = 0.0

    def __repr__(self) -> str:
        second = f", second={self.second_text!r}" if self.second_text else ""
        return (f"TextItem({self.role!r}, {self.text!r}{second}, {self.rect!r},"
                f" fits={self.fits})")

    @property
    def flags(self) -> int:
        return self.align | WRAP

    def first_rect(self) -> QRectF:
        """Where the primary text is drawn: all of ``rect`` unless a second line follows."""
        if not self.second_text:
            return self.rect
        x, width = narrowed(self.rect.left(), self.rect.width(), self.first_width, self.align)
        return QRectF(x, self.rect.top(), width, self.second_top)

    def second_rect(self) -> QRectF:
        """Where the second language is drawn, under the primary text."""
        x, width = narrowed(self.rect.left(), self.rect.width(), self.second_width, self.align)
        top = self.rect.top() + self.second_top
        return QRectF(x, top, width, self.rect.bottom() - top)


class IconItem(NamedTuple):
    rect: QRectF
    name: str
    color: QColor


class PanelItem(NamedTuple):
    rect: QRectF
    fill: QColor
    edge: QColor | None = None
    radius: float = 0.0
    edge_width: float = 1.2


class ImageItem(NamedTuple):
    rect: QRectF
    path: str
    # "fill-right": cover the box, anchored right; "contain": fit inside.
    mode: str = "contain"
    opacity: float = 1.0


class BarItem(NamedTuple):
    """A decorative accent bar (no text)."""

    rect: QRectF
    color: QColor


class SlideLayout:
    """Everything a slide draws at one size and in one language."""

    __slots__ = (
        "chart_rect",
        "decor",
        "height",
        "hotspots",
        "map_numbered",
        "map_rect",
        "panel_rows",
        "texts",
        "width",
    )

    def __init__(self, width: float, height: float) -> None:
        self.width = width
        self.height = height
        self.texts: list[TextItem] = []
        self.decor: list[PanelItem | IconItem | ImageItem | BarItem] = []
        self.chart_rect: QRectF | None = None
        self.map_rect: QRectF | None = None
        # A map whose areas carry numbers keyed to the list beside it
        # (ui.layout.map): its area dots are drawn large enough for them.
        self.map_numbered = False
        # Tappable regions by area id (map slides): on the map and in the side list.
        self.hotspots: dict[str, QRectF] = {}
        self.panel_rows: dict[str, QRectF] = {}


def narrowed(x: float, width: float, narrower: float, align: int) -> tuple[float, float]:
    """A box ``narrower`` wide whose text stays put for its alignment."""
    if align & int(Qt.AlignmentFlag.AlignHCenter):
        x += (width - narrower) / 2
    elif align & int(Qt.AlignmentFlag.AlignRight):
        x += width - narrower
    return x, narrower
