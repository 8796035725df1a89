"""The state of a show as one snapshot, for the presenter console (and later a
remote): they read snapshots and send named actions, never touch the views.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, Signal

from taixin_kiosk.core.modes import Mode

if TYPE_CHECKING:
    from taixin_kiosk.core.session import Session


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


def snapshot(session: Session) -> ShowState:
    navigator, localizer = session.navigator, session.localizer
    cover = session.audience.cover() if session.audience is not None else "none"
    tour = session.current_tour()
    return ShowState(
        slide=navigator.index, slides=navigator.count, tour=tour.id if tour else None,
        route=navigator.route,
        route_position=navigator.route_position, locale=localizer.locale,
        locales=localizer.locales, subtitles=localizer.subtitles, cover=cover,
        overview=session.modes.mode is Mode.OVERVIEW, next_index=navigator.peek_next())


class Snapshots(QObject):
    """Announces a new snapshot whenever something the audience sees changed."""

    changed = Signal(object)

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._last = snapshot(session)
        session.navigator.slide_changed.connect(self.refresh)
        session.localizer.language_changed.connect(self.refresh)
        session.localizer.subtitles_changed.connect(self.refresh)
        session.modes.entered.connect(self.refresh)
        # Covers and tours change only through actions.
        session.actions.triggered.connect(self.refresh)

    @property
    def state(self) -> ShowState:
        return self._last

    def refresh(self, *_: object) -> None:
        state = snapshot(self._session)
        if state != self._last:
            self._last = state
            self.changed.emit(state)
