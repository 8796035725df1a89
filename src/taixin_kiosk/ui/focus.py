"""Keyboard focus in the audience window, and stand-ins for painted things.

Controls take focus from Tab only (``Qt.FocusPolicy.TabFocus``): a tap or a
click never leaves a button focused, so for a clicker, a mouse or a finger
Space and Enter keep meaning "next" and "jump". The stage holds the focus
when no control does (it takes focus on a click), which is also where Esc
sends it back.

Tab and Shift+Tab go through ``move_focus``: the visible controls in reading
order, top to bottom and left to right, whatever the low-reach layout moved
where: the notice, the slide's map areas and chart marks (or the overview's
thumbnails), the access strip, the control bar.
While a staff screen covers the window (the PIN pad, the staff panel, the
touch test) they go round its buttons instead (``move_in_staff_screen``).

Map areas, chart marks and thumbnails are painted, not widgets. Each gets a
``FocusProxy``: an invisible button over it that Tab reaches, that screen
readers see with a name and a description, and that Enter or Space presses.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, QTimer
from PySide6.QtGui import QFocusEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from taixin_kiosk.core.language import Localizer
from taixin_kiosk.ui.look import look_of
from taixin_kiosk.ui.theme import Palette

if TYPE_CHECKING:
    from taixin_kiosk.ui.slide_view import SlideView
    from taixin_kiosk.ui.stage import OverviewView, Stage

# The focus ring's white band is at least this wide (WCAG 2.4.13 asks 2 CSS
# px); a dark band of HALO_PX each side keeps it visible on any ground.
RING_MIN_PX = 3.0
HALO_PX = 2.0


def ring_width(widget: QWidget) -> float:
    """Thicker on a large screen, never under RING_MIN_PX."""
    window = widget.window()
    short = min(window.width(), window.height()) if window is not None else 1080
    return max(RING_MIN_PX, round(short * 0.0042))


def paint_focus_ring(p: QPainter, rect: QRectF, width: float, radius: float = 0.0, *,
                     palette: Palette) -> None:
    """A white band with a dark edge on both sides, just inside ``rect``, in
    ``palette``'s text and ground colours.

    White on the dark halo reads on the standard theme, on high contrast, on
    a yellow checked frame and on a white slide: it never relies on the
    ground it is drawn over.
    """
    band = width + 2 * HALO_PX
    inner = rect.adjusted(band / 2, band / 2, -band / 2, -band / 2)
    if inner.width() <= 0 or inner.height() <= 0:
        return
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(Qt.BrushStyle.NoBrush)
    r = max(0.0, radius - band / 2)
    p.setPen(QPen(palette.background_top, band))
    p.drawRoundedRect(inner, r, r)
    p.setPen(QPen(palette.text, width))
    p.drawRoundedRect(inner, r, r)
    p.restore()


def takes_tab(widget: QWidget) -> bool:
    return bool(widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value)


def _usable(widget: QWidget) -> bool:
    # A widget with a focus proxy (a chart's viewport) hands focus on: Qt's
    # own Tab skips those too.
    return takes_tab(widget) and widget.isVisible() and widget.isEnabled() \
        and widget.focusProxy() is None


class FocusProxy(QAbstractButton):
    """An invisible button over something painted: it only draws a focus ring.

    Mouse and touch pass through it to the slide, which handles taps as
    before; keyboard and screen reader users press it instead. Its ring is in
    the look of what it stands over (its parent: a slide, the overview).
    """

    def __init__(self, parent: QWidget, name: str,
                 on_focus: Callable[[], object] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.on_focus = on_focus
        self.ring_radius = 0.0

    def focusInEvent(self, event: QFocusEvent) -> None:
        if self.on_focus is not None:
            self.on_focus()
        super().focusInEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.hasFocus():
            return
        p = QPainter(self)
        paint_focus_ring(p, QRectF(self.rect()), ring_width(self), self.ring_radius,
                         palette=look_of(self.parentWidget()).palette)
        p.end()


# -- the order of Tab -----------------------------------------------------------


class AudienceWindow(Protocol):
    """What the focus order needs of the audience window (ui.window)."""

    @property
    def notice(self) -> QWidget: ...

    @property
    def stage(self) -> Stage: ...

    @property
    def access_bar(self) -> QWidget: ...

    @property
    def controls(self) -> QWidget: ...

    def window(self) -> QWidget: ...


def _top(widget: QWidget, window: QWidget) -> int:
    return widget.mapTo(window, widget.rect().topLeft()).y()


def reading_order(window: AudienceWindow) -> list[QWidget]:
    """Every control Tab reaches now, in reading order."""
    root = window.window()
    sections: list[tuple[int, list[QWidget]]] = []
    if window.notice.isVisible() and _usable(window.notice):
        sections.append((_top(window.notice, root), [window.notice]))
    stage = window.stage
    if stage.isVisible():
        # The overview covers the slide: only its thumbnails are there to reach.
        scope: QWidget = stage.overview if stage.overview.isVisible() else stage
        # Content order (map areas, chart marks, thumbnails in slide order).
        items = [w for w in scope.findChildren(QWidget) if _usable(w)]
        sections.append((_top(stage, root), items))
    for bar in (window.access_bar, window.controls):
        if bar.isVisible():
            row = sorted((w for w in bar.findChildren(QWidget) if _usable(w)),
                         key=lambda w: w.mapTo(root, w.rect().topLeft()).x())
            sections.append((_top(bar, root), row))
    sections.sort(key=lambda section: section[0])
    order = [w for _, items in sections for w in items]
    _chain(order)
    return order


_last_chain: list[int] = []


def _chain(order: list[QWidget]) -> None:
    """Qt's own focus chain follows the same order (for anything that asks it)."""
    global _last_chain
    ids = [id(w) for w in order]
    if ids == _last_chain:
        return
    _last_chain = ids
    for first, second in itertools.pairwise(order):
        QWidget.setTabOrder(first, second)


