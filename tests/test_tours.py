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


def test_tour_option_steps_through_the_briefing(make_app):
    built = make_app(tour="briefing-10")
    deck = built.content.pack.deck
    briefing = deck.tour("briefing-10")
    assert briefing is not None
    shown = [built.navigator.index]
    for _ in range(len(briefing.stops) + 2):
        QTest.keyClick(built.window, Key.Key_Right)
        if built.navigator.index != shown[-1]:
            shown.append(built.navigator.index)
    assert shown == [stop.slide for stop in briefing.stops]
    assert built.window.stage.current_view.index == shown[-1]


def test_a_kiosk_on_a_tour_loops_the_tour_when_unattended(make_app, qtbot):
    from taixin_kiosk.core.modes import Mode

    built = make_app(kiosk=True, keep_awake=False, tour="investors", idle_seconds=0.1,
                       attract_seconds=0.1, attract_advance_seconds=0.02)
    stops = [s.slide for s in built.content.pack.deck.tour("investors").stops]
    seen: set[int] = set()
    built.navigator.slide_changed.connect(lambda _old, new: seen.add(new))
    start = built.localizer.locale
    qtbot.waitUntil(lambda: built.localizer.locale != start, timeout=5000)
    assert built.modes.mode is Mode.ATTRACT
    assert seen <= set(stops) and len(seen) == len(set(stops))


def test_the_tour_survives_a_content_reload(make_app):
    built = make_app(tour="investors")
    stops = [s.slide for s in built.content.pack.deck.tour("investors").stops]
    built.reload_content()
    assert built.navigator.route == tuple(stops) and built.navigator.index == stops[0]
