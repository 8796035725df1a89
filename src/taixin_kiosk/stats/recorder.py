"""Turning what the kiosk's screen shows into view events with dwell times.

``ViewRecorder`` is told each slide shown and each language chosen, and
writes one view per slide looked at, with how long, to a ``StatsSink``
(``store.StatsStore``, or a test double).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

# A screen left alone on one slide is not a visitor reading it for hours.
MAX_VIEW_S = 30 * 60.0
# Slides swiped past faster than this were passed through, not looked at.
MIN_VIEW_S = 1.0


class StatsSink(Protocol):
    """What ``ViewRecorder`` writes to (``StatsStore``, or a test double)."""

    def view(self, slide: str, locale: str, seconds: float) -> None: ...
    def language(self, locale: str) -> None: ...
    def idle_reset(self) -> None: ...
    def attract_wake(self) -> None: ...


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

    @property
    def paused(self) -> bool:
        return self._paused

    def _end_view(self, idle: float = 0.0) -> None:
        started, self._started = self._started, None
        if started is None or self._slide is None or self._locale is None:
            return
        seconds = max(0.0, self._clock() - started - idle)
        if seconds < self.min_view:
            return
        self._sink.view(self._slide, self._locale, min(seconds, self.max_view))

    def _start_view(self) -> None:
        if not self._paused and self._slide is not None:
            self._started = self._clock()

    def slide(self, slide_id: str, locale: str) -> None:
        """``slide_id`` is now on screen in ``locale``."""
        if (slide_id, locale) == (self._slide, self._locale) and (
                self._paused or self._started is not None):
            return  # the same view redrawn, not a new one
        self._end_view()
        self._slide, self._locale = slide_id, locale
        self._start_view()

    def language(self, locale: str) -> None:
        """A visitor chose ``locale``; the slide on screen goes on being timed
        as a view in that language."""
        if locale == self._locale:
            return
        if self._paused:
            self._locale = locale
            return
        self._sink.language(locale)
        self._end_view()
        self._locale = locale
        self._start_view()

    def idle_reset(self, idle_for: float = 0.0) -> None:
        """The kiosk is going back to its start after ``idle_for`` seconds
        without input. Call it before the app moves to the first slide or
        pauses for the attract loop: the idle time is not counted as dwell."""
        self._end_view(idle=max(0.0, idle_for))
        self._sink.idle_reset()
        self._start_view()

    def attract_wake(self) -> None:
        """A visitor woke the attract loop; also resumes counting."""
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
        """Ends the current view (the app is quitting)."""
        self._end_view()
