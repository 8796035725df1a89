"""Measuring and wrapping text: whether a box fits, wrapped lines evened out
(cached, as large text measures the same blocks again and again), and where
a line of Chinese may break well.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetricsF, QTextLayout, QTextOption

from taixin_kiosk.ui.layout.breaks import WORD_JOINER
from taixin_kiosk.ui.layout.items import EPS, LEFT, WRAP, TextItem, narrowed

# Text whose wrapped lines are evened out: no "2" or single CJK character
# alone on a last line. Small print (footnotes, captions) flows as it is.
BALANCED_ROLES = frozenset({"title", "display", "subtitle", "stat", "quote", "heading", "lead",
                            "body"})


def measure(text: str, font: QFont, width: float, align: int = LEFT) -> QRectF:
    """The box wrapped ``text`` needs at ``width`` (may be wider if a word is)."""
    metrics = QFontMetricsF(font)
    return metrics.boundingRect(QRectF(0, 0, max(1.0, width), 1e6), align | WRAP, text)


def text_fits(item: TextItem) -> bool:
    """The text (and its second line, if any) fits the item's rect as measured now."""
    boxes = [(item.shown, item.font, item.first_rect())]
    if item.second_text:
        boxes.append((item.second_shown, item.second_font, item.second_rect()))
    for text, font, box in boxes:
        if not item.rect.adjusted(-EPS, -EPS, EPS, EPS).contains(box):
            return False
        need = measure(text, font, box.width(), item.align)
        if need.height() > box.height() + EPS or need.width() > box.width() + EPS:
            return False
    return True


# Wrapped text boxes by (text, font, balanced, width, alignment): large text
# tries a slide at several sizes and arrangements, which measure the same
# blocks again and again.
_WRAPPED: dict[tuple[str, str, tuple[str, ...], bool, float, int],
               tuple[float, float, QRectF, bool]] = {}
_WRAPPED_MAX = 20000


def wrapped(text: str, font: QFont, role: str, x: float, width: float,
            align: int, balance: bool = True) -> tuple[float, float, QRectF, bool]:
    """(x, width, measured box, fits) of ``text`` wrapped at ``width``, its
    lines evened out if ``role`` is one of the BALANCED_ROLES (and ``balance``)."""
    balanced = balance and role in BALANCED_ROLES
    key = (text, font.key(), tuple(font.families()), balanced, width, align)
    found = _WRAPPED.get(key)
    if found is None:
        if len(_WRAPPED) >= _WRAPPED_MAX:
            _WRAPPED.clear()
        found = _WRAPPED[key] = _measure_wrapped(text, font, balanced, width, align)
    dx, narrow, need, fits = found
    return x + dx, narrow, QRectF(need), fits


def _measure_wrapped(text: str, font: QFont, balanced: bool, width: float,
                     align: int) -> tuple[float, float, QRectF, bool]:
    """wrapped for a box at x = 0."""
    x = 0.0
    need = measure(text, font, width, align)
    fits = need.width() <= width + EPS
    if balanced and fits and need.height() > QFontMetricsF(font).lineSpacing() * 1.5:
        narrower = _balanced_width(text, font, width, align, need.height())
        x, width = narrowed(x, width, narrower, align)
        need = measure(text, font, width, align)
    return x, width, need, fits



def _balanced_width(text: str, font: QFont, width: float, align: int, height: float) -> float:
    """The narrowest width (down to half) that wraps ``text`` into no more lines.

    Chinese may break between any two characters, so an even split can cut a
    word in two; where a slightly wider box ends every line at a punctuation
    mark instead, that width wins.
    """
    lo, hi = width * 0.5, width
    half = measure(text, font, lo, align)
    # (A word wider than half the box would stick out of it.)
    if half.height() <= height + EPS and half.width() <= lo + EPS:
        hi = lo
    else:
        for _ in range(7):
            mid = (lo + hi) / 2
            need = measure(text, font, mid, align)
            if need.height() <= height + EPS and need.width() <= mid + EPS:
                hi = mid
            else:
                lo = mid
    narrow = math.ceil(hi)
    if not _has_cjk(text) or _breaks_well(wrapped_lines(text, font, narrow)):
        return narrow
    steps = 6
    for k in range(1, steps + 1):
        candidate = narrow + (width - narrow) * k / steps
        lines = wrapped_lines(text, font, candidate)
        if measure(text, font, candidate, align).height() <= height + EPS \
                and _breaks_well(lines):
            return math.ceil(candidate)
    return narrow


def _has_cjk(text: str) -> bool:
    # Not a regex: compiling a class this wide costs over a millisecond at import.
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


# A line of Chinese text may end well after these (or at a space): the
# full-width comma, enumeration comma, full stop, semicolon, colon, marks,
# closing brackets and quotes, dash and ellipsis (escaped: no CJK in code).
_GOOD_ENDS = set("\uff0c\u3001\u3002\uff1b\uff1a\uff01\uff1f\uff09\u300d\u300f"
                 "\u201d\u2019\u2014\u2026,.;:!?) ")


def wrapped_lines(text: str, font: QFont, width: float) -> list[list[str]]:
    """The lines Qt wraps each paragraph of ``text`` into at ``width``."""
    paragraphs: list[list[str]] = []
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)  # as drawText's TextWordWrap
    for paragraph in text.split("\n"):
        layout = QTextLayout(paragraph, font)
        layout.setTextOption(option)
        layout.beginLayout()
        lines = []
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            lines.append(paragraph[line.textStart():line.textStart() + line.textLength()])
        layout.endLayout()
        paragraphs.append(lines)
    return paragraphs


def _breaks_well(paragraphs: list[list[str]]) -> bool:
    """Every line that wraps (not a paragraph's last) ends at a good place."""
    return all(line and line[-1] in _GOOD_ENDS
               for lines in paragraphs for line in lines[:-1])


def unglued(text: str, font: QFont, width: float) -> str:
    """``text`` as drawn (``TextItem.shown``) with the joiners that glue its
    words left out and its lines broken where they break at ``width``, for
    a PDF: there Qt writes a joiner as a space, so text copied out of the
    page reads with a tab between glued characters."""
    if WORD_JOINER not in text:
        return text
    return "\n".join(line.replace(WORD_JOINER, "").rstrip(" ")
                     for lines in wrapped_lines(text, font, max(1.0, width)) for line in lines)
