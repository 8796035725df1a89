"""Run-time settings of one session, from the config file and the command line."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class Settings(NamedTuple):
    windowed: bool = False
    locale: str | None = None
    content: Path | None = None
    screen: int | None = None
    motion: bool = True
    # Transition length; the issue caps it at 300 ms.
    transition_ms: int = 220
    # A swipe must travel this far (converted with the screen's DPI).
    swipe_mm: float = 12.0
    # Kiosk mode: locked down, idle reset and attract loop, staff access.
    kiosk: bool = False
    idle_seconds: float = 90.0
    attract_seconds: float = 60.0
    attract_advance_seconds: float = 8.0
    attract_alternate_languages: bool = True
    staff_corner: str = "top-left"
    staff_hold_seconds: float = 3.0
    # The staff PIN's salted hash ("" = no PIN set); never the PIN itself.
    pin: str = ""
    keep_awake: bool = True
    stats_retention_days: int = 365
    # A tour of the deck (its id): next and previous step through its slides.
    tour: str | None = None
    # Presenter mode: audience window and presenter console.
    present: bool = False
    # Audience and console trade their usual screens (remembered per screen set).
    swap: bool = False
    # The presenter's language (notes and console), or the deck's default.
    notes_locale: str | None = None
    # The talk's target without a tour, shared evenly over the slides.
    talk_minutes: int = 10
    # Accessibility defaults: what the audience window starts with and returns
    # to at every idle reset (visitors change them on screen).
    large_text: bool = False
    # "auto" (the system's high-contrast preference), "standard" or "high".
    contrast: str = "auto"
    # "auto" (on for screens taller than wide), "on" or "off".
    low_reach: str = "auto"
