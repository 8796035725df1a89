"""A content pack's limits, in one table: what ``validate``, ``install-pack`` and the app enforce.

Generous for a real exhibition (the built-in deck has 19 slides and 3
pictures) yet small enough that a pack at every limit at once loads within a
few seconds on a modest hall PC (``benchmarks/pack_limits.py`` measures it),
so a pack can never keep a supervised kiosk from starting. docs/content-format.md
("Limits") lists the same values.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from taixin_kiosk.content.deck import DECK_FILE, MEDIA_FIELDS
from taixin_kiosk.content.problems import Problem

MB = 1024 * 1024

MAX_SLIDES = 1000
MAX_DECK_BYTES = 4 * MB
MAX_CATALOGUE_BYTES = 4 * MB
MAX_IMAGES = 200  # distinct picture files the slides name
MAX_IMAGE_BYTES = 10 * MB  # one picture file
MAX_IMAGE_SIDE = 8192  # pixels, either side
MAX_IMAGE_PIXELS = 40_000_000  # one picture, width x height (8K UHD is 33.2 million)
MAX_ENTRIES = 5000  # files and folders in a pack (a zip's entries)
MAX_TOTAL_BYTES = 512 * MB  # the whole pack, unpacked

# How long the app gives a pack to load (and be checked) before it shows the
# next content instead: well under the supervisor's start-up grace.
LOAD_BUDGET_S = 8.0

class Limit(NamedTuple):
    """One row of the table, for the docs and the benchmark."""

    name: str
    value: int


TABLE: tuple[Limit, ...] = (
    Limit("slides", MAX_SLIDES),
    Limit("deck.json bytes", MAX_DECK_BYTES),
    Limit("catalogue bytes (each i18n/*.json)", MAX_CATALOGUE_BYTES),
    Limit("pictures", MAX_IMAGES),
    Limit("bytes per picture", MAX_IMAGE_BYTES),
    Limit("pixels per side", MAX_IMAGE_SIDE),
    Limit("pixels per picture", MAX_IMAGE_PIXELS),
    Limit("files and folders (zip entries)", MAX_ENTRIES),
    Limit("bytes unpacked", MAX_TOTAL_BYTES),
)


def file_too_large(path: Path, file: str, limit: int, code: str) -> Problem | None:
    """A problem when ``path`` is larger than ``limit`` bytes, before it is read."""
    with contextlib.suppress(OSError):
        size = path.stat().st_size
        if size > limit:
            return Problem(file, "", code, {"size": str(size), "limit": str(limit)})
    return None


def catalogue_sizes(i18n_dir: Path) -> list[Problem]:
    """Every catalogue larger than its limit (each is read whole into memory)."""
    problems: list[Problem] = []
    with contextlib.suppress(OSError):
        for path in sorted(i18n_dir.glob("*.json")):
            found = file_too_large(path, f"i18n/{path.name}", MAX_CATALOGUE_BYTES,
                                   "limit_catalogue_bytes")
            if found is not None:
                problems.append(found)
    return problems


def deck_counts(doc: object) -> list[Problem]:
    """Too many slides, or too many distinct pictures, in a parsed deck.json.

    Checked before the schema: checking 100,000 slides one by one is exactly
    the minute-long start this limit prevents."""
    slides = doc.get("slides") if isinstance(doc, dict) else None
    if not isinstance(slides, list):
        return []
    problems: list[Problem] = []
    if len(slides) > MAX_SLIDES:
        problems.append(Problem(DECK_FILE, "slides", "limit_slides",
                                {"count": str(len(slides)), "limit": str(MAX_SLIDES)}))
    pictures = set(_pictures(slides))
    if len(pictures) > MAX_IMAGES:
        problems.append(Problem(DECK_FILE, "slides", "limit_images",
                                {"count": str(len(pictures)), "limit": str(MAX_IMAGES)}))
    return problems


def _pictures(slides: Iterable[object]) -> Iterable[str]:
    for slide in slides:
        if isinstance(slide, dict):
            for name in MEDIA_FIELDS:
                value = slide.get(name)
                if isinstance(value, str):
                    yield value


class OverBudget(Exception):
    """A load took longer than its budget; it is abandoned."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


class LoadWatch:
    """Called between the steps of a load (``tick``): stops a load over its
    time budget, and keeps a supervised app's heartbeat beating meanwhile.

    Loading runs before the event loop (or on the GUI thread, for a reload),
    where the app's timer-driven heartbeat cannot beat; the supervisor would
    take a long load for a hang. ``heartbeat`` is the file it watches (the
    content must change at each beat), None when unsupervised.
    """

    BEAT_EVERY_S = 0.5

    def __init__(self, budget_s: float | None = None, *, heartbeat: Path | None = None) -> None:
        self.budget_s = LOAD_BUDGET_S if budget_s is None else budget_s
        self.heartbeat = heartbeat
        self.started = time.monotonic()
        self._last_beat = -1.0
        self.beats = 0

    @classmethod
    def from_environment(cls, budget_s: float | None = None) -> LoadWatch:
        # The supervisor's module is plain Python: it only names the variable.
        from taixin_kiosk.system.supervisor import HEARTBEAT_ENV

        path = os.environ.get(HEARTBEAT_ENV)
        return cls(budget_s, heartbeat=Path(path) if path else None)

    def tick(self) -> None:
        now = time.monotonic()
        if self.heartbeat is not None and now - self._last_beat >= self.BEAT_EVERY_S:
            self._last_beat = now
            self.beats += 1
            with contextlib.suppress(OSError):  # the app's own heartbeat logs it
                self.heartbeat.write_text(f"{os.getpid()} load {self.beats}\n",
                                          encoding="ascii")
        if now - self.started > self.budget_s:
            raise OverBudget(now - self.started)
