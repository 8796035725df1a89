"""Staff access to a kiosk: the PIN pad, then the staff panel and its buttons.

The corner gesture opens the PIN pad (``open_pin_pad``); the right PIN opens
the panel, whose buttons close it, end the kiosk, reload, roll back or
install content, or show the built-in content (``kiosk.updates``), or
open the touch test. While any of
them is open the show is in ``Mode.STAFF``; leaving it hides them all.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from taixin_kiosk.core.modes import Mode
from taixin_kiosk.kiosk.updates import ContentUpdates

if TYPE_CHECKING:
    from taixin_kiosk.config.pin import PinGuard
    from taixin_kiosk.core.language import Text
    from taixin_kiosk.core.session import Audience, Session
    from taixin_kiosk.kiosk.screens import PinPad, StaffPanel, TouchTest

staff_log = logging.getLogger("taixin_kiosk.staff")


class StaffAccess(QObject):
    """The PIN check and the staff panel's buttons, on the kiosk's overlays."""

    def __init__(self, session: Session, audience: Audience, text: Text, *,
                 pin_pad: PinPad, panel: StaffPanel, touch_test: TouchTest,
                 info: Callable[[], list[str]], packs_dir: Path,
                 config_file: Path | None, lock_records: Sequence[Path] = (),
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        from taixin_kiosk.config.pin import PinGuard

        self.session = session
        self.audience = audience
        self.text = text
        self.config_file = config_file
        # The lock-out outlives a restart (kept in these files).
        self.lock_records = tuple(lock_records)
        self.guard: PinGuard = PinGuard(session.settings.pin, records=self.lock_records)
        self.pin_pad = pin_pad
        self.panel = panel
        self.touch_test = touch_test
        self._info = info
        self.updates = ContentUpdates(session, panel, text, packs_dir,
                                      refresh_info=self.refresh_info, parent=self)
        pin_pad.submitted.connect(self._on_pin_submitted)
        pin_pad.cancelled.connect(self.close_staff)
        panel.action.connect(self._on_panel_action)
        touch_test.done.connect(self._on_touch_test_done)
        session.modes.left.connect(self._on_mode_left)

    # -- the PIN -----------------------------------------------------------------

    def open_pin_pad(self) -> None:
        session = self.session
        if session.modes.mode is Mode.STAFF:
            return
        staff_log.info("staff gesture: PIN pad opened")
        self._reload_pin()
        session.modes.enter(Mode.STAFF)
        pad = self.pin_pad
        pad.reset()
        pad.cover()
        if not self.guard.pin_set:
            pad.set_locked(self._not_set_message)
        elif self.guard.locked_for() > 0:
            pad.set_locked(self._lock_message)

    def _reload_pin(self) -> None:
        """The PIN as the config file has it now: set-pin works on a running
        kiosk, and a changed PIN replaces the old one at once."""
        from taixin_kiosk.config.pin import PinGuard

        stored = self.session.settings.pin
        path = self.config_file
        if path is not None and path.exists():
            from taixin_kiosk.config.load import load_config

            config = load_config(path)
            # A file broken while the kiosk runs never takes the PIN away.
            broken = any(p.path in ("pin", "") for p in config.problems)
            if not (broken and not config.settings.pin):
                stored = config.settings.pin
        if stored != self.guard.stored:
            staff_log.info("the staff PIN changed in %s; using the new one", path)
            self.guard = PinGuard(stored, records=self.lock_records)

    def _not_set_message(self) -> str:
        return self.text("staff.pin.not_set")

    def _lock_message(self) -> str:
        left = self.guard.locked_for()
        return self.text("staff.pin.locked", seconds=math.ceil(left)) if left > 0 else ""

    def _on_pin_submitted(self, entry: str) -> None:
        from taixin_kiosk.config.pin import valid_pin

        if self.guard.pin_set and self.guard.locked_for() <= 0 and not valid_pin(entry):
            # Not a PIN at all (Enter pressed too soon): say so, count nothing.
            self.pin_pad.show_message(self.text("staff.pin.too_short"))
            return
        outcome = self.guard.attempt(entry)
        staff_log.info("staff PIN attempt: %s", outcome)
        if outcome == "ok":
            self.pin_pad.hide()
            self.open_panel()
        elif outcome == "locked":
            self.pin_pad.set_locked(self._lock_message)
        elif outcome == "no_pin":
            self.pin_pad.set_locked(self._not_set_message)
        else:
            self.pin_pad.show_message(self.text("staff.pin.wrong"))
            if self.guard.locked_for() > 0:
                self.pin_pad.set_locked(self._lock_message)

    # -- the panel ---------------------------------------------------------------

    def open_panel(self) -> None:
        self.panel.set_status(" ")
        self.panel.set_choices([], lambda _i: None)
        self.refresh_info()
        self.panel.cover()

    def refresh_info(self) -> None:
        self.panel.set_info(self._info())

    def close_staff(self) -> None:
        self.session.modes.leave(Mode.STAFF)

    def _on_mode_left(self, mode: object) -> None:
        if mode is Mode.STAFF:
            for overlay in (self.pin_pad, self.panel, self.touch_test):
                overlay.hide()
            self.audience.widget().activateWindow()

    def _on_touch_test_done(self) -> None:
        self.touch_test.hide()
        self.panel.cover()

    def _on_panel_action(self, name: str) -> None:
        staff_log.info("staff panel: %s", name)
        updates = self.updates
        if name == "close":
            self.close_staff()
        elif name == "exit":
            self._exit()
        elif name == "reload":
            updates.reload()
        elif name == "rollback":
            updates.rollback()
        elif name == "builtin":
            updates.rollback(to_builtin=True)
        elif name == "install":
            updates.offer_installs()
        elif name == "touch_test":
            self.panel.hide()
            self.touch_test.cover()

    def _exit(self) -> None:
        self.session.end(0)
        # The process itself ends, whatever else is open, with code 0:
        # staff ended it on purpose, so the supervisor ends too.
        app = QApplication.instance()
        if app is not None:
            app.exit(0)
