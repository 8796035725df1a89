"""New content from the staff panel: reload the pack, roll back to the one
before or to the built-in content, install one from a USB drive.

Each ends with a line in the panel's status saying which pack now shows
(or why nothing changed) and the panel's information brought up to date.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from taixin_kiosk.kiosk import removable

if TYPE_CHECKING:
    from taixin_kiosk.content.packs.install import InstallResult
    from taixin_kiosk.core.language import Text
    from taixin_kiosk.core.session import Session
    from taixin_kiosk.kiosk.screens import StaffPanel

staff_log = logging.getLogger("taixin_kiosk.staff")

# How often the GUI thread looks whether an install has finished.
INSTALL_POLL_MS = 100


class ContentUpdates(QObject):
    """The staff panel's content buttons, reported in its status line."""

    def __init__(self, session: Session, panel: StaffPanel, text: Text, packs_dir: Path, *,
                 refresh_info: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.panel = panel
        self.text = text
        self.packs_dir = packs_dir
        self._refresh_info = refresh_info
        # The timer watching a USB install on its worker thread.
        self._install_poll: QTimer | None = None

    def reload(self) -> None:
        self._report(self.session.reload_content())

    def rollback(self, *, to_builtin: bool = False) -> None:
        """Back to the previous content; ``to_builtin``: to the built-in
        content, whichever two packs are installed."""
        from taixin_kiosk.content.packs.install import rollback

        result = rollback(self.packs_dir, to_builtin=to_builtin)
        if not result.ok:
            if to_builtin:
                first = result.problems[0].format(self.text) if result.problems else ""
                self.panel.set_status(self.text("staff.status.builtin_failed", problem=first))
            else:
                self.panel.set_status(self.text("staff.status.no_rollback"))
            return
        self._report(self.session.reload_content())

    def offer_installs(self) -> None:
        # Looked up on the module at each call: tests put a pretend drive there.
        found = removable.find_removable_packs()
        if not found:
            self.panel.set_status(self.text("staff.status.no_usb"))
            self.panel.set_choices([], lambda _i: None)
            return
        self.panel.set_status(self.text("staff.status.choose_pack"))
        self.panel.set_choices([str(path) for path in found],
                               lambda i: self.install(found[i]))

    def install(self, source: Path) -> None:
        """Copies and checks the pack on another thread: a large pack takes
        seconds, and a GUI frozen that long would look like a hang to the
        supervisor (and to staff)."""
        from taixin_kiosk.content.packs.install import install_pack

        self.panel.set_choices([], lambda _i: None)
        self.panel.set_status(self.text("staff.status.installing", source=str(source)))
        staff_log.info("installing the content pack %s", source)
        self._enable_buttons(False)
        outcome: list[InstallResult | BaseException] = []

        def work() -> None:
            try:
                outcome.append(install_pack(source, self.packs_dir))
            except BaseException as error:  # reported on the GUI thread
                outcome.append(error)

        thread = threading.Thread(target=work, name="install-pack", daemon=True)
        thread.start()
        poll = QTimer(self)
        poll.setInterval(INSTALL_POLL_MS)

        def check() -> None:
            if thread.is_alive():
                return
            poll.stop()
            poll.deleteLater()
            self._enable_buttons(True)
            self._installed(outcome[0] if outcome else RuntimeError("no result"))

        poll.timeout.connect(check)
        poll.start()
        self._install_poll = poll

    def _enable_buttons(self, on: bool) -> None:
        for button in self.panel.buttons.values():
            button.setEnabled(on)

    def _installed(self, result: InstallResult | BaseException) -> None:
        if isinstance(result, BaseException):
            staff_log.error("installing a content pack failed", exc_info=result)
            self.panel.set_status(self.text("staff.status.install_failed", count=1,
                                            first=type(result).__name__))
            return
        if not result.ok:
            problems = result.errors or result.problems
            first = problems[0].format(self.text) if problems else ""
            staff_log.warning("the content pack was not installed: %d problems, first: %s",
                              len(result.errors), first)
            self.panel.set_status(self.text("staff.status.install_failed",
                                            count=len(result.errors), first=first))
            return
        self._report(self.session.reload_content())

    def _report(self, ok: bool) -> None:
        pack = self.session.content.pack
        key = "staff.status.reloaded" if ok else "staff.status.fallback"
        self.panel.set_status(self.text(key, pack=pack.deck.id, version=pack.deck.version))
        self._refresh_info()
