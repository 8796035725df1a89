"""What every part of the presenter console shares: the size a finger needs
and a plain label in the theme's text colour."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from taixin_kiosk.ui.look import look_of

# Buttons and thumbnails: at least this tall / wide for a finger.
MIN_BUTTON_MM = 12.0


def plain_label(parent: QWidget, name: str, *, wrap: bool = False) -> QLabel:
    """A label named ``name`` showing plain text (never rich text from notes),
    in the text colour of its parent's look."""
    palette = look_of(parent).palette
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(f"color: {palette.text.name()}; background: transparent;")
    return label