def focused_control(window: AudienceWindow) -> QWidget | None:
    """The control that has keyboard focus in the window, if one has."""
    widget = QApplication.focusWidget()
    if widget is None or widget.window() is not window.window() or not takes_tab(widget):
        return None
    return widget


def move_focus(window: AudienceWindow, forward: bool) -> bool:
    """Tab (``forward``) or Shift+Tab: the next control in reading order,
    wrapping at the ends; from the stage, the first (or last) one."""
    order = reading_order(window)
    if not order:
        return False
    _step(order, focused_control(window), forward)
    return True


def _step(order: list[QWidget], current: QWidget | None, forward: bool) -> None:
    """Focuses the one after (or before) ``current`` in ``order``, wrapping;
    the first (or last) when ``current`` is not in it."""
    if current in order:
        i = order.index(current)
        target = order[(i + (1 if forward else -1)) % len(order)]
    else:
        target = order[0] if forward else order[-1]
    target.setFocus(Qt.FocusReason.TabFocusReason if forward
                    else Qt.FocusReason.BacktabFocusReason)


# -- staff screens ----------------------------------------------------------------
# The PIN pad, the staff panel and the touch test (kiosk.screens) cover the
# window; while one is open Tab goes round its own buttons only, never to the
# controls hidden under it. A screen is any direct child of the window with a
# ``tab_order()`` of its buttons.


def _tab_order_of(widget: QWidget) -> list[QWidget] | None:
    order = getattr(widget, "tab_order", None)
    return list(order()) if callable(order) else None


