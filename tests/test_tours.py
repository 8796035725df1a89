"""Tours: a clicker steps through a tour's slides only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

Key = Qt.Key


def test_navigator_follows_a_route_and_comes_back_to_it(qtbot):
    from taixin_kiosk.core.navigator import Navigator

    nav = Navigator(10)
    nav.set_route((0, 3, 4, 8))
    assert nav.index == 0
    assert nav.next() and nav.index == 3
    assert nav.next() and nav.index == 4
    assert nav.previous() and nav.index == 3
    nav.go(6)  # off the tour (the overview, a typed number)
    assert nav.next() and nav.index == 4  # back to the stop after the last one shown
    nav.go(6)
    assert nav.previous() and nav.index == 4  # back to the last stop shown
    assert nav.last() and nav.index == 8
    assert not nav.next()  # the end of the tour: nothing, never a wrap
    assert nav.first() and nav.index == 0
    nav.set_route(())
    assert nav.next() and nav.index == 1


def test_tour_option_steps_through_the_briefing(make_kiosk):
    kiosk = make_kiosk(tour="briefing-10")
    deck = kiosk.content.pack.deck
    briefing = deck.tour("briefing-10")
    assert briefing is not None
    shown = [kiosk.navigator.index]
    for _ in range(len(briefing.stops) + 2):
        QTest.keyClick(kiosk.window, Key.Key_Right)
        if kiosk.navigator.index != shown[-1]:
            shown.append(kiosk.navigator.index)
    assert shown == [stop.slide for stop in briefing.stops]
    assert kiosk.window.stage.current_view.index == shown[-1]


def test_a_kiosk_on_a_tour_loops_the_tour_when_unattended(make_kiosk, qtbot):
    from taixin_kiosk.core.modes import Mode

    kiosk = make_kiosk(kiosk=True, keep_awake=False, tour="investors", idle_seconds=0.1,
                       attract_seconds=0.1, attract_advance_seconds=0.02)
    stops = [s.slide for s in kiosk.content.pack.deck.tour("investors").stops]
    seen: set[int] = set()
    kiosk.navigator.slide_changed.connect(lambda _old, new: seen.add(new))
    start = kiosk.localizer.locale
    qtbot.waitUntil(lambda: kiosk.localizer.locale != start, timeout=5000)
    assert kiosk.modes.mode is Mode.ATTRACT
    assert seen <= set(stops) and len(seen) == len(set(stops))


def test_the_tour_survives_a_content_reload(make_kiosk):
    kiosk = make_kiosk(tour="investors")
    stops = [s.slide for s in kiosk.content.pack.deck.tour("investors").stops]
    kiosk.reload_content()
    assert kiosk.navigator.route == tuple(stops) and kiosk.navigator.index == stops[0]
