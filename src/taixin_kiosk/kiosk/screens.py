"""Staff screens over the presentation: the PIN pad, the staff panel, the touch test.

They are full-window overlays inside the kiosk's own window, never dialogs:
a kiosk must never show a desktop or a separate window. Every text comes
from the app's catalogue (``Localizer.own_text``), in the language the kiosk
is showing: each screen follows the language itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QEventPoint,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from taixin_kiosk.core.language import Localizer
from taixin_kiosk.ui.panels import (
    MIN_KEY_MM,
    Overlay,
    PanelButton,
    make_label,
    px_per_mm,
    unit_of,
)
from taixin_kiosk.ui.theme import base_font

PIN_DOT = "\u25cf"


class PinPad(Overlay):
    """Large digits, a row of dots, one message line. Keys work too."""

    submitted = Signal(str)
    cancelled = Signal()

    MAX_DIGITS = 12

    def __init__(self, parent: QWidget, family: str, localizer: Localizer) -> None:
        super().__init__(parent, family)
        self.setObjectName("pin-pad")
        self._loc = localizer
        self._entry = ""
        self.title = make_label(self, "pin-title", self.look)
        self.dots = make_label(self, "pin-dots", self.look, accent=True)
        self.message = make_label(self, "pin-message", self.look)
        self.keys: dict[str, PanelButton] = {}
        grid = QGridLayout()
        for i, key in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9",
                                 "back", "0", "ok"]):
            button = PanelButton(f"pin-key-{key}", self, accent=key == "ok", keyboard=True)
            button.family = family
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(button, i // 3, i % 3)
            self.keys[key] = button
        self.cancel = PanelButton("pin-cancel", self, keyboard=True)
        self.cancel.family = family
        self.cancel.clicked.connect(self.cancelled.emit)
        column = QVBoxLayout(self)
        column.addStretch(1)
        column.addWidget(self.title)
        column.addWidget(self.dots)
        column.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addLayout(grid)
        row.addStretch(1)
        column.addLayout(row)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.cancel)
        bottom.addStretch(1)
        column.addLayout(bottom)
        column.addStretch(1)
        self._column = column
        self._low_reach = False
        self._locked_until_text: Callable[[], str] | None = None
        self._lock_timer = QTimer(self)
        self._lock_timer.setInterval(250)
        self._lock_timer.timeout.connect(self._on_lock_timer_timeout)
        localizer.language_changed.connect(self.retranslate)
        self.retranslate()

    @property
    def entry(self) -> str:
        return self._entry

    def retranslate(self) -> None:
        text = self._loc.own_text
        for button in self.findChildren(PanelButton):
            button.text_locale = self._loc.locale
        self.title.setText(text("staff.pin.title"))
        self.keys["back"].setText(text("staff.pin.delete"))
        self.keys["ok"].setText(text("staff.pin.enter"))
        for digit in "0123456789":
            self.keys[digit].setText(digit)
            self.keys[digit].setAccessibleDescription(text("staff.describe.digit", digit=digit))
        self.keys["back"].setAccessibleDescription(text("staff.describe.delete"))
        self.keys["ok"].setAccessibleDescription(text("staff.describe.enter"))
        self.cancel.setText(text("staff.pin.cancel"))
        self.cancel.setAccessibleDescription(text("staff.describe.cancel"))
        self._show_entry()
        self.apply_size()

    def _show_entry(self) -> None:
        # A dot per digit; a screen reader says how many, never the digits.
        self.dots.setText(PIN_DOT * len(self._entry) or " ")
        self.dots.setAccessibleName(self._loc.own_text("staff.pin.entered",
                                                       count=len(self._entry)))

    def reset(self, message: str = "") -> None:
        self._entry = ""
        self._show_entry()
        self.message.setText(message or " ")
        self.set_locked(None)

    def show_message(self, message: str) -> None:
        self.message.setText(message)

    def set_locked(self, message: Callable[[], str] | None) -> None:
        """While ``message`` is given the digits are off and it is shown,
        refreshed until it returns an empty string."""
        self._locked_until_text = message
        for key, button in self.keys.items():
            button.setEnabled(message is None or key == "back")
        if message is None:
            self._lock_timer.stop()
        else:
            self._on_lock_timer_timeout()
            self._lock_timer.start()

    def _on_lock_timer_timeout(self) -> None:
        if self._locked_until_text is None:
            return
        text = self._locked_until_text()
        if text:
            self.message.setText(text)
        else:
            self.set_locked(None)
            self.message.setText(" ")

    def press(self, key: str) -> None:
        if self._locked_until_text is not None:
            return
        if key == "back":
            self._entry = self._entry[:-1]
        elif key == "ok":
            entry, self._entry = self._entry, ""
            self._show_entry()
            self.submitted.emit(entry)
            return
        elif key.isdigit() and len(self._entry) < self.MAX_DIGITS:
            self._entry += key
        self._show_entry()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if event.text().isdigit() and event.text().isascii():
            self.press(event.text())
        elif key == Qt.Key.Key_Backspace:
            self.press("back")
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.press("ok")
        elif key == Qt.Key.Key_Escape:
            self.cancelled.emit()
        event.accept()

    def set_low_reach(self, on: bool) -> None:
        # Centred, or sunk to the bottom (no stretch left under the keys) with
        # keys small enough for the whole pad to fit in the lower half.
        self._low_reach = on
        self._column.setStretch(self._column.count() - 1, 0 if on else 1)
        self.apply_size()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.apply_size()
        super().resizeEvent(event)

    def apply_size(self) -> None:
        u = unit_of(self)
        share = 0.065 if self._low_reach else 0.11
        side = max(MIN_KEY_MM * px_per_mm(self), min(self.height() * share, self.width() * 0.2))
        for button in self.keys.values():
            button.setFixedSize(round(side * 1.25), round(side))
        self.cancel.setFixedSize(round(side * 3.9), round(side * 0.8))
        for label, size in ((self.title, 40), (self.dots, 44), (self.message, 28)):
            label.setFont(base_font(self.family, size * u, locale=self._loc.locale))
        # Room for four lines: the no-PIN message is the longest.
        self.message.setMinimumHeight(round(28 * u * 1.45 * 4))


class StaffPanel(Overlay):
    """What staff can do: leave, reload or roll back content (or go to the
    built-in content), install from a USB stick, test the touch screen; and
    what they need to know."""

    action = Signal(str)

    ACTIONS = ("close", "reload", "install", "rollback", "builtin", "touch_test", "exit")

    def __init__(self, parent: QWidget, family: str, localizer: Localizer) -> None:
        super().__init__(parent, family)
        self.setObjectName("staff-panel")
        self._loc = localizer
        self.title = make_label(self, "staff-title", self.look)
        self.title.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.status = make_label(self, "staff-status", self.look, accent=True)
        self.status.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.info = make_label(self, "staff-info", self.look)
        self.info.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.buttons: dict[str, PanelButton] = {}
        actions = QVBoxLayout()
        for name in self.ACTIONS:
            button = PanelButton(f"staff-{name}", self, accent=name == "close", keyboard=True)
            button.family = family
            button.clicked.connect(lambda _=False, n=name: self.action.emit(n))
            actions.addWidget(button)
            self.buttons[name] = button
        actions.addStretch(1)
        actions.insertStretch(0, 0)  # grows instead with low reach: buttons at the bottom
        self._actions = actions
        # Chosen packs found on removable drives: one button each.
        self.choices = QVBoxLayout()
        self._choice_buttons: list[PanelButton] = []
        side = QVBoxLayout()
        side.addWidget(self.status)
        side.addLayout(self.choices)
        side.addWidget(self.info, 1)
        body = QHBoxLayout()
        body.addLayout(actions)
        body.addSpacing(24)
        body.addLayout(side, 1)
        self._column = column = QVBoxLayout(self)
        column.addWidget(self.title)
        column.addLayout(body, 1)
        localizer.language_changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self) -> None:
        text = self._loc.own_text
        for button in self.findChildren(PanelButton):
            button.text_locale = self._loc.locale
        self.title.setText(text("staff.panel.title"))
        for name, button in self.buttons.items():
            button.setText(text(f"staff.panel.{name}"))
            button.setAccessibleDescription(text(f"staff.describe.{name}"))
        self.apply_size()

    def set_low_reach(self, on: bool) -> None:
        # The action buttons sink to the bottom of their column.
        self._actions.setStretch(0, 1 if on else 0)
        self._actions.setStretch(self._actions.count() - 1, 0 if on else 1)

    def set_status(self, message: str) -> None:
        self.status.setText(message)

    def set_info(self, lines: Sequence[str]) -> None:
        self.info.setText("\n".join(lines))

    def set_choices(self, labels: Sequence[str], chosen: Callable[[int], None]) -> None:
        if any(button.hasFocus() for button in self._choice_buttons):
            # A keyboard user chose one: they stay by the button that offered them.
            install = self.buttons["install"]
            if install.isEnabled():
                install.setFocus(Qt.FocusReason.TabFocusReason)
            else:
                self.setFocus(Qt.FocusReason.OtherFocusReason)
        for button in self._choice_buttons:
            self.choices.removeWidget(button)
            button.deleteLater()
        self._choice_buttons = []
        for i, label in enumerate(labels):
            button = PanelButton(f"staff-choice-{i}", self, keyboard=True)
            button.family = self.family
            button.text_locale = self._loc.locale
            button.setText(label)
            button.clicked.connect(lambda _=False, k=i: chosen(k))
            self.choices.addWidget(button)
            self._choice_buttons.append(button)
        self.apply_size()

    @property
    def choice_buttons(self) -> list[PanelButton]:
        return list(self._choice_buttons)

    def buttons_in_order(self) -> list[PanelButton]:
        # The actions' column, then the packs to choose beside it (not the
        # ones just removed, which linger until deleted).
        return [*self.buttons.values(), *self._choice_buttons]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.action.emit("close")  # as its Close button
            event.accept()
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.apply_size()
        super().resizeEvent(event)

    def apply_size(self) -> None:
        u = unit_of(self)
        height = max(MIN_KEY_MM * px_per_mm(self), 84 * u)
        width = max(height * 2.6, min(self.width() * 0.3, 420 * u))
        for button in [*self.buttons.values(), *self._choice_buttons]:
            button.setFixedSize(round(width), round(height))
        for button in self._choice_buttons:
            button.setFixedSize(round(min(self.width() * 0.55, width * 2.2)), round(height))
        actions = list(self.buttons.values())
        for button in actions:
            button.shared_size = None
        shared = min(button.label_font_size() for button in actions)
        for button in actions:
            button.shared_size = shared
        locale = self._loc.locale
        self.title.setFont(base_font(self.family, 40 * u, bold=True, locale=locale))
        self.status.setFont(base_font(self.family, 26 * u, locale=locale))
        self.info.setFont(base_font(self.family, 20 * u, locale=locale))
        margin = round(56 * u)
        self._column.setContentsMargins(margin, round(margin * 0.8), margin, margin)
        self._column.setSpacing(round(24 * u))


class TouchTest(Overlay):
    """Draws a ring under every finger, to check a touch screen's calibration
    and how many touch points it reports."""

    done = Signal()

    def __init__(self, parent: QWidget, family: str, localizer: Localizer) -> None:
        super().__init__(parent, family)
        self.setObjectName("touch-test")
        self._loc = localizer
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.points: dict[int, QPointF] = {}
        self.hint = make_label(self, "touch-hint", self.look)
        self.close_button = PanelButton("touch-done", self, accent=True, keyboard=True)
        self.close_button.family = family
        self.close_button.clicked.connect(self.done.emit)
        localizer.language_changed.connect(self.retranslate)
        self.retranslate()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.done.emit()  # as its Done button: back to the staff panel
            event.accept()
            return
        super().keyPressEvent(event)

    def retranslate(self) -> None:
        text = self._loc.own_text
        self.close_button.text_locale = self._loc.locale
        self.hint.setText(text("staff.touch.hint"))
        self.close_button.setText(text("staff.touch.done"))
        self.close_button.setAccessibleDescription(text("staff.describe.done"))

    def resizeEvent(self, event: QResizeEvent) -> None:
        u = unit_of(self)
        self.hint.setFont(base_font(self.family, 26 * u, locale=self._loc.locale))
        self.hint.setGeometry(0, round(20 * u), self.width(), round(80 * u))
        side = max(MIN_KEY_MM * px_per_mm(self), 84 * u)
        self.close_button.setGeometry(round(self.width() / 2 - side * 1.5),
                                      round(self.height() - side * 1.4),
                                      round(side * 3), round(side))
        super().resizeEvent(event)

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QTouchEvent):
            self.points = {p.id(): p.position() for p in event.points()
                           if p.state() != QEventPoint.State.Released}
            self.update()
            event.accept()
            return True
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.look.palette
        p = QPainter(self)
        p.fillRect(self.rect(), palette.background_bottom)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        radius = 12 * px_per_mm(self)
        p.setPen(QPen(palette.accent, 4))
        p.setBrush(QBrush(QColor(palette.accent.red(), palette.accent.green(),
                                 palette.accent.blue(), 60)))
        for point in self.points.values():
            p.drawEllipse(point, radius, radius)
        p.setFont(base_font(self.family, 24 * unit_of(self), locale=self._loc.locale))
        p.setPen(palette.text)
        count = self._loc.own_text("staff.touch.count", count=len(self.points))
        p.drawText(QRectF(0, self.height() * 0.12, self.width(), 60 * unit_of(self)),
                   int(Qt.AlignmentFlag.AlignCenter), count)
        p.end()
