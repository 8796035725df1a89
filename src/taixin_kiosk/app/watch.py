"""``--watch``: the pack is loaded again whenever one of its files is saved.

For an editor writing a pack: save in the text editor, see the slide change.
While the pack does not validate, its problems fill the window instead of the
slides; once it does, the slides come back on the slide that was shown.

A QFileSystemWatcher reports changes at once, but it loses a file that an
editor saves by writing a new one and renaming it over the old (an atomic
replace), so the folder's files are also compared every half second.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer

from taixin_kiosk.content.choice import ContentChoice
from taixin_kiosk.content.problems import Problem
from taixin_kiosk.core.session import Session
from taixin_kiosk.ui.problems_view import ProblemsView
from taixin_kiosk.ui.window import MainWindow

log = logging.getLogger("taixin_kiosk.app")

# Saves come in bursts (a file, then its neighbour; a write, then a rename):
# load once they have settled.
DEBOUNCE_MS = 300
POLL_MS = 500

Snapshot = dict[str, tuple[int, int]]


def snapshot(folder: Path) -> Snapshot:
    """Each file under ``folder`` (not editors' hidden or backup files) by its
    path, with its modification time and size."""
    out: Snapshot = {}
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.startswith(".") or name.endswith("~"):
                continue
            path = os.path.join(root, name)
            try:
                info = os.stat(path)
            except OSError:  # gone between the listing and the look
                continue
            out[path] = (info.st_mtime_ns, info.st_size)
    return out


class PackWatcher(QObject):
    """Watches ``folder`` and shows it, or its problems, in ``window``."""

    def __init__(self, session: Session, window: MainWindow, folder: Path) -> None:
        super().__init__(window)
        self.session = session
        self.window = window
        self.folder = folder
        self.view = ProblemsView(session.localizer, window.stage.family, window)
        # The slide to come back to when a broken pack is fixed.
        self._slide_id: str | None = None
        self._seen = snapshot(folder)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._changed)
        self._watcher.fileChanged.connect(self._changed)
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.reload)
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self._check)
        self._poll.start()
        self._watch_paths()
        if session.content.problems:
            # Started on a pack that does not validate: its problems, not the
            # built-in slides that stand in for it.
            self._show_problems(session.content.problems)

    @property
    def showing_problems(self) -> bool:
        return self.view.isVisible()

    def _watch_paths(self) -> None:
        """Every folder and file of the pack (a replaced file drops out)."""
        folders = {str(self.folder)} | {os.path.dirname(p) for p in self._seen}
        wanted = folders | set(self._seen)
        have = set(self._watcher.directories()) | set(self._watcher.files())
        missing = sorted(p for p in wanted - have if os.path.exists(p))
        if missing:
            self._watcher.addPaths(missing)

    def _changed(self, _path: str) -> None:
        self._debounce.start()

    def _check(self) -> None:
        if not self._debounce.isActive() and snapshot(self.folder) != self._seen:
            self._debounce.start()

    def reload(self) -> None:
        """Loads the pack again if a file changed since the last load."""
        seen = snapshot(self.folder)
        if seen == self._seen:
            return
        self._seen = seen
        self._watch_paths()
        from taixin_kiosk.content.validate import validate

        result = validate(self.folder)
        if result.pack is None:
            self._show_problems(result.problems)
            return
        slide_id = self._slide_id if self.showing_problems else self._current_slide_id()
        self.session.apply_content(ContentChoice(result.pack, (), self.folder))
        ids = [slide.id for slide in result.pack.deck.slides]
        if slide_id in ids:
            self.session.navigator.go(ids.index(slide_id))
        self.view.clear()
        log.info("watch: %s reloaded", self.folder)

    def _current_slide_id(self) -> str | None:
        slides = self.session.content.pack.deck.slides
        index = self.session.navigator.index
        return slides[index].id if 0 <= index < len(slides) else None

    def _show_problems(self, problems: Sequence[Problem]) -> None:
        if not self.showing_problems and not self.session.content.problems:
            self._slide_id = self._current_slide_id()
        self.window.notice.hide()
        self.view.restyle(self.window.look)
        self.view.show_problems(str(self.folder), problems)
        log.info("watch: %s has %d problems", self.folder, len(problems))
