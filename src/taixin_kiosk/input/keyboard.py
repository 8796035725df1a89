"""Keys and clickers: key presses become named actions."""

from __future__ import annotations

import functools
import logging
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from taixin_kiosk.core.actions import Action, ActionRegistry
from taixin_kiosk.core.modes import Mode, ModeManager

log = logging.getLogger("taixin_kiosk.input")

Key = Qt.Key


@functools.cache
def keymap() -> dict[Qt.Key, Action]:
    """One table: the README and any help overlay read the same bindings.

    Built on first use: creating the Qt enum members costs start-up time.
    """
    return {
        Key.Key_Right: Action.NEXT,
        Key.Key_Down: Action.NEXT,
        Key.Key_PageDown: Action.NEXT,
        Key.Key_Space: Action.NEXT,
        Key.Key_Left: Action.PREVIOUS,
        Key.Key_Up: Action.PREVIOUS,
        Key.Key_PageUp: Action.PREVIOUS,
        Key.Key_Backspace: Action.PREVIOUS,
        Key.Key_Home: Action.FIRST,
        Key.Key_End: Action.LAST,
        Key.Key_L: Action.LANGUAGE,
        Key.Key_O: Action.OVERVIEW,
        Key.Key_F11: Action.FULLSCREEN,
        Key.Key_B: Action.BLACK,
        Key.Key_Period: Action.BLACK,  # what clickers send for their "blank" button
        Key.Key_W: Action.WHITE,
        Key.Key_F: Action.FREEZE,
        Key.Key_S: Action.SUBTITLES,
        Key.Key_P: Action.CONSOLE,
        # The talk's timer (a talk only): K or Pause pauses and goes on, as
        # do a remote's play/pause keys; Z sets it back to zero.
        Key.Key_K: Action.TIMER_PAUSE,
        Key.Key_Pause: Action.TIMER_PAUSE,
        Key.Key_MediaTogglePlayPause: Action.TIMER_PAUSE,
        Key.Key_MediaPlay: Action.TIMER_PAUSE,
        Key.Key_MediaPause: Action.TIMER_PAUSE,
        Key.Key_Z: Action.TIMER_RESET,
        Key.Key_A: Action.ACCESS,
        Key.Key_T: Action.LARGE_TEXT,
        Key.Key_C: Action.CONTRAST,
        Key.Key_M: Action.MOTION,
        Key.Key_R: Action.REACH,
        Key.Key_Escape: Action.ESCAPE,
    }


@functools.cache
def overview_moves() -> dict[Qt.Key, tuple[int, int]]:
    """In the overview the arrows move the selection instead of the slide."""
    return {Key.Key_Left: (-1, 0), Key.Key_Right: (1, 0), Key.Key_Up: (0, -1),
            Key.Key_Down: (0, 1)}


DIGIT_TIMEOUT_MS = 3000


class KeyboardFocus(Protocol):
    """The keyboard focus of the audience window, as keys move and use it:
    the window's order of controls is its own business (``ui.focus``)."""

    def window(self) -> QWidget:
        """The audience window."""
        ...

    def focused_control(self) -> QWidget | None:
        """The control that has the keyboard focus, if one has."""
        ...

    def press(self, control: QWidget) -> None:
        """Enter or Space on a focused control."""
        ...

    def to_slides(self) -> None:
        """No control focused: keys mean slides again."""
        ...

    def tab(self, forward: bool, *, staff: bool) -> None:
        """Tab or Shift+Tab: the next control (on a staff screen, its next button)."""
        ...

    def follow_overview(self) -> None:
        """The overview's selection moved: a focused thumbnail follows it."""
        ...


