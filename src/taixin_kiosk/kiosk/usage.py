"""The kiosk's usage statistics: what the screen shows, told to the recorder.

Slides and languages a visitor chooses become views (``stats.recorder``);
the attract loop's own slides do not, nor does an idle reset that no visitor
came before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from taixin_kiosk.core.actions import Action
from taixin_kiosk.core.modes import Mode

if TYPE_CHECKING:
    from taixin_kiosk.core.session import Session
    from taixin_kiosk.input.activity import ActivityMonitor
    from taixin_kiosk.kiosk.idle import IdleController
    from taixin_kiosk.stats.recorder import ViewRecorder
    from taixin_kiosk.stats.store import StatsStore


def make_recorder(stats: StatsStore | None) -> ViewRecorder | None:
    """A recorder writing to ``stats``, or None when statistics are off."""
    if stats is None:
        return None
    # Looked up when the kiosk is built, not when this module is imported:
    # tests put a recorder with a clock of their own there.
    from taixin_kiosk.stats.recorder import ViewRecorder

    return ViewRecorder(stats)


class UsageRecording(QObject):
    """Tells ``recorder`` each slide, language change, idle reset and wake."""

    def __init__(self, recorder: ViewRecorder, session: Session, idle: IdleController,
                 activity: ActivityMonitor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.recorder = recorder
        self.session = session
        # Input seen since the last idle reset: only a reset after a visit
        # counts as one in the usage figures.
        self.visited = False
        session.navigator.slide_changed.connect(self._on_slide)
        session.actions.triggered.connect(self._on_action)
        idle.idle_reset.connect(self._on_idle_reset)
        idle.attract_started.connect(recorder.pause)
        idle.woke.connect(self._on_woke)
        activity.user_input.connect(self._on_input)
        recorder.slide(*self._current())

    def _current(self) -> tuple[str, str]:
        session = self.session
        slides = session.content.pack.deck.slides
        index = min(session.navigator.index, len(slides) - 1)
        return slides[index].id, session.localizer.locale

    def _on_slide(self, _old: int, _new: int) -> None:
        self.recorder.slide(*self._current())

    def _on_action(self, name: str, _argument: object) -> None:
        if name == Action.LANGUAGE.value:
            self.recorder.language(self.session.localizer.locale)

    def _on_idle_reset(self) -> None:
        if self.visited:
            # The visitor left when the idle time began, not when it ran out.
            self.recorder.idle_reset(idle_for=self.session.settings.idle_seconds)
        self.visited = False
        # Nobody is watching the cover now: its time is not a visit.
        self.recorder.pause()

    def _on_woke(self) -> None:
        self.recorder.attract_wake()
        self.recorder.resume(*self._current())

    def _on_input(self) -> None:
        self.visited = True
        if self.recorder.paused and self.session.modes.mode is not Mode.ATTRACT:
            self.recorder.resume(*self._current())