def staff_screen(window: AudienceWindow) -> QWidget | None:
    """The staff screen open over the window (the one on top), if any."""
    root = window.window()
    screens = [child for child in root.findChildren(
                   QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
               if child.isVisible() and _tab_order_of(child) is not None]
    return screens[-1] if screens else None  # children are kept in stacking order


def _screen_holding(widget: QWidget) -> QWidget | None:
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if _tab_order_of(parent) is not None:
            return parent
        parent = parent.parentWidget()
    return None


def move_in_staff_screen(window: AudienceWindow, forward: bool) -> bool:
    """Tab (``forward``) or Shift+Tab on a staff screen: its next button,
    wrapping; from the screen itself, its first (or last) one."""
    screen = staff_screen(window)
    if screen is None:
        return False
    order = _tab_order_of(screen) or []
    if not order:
        screen.setFocus(Qt.FocusReason.OtherFocusReason)
        return True
    _step(order, QApplication.focusWidget(), forward)
    return True


def to_stage(window: AudienceWindow) -> None:
    """No control focused: keys mean slides again (Esc, a pointer, a reset)."""
    window.stage.setFocus(Qt.FocusReason.OtherFocusReason)


def activate(widget: QWidget) -> bool:
    """Enter or Space on a focused control presses it."""
    if isinstance(widget, QAbstractButton):
        if widget.isEnabled():
            widget.click()
        return True
    action = getattr(widget, "activate", None)
    if callable(action):
        action()
        return True
    return False


# Where focus goes when the focused control is disabled: its counterpart,
# so pressing Next to the end leaves the keyboard user on Previous.
COUNTERPARTS = {"control-next": "control-previous", "control-previous": "control-next"}


def fallback(window: AudienceWindow) -> bool:
    """Qt asks the window for a new focus when the focused widget is hidden or
    disabled (not for the Tab key, which ``move_focus`` handles).

    A control whose strip closes hands focus to the button that opens the
    strip, a disabled one to its neighbour, a staff screen's button to the
    staff screen still open; otherwise (a slide left, the staff screens
    closed) focus goes back to the stage, so a keyboard never finds itself on
    a button it did not choose.
    """
    current = QApplication.focusWidget()
    stage = window.stage
    controls = window.controls
    buttons: dict[str, QWidget] = getattr(controls, "buttons", {})
    target: QWidget | None = None
    if current is not None and current.window() is window.window() and takes_tab(current) \
            and _screen_holding(current) is not None:
        # A staff screen's button went (the pad locked, a screen closed):
        # the screen still open keeps the keys (digits, Esc) and Tab starts
        # over from it; with none open, the slides have them again.
        screen = _screen_holding(current)
        if screen is None or not screen.isVisible():
            screen = staff_screen(window)
        if screen is not None:
            screen.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            to_stage(window)
        return True
    if current is not None and current.window() is window.window() and takes_tab(current):
        if stage.overview.isAncestorOf(current):
            target = buttons.get("overview")
        elif window.access_bar.isAncestorOf(current):
            target = buttons.get("access")
        elif current.isVisible() and not current.isEnabled():
            partner = next((b for b in buttons.values()
                            if b.objectName() == COUNTERPARTS.get(current.objectName())), None)
            if partner is not None and _usable(partner):
                target = partner
            else:
                order = reading_order(window)
                target = order[0] if order else None
    if target is not None and _usable(target):
        target.setFocus(Qt.FocusReason.TabFocusReason)
    else:
        to_stage(window)
    return True


def enter_overview(window: AudienceWindow) -> None:
    """The overview opened: a keyboard user lands on the chosen thumbnail
    (else Enter would press the Overview button again and close it)."""
    if focused_control(window) is not None:
        follow_overview(window)


def follow_overview(window: AudienceWindow) -> None:
    """The overview's selection moved (arrows): focus follows it."""
    overview = window.stage.overview
    proxies = getattr(overview, "proxies", None)
    current = focused_control(window)
    if not isinstance(proxies, ThumbnailProxies) or current is None:
        return
    proxies.sync()
    proxy = proxies.at(overview.selection)
    if proxy is not None and proxy is not current:
        proxy.setFocus(Qt.FocusReason.TabFocusReason)


# -- stand-ins ------------------------------------------------------------------


class ThumbnailProxies(QObject):
    """One FocusProxy per thumbnail of the overview, over its picture."""

    def __init__(self, overview: OverviewView, stage: Stage, localizer: Localizer,
                 choose: Callable[[int], object]) -> None:
        super().__init__(overview)
        self._overview = overview
        self._stage = stage
        self._loc = localizer
        self._choose = choose
        self.proxies: list[FocusProxy] = []
        overview.installEventFilter(self)
        localizer.language_changed.connect(self.retranslate)

    def at(self, index: int) -> FocusProxy | None:
        return self.proxies[index] if 0 <= index < len(self.proxies) else None

    def retranslate(self) -> None:
        """The thumbnails' names in the shown language (while the overview is open)."""
        self.sync()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A property change: the stage's low reach moved the thumbnails.
        if event.type() in (QEvent.Type.Show, QEvent.Type.Resize,
                            QEvent.Type.DynamicPropertyChange):
            self.sync()
        return False

    def sync(self) -> None:
        """Names and places for the thumbnails as they are now (only while
        the overview is open: its cells are only known then)."""
        overview = self._overview
        if not overview.isVisible():
            return
        from taixin_kiosk.ui.describe import slide_title

        rects = overview.cell_rects()
        while len(self.proxies) > len(rects):
            self.proxies.pop().deleteLater()
        while len(self.proxies) < len(rects):
            i = len(self.proxies)
            proxy = FocusProxy(overview, f"thumbnail-{i + 1}",
                               on_focus=functools.partial(self._select, i))
            proxy.clicked.connect(lambda _=False, i=i: self._choose(i))
            proxy.show()
            self.proxies.append(proxy)
        loc = self._loc
        for i, (proxy, rect) in enumerate(zip(self.proxies, rects, strict=True)):
            # Around the picture, clear of its own selection frame.
            pad = ring_width(proxy) + 2 * HALO_PX + 2
            proxy.setGeometry(rect.adjusted(-pad, -pad, pad, pad).toAlignedRect())
            title = slide_title(self._stage.view(i).slide, i, loc)
            proxy.setAccessibleName(loc.app_text("access.name.thumbnail", number=i + 1,
                                                 title=title))
            proxy.setAccessibleDescription(loc.app_text("access.describe.thumbnail"))

    def _select(self, index: int) -> None:
        if self._overview.selection != index:
            self._overview.selection = index
            self._overview.update()


class SlideItems(QObject):
    """A slide's name and description, and proxies for its map areas and
    chart marks. Placed after the layout is known (a zero timer), and again
    when one of them takes focus, so the ring sits where the item is drawn."""

    def __init__(self, view: SlideView, localizer: Localizer) -> None:
        super().__init__(view)
        self._view = view
        self._loc = localizer
        self.areas: dict[str, FocusProxy] = {}
        self.marks: list[FocusProxy] = []
        self._pending = False
        view.installEventFilter(self)

    def describe(self) -> None:
        """The slide's accessible name and description in the current language."""
        from taixin_kiosk.ui.describe import slide_summary, slide_title

        view = self._view
        view.setAccessibleName(slide_title(view.slide, view.index, self._loc))
        view.setAccessibleDescription(slide_summary(view.slide, self._loc))
        self.schedule()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Show, QEvent.Type.Resize):
            self.schedule()
        return False

    def schedule(self) -> None:
        view = self._view
        if self._pending or (view.slide.map is None and view.slide.chart is None):
            return
        self._pending = True
        QTimer.singleShot(0, self, self.sync)

    def sync(self) -> None:
        self._pending = False
        view = self._view
        if not view.isVisible():
            return  # placed when next shown
        loc = self._loc
        layout = view.layout_items
        spec = view.slide.map
        if spec is not None:
            for area in spec.areas:
                proxy = self.areas.get(area.id)
                if proxy is None:
                    proxy = FocusProxy(view, f"area-{area.id}", on_focus=self.sync)
                    proxy.setCheckable(True)
                    proxy.clicked.connect(lambda _=False, a=area.id: self._choose_area(a))
                    proxy.show()
                    self.areas[area.id] = proxy
                # The side panel's row when there is one: it reads in order
                # and is larger than the dot on the map.
                rect = layout.panel_rows.get(area.id) or layout.hotspots.get(area.id)
                if rect is not None:
                    proxy.setGeometry(rect.toAlignedRect())
                proxy.ring_radius = 10.0
                proxy.setChecked(view.selected_area == area.id)
                proxy.setAccessibleName(loc.text(area.name))
                proxy.setAccessibleDescription("\n".join(
                    (loc.text(area.focus), loc.app_text("access.describe.area"))))
        chart = view.chart
        count = chart.mark_count() if chart is not None else 0
        while len(self.marks) > count:
            self.marks.pop().deleteLater()
        while len(self.marks) < count:
            i = len(self.marks)
            proxy = FocusProxy(view, f"mark-{i + 1}", on_focus=self.sync)
            proxy.clicked.connect(lambda _=False, i=i: self._choose_mark(i))
            proxy.show()
            self.marks.append(proxy)
        if chart is not None:
            for i, proxy in enumerate(self.marks):
                # Just outside the drawn mark, so the ring hides none of it.
                pad = ring_width(proxy) + 2 * HALO_PX + 3
                rect = chart.mark_rect(i).translated(chart.pos()).adjusted(-pad, -pad, pad, pad)
                proxy.setGeometry(rect.intersected(QRectF(chart.geometry())).toAlignedRect())
                proxy.ring_radius = pad
                # Over the chart, whose widget paints over the slide; raised
                # only when under it: a raise repaints what is under the proxy,
                # and this runs on every showing of the slide.
                siblings = view.children()
                if siblings.index(proxy) < siblings.index(chart):
                    proxy.raise_()
                proxy.setAccessibleName(chart.mark_text(i))
                proxy.setAccessibleDescription(loc.app_text("access.describe.mark"))

    def _choose_area(self, area_id: str) -> None:
        from taixin_kiosk.ui.announce import announce

        view = self._view
        view.select_area(area_id)
        self._tapped()
        spec = view.slide.map
        area = next((a for a in spec.areas if a.id == area_id), None) if spec else None
        if area is not None:
            announce(view, self._loc.app_text("access.slide.area", area=self._loc.text(area.name),
                                              focus=self._loc.text(area.focus)))
        self.sync()

    def _choose_mark(self, index: int) -> None:
        from taixin_kiosk.ui.announce import announce

        chart = self._view.chart
        if chart is None:
            return
        chart.select(index)
        self._tapped()
        announce(self._view, chart.mark_text(index))

    def _tapped(self) -> None:
        # Like a tap: the stage tells whoever mirrors the slide (the console).
        tapped = getattr(self._view.parentWidget(), "tapped", None)
        if tapped is not None:
            tapped.emit()


