"""Usage counted in memory since the app started, for the monitoring metrics.

``UsageCounts`` is a ``recorder.StatsSink`` like the database: the recorder
writes each view, visit, language choice, idle reset and wake-up to both
(``Both``), and the metrics endpoint reads the totals from another thread.
Counts only, as the database keeps them: slide ids, languages, seconds.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import NamedTuple

from taixin_kiosk.stats.recorder import StatsSink


class Usage(NamedTuple):
    """The totals at one moment (a copy: it does not change afterwards)."""

    views: dict[tuple[str, str], int]  # (slide, locale) -> views
    dwell: dict[tuple[str, str], float]  # (slide, locale) -> seconds looked at
    languages: dict[str, int]  # locale -> times a visitor chose it
    visits: int
    visit_seconds: float
    idle_resets: int
    attract_wakes: int


class UsageCounts:
    """Totals since start; written on the GUI thread, read from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._views: Counter[tuple[str, str]] = Counter()
        self._dwell: dict[tuple[str, str], float] = {}
        self._languages: Counter[str] = Counter()
        self._visits = 0
        self._visit_seconds = 0.0
        self._idle_resets = 0
        self._attract_wakes = 0

    def view(self, slide: str, locale: str, seconds: float) -> None:
        with self._lock:
            self._views[slide, locale] += 1
            self._dwell[slide, locale] = self._dwell.get((slide, locale), 0.0) + seconds

    def visit(self, seconds: float) -> None:
        with self._lock:
            self._visits += 1
            self._visit_seconds += seconds

    def language(self, locale: str) -> None:
        with self._lock:
            self._languages[locale] += 1

    def idle_reset(self) -> None:
        with self._lock:
            self._idle_resets += 1

    def attract_wake(self) -> None:
        with self._lock:
            self._attract_wakes += 1

    def totals(self) -> Usage:
        with self._lock:
            return Usage(dict(self._views), dict(self._dwell), dict(self._languages),
                         self._visits, self._visit_seconds, self._idle_resets,
                         self._attract_wakes)


class Both:
    """A ``StatsSink`` that writes every event to two (the database and the counts)."""

    def __init__(self, first: StatsSink, second: StatsSink) -> None:
        self._sinks = (first, second)

    def view(self, slide: str, locale: str, seconds: float) -> None:
        for sink in self._sinks:
            sink.view(slide, locale, seconds)

    def visit(self, seconds: float) -> None:
        for sink in self._sinks:
            sink.visit(seconds)

    def language(self, locale: str) -> None:
        for sink in self._sinks:
            sink.language(locale)

    def idle_reset(self) -> None:
        for sink in self._sinks:
            sink.idle_reset()

    def attract_wake(self) -> None:
        for sink in self._sinks:
            sink.attract_wake()
