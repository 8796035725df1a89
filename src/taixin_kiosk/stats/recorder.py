"""Turning what the kiosk's screen shows into views and visits, with their times.

``ViewRecorder`` is told each slide shown and each language chosen, and
writes one view per slide looked at, with how long, to a ``StatsSink``
(``store.StatsStore``, or a test double). In a kiosk it also keeps visits:
one begins at a visitor's first input and ends at the idle reset, and time
with the staff screens open is neither a view nor part of a visit.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

# A screen left alone on one slide is not a visitor reading it for hours.
MAX_VIEW_S = 30 * 60.0
# Slides swiped past faster than this were passed through, not looked at.
MIN_VIEW_S = 1.0


class StatsSink(Protocol):
    """What ``ViewRecorder`` writes to (``StatsStore``, or a test double)."""

    def view(self, slide: str, locale: str, seconds: float) -> None: ...
    def visit(self, seconds: float) -> None: ...
    def language(self, locale: str) -> None: ...
    def idle_reset(self) -> None: ...
    def attract_wake(self) -> None: ...


@dataclass
class _Visit:
    """One visitor's time at the kiosk, on the recorder's clock."""

    started: float
    # Begun by a press in the staff corner: staff access opening now means it
    # was never a visitor.
    staff_gesture: bool
    # It woke the attract loop: a wake-up, unless it was staff's hold.
    woke: bool = False
    staff_seconds: float = 0.0  # staff screens open, up to now
    length: float = 0.0  # from the first input to the last, staff time left out


class ViewRecorder:
    """Turns what the screen shows into view events with dwell times.

    The app tells it each slide shown (``slide``) and each language a visitor
    chooses (``language``); a view ends, and is written with its dwell time,
    when the next one starts, on ``pause`` and on ``close``. While paused
    (the attract loop is running) slide and language changes are followed
    but not counted. Dwell is measured on ``clock`` (monotonic, so a clock
    change does not distort it) and capped at ``max_view``; views shorter
    than ``min_view`` are not counted.
    """

    def __init__(self, sink: StatsSink, *, clock: Callable[[], float] = time.monotonic,
                 max_view: float = MAX_VIEW_S, min_view: float = MIN_VIEW_S) -> None:
        self._sink = sink
        self._clock = clock
        self.max_view = max_view
        self.min_view = min_view
        self._slide: str | None = None
        self._locale: str | None = None
        self._started: float | None = None  # None: no view being timed
        self._paused = False
        # Waiting for a visitor: the screen shows the cover to nobody.
        self._waiting = False
        self._visit: _Visit | None = None
        self._staff_since: float | None = None  # staff screens open since

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def visiting(self) -> bool:
        """A visit is going on (a visitor's input since the last idle reset)."""
        return self._visit is not None

    def _counting(self) -> bool:
        return not (self._paused or self._waiting or self._staff_since is not None)

    def _end_view(self, idle: float = 0.0) -> None:
        started, self._started = self._started, None
        if started is None or self._slide is None or self._locale is None:
            return
        seconds = max(0.0, self._clock() - started - idle)
        if seconds < self.min_view:
            return
        self._sink.view(self._slide, self._locale, min(seconds, self.max_view))

    def _start_view(self) -> None:
        if self._counting() and self._slide is not None:
            self._started = self._clock()

    def slide(self, slide_id: str, locale: str) -> None:
        """``slide_id`` is now on screen in ``locale``."""
        if (slide_id, locale) == (self._slide, self._locale) and (
                not self._counting() or self._started is not None):
            return  # the same view redrawn, not a new one
        self._end_view()
        self._slide, self._locale = slide_id, locale
        self._start_view()

    def language(self, locale: str) -> None:
        """A visitor chose ``locale``; the slide on screen goes on being timed
        as a view in that language."""
        if locale == self._locale:
            return
        if not self._counting():
            self._locale = locale
            return
        self._sink.language(locale)
        self._end_view()
        self._locale = locale
        self._start_view()

    # -- visits (kiosk mode) ---------------------------------------------------

    def wait_for_visitor(self) -> None:
        """Nobody is in front of the screen (the kiosk started): what it shows
        is neither a view nor a visit until ``visitor_input``."""
        self._end_view()
        self._waiting = True

    def visitor_input(self, *, staff_gesture: bool = False) -> None:
        """A visitor touched or pressed a key: a visit begins, or goes on.
        ``staff_gesture``: the input is a press in the staff corner, which
        may turn out to be staff opening the PIN pad."""
        now = self._clock()
        visit = self._visit
        if visit is None:
            visit = self._visit = _Visit(now, staff_gesture)
        elif not staff_gesture and visit.staff_gesture:
            visit.staff_gesture = False
            self._own_wake(visit)
        visit.length = max(0.0, now - visit.started - visit.staff_seconds)
        if self._waiting:
            self._waiting = False
            self._start_view()

    def staff_opened(self) -> None:
        """The PIN pad (or the staff panel) covers the slides: staff time,
        not a visitor's. A visit begun by the gesture that opened it was
        staff, not a visitor: it is forgotten, with the view it started."""
        if self._staff_since is not None:
            return
        visit = self._visit
        if visit is not None and visit.staff_gesture:
            self._started = None
            self._visit = None
            self._waiting = True
        self._end_view()
        self._staff_since = self._clock()

    def staff_closed(self) -> None:
        """The staff screens are gone: the visit, if any, goes on."""
        since, self._staff_since = self._staff_since, None
        if since is None:
            return
        if self._visit is not None:
            self._visit.staff_seconds += self._clock() - since
        self._start_view()

    def _own_wake(self, visit: _Visit) -> None:
        """The visit is a visitor's: the wake-up it began with counts now."""
        if visit.woke:
            visit.woke = False
            self._sink.attract_wake()

    def _end_visit(self) -> None:
        visit, self._visit = self._visit, None
        if visit is not None:
            self._own_wake(visit)
            self._sink.visit(visit.length)

    def idle_reset(self, idle_for: float = 0.0) -> None:
        """The kiosk is going back to its start after ``idle_for`` seconds
        without input. Call it before the app moves to the first slide or
        pauses for the attract loop: the idle time is not counted as dwell.
        A visit ends here (its length ran to the last input), and the kiosk
        waits for the next visitor if it was waiting for this one."""
        self._end_view(idle=max(0.0, idle_for))
        self._sink.idle_reset()
        if self._visit is not None:
            self._end_visit()
            self._waiting = True
        self._start_view()

    def attract_wake(self) -> None:
        """A visitor woke the attract loop; also resumes counting. A wake by
        a press in the staff corner counts once it is known not to be staff
        opening the PIN pad."""
        visit = self._visit
        if visit is not None and visit.staff_gesture:
            visit.woke = True
        else:
            self._sink.attract_wake()
        self.resume()

    def pause(self) -> None:
        """Stop counting (the attract loop starts); ends the current view."""
        self._end_view()
        self._paused = True

    def resume(self, slide_id: str | None = None, locale: str | None = None) -> None:
        """Count again: the slide on screen starts a new view. Give the slide
        and locale when the caller knows them better than the recorder (a
        slide change it was not told about while paused)."""
        known = slide_id is not None and locale is not None
        if not self._paused:
            if known:
                self.slide(slide_id or "", locale or "")
            return
        self._paused = False
        if known:
            self._slide, self._locale = slide_id, locale
        self._start_view()

    def close(self) -> None:
        """Ends the current view and visit (the app is quitting)."""
        self._end_view()
        self._end_visit()
