"""Opening hours and the daily restart time: reading them from the config
file and asking, at a local wall-clock time, whether the kiosk is open.

Plain Python with no clock of its own: the caller passes the local time
(``datetime.now()``, taken again at every check, so a change of daylight
saving time or a clock set by hand counts at the next check).

In the file, ``[opening_hours]`` has one key per weekday (``mon`` ... ``sun``),
each a range ``"09:00-17:30"``, several separated by commas (or a list of
them) for a lunch break, or ``""`` for a day closed. A range that ends at
or before it starts runs past midnight (``"22:00-02:00"``), and counts for
the day it starts on. A day left out is open all day, as is every day when
the table is missing: a kiosk that is on when it need not be costs power,
one that is black while the hall is open fails its visitors.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

# datetime is imported where a time is computed, not on the way to the first slide.
if TYPE_CHECKING:
    from datetime import datetime

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_MINUTES = 24 * 60

_CLOCK = re.compile(r"\s*([01]?\d|2[0-4]):([0-5]\d)\s*")
_RANGE = re.compile(r"\s*([0-9:]+)\s*-\s*([0-9:]+)\s*")

# (start, end) in minutes after the day's midnight; an end past DAY_MINUTES
# runs into the next day.
Span = tuple[int, int]


class OpeningHours:
    """A week of opening hours: per weekday (Monday first) its spans, or
    None for a day the file leaves out (open all day). Immutable.

    A plain class, not a frozen dataclass: config.settings imports it on the
    way to the first slide, and defining a dataclass costs about a millisecond."""

    __slots__ = ("days",)
    days: tuple[tuple[Span, ...] | None, ...]

    def __init__(self, days: tuple[tuple[Span, ...] | None, ...]) -> None:
        object.__setattr__(self, "days", days)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"OpeningHours is immutable: cannot set {name}")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OpeningHours) and other.days == self.days

    def __hash__(self) -> int:
        return hash(self.days)

    def __repr__(self) -> str:
        return f"OpeningHours(days={self.days!r})"

    def is_open(self, when: datetime) -> bool:
        """Whether the kiosk is open at the local wall-clock time ``when``."""
        minute = when.hour * 60 + when.minute
        today = self.days[when.weekday()]
        if today is None or any(start <= minute < end for start, end in today):
            return True
        yesterday = self.days[(when.weekday() - 1) % 7] or ()
        return any(minute + DAY_MINUTES < end for _start, end in yesterday)

    def next_opening(self, when: datetime) -> datetime | None:
        """The next local time after ``when`` at which a span starts (seconds
        dropped), or None when no day of the week opens."""
        from datetime import timedelta

        midnight = when.replace(hour=0, minute=0, second=0, microsecond=0)
        for offset in range(8):
            day = self.days[(when.weekday() + offset) % 7]
            starts = [0] if day is None else sorted(start for start, _end in day)
            for start in starts:
                at = midnight + timedelta(days=offset, minutes=start)
                if at > when and not self.is_open(at - timedelta(minutes=1)):
                    return at
        return None

    def as_table(self) -> dict[str, str]:
        """The days given, as the file writes them (``{"mon": "09:00-17:30"}``)."""
        return {DAYS[index]: ", ".join(f"{clock_text(start)}-{clock_text(_end_clock(end))}"
                                       for start, end in spans)
                for index, spans in enumerate(self.days) if spans is not None}


def _end_clock(end: int) -> int:
    return end - DAY_MINUTES if end > DAY_MINUTES else end


def clock_text(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_clock(text: str, *, end: bool = False) -> int | None:
    """``"09:30"`` -> 570; None when not a time of day (``"24:00"`` only as an end)."""
    match = _CLOCK.fullmatch(text)
    if match is None:
        return None
    minutes = int(match.group(1)) * 60 + int(match.group(2))
    limit = DAY_MINUTES if end else DAY_MINUTES - 1
    return minutes if minutes <= limit else None


def _parse_range(text: str) -> Span | None:
    match = _RANGE.fullmatch(text)
    if match is None:
        return None
    start, end = parse_clock(match.group(1)), parse_clock(match.group(2), end=True)
    if start is None or end is None or start == end:
        return None
    return (start, end + DAY_MINUTES) if end < start else (start, end)


# What is wrong with a table: a problem code, the day it is about (None: the
# whole value) and the message's parameters.
Fault = tuple[str, str | None, dict[str, str]]


def parse_day(raw: object) -> tuple[Span, ...] | None:
    """A day's value (text or a list of texts); None when it is not one."""
    pieces: Sequence[object]
    if isinstance(raw, str):
        pieces = [p for p in raw.split(",") if p.strip()] if raw.strip() else []
    elif isinstance(raw, list):
        pieces = raw
    else:
        return None
    spans = []
    for piece in pieces:
        span = _parse_range(piece) if isinstance(piece, str) else None
        if span is None:
            return None
        spans.append(span)
    return tuple(sorted(spans))


def parse_hours(raw: object) -> tuple[OpeningHours | None, Fault | None]:
    """The opening hours a config value gives, or what is wrong with it (the
    first day that is wrong: the whole table is then refused)."""
    if not isinstance(raw, Mapping):
        return None, ("type_hours_optional", None, {})
    days: list[tuple[Span, ...] | None] = [None] * 7
    for key, value in raw.items():
        day = str(key).lower()
        if day not in DAYS:
            return None, ("hours_day", str(key), {"day": str(key)})
        spans = parse_day(value)
        if spans is None:
            return None, ("hours_range", str(key), {})
        days[DAYS.index(day)] = spans
    return OpeningHours(tuple(days)), None


def next_time(minutes: int, after: datetime) -> datetime:
    """The first local time after ``after`` whose clock reads ``minutes``."""
    from datetime import timedelta

    at = after.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(minutes=minutes)
    return at if at > after else at + timedelta(days=1)
