"""The state of a show as one snapshot, for the presenter console (and later a
remote): they read snapshots and send named actions, never touch the views.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from taixin_kiosk.app.root import Kiosk


class ShowState(NamedTuple):
    slide: int  # the slide shown (0-based)
    slides: int  # how many the deck has
    # The tour followed (its id and its slides in order), or None and ().
    tour: str | None
    route: tuple[int, ...]
    route_position: int
    locale: str
    locales: tuple[str, ...]
    subtitles: bool
    # What the audience sees over the slide: "none", "black", "white", "frozen".
    cover: str
    overview: bool
    # The slide Next would show, or None at the end.
    next_index: int | None


def snapshot(kiosk: Kiosk) -> ShowState:
    from taixin_kiosk.core.modes import Mode

    navigator, localizer = kiosk.navigator, kiosk.localizer
    cover = kiosk.window.current_cover()
    tour = kiosk.current_tour()
    return ShowState(
        slide=navigator.index, slides=navigator.count, tour=tour.id if tour else None,
        route=navigator.route,
        route_position=navigator.route_position, locale=localizer.locale,
        locales=localizer.locales, subtitles=localizer.subtitles, cover=cover,
        overview=kiosk.modes.mode is Mode.OVERVIEW, next_index=navigator.peek_next())


class Show(QObject):
    """Announces a new snapshot whenever something the audience sees changed."""

    changed = Signal(object)

    def __init__(self, kiosk: Kiosk) -> None:
        super().__init__(kiosk.window)
        self._kiosk = kiosk
        self._last = snapshot(kiosk)
        kiosk.navigator.slide_changed.connect(self.refresh)
        kiosk.localizer.language_changed.connect(self.refresh)
        kiosk.localizer.subtitles_changed.connect(self.refresh)
        kiosk.modes.entered.connect(self.refresh)
        # Covers and tours change only through actions.
        kiosk.actions.triggered.connect(self.refresh)

    @property
    def state(self) -> ShowState:
        return self._last

    def refresh(self, *_: object) -> None:
        state = snapshot(self._kiosk)
        if state != self._last:
            self._last = state
            self.changed.emit(state)
