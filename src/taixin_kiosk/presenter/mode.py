"""Presenter mode: the audience window on the projector, the console on the laptop.

The console reads state snapshots (``core.snapshot``) and sends named
actions, like any other input; the mode reaches the app only through the
session (``core.session``). ``PresenterMode`` builds the parts and wires them
to the show: the two windows on the screens (``presenter.windows``, again
whenever a screen comes or goes), the talk's clock (``presenter.clock``),
the previews (``presenter.refresh``). It keeps the notes, the tour chooser
and makes sure a talk never ends by accident: Esc, Ctrl+Q and closing a
window ask first (``core.policy``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from taixin_kiosk.core.actions import Action, Handler
from taixin_kiosk.core.modes import Mode
from taixin_kiosk.core.policy import Step
from taixin_kiosk.core.snapshot import ShowState, Snapshots
from taixin_kiosk.input.corner import CornerHold
from taixin_kiosk.presenter.clock import ConsoleClock
from taixin_kiosk.presenter.console import PresenterConsole
from taixin_kiosk.presenter.overlays import Question
from taixin_kiosk.presenter.pacing import TalkClock, clock_text
from taixin_kiosk.presenter.placement import MEMORY_FILE, Placement, ScreenMemory
from taixin_kiosk.presenter.refresh import PreviewRefresh
from taixin_kiosk.presenter.windows import PresenterWindows
from taixin_kiosk.system.paths import app_paths
from taixin_kiosk.ui.screens import ScreenWatcher

if TYPE_CHECKING:
    from taixin_kiosk.core.session import Audience, Session

log = logging.getLogger("taixin_kiosk.presenter")


class PresenterMode(QObject):
    """Builds the console and keeps the two windows, the clock and the
    question "end the presentation?" in step with the show."""

    def __init__(self, session: Session, *, screens: ScreenWatcher | None = None,
                 memory: ScreenMemory | None = None,
                 now: Callable[[], float] = time.monotonic) -> None:
        audience = session.audience
        assert audience is not None, "the audience window comes first"
        super().__init__(audience.widget())
        self.session = session
        self.audience: Audience = audience
        # The projector's audience is seated: no "tap an area" on its slides.
        audience.set_viewing(seated=True)
        settings = session.settings
        pack = session.content.pack
        self.notes_locale = settings.notes_locale if settings.notes_locale in pack.locales \
            else pack.deck.default_locale
        self.clock = TalkClock(now)
        # Before the show's snapshots: a snapshot's clock must already count
        # the slide change it reports.
        session.navigator.slide_changed.connect(self._on_slide_changed)
        self.snapshots = Snapshots(session, self)
        self.console = PresenterConsole(audience.font_family(), audience.slide_picture,
                                        session.localizer, lambda: self.notes_locale,
                                        session.access)
        self.asking = False
        # Where the question is open: the console's, or (one screen, console
        # closed) the small one on the slides, so no notes reach the audience.
        self.question: Question = self.console.question
        self._slides_question: Question | None = None
        self._mode_before: Mode = Mode.INTERACTIVE
        self._closed = False
        # Notes scroll back to the top only for another slide or language.
        self._notes_for: tuple[int, str] | None = None
        self.windows = PresenterWindows(
            session, audience, self.console, screens or ScreenWatcher(self),
            memory or ScreenMemory(app_paths().state_dir / MEMORY_FILE),
            asking=lambda: self.asking and self.question is self.console.question,
            parent=self)
        self.console_clock = ConsoleClock(
            session, self.clock, self.console, text=self._text,
            notes_locale=lambda: self.notes_locale, language_name=self.language_name,
            parent=self)
        self._follow_the_show()
        self.corner = self._corner_opens_console()
        self.previews = PreviewRefresh(session, audience, self.console, self)
        self.retranslate()
        self.windows.start()
        self._on_state(self.snapshots.state)

    def _follow_the_show(self) -> None:
        """The console's requests become actions; the show's snapshots, the
        typed digits and the end of the app reach the console."""
        session, console = self.session, self.console
        console.requested.connect(self._on_console_requested)
        console.tours_wanted.connect(self.offer_tours)
        console.close_requested.connect(self.ask_to_end)
        self.snapshots.changed.connect(self._on_state)
        session.actions.register_all(self._steps())
        # The console's keys drive the show too; typed digits show on it.
        session.add_key_window(console)
        session.digits_changed.connect(self._on_digits)
        session.ending.connect(self._on_ending)

    def _corner_opens_console(self) -> CornerHold:
        # A touch-only laptop without a keyboard: holding the corner of the
        # slides (as staff do on a kiosk) opens the console, which can end the talk.
        settings = self.session.settings
        corner = CornerHold(self.audience.widget(), settings.staff_corner,
                            settings.staff_hold_seconds, self)
        corner.triggered.connect(self.toggle_console)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            corner.bind(app)
        return corner

    def _steps(self) -> dict[Step, Handler]:
        """What the presenter does of the talk's actions (``core.policy``)."""
        return {
            Step.CONSOLE: self.toggle_console,
            Step.SWAP: self.swap,
            Step.TIMER_RESET: self.console_clock.reset,
            Step.TIMER_PAUSE: self.console_clock.toggle_pause,
            Step.NOTES_LANGUAGE: self.set_notes_locale,
            Step.CLOSE_CHOOSER: self._close_chooser,
            Step.ASK_TO_END: self.ask_to_end,
            Step.END: self.end,
        }

    # -- screens (presenter.windows) ----------------------------------------

    @property
    def screens(self) -> ScreenWatcher:
        return self.windows.screens

    @property
    def memory(self) -> ScreenMemory:
        return self.windows.memory

    @property
    def placement(self) -> Placement | None:
        return self.windows.placement

    @property
    def swapped(self) -> bool:
        return self.windows.swapped

    @property
    def console_open(self) -> bool:
        return self.windows.console_open

    @property
    def single_screen(self) -> bool:
        return self.windows.single_screen

    def place(self) -> None:
        self.windows.place()

    def toggle_console(self) -> None:
        self.windows.toggle_console()

    def to_front(self) -> None:
        self.windows.to_front()

    def swap(self) -> None:
        self.windows.swap()

    # -- the show -------------------------------------------------------------

    def _on_console_requested(self, action: object, argument: object) -> None:
        if isinstance(action, Action):
            self.session.actions.trigger(action, argument)

    def _on_state(self, state: ShowState) -> None:
        if self._closed:
            return
        self.console.apply(state)
        slides = self.session.content.pack.deck.slides
        if (state.slide, self.notes_locale) != self._notes_for and 0 <= state.slide < len(slides):
            self._notes_for = (state.slide, self.notes_locale)
            self.console.set_notes(self.session.localizer.text_in(
                self.notes_locale, slides[state.slide].notes))
        self.update_clock()

    def _on_slide_changed(self, _old: int, _new: int) -> None:
        self.clock.slide_changed()

    def _on_digits(self, digits: str) -> None:
        self.console.set_jump(self._text("presenter.jump", number=digits) if digits else "")

    def _text(self, key: str, /, **params: object) -> str:
        """The console's words, in the presenter's language."""
        return self.session.localizer.app_text(key, self.notes_locale, **params)

    def language_name(self, locale: str) -> str:
        return self.session.localizer.text_in(locale, "meta.language_name")

    def retranslate(self) -> None:
        self.console.retranslate()
        self._on_state(self.snapshots.state)

    def set_notes_locale(self, argument: object = None) -> None:
        locales = self.session.localizer.locales
        if isinstance(argument, str) and argument in locales:
            self.notes_locale = argument
        else:
            self.notes_locale = locales[(locales.index(self.notes_locale) + 1) % len(locales)] \
                if self.notes_locale in locales else locales[0]
        self.retranslate()

    # -- time (presenter.clock) and tours -------------------------------------

    def pacing_plan(self) -> tuple[tuple[float, ...], int]:
        """The target seconds of each stop, and the stop reached."""
        return self.console_clock.pacing_plan()

    def update_clock(self) -> None:
        self.console_clock.update()

    def offer_tours(self) -> None:
        session = self.session
        deck = session.content.pack.deck
        minutes = session.settings.talk_minutes
        choices: list[tuple[str, object]] = [(self._text(
            "presenter.tour.all_item", stops=len(deck.slides),
            time=clock_text(minutes * 60.0)), None)]
        for tour in deck.tours:
            choices.append((self._text(
                "presenter.tour.item", tour=session.localizer.text_in(self.notes_locale,
                                                                    tour.title),
                stops=len(tour.stops), time=clock_text(tour.seconds)), tour.id))
        following = session.current_tour()
        current = following.id if following is not None else None
        self.windows.open_console()
        self.console.choose_tour(choices, current)

    # -- ending -------------------------------------------------------------

    def _close_chooser(self) -> bool:
        """Esc with the tour chooser open closes it (and nothing else)."""
        if not self.console.chooser.isVisible():
            return False
        self.console.chooser.hide()
        return True

    def ask_to_end(self) -> None:
        """Esc, Ctrl+Q, the End button or a window's close: asked on the
        console where it shows; with one screen and the console closed (a
        laptop mirrored to a projector), on the slides, without the notes."""
        if self.asking:
            return
        self.asking = True
        self._mode_before = self.session.modes.mode
        self.session.modes.enter(Mode.ASKING)
        if self.windows.single_screen and not self.windows.console_open:
            self.question = self.slides_question()
            self.question.show()
            self.question.raise_()
        else:
            self.question = self.console.question
            self.windows.show_console()
            self.console.ask_to_end()
        self.question.answered.connect(self.answer, Qt.ConnectionType.SingleShotConnection)
        self._filter_keys(True)

    def slides_question(self) -> Question:
        """The question as a box in the middle of the slides' window."""
        window = self.audience.widget()
        question = self._slides_question
        if question is None:
            question = self._slides_question = Question(window)
            question.keep.family = question.end.family = self.audience.font_family()
        question.keep.text_locale = question.end.text_locale = self.notes_locale
        question.text.setText(self._text("presenter.confirm.question"))
        question.keep.setText(self._text("presenter.confirm.keep"))
        question.end.setText(self._text("presenter.confirm.end"))
        box = window.rect()
        # Wider on a screen taller than wide, and never taller than it needs.
        width = round(box.width() * (0.6 if box.width() >= box.height() else 0.85))
        height = round(min(box.height() * 0.45, width * 0.55))
        question.setGeometry(box.center().x() - width // 2, box.center().y() - height // 2,
                             width, height)
        question.layout_children()
        return question

    def answer(self, end: bool) -> None:
        if not self.asking:
            return
        self.asking = False
        self._filter_keys(False)
        self.question.hide()
        self.question = self.console.question
        self.session.modes.enter(self._mode_before)
        if end:
            self.end()
            return
        # Back to how it was (the screens may have changed while asking).
        self.windows.show_console()

    def _filter_keys(self, on: bool) -> None:
        """While the question is open every key press comes here first."""
        app = QApplication.instance()
        if app is None:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # While the question is open, Esc keeps presenting and Enter ends,
        # whichever of the two windows has the keyboard.
        if event.type() not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) \
                or not isinstance(event, QKeyEvent) or not isinstance(watched, QWidget):
            return False
        if watched.window() not in (self.console, self.audience.widget()):
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()
            return True
        key = event.key()
        if key == Qt.Key.Key_Escape and not event.isAutoRepeat():
            self.question.answered.emit(False)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            self.question.answered.emit(True)
        return True

    def end(self) -> None:
        """Ends the talk: both windows close, and with them the app."""
        log.info("presentation ended after %.0f s", self.clock.elapsed())
        self.session.end(0)

    def _on_ending(self, _code: int) -> None:
        self.console_clock.stop()
        self.console.allow_close()
        self.console.close()

    def close(self) -> None:
        """Shuts the console without a question (the app is ending anyway);
        the audience window closes as it would without a presenter."""
        if self._closed:
            return
        self._closed = True
        self.console_clock.close()
        self.previews.close()
        if self.asking:
            self._filter_keys(False)
        self.windows.close()
        session = self.session
        for step in self._steps():
            session.actions.unregister(step)
        session.navigator.slide_changed.disconnect(self._on_slide_changed)
        self.snapshots.changed.disconnect(self._on_state)
        session.digits_changed.disconnect(self._on_digits)
        session.ending.disconnect(self._on_ending)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.corner.unbind(app)
        self.console.allow_close()
        self.console.close()
        self.console.deleteLater()


def start(session: Session) -> PresenterMode:
    return PresenterMode(session)
