"""The presenter console: what the speaker sees on the laptop while the
audience sees the slides.

It is a view only. It shows state snapshots (``apply``), the clock
(``set_clock``) and notes it is given, and every button emits ``requested``
with a named action; ``presenter.mode.PresenterMode`` does the rest. A later
remote control can use the same path. Its previews and thumbnails are in
``previews``, the question and the tour chooser over it in ``overlays``.

Its words are the app's own (``Localizer.app_text``: the pack's first) in the presenter's
language, which is not the audience's: ``retranslate`` looks them up again
when the presenter's language changed. It is drawn in the audience window's
theme, following the accessibility settings itself.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QCloseEvent,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import QScrollArea, QScroller, QWidget

from taixin_kiosk.core.access import Access, AccessState
from taixin_kiosk.core.actions import Action
from taixin_kiosk.core.language import Localizer
from taixin_kiosk.core.snapshot import ShowState
from taixin_kiosk.presenter.common import MIN_BUTTON_MM, plain_label
from taixin_kiosk.presenter.overlays import Chooser, Question
from taixin_kiosk.presenter.pacing import Pace, PaceReport, clock_text
from taixin_kiosk.presenter.previews import MIN_THUMB_PX, Preview, Renderer, ThumbStrip
from taixin_kiosk.ui.look import Look, look_for
from taixin_kiosk.ui.panels import PanelButton, px_per_mm
from taixin_kiosk.ui.theme import font_for

PACE_COLOURS: dict[Pace, QColor] = {
    Pace.IDLE: QColor("#5B6B7C"),
    Pace.AHEAD: QColor("#3D7EC9"),
    Pace.ON_TIME: QColor("#2E8B57"),
    Pace.LATE: QColor("#C98A16"),
    Pace.FAR_BEHIND: QColor("#C0392B"),
    Pace.OVER: QColor("#C0392B"),
}


# The console's text on the slides' type scale (ui.theme.TYPE_SCALE), so it
# grows with the screen as they do and no label is smaller than the smallest
# on a slide: what each part of the console is set in.
CONSOLE_ROLES: dict[str, str] = {
    "clock": "subtitle",  # the talk's time and the wall clock (bold)
    "info": "small",  # this slide's time, the target, the pace and tour
    "caption": "kicker",  # "Now: 4 of 19", "Next: 5", "Notes" (bold)
    "notes": "body",
    "number": "small",  # a thumbnail's slide number (bold)
    "band": "heading",  # what covers the audience's slide, over its preview
    "button": "control",  # the buttons' labels, at their largest that fits
}


# Where a two-line button label breaks: after its first colon, Latin or
# full-width (escaped: no CJK in code).
LABEL_BREAK = re.compile("([:\uff1a])\\s*")


class ConsoleButton(NamedTuple):
    """One button of the console: its action and argument, and its label key."""

    name: str
    action: Action
    label: str


# The button rows, in order: the most used first (where the thumb rests).
BUTTONS: tuple[tuple[ConsoleButton, ...], ...] = (
    (ConsoleButton("previous", Action.PREVIOUS, "presenter.button.previous"),
     ConsoleButton("next", Action.NEXT, "presenter.button.next"),
     ConsoleButton("black", Action.BLACK, "presenter.button.black"),
     ConsoleButton("white", Action.WHITE, "presenter.button.white"),
     ConsoleButton("freeze", Action.FREEZE, "presenter.button.freeze"),
     ConsoleButton("language", Action.LANGUAGE, "presenter.button.audience_language"),
     ConsoleButton("subtitles", Action.SUBTITLES, "presenter.button.subtitles")),
    (ConsoleButton("tour", Action.TOUR, "presenter.button.tour"),
     ConsoleButton("notes_language", Action.NOTES_LANGUAGE, "presenter.button.notes_language"),
     ConsoleButton("pause", Action.TIMER_PAUSE, "presenter.button.pause"),
     ConsoleButton("reset", Action.TIMER_RESET, "presenter.button.reset"),
     ConsoleButton("swap", Action.SWAP, "presenter.button.swap"),
     ConsoleButton("console", Action.CONSOLE, "presenter.button.hide"),
     ConsoleButton("end", Action.QUIT, "presenter.button.end")),
)


class PresenterConsole(QWidget):
    """The presenter's window: clock and pace at the top, the current and next
    slide, the notes, every slide as a thumbnail, and large buttons.

    Laid out by hand in ``apply_size``: the shares between previews and
    notes depend on the audience screen's shape and on this screen's
    orientation, which box layouts cannot express.
    """

    requested = Signal(object, object)  # (Action, argument)
    close_requested = Signal()
    # The tour button: the presenter mode answers with ``choose_tour``.
    tours_wanted = Signal()

    def __init__(self, family: str, render_slide: Renderer, localizer: Localizer,
                 notes_locale: Callable[[], str], access: AccessState) -> None:
        super().__init__()
        self.setObjectName("presenter-console")
        self.family = family
        self._loc = localizer
        # The presenter's language (the notes'), as the presenter mode has it.
        self._notes_locale = notes_locale
        self.text_locale = notes_locale()
        # The audience window's theme.
        self.look = look_for(access.current)
        access.changed.connect(self._follow_access)
        self._state: ShowState | None = None
        self._close_allowed = False
        self._top_h = 0
        self._jump = ""
        # Each button's label as it is worded, before fitting (``_label``).
        self._labels: dict[str, str] = {}
        self.setMinimumSize(640, 400)

        self.elapsed = plain_label(self, "elapsed")
        self.elapsed.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stop_time = plain_label(self, "stop-time")
        self.target = plain_label(self, "target")
        self.tour_name = plain_label(self, "tour-name")
        self.clock = plain_label(self, "clock")
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for label in (self.stop_time, self.target, self.tour_name):
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        self.current = Preview("current-preview", self, render_slide)
        self.next = Preview("next-preview", self, render_slide)
        self.notes_heading = plain_label(self, "notes-heading")
        self.notes = plain_label(self, "notes", wrap=True)
        self.notes.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # Clear of the scroll bar, which sits over the text's right edge.
        self.notes.setContentsMargins(0, 0, 16, 0)
        self.notes_area = QScrollArea(self)
        self.notes_area.setObjectName("notes-area")
        self.notes_area.setWidget(self.notes)
        self.notes_area.setWidgetResizable(True)
        self.notes_area.setFrameShape(QScrollArea.Shape.NoFrame)
        # Qt's default scroll bar is a light box on this dark screen.
        self.notes_area.setStyleSheet(
            "QScrollArea { background: transparent; }"
            " QScrollBar:vertical { background: transparent; width: 10px; margin: 0; }"
            " QScrollBar::handle:vertical { background: rgba(255, 255, 255, 70);"
            " border-radius: 5px; min-height: 40px; }"
            " QScrollBar::add-line, QScrollBar::sub-line { height: 0; }"
            " QScrollBar::add-page, QScrollBar::sub-page { background: transparent; }")
        self.notes_area.viewport().setStyleSheet("background: transparent;")
        self.notes_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Long notes scroll by finger as well as by wheel.
        QScroller.grabGesture(self.notes_area.viewport(),
                              QScroller.ScrollerGestureType.LeftMouseButtonGesture)

        self.strip = ThumbStrip(self, localizer)
        self.strip.render_slide = render_slide
        self.strip.chosen.connect(lambda index: self.requested.emit(Action.GOTO, index))

        self.buttons: dict[str, PanelButton] = {}
        for specs in BUTTONS:
            for spec in specs:
                button = PanelButton(spec.name, self, accent=spec.name == "next")
                button.family = family
                button.clicked.connect(lambda _=False, s=spec: self._clicked(s))
                self.buttons[spec.name] = button

        self.question = Question(self)
        self.chooser = Chooser(self)
        self.chooser.chosen.connect(self._tour_chosen)
        for widget in (self.question.keep, self.question.end, self.chooser, self.current,
                       self.next, self.strip):
            widget.family = family

    # -- what it shows ------------------------------------------------------

    def _text(self, key: str, /, **params: object) -> str:
        """The console's words, in the presenter's language."""
        return self._loc.app_text(key, self._notes_locale(), **params)

    def _language_name(self, locale: str) -> str:
        return self._loc.text_in(locale, "meta.language_name")

    def _follow_access(self, access: Access) -> None:
        self.restyle(look_for(access))

    def restyle(self, look: Look) -> None:
        """Drawn again in ``look``'s colours (its parts paint in the console's)."""
        self.look = look
        self.update()

    def retranslate(self) -> None:
        """Labels in the presenter's language, as it is now."""
        text = self._text
        locale = self.text_locale = self._notes_locale()
        for button in [*self.buttons.values(), self.question.keep, self.question.end]:
            button.text_locale = locale
        self.chooser.text_locale = self.current.text_locale = self.next.text_locale = locale
        self.setWindowTitle(text("presenter.window.title"))
        self.notes_heading.setText(text("presenter.notes"))
        self.question.text.setText(text("presenter.confirm.question"))
        self.question.keep.setText(text("presenter.confirm.keep"))
        self.question.end.setText(text("presenter.confirm.end"))
        for specs in BUTTONS:
            for spec in specs:
                self._label(spec.name, text(spec.label))
                # What it does, for a presenter using a screen reader.
                self.buttons[spec.name].setAccessibleDescription(
                    text(f"presenter.describe.{spec.name}"))
        self.apply_size()
        self.question.layout_children()
        self.chooser.layout_children()
        if self._state is not None:
            self.apply(self._state)

    def apply(self, state: ShowState) -> None:
        """Shows a snapshot of the show: previews, strip, toggles."""
        old, self._state = self._state, state
        t = self._text
        self.current.caption = self._jump or t("presenter.now", number=state.slide + 1,
                                               total=state.slides)
        self.next.caption = t("presenter.next", number=state.next_index + 1) \
            if state.next_index is not None else t("presenter.next_end")
        bands = {"black": "presenter.audience.black", "white": "presenter.audience.white",
                 "frozen": "presenter.audience.frozen"}
        self.current.band = t(bands[state.cover]) if state.cover in bands \
            else t("presenter.audience.overview") if state.overview else ""
        look = (state.locale, state.subtitles)
        self.current.show_slide(state.slide, look)
        self.next.show_slide(state.next_index, look)
        if old is None or (old.locale, old.subtitles, old.slides) != \
                (state.locale, state.subtitles, state.slides):
            self.strip.count = state.slides
            self.strip.invalidate()
        self.strip.current = state.slide
        self.strip.route = state.route
        self.strip.update()
        self.buttons["black"].accent = state.cover == "black"
        self.buttons["white"].accent = state.cover == "white"
        self.buttons["freeze"].accent = state.cover == "frozen"
        self.buttons["subtitles"].accent = state.subtitles
        self._label("language", t("presenter.button.audience_language",
                                           language=self._language_name(state.locale)))
        first = state.route[0] if state.route else 0
        self.buttons["previous"].setEnabled(state.slide != first)
        self.buttons["next"].setEnabled(state.next_index is not None)
        for button in self.buttons.values():
            button.update()
        self.current.update()
        self.next.update()

    def refresh_previews(self) -> None:
        """The audience's slide changed in place (a chart or map selection)."""
        self.current.invalidate()
        self.next.invalidate()

    def set_ratio(self, ratio: float) -> None:
        """The audience stage's shape, kept by every preview and thumbnail."""
        if abs(ratio - self.current.ratio) < 1e-3:
            return
        self.current.ratio = self.next.ratio = self.strip.ratio = ratio
        self.apply_size()
        self.refresh_previews()
        self.strip.invalidate()

    def set_jump(self, text: str) -> None:
        """A slide number being typed: shown in place of the current slide's caption."""
        self._jump = text
        if self._state is not None:
            self.apply(self._state)

    def set_notes(self, text: str) -> None:
        self.notes.setText(text)
        self.notes_area.verticalScrollBar().setValue(0)

    def set_clock(self, report: PaceReport, *, started: bool, paused: bool, wall: str,
                  tour: str, notes_language: str) -> None:
        t = self._text
        if not started:
            elapsed = t("presenter.timer.waiting")
        elif paused:
            elapsed = t("presenter.timer.paused", time=clock_text(report.elapsed))
        else:
            elapsed = clock_text(report.elapsed)
        pace_name = t(f"presenter.pace.{report.pace.value}")
        if self.elapsed.text() != elapsed or self.elapsed.toolTip() != pace_name:
            self.elapsed.setText(elapsed)
            colour = PACE_COLOURS[report.pace]
            self.elapsed.setStyleSheet(f"color: white; background: {colour.name()};"
                                       " border-radius: 8px; padding: 0px 14px;")
            self.elapsed.setToolTip(pace_name)
            self.elapsed.setAccessibleDescription(pace_name)
        self.stop_time.setText(t("presenter.stop_time", spent=clock_text(report.stop_elapsed),
                                 planned=clock_text(report.stop_target)))
        if report.elapsed <= report.target:
            # Time left rounds up, so at the start it reads the whole target.
            self.target.setText(t("presenter.target_left", target=clock_text(report.target),
                                  left=clock_text(math.ceil(report.target - report.elapsed
                                                            - 1e-6))))
        else:
            self.target.setText(t("presenter.target_over", target=clock_text(report.target),
                                  over=clock_text(report.elapsed - report.target)))
        self.tour_name.setText(t("presenter.pace_line", pace=pace_name, tour=tour))
        self.clock.setText(wall)
        self._label("pause", t("presenter.button.resume" if paused
                                        else "presenter.button.pause"))
        self.buttons["pause"].accent = paused
        self._label("tour", t("presenter.button.tour", tour=tour))
        self._label("notes_language", t("presenter.button.notes_language",
                                                 language=notes_language))
        if self._place_top_bar() != self._top_h:
            # The bar grew to two rows (or back to one): the rest moves with it.
            self.apply_size()

    # -- overlays -----------------------------------------------------------

    def ask_to_end(self) -> None:
        self.chooser.hide()
        self.question.setGeometry(self.rect())
        self.question.show()
        self.question.raise_()

    def choose_tour(self, choices: Sequence[tuple[str, object]], current: object) -> None:
        self.chooser.setGeometry(self.rect())
        self.chooser.set_choices(self._text("presenter.tour.choose"),
                                 self._text("presenter.tour.cancel"), choices, current)
        self.chooser.show()
        self.chooser.raise_()

    def _tour_chosen(self, value: object) -> None:
        self.chooser.hide()
        self.requested.emit(Action.TOUR, value)

    def _clicked(self, spec: ConsoleButton) -> None:
        if spec.action is Action.TOUR:
            self.tours_wanted.emit()
        else:
            self.requested.emit(spec.action, None)

    def set_single_screen(self, single: bool) -> None:
        """With one screen the console covers the slides: a button (and P)
        goes back to them."""
        self.buttons["console"].setVisible(single)
        self.buttons["swap"].setVisible(not single)
        self.apply_size()

    # -- geometry -----------------------------------------------------------

    def unit(self) -> float:
        """1.0 on a 1080-pixel short side, as for the slides."""
        return max(0.5, min(self.width(), self.height()) / 1000.0)

    def _font(self, role: str, bold: bool | None = None) -> QFont:
        """A ``TYPE_SCALE`` role at this screen's size, as the slides set it
        (bold or not as the role is, unless ``bold`` says)."""
        font = font_for(self.family, role, self.unit(), locale=self.text_locale)
        if bold is not None:
            font.setBold(bold)
        return font

    def _role_px(self, role: str) -> float:
        return float(self._font(role).pixelSize())

    def _label(self, name: str, text: str) -> None:
        """A button's label, kept to fit again when the console is resized."""
        self._labels[name] = text
        self._fit_label(name)

    def _fit_label(self, name: str) -> None:
        # A label too long for one line at the size the button starts its
        # fitting from ("Route: all slides" on a narrow screen) breaks after
        # its colon, rather than inside a word or a Chinese name.
        button, text = self.buttons[name], self._labels[name]
        room = button.width() - 2 * max(10.0, button.width() * 0.1)
        start = max(self._role_px(CONSOLE_ROLES["button"]), (button.height() - 8) * 0.42)
        font = QFont(self._font(CONSOLE_ROLES["button"]))
        font.setPixelSize(round(start))
        if QFontMetricsF(font).horizontalAdvance(text) > room:
            text = LABEL_BREAK.sub(lambda m: m.group(1) + "\n", text, count=1)
        if button.text() != text:
            button.setText(text)
            # Read out as one line.
            button.setAccessibleName(self._labels[name])

    def apply_size(self) -> None:
        w, h = self.width(), self.height()
        u = self.unit()
        mm = px_per_mm(self)
        margin, gap = round(16 * u), round(12 * u)
        portrait = h > w
        # On the slides' type scale (CONSOLE_ROLES), from this screen's height.
        self.elapsed.setFont(self._font(CONSOLE_ROLES["clock"], bold=True))
        self.clock.setFont(self._font(CONSOLE_ROLES["clock"], bold=True))
        for label in (self.stop_time, self.target, self.tour_name):
            label.setFont(self._font(CONSOLE_ROLES["info"]))
        self.notes_heading.setFont(self._font(CONSOLE_ROLES["caption"], bold=True))
        self.notes.setFont(self._font(CONSOLE_ROLES["notes"]))
        # Bottom up: buttons, thumbnails, then the previews and notes.
        rows = len(BUTTONS)
        # Tall enough for a finger, and for a label of two lines at the type
        # scale's control size (a long one, "Audience: English", on a narrow
        # screen), so that no label shrinks below it.
        two_lines = QFontMetricsF(self._font(CONSOLE_ROLES["button"])).lineSpacing() * 2 + 16
        button_h = round(max(mm * MIN_BUTTON_MM, 74 * u, two_lines))
        bottom = h - margin
        top_of_buttons = bottom - rows * button_h - (rows - 1) * gap
        for row, specs in enumerate(BUTTONS):
            # Hidden buttons (swap on one screen, "show the slides" on two)
            # leave no hole: the others share the row.
            shown = [spec for spec in specs if not self.buttons[spec.name].isHidden()]
            n = max(1, len(shown))
            bw = (w - 2 * margin - (n - 1) * gap) / n
            y = top_of_buttons + row * (button_h + gap)
            for col, spec in enumerate(shown):
                self.buttons[spec.name].setGeometry(round(margin + col * (bw + gap)), y,
                                                    round(bw), button_h)
                if spec.name in self._labels:
                    self._fit_label(spec.name)
        # One row of thumbnails that scrolls: wide enough to tell slides
        # apart on any screen, larger where there is room.
        ratio = self.current.ratio
        thumb_w = max(MIN_THUMB_PX, min(w * 0.115, h * 0.15 * ratio))
        self.strip.thumb_width = thumb_w
        self.strip.label_px = self._role_px(CONSOLE_ROLES["number"])
        strip_h = ThumbStrip.height_for(thumb_w, ratio)
        strip_top = top_of_buttons - gap - strip_h
        self.strip.setGeometry(margin, strip_top, w - 2 * margin, strip_h)
        self.strip.layout_row()
        top_h = self._top_h = self._place_top_bar()
        area = QRectF(margin, margin + top_h + gap, w - 2 * margin,
                      strip_top - gap - (margin + top_h + gap))
        caption_font = self._font(CONSOLE_ROLES["caption"], bold=True)
        caption = QFontMetricsF(caption_font).height() * 1.35
        self.current.caption_px = self.next.caption_px = caption
        self.current.caption_font = self.next.caption_font = caption_font
        self.current.band_px = self.next.band_px = self._role_px(CONSOLE_ROLES["band"])
        if portrait:
            # Current slide across the width; next slide and notes side by side below.
            cur_h = min(area.width() / ratio + caption, area.height() * 0.55)
            self.current.setGeometry(QRectF(area.left(), area.top(), area.width(),
                                            cur_h).toRect())
            below = QRectF(area.left(), area.top() + cur_h + gap, area.width(),
                           area.bottom() - area.top() - cur_h - gap)
            next_w = below.width() * 0.42
            next_h = min(next_w / ratio + caption, below.height())
            self.next.setGeometry(QRectF(below.left(), below.top(), next_w, next_h).toRect())
            notes = QRectF(below.left() + next_w + gap, below.top(),
                           below.width() - next_w - gap, below.height())
        else:
            cur_w = min(area.width() * 0.6, (area.height() - caption) * ratio)
            self.current.setGeometry(QRectF(area.left(), area.top(), cur_w,
                                            area.height()).toRect())
            right = QRectF(area.left() + cur_w + 2 * gap, area.top(),
                           area.width() - cur_w - 2 * gap, area.height())
            next_h = min(right.width() * 0.75 / ratio + caption, right.height() * 0.45)
            self.next.setGeometry(QRectF(right.left(), right.top(), right.width(),
                                         next_h).toRect())
            notes = QRectF(right.left(), right.top() + next_h + gap, right.width(),
                           right.height() - next_h - gap)
        heading_h = self.notes_heading.sizeHint().height()
        self.notes_heading.setGeometry(QRectF(notes.left(), notes.top(), notes.width(),
                                              heading_h).toRect())
        self.notes_area.setGeometry(QRectF(notes.left(), notes.top() + heading_h + gap / 2,
                                           notes.width(),
                                           notes.height() - heading_h - gap / 2).toRect())
        for overlay in (self.question, self.chooser):
            overlay.setGeometry(self.rect())

    def _place_top_bar(self) -> int:
        """The pill, the three lines of timing and the clock; on a narrow
        screen the three lines go on a second row. Returns the bar's height."""
        w, u = self.width(), self.unit()
        margin, gap = round(16 * u), round(14 * u)
        # As tall as the clock's figures on the type scale, with room around them.
        row_h = max(round(64 * u), self.elapsed.fontMetrics().height() + round(16 * u))
        pill_w = self.elapsed.sizeHint().width() + round(28 * u)
        clock_w = self.clock.sizeHint().width() + round(8 * u)
        self.elapsed.setGeometry(margin, margin, pill_w, row_h)
        self.clock.setGeometry(w - margin - clock_w, margin, clock_w, row_h)
        infos = (self.stop_time, self.target, self.tour_name)
        need = sum(label.sizeHint().width() for label in infos) + 2 * gap
        room = w - 2 * margin - pill_w - clock_w - 2 * gap
        x: float
        if need <= room:
            x, y, height = margin + pill_w + gap, margin, row_h
            widths = [label.sizeHint().width() + (room - need) / 3 for label in infos]
            total = row_h
        else:
            widths = [(w - 2 * margin - 2 * gap) / 3] * 3
            for label in infos:
                label.setWordWrap(True)
            # As tall as the longest of the three, wrapped.
            height = max(label.heightForWidth(round(width))
                         for label, width in zip(infos, widths, strict=True))
            x, y = margin, margin + row_h + round(4 * u)
            total = row_h + round(4 * u) + height
        for label, width in zip(infos, widths, strict=True):
            if need <= room:
                label.setWordWrap(False)
            label.setGeometry(round(x), y, round(width), height)
            x += width + gap
        return total

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.apply_size()
        super().resizeEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ScreenChangeInternal:
            self.apply_size()
        return super().event(event)

    # -- closing ------------------------------------------------------------

    def allow_close(self) -> None:
        self._close_allowed = True

    def closeEvent(self, event: QCloseEvent) -> None:
        # The window manager's close (Alt+F4) on the console asks, like Esc.
        if self._close_allowed:
            event.accept()
            return
        event.ignore()
        self.close_requested.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QBrush(self.look.palette.background_top.darker(140)))
        p.end()
