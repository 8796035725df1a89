"""The audience window: notice, stage, accessibility strip and control bar,
top to bottom (with low reach the notice goes down to the controls)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QCloseEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from taixin_kiosk.content.deck import ContentPack
from taixin_kiosk.core.actions import Action, ActionRegistry
from taixin_kiosk.core.language import Localizer
from taixin_kiosk.ui import focus
from taixin_kiosk.ui.controls import AccessBar, ControlBar
from taixin_kiosk.ui.notice import NoticeBar
from taixin_kiosk.ui.slide_view import ImageCache
from taixin_kiosk.ui.stage import Stage
from taixin_kiosk.ui.theme import PALETTE

if TYPE_CHECKING:
    from taixin_kiosk.ui.screen_cover import ScreenCover


class MainWindow(QWidget):
    """Lays out the notice (when there is one), the stage and the controls.

    The controls sit in their own strip below the stage, so they never cover
    slide content at any size or orientation.
    """

    # Low reach went on or off: by the setting, or by the window's shape.
    reach_changed = Signal(bool)

    def __init__(self, pack: ContentPack, localizer: Localizer, registry: ActionRegistry,
                 family: str, images: ImageCache | None = None) -> None:
        super().__init__()
        self.setObjectName("main-window")
        self._loc = localizer
        # Kiosk mode: no way out but the staff panel.
        self.locked = False
        self._close_allowed = False
        # A talk in progress: a close request asks first (the presenter's question).
        self.close_requested: Callable[[], object] | None = None
        self.notice = NoticeBar(localizer, self)
        self.stage = Stage(pack, localizer, family, images, self)
        self.controls = ControlBar(registry, localizer, self)
        self.access_bar = AccessBar(registry, localizer, self)
        # Screen readers list children in this order: the strip above the bar.
        self.access_bar.stackUnder(self.controls)
        self.low_reach = False
        # Low reach as chosen (None: automatic, on when taller than wide).
        self.reach_setting: bool | None = None
        layout = QVBoxLayout(self)
        self._column = layout
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.notice)
        layout.addWidget(self.stage, 1)
        layout.addWidget(self.access_bar)
        layout.addWidget(self.controls)
        self.setMinimumSize(480, 360)
        # Made on first use (black, white or freeze): not on the way to the first slide.
        self._cover: ScreenCover | None = None
        focus.install(self, localizer, lambda index: registry.trigger(Action.GOTO, index))
        self.retranslate()

    def screen_cover(self) -> ScreenCover:
        """The black / white / frozen cover over the whole window."""
        if self._cover is None:
            from taixin_kiosk.ui.screen_cover import ScreenCover

            self._cover = ScreenCover(self)
        return self._cover

    def current_cover(self) -> str:
        """What covers the slides for the audience: "none", "black", "white" or "frozen"."""
        return self._cover.cover.value if self._cover is not None else "none"

    def update_reach(self) -> None:
        """Low reach from the setting, or automatically from the window's shape."""
        on = self.reach_setting if self.reach_setting is not None \
            else self.height() > self.width()
        self.set_low_reach(on)

    def set_low_reach(self, on: bool) -> None:
        """Low reach: the notice (and its tap to close) moves down to the
        controls; the overview puts its thumbnails in the lower part."""
        if on == self.low_reach:
            return
        self.low_reach = on
        self._column.removeWidget(self.notice)
        self._column.insertWidget(1 if on else 0, self.notice)
        self._column.activate()
        self.stage.set_low_reach(on)
        self.reach_changed.emit(on)

    def show_access_bar(self, on: bool) -> None:
        self.access_bar.setVisible(on)
        if on:  # sized (and its labels fitted) only once it is seen
            self.access_bar.apply_size(self.controls)
        self.controls.set_checked("access", on)

    def retranslate(self) -> None:
        self.setWindowTitle(self._loc.text("ui.window.title"))
        self.controls.retranslate()
        self.access_bar.retranslate()
        self.notice.retranslate()
        self.stage.retranslate()

    def focusNextPrevChild(self, next: bool) -> bool:
        # Tab itself is ordered by the keyboard controller (views.focus); Qt
        # asks here when the focused widget is hidden or disabled.
        return focus.fallback(self)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.controls.apply_size()
        self.access_bar.apply_size(self.controls)
        self.update_reach()
        self.notice.retranslate()
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ScreenChangeInternal:
            self.controls.apply_size()
            self.access_bar.apply_size(self.controls)
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), PALETTE.background_top)
        p.end()

    def closeEvent(self, event: QCloseEvent) -> None:
        # A locked kiosk ignores Alt+F4 and the window manager's close; only
        # the staff panel's exit (allow_close) ends it.
        if self.locked and not self._close_allowed:
            event.ignore()
            return
        if self.close_requested is not None and not self._close_allowed:
            event.ignore()
            self.close_requested()
            return
        event.accept()

    def allow_close(self) -> None:
        self._close_allowed = True

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
