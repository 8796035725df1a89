"""The kiosk's usage statistics: what the screen shows, told to the recorder.

Slides and languages a visitor chooses become views (``stats.recorder``);
the attract loop's own slides do not, nor does an idle reset that no visitor
came before. A visit begins at a visitor's first input, never at start-up
or at the cover an idle reset brings back, and ends at the next idle reset;
the time staff have the PIN pad or the panel open counts for neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from taixin_kiosk.core.actions import Action
from taixin_kiosk.core.modes import Mode

if TYPE_CHECKING:
    from taixin_kiosk.core.session import Session
    from taixin_kiosk.input.activity import ActivityMonitor
    from taixin_kiosk.input.corner import CornerHold
    from taixin_kiosk.kiosk.idle import IdleController
    from taixin_kiosk.stats.counts import UsageCounts
    from taixin_kiosk.stats.recorder import StatsSink, ViewRecorder
    from taixin_kiosk.stats.store import StatsStore


def make_recorder(stats: StatsStore | None,
                  counts: UsageCounts | None = None) -> ViewRecorder | None:
    """A recorder writing to ``stats`` and to the metrics' ``counts``, or
    None when there are neither."""
    sink: StatsSink | None = stats
    if counts is not None:
        from taixin_kiosk.stats.counts import Both

        sink = counts if stats is None else Both(stats, counts)
    if sink is None:
        return None
    # Looked up when the kiosk is built, not when this module is imported:
    # tests put a recorder with a clock of their own there.
    from taixin_kiosk.stats.recorder import ViewRecorder

    return ViewRecorder(sink)


class UsageRecording(QObject):
    """Tells ``recorder`` each slide, language change, idle reset and wake."""

    def __init__(self, recorder: ViewRecorder, session: Session, idle: IdleController,
                 activity: ActivityMonitor, corner: CornerHold,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.recorder = recorder
        self.session = session
        self.corner = corner
        self.activity = activity
        session.navigator.slide_changed.connect(self._on_slide)
        session.actions.triggered.connect(self._on_action)
        session.modes.entered.connect(self._on_mode_entered)
        session.modes.left.connect(self._on_mode_left)
        idle.idle_reset.connect(self._on_idle_reset)
        idle.attract_started.connect(recorder.pause)
        idle.woke.connect(self._on_woke)
        activity.user_input.connect(self._on_input)
        # The kiosk has just started: its cover is shown to nobody yet.
        recorder.wait_for_visitor()
        recorder.slide(*self._current())

    @property
    def visited(self) -> bool:
        """A visitor's input since the last idle reset."""
        return self.recorder.visiting

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
        if self.recorder.visiting:
            # The visitor left when the idle time began, not when it ran out.
            self.recorder.idle_reset(idle_for=self.session.settings.idle_seconds)
        # Nobody is watching the cover now: its time is not a visit.
        self.recorder.wait_for_visitor()

    def _on_woke(self) -> None:
        self.recorder.attract_wake()
        self.recorder.resume(*self._current())

    def _on_input(self) -> None:
        if self.session.modes.mode is Mode.STAFF:
            return  # staff at the PIN pad or the panel, not a visitor
        if self.activity.hover and not self.recorder.visiting:
            # A visit begins at a touch, click or key: a mouse moved on its
            # way to the staff corner (or nudged) is nobody at the screen yet.
            return
        # The corner's filter saw this press before the activity monitor did
        # (kiosk.mode binds it so): a press there may be staff's hold.
        self.recorder.visitor_input(staff_gesture=self.corner.holding)

    def _on_mode_entered(self, mode: object) -> None:
        if mode is Mode.STAFF:
            self.recorder.staff_opened()

    def _on_mode_left(self, mode: object) -> None:
        if mode is Mode.STAFF:
            self.recorder.staff_closed()
