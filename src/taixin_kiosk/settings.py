"""Run-time settings of one session, filled from the command line."""

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
