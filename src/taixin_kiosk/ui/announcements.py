"""What a screen reader is told when the show changes: the slide, the language,
the overview, an accessibility setting (after the views followed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from taixin_kiosk.core.access import Access
from taixin_kiosk.core.modes import Mode
from taixin_kiosk.ui import focus
from taixin_kiosk.ui.announce import announce
from taixin_kiosk.ui.describe import slide_title

if TYPE_CHECKING:
    from taixin_kiosk.core.session import Session
    from taixin_kiosk.ui.window import MainWindow


class ShowAnnouncements(QObject):
    """Listens to the session and the window, and announces in the shown language.

    The unattended attract loop is never announced (a screen reader would
    never stop talking): a visitor's touch ends it.
    """

    def __init__(self, session: Session, window: MainWindow) -> None:
        super().__init__(window)
        self._session = session
        self._window = window
        self._before = session.access.current
        session.navigator.slide_changed.connect(self._on_slide_changed)
        session.localizer.language_changed.connect(self._on_language_changed)
        session.modes.entered.connect(self._on_mode_entered)
        session.access.changed.connect(self._on_access_changed)
        window.reach_changed.connect(self._on_reach_changed)

    def _text(self, key: str, /, **params: object) -> str:
        return self._session.localizer.app_text(key, **params)

    def _slide_sentence(self) -> str:
        stage = self._window.stage
        view = stage.current_view
        return self._text("access.announce.slide", current=view.index + 1, total=stage.count,
                          title=slide_title(view.slide, view.index, self._session.localizer))

    def _on_slide_changed(self, old: int, new: int) -> None:
        if old != new and self._session.modes.mode is not Mode.ATTRACT:
            announce(self._window, self._slide_sentence())

    def _on_language_changed(self, locale: str) -> None:
        if self._session.modes.mode is Mode.ATTRACT:  # the loop's own turns: not a visitor's
            return
        language = self._text("access.announce.language",
                              language=self._session.localizer.text_in(locale,
                                                                       "meta.language_name"))
        announce(self._window, f"{language}\n{self._slide_sentence()}")

    def _on_mode_entered(self, mode: Mode) -> None:
        if mode is Mode.OVERVIEW:
            announce(self._window, self._text("access.announce.overview",
                                              count=self._window.stage.count))
            focus.enter_overview(self._window)

    def _on_access_changed(self, now: Access) -> None:
        was, self._before = self._before, now
        for name, old, new in (("large_text", was.large_text, now.large_text),
                               ("contrast", was.high_contrast, now.high_contrast),
                               ("motion", was.reduced_motion, now.reduced_motion)):
            if old != new:
                state = "on" if new else "off"
                announce(self._window, self._text(f"access.announce.{name}_{state}"))

    def _on_reach_changed(self, on: bool) -> None:
        # Whatever turned it (R, the strip, the screen turning): said once, then.
        announce(self._window, self._text(f"access.announce.reach_{'on' if on else 'off'}"))
