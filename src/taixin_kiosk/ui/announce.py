"""Spoken announcements for screen readers: a slide change, a toggle.

Qt 6.8 and later pass a ``QAccessibleAnnouncementEvent`` to the platform's
accessibility bridge (UI Automation, AT-SPI, NSAccessibility), which hands
it to a running screen reader. Without one, ``QAccessible.updateAccessibility``
returns at once, so announcing costs nothing on an ordinary kiosk.

Every announcement also goes through one ``Announcer``, which keeps the last
few and emits ``announced``: the tests (and a later on-screen caption) read
what a screen reader would have been told.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

log = logging.getLogger("taixin_kiosk.access")

# Enough to see what one user action said; never grows with the uptime.
KEPT = 20


class Announcer(QObject):
    """Sends announcements and remembers the recent ones."""

    announced = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.recent: list[str] = []
        # How many reached Qt's accessibility layer with a screen reader (or
        # another client) listening: QAccessible.isActive() at the time.
        self.delivered = 0

    @property
    def last(self) -> str | None:
        return self.recent[-1] if self.recent else None

    def announce(self, source: QObject, text: str, *, assertive: bool = False) -> None:
        """Says ``text`` on behalf of ``source`` (a widget in the window it is about).

        Polite by default: a screen reader finishes what it is saying first,
        so pressing Next twice quickly does not cut the slide title off twice.
        """
        if not text:
            return
        self.recent = [*self.recent[-(KEPT - 1):], text]
        if QAccessible.isActive():
            event = QAccessibleAnnouncementEvent(source, text)
            event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive if assertive
                                else QAccessible.AnnouncementPoliteness.Polite)
            QAccessible.updateAccessibility(event)
            self.delivered += 1
        log.debug("announced: %s", text)
        self.announced.emit(text)


_announcer: Announcer | None = None


def announcer() -> Announcer:
    """The one announcer of the process (made on first use)."""
    global _announcer
    if _announcer is None:
        _announcer = Announcer()
    return _announcer


def announce(source: QObject, text: str, *, assertive: bool = False) -> None:
    announcer().announce(source, text, assertive=assertive)
