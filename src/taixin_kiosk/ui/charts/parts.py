"""What every chart kind is made of, whichever plot kit draws it.

A tappable mark, how big a label is in pixels and how it wraps. The
pyqtgraph pieces (its options, the axis, the slim plot layout, how a series
looks) are in ``plotkit``; their plain-Qt stand-ins in ``lite``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSizeF, Qt
from PySide6.QtGui import QTextOption

if TYPE_CHECKING:
    import pyqtgraph as pg

# A chart box this much taller than wide (to its width), as on a portrait
# slide, is filled down its height: a timeline runs down it.
TALL_BOX = 0.8

# A legend's sample of a series: draws one at data point (x, y) in a box
# ``side`` pixels wide (see ChartCanvas.series_legend).
Sample = Any


@dataclass
class Mark:
    """A tappable data mark: where it is (data coords) and what it reads."""

    x: float
    y: float
    label: str
    value: str
    # Half-extent of the hit box in data units along x and y.
    hx: float
    hy: float


def text_size(item: pg.TextItem | None) -> QSizeF:
    """A label's size in pixels (labels ignore the plot's scaling)."""
    if item is None:
        return QSizeF()
    return QSizeF(item.textItem.boundingRect().size())


def ink(item: pg.TextItem) -> float:
    """How wide a label's longest line is, in pixels."""
    return float(item.textItem.document().idealWidth())


def wrapped(align: Qt.AlignmentFlag) -> QTextOption:
    """Word wrap, aligned ``align``: a label given a width breaks at words."""
    option = QTextOption()
    option.setAlignment(align)
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    return option
