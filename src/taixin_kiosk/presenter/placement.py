"""Where the presenter's two windows go: the console on the laptop's own
panel, the slides on the biggest other screen, swapped when asked (and the
choice remembered per set of monitors)."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QSize

from taixin_kiosk.system.files import write_atomic
from taixin_kiosk.system.paths import app_paths
from taixin_kiosk.ui.screens import Display, qt_displays

if TYPE_CHECKING:
    from taixin_kiosk.config.settings import Settings

log = logging.getLogger("taixin_kiosk.presenter")

WINDOWED_AUDIENCE = QSize(1280, 720)
WINDOWED_CONSOLE = QSize(1280, 800)
MEMORY_FILE = "presenter-screens.json"


class Placement(NamedTuple):
    audience: Display
    # None: one screen, and the console opens over the slides with P.
    console: Display | None


# Connector names of a laptop's own panel (Linux: eDP-1, LVDS-1, DSI-1).
INTERNAL_PANELS = ("edp", "lvds", "dsi")


def is_internal(display: Display) -> bool:
    return display.name.lower().startswith(INTERNAL_PANELS)


def plan(displays: Sequence[Display], *, swapped: bool = False,
         audience: int | None = None) -> Placement:
    """Where each window goes. The console stays on the laptop's own panel
    when the system names it (a projector may have been made the primary
    screen), else on the primary screen; the audience gets the biggest other
    one. ``swapped`` trades them, ``audience`` (``--screen N``) names the
    audience's screen."""
    if not displays:
        raise ValueError("no screen to show on")
    if len(displays) == 1:
        return Placement(displays[0], None)
    primary = next((d for d in displays if is_internal(d)),
                   next((d for d in displays if d.primary), displays[0]))
    if audience is not None and 0 <= audience < len(displays):
        audience_display = displays[audience]
        console = primary if primary is not audience_display else next(
            d for d in displays if d is not audience_display)
    else:
        console = primary
        # The biggest other screen: a projector beats a small side monitor.
        audience_display = max((d for d in displays if d is not primary),
                               key=lambda d: d.geometry.width() * d.geometry.height())
    if swapped:
        audience_display, console = console, audience_display
    return Placement(audience_display, console)


def screen_set_key(displays: Sequence[Display]) -> str:
    """The same monitors in any order, at any resolution, give the same key."""
    return "|".join(sorted(d.ident for d in displays))


class ScreenMemory:
    """Which screen sets had their windows swapped: a small JSON file, read and
    written whole. A missing or damaged file is no memory, never an error."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # This session's choices hold even where the file cannot be written.
        self._session: dict[str, bool] = {}

    def _read(self) -> dict[str, bool]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, bool)}

    def swapped(self, key: str) -> bool | None:
        if key in self._session:
            return self._session[key]
        return self._read().get(key)

    def remember(self, key: str, swapped: bool) -> None:
        self._session[key] = swapped
        data = self._read()
        data[key] = swapped
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1))
        except OSError as error:  # a read-only profile: the choice lasts this session
            log.warning("cannot remember the screen choice: %s", error)


def audience_display(settings: Settings) -> Display | None:
    """Where the audience window opens, before anything else is built."""
    displays = qt_displays()
    if not displays:
        return None
    memory = ScreenMemory(app_paths().state_dir / MEMORY_FILE)
    remembered = memory.swapped(screen_set_key(displays))
    swapped = True if settings.swap else bool(remembered)
    return plan(displays, swapped=swapped, audience=settings.screen).audience
