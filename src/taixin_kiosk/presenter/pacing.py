"""The talk's clock and its pace against a plan: pure, so tests need no waiting.

A plan is the target seconds of each stop of the route, in order (a tour's
stop times, or the talk's target shared evenly over the slides). The pace
compares the time spent with where the plan expected the speaker to be.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Sequence
from typing import NamedTuple

# Past its planned end a stop is "late" (amber) for up to this long, then
# "far behind" (red); past the whole target the talk is "over" (red).
LATE_GRACE_S = 60.0


class Pace(enum.Enum):
    # Not started yet: no colour to give.
    IDLE = "idle"
    # Reached this stop more than one stop's time before the plan.
    AHEAD = "ahead"
    ON_TIME = "on_time"
    LATE = "late"
    # Late by more than LATE_GRACE_S.
    FAR_BEHIND = "far_behind"
    # Past the whole target.
    OVER = "over"


class PaceReport(NamedTuple):
    pace: Pace
    elapsed: float
    target: float
    # Time on the current stop so far, and its planned time.
    stop_elapsed: float
    stop_target: float
    # Where the plan says the speaker should be after ``elapsed``: seconds
    # ahead (positive) or behind (negative).
    margin: float


def even_plan(total_seconds: float, stops: int) -> tuple[float, ...]:
    """The target shared evenly over ``stops`` (at least one)."""
    stops = max(1, stops)
    return tuple(total_seconds / stops for _ in range(stops))


def pace(plan: Sequence[float], position: int, elapsed: float, *,
         stop_elapsed: float = 0.0, started: bool = True) -> PaceReport:
    """The pace at stop ``position`` (0-based, clamped to the plan) after
    ``elapsed`` seconds of talk."""
    target = float(sum(plan))
    if not plan:
        return PaceReport(Pace.IDLE, elapsed, 0.0, stop_elapsed, 0.0, 0.0)
    position = max(0, min(position, len(plan) - 1))
    start = float(sum(plan[:position]))
    length = float(plan[position])
    end = start + length
    margin = end - elapsed
    if not started:
        kind = Pace.IDLE
    elif elapsed > target:
        kind = Pace.OVER
    elif elapsed > end + LATE_GRACE_S:
        kind = Pace.FAR_BEHIND
    elif elapsed > end:
        kind = Pace.LATE
    elif elapsed < start - length:
        kind = Pace.AHEAD
    else:
        kind = Pace.ON_TIME
    return PaceReport(kind, elapsed, target, stop_elapsed, length, margin)


def clock_text(seconds: float) -> str:
    """``m:ss`` or ``h:mm:ss``: digits only, the same in every language."""
    # A target shared over the slides adds up to a hair under whole seconds.
    whole = int(max(0.0, seconds) + 1e-6)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class TalkClock:
    """Elapsed time of the talk, with pause; started by the first slide change
    (setting up before the talk does not count), or by ``start``.

    ``now`` is injectable so tests move time by hand.
    """

    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self._now = now
        self._started_at: float | None = None
        self._paused_at: float | None = None
        self._paused_total = 0.0
        self._stop_since: float | None = None

    @property
    def started(self) -> bool:
        return self._started_at is not None

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    def start(self) -> None:
        if self._started_at is None:
            self._started_at = self._stop_since = self._now()

    def elapsed(self) -> float:
        if self._started_at is None:
            return 0.0
        end = self._paused_at if self._paused_at is not None else self._now()
        return max(0.0, end - self._started_at - self._paused_total)

    def stop_elapsed(self) -> float:
        """Time on the current stop, pauses left out."""
        if self._stop_since is None:
            return 0.0
        end = self._paused_at if self._paused_at is not None else self._now()
        return max(0.0, end - self._stop_since)

    def slide_changed(self) -> None:
        if self._started_at is None:
            self.start()
        else:
            # While paused the new stop starts at the pause: resuming moves it on.
            self._stop_since = self._paused_at if self._paused_at is not None else self._now()

    def toggle_pause(self) -> None:
        if self._started_at is None:
            return
        if self._paused_at is None:
            self._paused_at = self._now()
        else:
            now = self._now()
            self._paused_total += now - self._paused_at
            if self._stop_since is not None:
                self._stop_since += now - self._paused_at
            self._paused_at = None

    def reset(self) -> None:
        """Back to zero: running from now if the talk had started (the
        presenter restarts timing where they are), else waiting as before."""
        started = self._started_at is not None
        self._started_at = self._paused_at = self._stop_since = None
        self._paused_total = 0.0
        if started:
            self.start()
