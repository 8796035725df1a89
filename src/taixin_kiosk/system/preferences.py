"""What the operating system asks for: high contrast and less motion.

Read where the system says it (Qt 6.10's accessibility hints for contrast,
Windows' animation setting for motion); the configuration's "auto" follows
them (``core.access.defaults_for``).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import NamedTuple

log = logging.getLogger("taixin_kiosk.access")


class SystemPreferences(NamedTuple):
    high_contrast: bool = False
    reduced_motion: bool = False


def system_preferences() -> SystemPreferences:
    """What the operating system asks for, where it can be read."""
    return SystemPreferences(_system_high_contrast(), _system_reduced_motion())


def _system_high_contrast() -> bool:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        return False
    try:
        from PySide6.QtCore import Qt

        # Both wrappers held: PySide deletes the child with a temporary parent.
        style_hints = QGuiApplication.styleHints()
        hints = style_hints.accessibility()
        return bool(hints.contrastPreference() == Qt.ContrastPreference.HighContrast)
    except AttributeError:  # a Qt older than 6.10 has no accessibility hints
        return False


def _system_reduced_motion() -> bool:
    # Qt has no "reduce motion" hint of its own. Windows' "Show animations in
    # Windows" (Settings > Accessibility > Visual effects) is
    # SPI_GETCLIENTAREAANIMATION: False means the user asked for less motion.
    if sys.platform != "win32":
        return False
    try:
        import ctypes

        spi_getclientareaanimation = 0x1042
        enabled = ctypes.c_int(1)
        ok = ctypes.windll.user32.SystemParametersInfoW(  # type: ignore[attr-defined]
            spi_getclientareaanimation, 0, ctypes.byref(enabled), 0)
        return bool(ok) and not enabled.value
    except (OSError, AttributeError):
        log.warning("could not read the system's animation setting", exc_info=True)
        return False


def watch(changed: Callable[..., object]) -> None:
    """Calls ``changed`` whenever the system's contrast preference changes
    (Qt 6.10 and later; earlier Qt cannot say)."""
    from PySide6.QtGui import QGuiApplication

    style_hints = QGuiApplication.styleHints()
    if hasattr(style_hints, "accessibility"):
        style_hints.accessibility().contrastPreferenceChanged.connect(changed)