class KeyboardController(QObject):
    """An application event filter for keys aimed at the audience window.

    Watching the application (not just the window) means a key reaches us
    whichever child has focus, before that child can use it for itself.

    Digits collect into a slide number (shown on the counter) until Enter
    jumps there, Escape clears them, or a pause drops them.

    Tab and Shift+Tab move the keyboard focus over the audience window's
    controls in reading order (ui.focus). While a control has that focus,
    Enter and Space press it and Esc hands focus back to the stage; the
    arrows, Page Up / Page Down and every letter key keep their meaning, so
    a clicker works the same whatever is focused. While a staff screen is
    open, Tab goes round its buttons, and the screen and its buttons take
    every other key themselves (Enter, Space, Esc, the PIN's digits).
    """

    digits_changed = Signal(str)

    def __init__(self, registry: ActionRegistry, modes: ModeManager, focus: KeyboardFocus,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._registry = registry
        self._modes = modes
        self._focus = focus
        self._digits = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DIGIT_TIMEOUT_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        # The windows whose keys drive the show: the audience window and,
        # when presenting, the console.
        self._targets: list[QWidget] = []

    def bind(self) -> None:
        self._targets = [self._focus.window()]
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def add_target(self, window: QWidget) -> None:
        if window not in self._targets:
            self._targets.append(window)

    def unbind(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._targets = []

    @property
    def digits(self) -> str:
        return self._digits

    def _focused_control(self) -> QWidget | None:
        return self._focus.focused_control() if self._targets else None

    @staticmethod
    def _tab(event: QKeyEvent) -> bool | None:
        """True for Tab, False for Shift+Tab (Backtab), None for other keys."""
        if event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                | Qt.KeyboardModifier.AltModifier):
            return None
        if event.key() == Key.Key_Backtab or (
                event.key() == Key.Key_Tab
                and event.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            return False
        return True if event.key() == Key.Key_Tab else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        if not isinstance(watched, QWidget) or watched.window() not in self._targets:
            return False
        if isinstance(event, QKeyEvent) and watched.window() is self._focus.window():
            forward = self._tab(event)
            if forward is not None:
                # Staff screens: round their own buttons; focus must never
                # wander to the controls hidden under them (nor under a
                # question, asked on the console).
                if event.type() == QEvent.Type.KeyPress and self._modes.mode is not Mode.ASKING:
                    self._focus.tab(forward, staff=self._modes.mode is Mode.STAFF)
                event.accept()
                return True
        if self._modes.mode in (Mode.STAFF, Mode.ASKING):
            return False  # the PIN pad, the staff panel or a question take their own keys
        # Claim our keys before any shortcut or focused child sees them.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and self._handles(event):
            event.accept()
            return True
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self.handle_key(event)
        return False

    def _handles(self, event: QKeyEvent) -> bool:
        key = Qt.Key(event.key())
        if key == Key.Key_Q and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            return True
        return key in keymap() or key in (Key.Key_Return, Key.Key_Enter) or self._digit(event) \
            is not None

    @staticmethod
    def _digit(event: QKeyEvent) -> str | None:
        text = event.text()
        return text if len(text) == 1 and text.isdigit() and text.isascii() else None

    def handle_key(self, event: QKeyEvent) -> bool:
        modifiers = event.modifiers()
        if modifiers & Qt.KeyboardModifier.ControlModifier and event.key() == Key.Key_Q:
            self._registry.trigger(Action.QUIT)
            return True
        if modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                        | Qt.KeyboardModifier.MetaModifier):
            return False
        key = Qt.Key(event.key())
        digit = self._digit(event)
        if digit is not None:
            self._set_digits((self._digits + digit)[-4:])
            return True
        control = self._focused_control()
        if control is not None and not self._digits and key in (
                Key.Key_Return, Key.Key_Enter, Key.Key_Space, Key.Key_Select):
            if not event.isAutoRepeat():
                self._focus.press(control)
            return True
        if control is not None and not self._digits and key == Key.Key_Escape:
            self._focus.to_slides()
            return True
        if key in (Key.Key_Return, Key.Key_Enter):
            if self._digits:
                number = int(self._digits)
                self._set_digits("")
                self._registry.trigger(Action.GOTO, number - 1)
            elif self._modes.mode is Mode.OVERVIEW:
                self._registry.trigger(Action.GOTO, None)
            return True
        if key == Key.Key_Escape and self._digits:
            self._set_digits("")
            return True
        if self._modes.mode is Mode.OVERVIEW and key in overview_moves():
            self._registry.trigger(Action.OVERVIEW_MOVE, overview_moves()[key])
            # A keyboard user on a thumbnail moves with the selection.
            self._focus.follow_overview()
            return True
        action = keymap().get(key)
        if action is None:
            return False
        if event.isAutoRepeat() and action not in (Action.NEXT, Action.PREVIOUS):
            return True
        self._registry.trigger(action)
        return True

    def _set_digits(self, digits: str) -> None:
        self._digits = digits
        if digits:
            self._timer.start()
        else:
            self._timer.stop()
        self.digits_changed.emit(digits)

    def _on_timer_timeout(self) -> None:
        self._set_digits("")
