"""The console's clock line: the talk's time, its pace against the plan,
the wall clock, the tour followed and the notes' language.

``presenter.pacing`` does the arithmetic; this keeps the console showing it,
twice a second and after everything that changes it (a slide, a tour, the
timer's own buttons).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTime, QTimer

from taixin_kiosk.core.actions import Action
from taixin_kiosk.presenter.pacing import TalkClock, even_plan, pace

if TYPE_CHECKING:
    from taixin_kiosk.core.language import Text
    from taixin_kiosk.core.session import Session
    from taixin_kiosk.presenter.console import PresenterConsole

# Often enough that the seconds never seem to stick.
TICK_MS = 500


class ConsoleClock(QObject):
    """Shows ``clock`` on the console, paced against the talk's plan."""

    def __init__(self, session: Session, clock: TalkClock, console: PresenterConsole, *,
                 text: Text, notes_locale: Callable[[], str],
                 language_name: Callable[[str], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.clock = clock
        self.console = console
        # The console's words and the notes' language are the presenter's.
        self._text = text
        self._notes_locale = notes_locale
        self._language_name = language_name
        self.closed = False
        self._route = session.navigator.route
        session.actions.triggered.connect(self._on_action)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self.update)
        self._tick.start()

    def pacing_plan(self) -> tuple[tuple[float, ...], int]:
        """The target seconds of each stop, and the stop reached."""
        session = self.session
        navigator = session.navigator
        tour = session.current_tour()
        if tour is not None:
            return tuple(float(stop.seconds) for stop in tour.stops), navigator.route_position
        return even_plan(session.settings.talk_minutes * 60.0, navigator.count), navigator.index

    def tour_title(self) -> str:
        tour = self.session.current_tour()
        if tour is None:
            return self._text("presenter.tour.all")
        return self.session.localizer.text_in(self._notes_locale(), tour.title)

    def update(self) -> None:
        if self.closed:
            return
        stops, position = self.pacing_plan()
        clock = self.clock
        report = pace(stops, position, clock.elapsed(), stop_elapsed=clock.stop_elapsed(),
                      started=clock.started)
        self.console.set_clock(report, started=clock.started, paused=clock.paused,
                               wall=QTime.currentTime().toString("HH:mm"),
                               tour=self.tour_title(),
                               notes_language=self._language_name(self._notes_locale()))

    def reset(self) -> None:
        self.clock.reset()
        self.update()

    def toggle_pause(self) -> None:
        self.clock.toggle_pause()
        self.update()

    def _on_action(self, name: str, _argument: object) -> None:
        route = self.session.navigator.route
        if name == Action.TOUR.value and route != self._route:
            # Another route is another talk: its clock starts again.
            self._route = route
            self.reset()

    def stop(self) -> None:
        """No more ticks: the app is ending."""
        self._tick.stop()

    def close(self) -> None:
        self.closed = True
        self._tick.stop()
        self.session.actions.triggered.disconnect(self._on_action)
