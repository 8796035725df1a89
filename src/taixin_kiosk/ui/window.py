"""The audience window: notice, stage, accessibility strip and control bar,
top to bottom (with low reach the notice goes down to the controls).

It follows the session by itself (the slide, the modes, the language, the
accessibility settings, new content) and is what ``core.session.Audience``
describes to the modes: nothing else of it is theirs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QImage, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from taixin_kiosk.content.choice import ContentChoice
from taixin_kiosk.core.access import Access
from taixin_kiosk.core.actions import Action
from taixin_kiosk.core.policy import Step
from taixin_kiosk.ui import focus
from taixin_kiosk.ui.controls import AccessBar, ControlBar
from taixin_kiosk.ui.images import ImageCache
from taixin_kiosk.ui.look import DEFAULT_LOOK, Look, look_for
from taixin_kiosk.ui.notice import NoticeBar
from taixin_kiosk.ui.stage import Stage

if TYPE_CHECKING:
    from taixin_kiosk.core.actions import Handler
    from taixin_kiosk.core.session import Session
    from taixin_kiosk.ui.screen_cover import ScreenCover


class MainWindow(QWidget):
    """Lays out the notice (when there is one), the stage and the controls.

    The controls sit in their own strip below the stage, so they never cover
    slide content at any size or orientation.
    """

    # Low reach went on or off: by the setting, or by the window's shape.
    reach_changed = Signal(bool)

    def __init__(self, session: Session, family: str, images: ImageCache | None = None) -> None:
        super().__init__()
        self.setObjectName("main-window")
        self._session = session
        localizer = session.localizer
        self._loc = localizer
        self.notice = NoticeBar(localizer, self)
        self.stage = Stage(session.content.pack, localizer, family, images, self)
        self.controls = ControlBar(session.actions, localizer, self)
        self.access_bar = AccessBar(session.actions, localizer, self)
        # Screen readers list children in this order: the strip above the bar.
        self.access_bar.stackUnder(self.controls)
        # The accessibility settings last applied, and the look they (and the
        # window's shape, for an automatic low reach) make: see restyle.
        self._access = Access()
        self.look = DEFAULT_LOOK
        # A seated audience (presenter mode, export), and a theme asked for
        # over the accessibility settings' (export's print theme).
        self._seated = False
        self._theme: str | None = None
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
        focus.install(self, localizer, lambda index: session.actions.trigger(Action.GOTO, index))
        self.stage.follow(session.navigator, session.modes)
        self.controls.follow(session.navigator)
        localizer.language_changed.connect(self.retranslate)
        session.access.changed.connect(self.apply_access)
        session.content_changed.connect(self._show_content)
        # What whoever mirrors the slides (the presenter's console) must know.
        self.stage.tapped.connect(session.slide_touched)
        self.stage.resized.connect(session.audience_resized)
        self.stage.pictures_loaded.connect(session.pictures_loaded)
        self.retranslate()
        if session.content.problems:
            self._show_content(session.content)

    def steps(self) -> dict[Step, Handler]:
        """The steps this window does (``core.policy``), for the composition root."""
        return {
            Step.OVERVIEW_MOVE: self._move_overview_selection,
            Step.FULL_SCREEN: self.toggle_full_screen,
            Step.LEAVE_FULL_SCREEN: self._leave_full_screen,
            Step.CLOSE_WINDOW: self.close,
            Step.BLACK: self.toggle_black,
            Step.WHITE: self.toggle_white,
            Step.FREEZE: self.toggle_freeze,
            Step.ACCESS_STRIP: self.toggle_access_strip,
        }

    # -- following the session --------------------------------------------------

    def retranslate(self) -> None:
        """The window's title in the shown language (its parts follow by themselves)."""
        self.setWindowTitle(self._loc.text("ui.window.title"))

    def _show_content(self, choice: ContentChoice) -> None:
        if choice.pack is not self.stage.pack:
            self.stage.set_pack(choice.pack)
        # A kiosk's visitors see only the slides: why a pack was passed over
        # (with its folder on disk) is for staff, on the panel and in the log.
        problems = () if self._session.settings.kiosk else choice.problems
        self.notice.show_problems(str(choice.requested), problems)

    def apply_access(self, access: Access) -> None:
        """Large text, contrast, motion and reach as ``access`` says."""
        self._access = access
        self.update_look()
        self.controls.set_checked("large_text", access.large_text)
        self.access_bar.set_state(access.high_contrast, access.reduced_motion,
                                  self.look.low_reach)

    def tap_at(self, pos: QPointF) -> None:
        """A tap on the stage: a thumbnail of the overview chosen, or a chart
        value or map area shown."""
        chosen = self.stage.handle_tap(pos)
        if chosen is not None:
            self._session.actions.trigger(Action.GOTO, chosen)

    # -- steps ------------------------------------------------------------------

    def _move_overview_selection(self, argument: object) -> None:
        if isinstance(argument, tuple):
            self.stage.overview.move_selection(int(argument[0]), int(argument[1]))

    def _leave_full_screen(self) -> bool:
        if not self.isFullScreen():
            return False
        self.showNormal()
        return True

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def toggle_black(self) -> None:
        from taixin_kiosk.ui.screen_cover import Cover

        self.screen_cover().toggle(Cover.BLACK)

    def toggle_white(self) -> None:
        from taixin_kiosk.ui.screen_cover import Cover

        self.screen_cover().toggle(Cover.WHITE)

    def toggle_freeze(self) -> None:
        from taixin_kiosk.ui.screen_cover import Cover

        self.screen_cover().toggle(Cover.FROZEN)

    def toggle_access_strip(self) -> None:
        self.show_access_strip(not self.access_bar.isVisible())

    def screen_cover(self) -> ScreenCover:
        """The black / white / frozen cover over the whole window."""
        if self._cover is None:
            from taixin_kiosk.ui.screen_cover import ScreenCover

            self._cover = ScreenCover(self)
        return self._cover

    # -- what the modes may ask (core.session.Audience) ----------------------------

    def widget(self) -> QWidget:
        return self

    def font_family(self) -> str:
        return self.stage.family

    def cover(self) -> str:
        """What covers the slides for the audience: "none", "black", "white" or "frozen"."""
        return self._cover.cover.value if self._cover is not None else "none"

    def overview_choice(self) -> int:
        return self.stage.overview.selection

    def low_reach_in_effect(self) -> bool:
        return self.look.low_reach

    def slide_picture(self, index: int, size: QSize) -> QImage:
        return self.stage.thumbnail(index, size)

    def show_access_strip(self, on: bool) -> None:
        self.access_bar.setVisible(on)
        if on:  # sized (and its labels fitted) only once it is seen
            self.access_bar.apply_size(self.controls)
        self.controls.set_checked("access", on)

    def keys_to_slides(self) -> None:
        focus.to_stage(self)

    def set_viewing(self, seated: bool, theme: str | None = None) -> None:
        self._seated = seated
        self._theme = theme
        self.update_look()

    def lay_out_offscreen(self, width: int, height: int, *, chrome: bool = True) -> None:
        self.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        # Without chrome the slides fill the window: no control bar, no strip.
        self.controls.setVisible(chrome)
        if not chrome:
            self.access_bar.hide()
        self.setFixedSize(width, height)
        self.show()
        QApplication.processEvents()

    def finish_slide(self) -> None:
        self.stage.current_view.ensure_chart()
        QApplication.processEvents()

    def slide_size(self) -> QSize:
        return self.stage.size()

    def paint_into(self, painter: QPainter, *, slides_only: bool = False) -> None:
        widget: QWidget = self.stage if slides_only else self
        widget.render(painter, QPoint(0, 0))

    def slide_problems(self) -> list[str]:
        return self.stage.current_problems()

    def chart_count(self) -> int:
        return sum(1 for view in self.stage.built_views() if view.chart is not None)

    # -- the look -------------------------------------------------------------------

    def update_look(self) -> None:
        """The look of the accessibility settings applied, with low reach as
        set or, when automatic, from the window's shape (taller than wide);
        for a seated audience no low reach (nobody touches the slides) and
        the theme it asked for."""
        access = self._access
        seated = self._seated
        look = look_for(access, not seated and access.reach_for(self.width(), self.height()))
        self.restyle(look._replace(seated=seated, theme=self._theme or look.theme))

    def restyle(self, look: Look) -> None:
        """Lays the window out again in ``look``: the one call for a new
        theme, text size, reach or motion, handed down to every view that
        depends on it (the stage and its slides, the notice, the control bar,
        the access strip, the staff screens over the window)."""
        old = self.look
        if look == old:
            return
        self.look = look
        reach = look.low_reach != old.low_reach
        if reach:
            # Low reach: the notice (and its tap to close) moves down to the
            # controls; the overview puts its thumbnails in the lower part.
            self._column.removeWidget(self.notice)
            self._column.insertWidget(1 if look.low_reach else 0, self.notice)
            self._column.activate()
        self.stage.restyle(look)
        self.notice.restyle(look)
        self.controls.restyle(look)
        self.access_bar.restyle(look)
        # Screens laid over the whole window (the kiosk's staff screens, made
        # by kiosk mode) take the look too; found by what they do, so that a
        # presentation never loads their module.
        own = (self.stage, self.notice, self.controls, self.access_bar)
        for child in self.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            restyle = getattr(child, "restyle", None)
            if child not in own and callable(restyle):
                restyle(look)
        if reach:
            self.access_bar.set_state(self._access.high_contrast, self._access.reduced_motion,
                                      look.low_reach)
            self.reach_changed.emit(look.low_reach)
        if look.theme != old.theme:
            # Everything here paints in the theme's colours: draw it all again.
            for widget in [self, *self.findChildren(QWidget)]:
                widget.update()

    @property
    def low_reach(self) -> bool:
        """Low reach in effect (by the setting, or by the window's shape)."""
        return self.look.low_reach

    # -- Qt --------------------------------------------------------------------------

    def focusNextPrevChild(self, next: bool) -> bool:
        # Tab itself is ordered by the keyboard controller (ui.focus); Qt
        # asks here when the focused widget is hidden or disabled.
        return focus.fallback(self)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.controls.apply_size()
        self.access_bar.apply_size(self.controls)
        self.update_look()
        self.notice.lay_out()
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ScreenChangeInternal:
            self.controls.apply_size()
            self.access_bar.apply_size(self.controls)
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), self.look.palette.background_top)
        p.end()

    def closeEvent(self, event: QCloseEvent) -> None:
        # The show decides (core.policy): a kiosk refuses Alt+F4 and the
        # window manager's close, a talk asks first, a presentation closes.
        if self._session.may_close():
            event.accept()
        else:
            event.ignore()