class WindowFocus:
    """The audience window's keyboard focus as the keyboard controller uses
    it (``input.keyboard.KeyboardFocus``)."""

    def __init__(self, window: AudienceWindow) -> None:
        self._window = window

    def window(self) -> QWidget:
        return self._window.window()

    def focused_control(self) -> QWidget | None:
        return focused_control(self._window)

    def press(self, control: QWidget) -> None:
        activate(control)

    def to_slides(self) -> None:
        to_stage(self._window)

    def tab(self, forward: bool, *, staff: bool) -> None:
        if staff:
            move_in_staff_screen(self._window, forward)
        else:
            move_focus(self._window, forward)

    def follow_overview(self) -> None:
        follow_overview(self._window)


def install(window: AudienceWindow, localizer: Localizer,
            choose_slide: Callable[[int], object]) -> None:
    """Focus for a new audience window: the stage holds it (so activating the
    window never lands on a button), and the overview's thumbnails get their
    stand-ins (the stage names itself, ``Stage.retranslate``)."""
    stage = window.stage
    stage.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    stage.setFocus(Qt.FocusReason.OtherFocusReason)
    overview = stage.overview
    overview.proxies = ThumbnailProxies(overview, stage, localizer,  # type: ignore[attr-defined]
                                        choose_slide)

