"""What a statistics summary holds, and how it reads: the lines of ``taixin-kiosk stats``.

``Summary`` is usage over a period (``store.StatsStore.summary`` makes one);
``format_summary`` turns it into text in the catalogue's language, for the
command and for a staff panel. ``parse_since`` reads a ``--since`` date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from taixin_kiosk.content.catalogue import Catalogue


class SlideUsage(NamedTuple):
    """How one slide was looked at over a period."""

    slide: str
    views: int
    total_seconds: float
    median_seconds: float


class Summary(NamedTuple):
    """Usage over a period. Days are the machine's calendar days."""

    slides: tuple[SlideUsage, ...] = ()  # most viewed first
    languages: Mapping[str, int] = MappingProxyType({})  # locale -> times chosen
    idle_resets: int = 0
    attract_wakes: int = 0
    starts: int = 0
    restarts: int = 0
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    # A visit: from a visitor's first input to their last (staff time left out).
    visits: int = 0
    visit_seconds: float = 0.0
    visit_median: float = 0.0
    # Why the supervisor restarted the app ("exit 1", "signal SIGKILL",
    # "hang", "" when not known) -> how often.
    restart_reasons: Mapping[str, int] = MappingProxyType({})

    @property
    def total_views(self) -> int:
        return sum(s.views for s in self.slides)

    @property
    def language_changes(self) -> int:
        """How many times visitors chose a language, all languages together."""
        return sum(self.languages.values())

    @property
    def total_seconds(self) -> float:
        return sum(s.total_seconds for s in self.slides)

    @property
    def is_empty(self) -> bool:
        return self.first_day is None


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_since(text: str) -> dt.date:
    """A ``--since`` date, YYYY-MM-DD; raises ValueError saying what is wrong."""
    text = text.strip()
    if not _DATE_RE.match(text):
        raise ValueError(f"{text!r} is not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"{text!r} is not a real date: {error}") from None


def format_duration(cat: Catalogue, seconds: float) -> str:
    """Seconds as the catalogue's "1 h 02 min" / "3 min 05 s" / "8 s"."""
    total = round(seconds)
    if total < 60:
        return cat.text("cli.stats.duration_s", seconds=total)
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return cat.text("cli.stats.duration_ms", minutes=minutes, seconds=f"{secs:02d}")
    hours, minutes = divmod(minutes, 60)
    return cat.text("cli.stats.duration_hm", hours=hours, minutes=f"{minutes:02d}")


def format_summary(cat: Catalogue, summary: Summary, since: dt.date | None = None) -> list[str]:
    """The lines ``taixin-kiosk stats`` prints (also usable by a staff panel)."""
    t = cat.text
    if summary.is_empty:
        if since is None:
            return [t("cli.stats.empty")]
        return [t("cli.stats.empty_since", since=since.isoformat())]
    assert summary.first_day is not None and summary.last_day is not None
    lines = [t("cli.stats.period", first=summary.first_day.isoformat(),
               last=summary.last_day.isoformat()),
             t("cli.stats.views", views=summary.total_views,
               total=format_duration(cat, summary.total_seconds)),
             t("cli.stats.visits", visits=summary.visits,
               total=format_duration(cat, summary.visit_seconds),
               median=format_duration(cat, summary.visit_median))]
    if summary.slides:
        lines.append(t("cli.stats.slides_heading"))
        lines += ["  " + t("cli.stats.slide", slide=s.slide, views=s.views,
                           total=format_duration(cat, s.total_seconds),
                           median=format_duration(cat, s.median_seconds))
                  for s in summary.slides]
    if summary.languages:
        lines.append(t("cli.stats.languages_heading"))
        lines += ["  " + t("cli.stats.language", locale=locale, count=count)
                  for locale, count in summary.languages.items()]
    else:
        lines.append(t("cli.stats.languages_none"))
    lines += [t("cli.stats.idle_resets", count=summary.idle_resets),
              t("cli.stats.attract_wakes", count=summary.attract_wakes),
              t("cli.stats.starts", count=summary.starts),
              t("cli.stats.restarts", count=summary.restarts)]
    lines += ["  " + t("cli.stats.restart_reason", reason=restart_reason_text(cat, reason),
                       count=count)
              for reason, count in summary.restart_reasons.items()]
    return lines


def restart_reason_text(cat: Catalogue, detail: str) -> str:
    """A stored restart reason (``stats.store.restart_detail``) in words."""
    kind, _, value = detail.partition(" ")
    if kind == "exit" and value:
        return cat.text("cli.stats.reason.exit", code=value)
    if kind == "signal" and value:
        return cat.text("cli.stats.reason.signal", signal=value)
    if kind in ("hang", "window", "start_failed"):
        return cat.text(f"cli.stats.reason.{kind}")
    # Counted by the app itself before the supervisor kept reasons.
    return cat.text("cli.stats.reason.unknown")
