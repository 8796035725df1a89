"""Shared fixtures: the offscreen platform, the app built on its built-in content, window sizes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from hypothesis import settings

# The same examples on every run, so a CI result can be reproduced on any
# machine; `pytest --hypothesis-profile=explore` draws new ones (more of them)
# to hunt for bugs, and a bug found that way becomes an @example.
settings.register_profile("default", derandomize=True, database=None)
settings.register_profile("explore", max_examples=200, derandomize=False)
settings.load_profile("default")

ROOT = Path(__file__).resolve().parents[1]

SIZES = [(1920, 1080), (3840, 2160), (1280, 800), (1080, 1920)]


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    from decks import mark_known_bugs, mark_test_packs_slow

    mark_known_bugs(items)
    mark_test_packs_slow(items)


@pytest.fixture(autouse=True)
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own config, data and log folders, never the user's."""
    home = tmp_path / "app-home"
    monkeypatch.setenv("TAIXIN_KIOSK_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def builtin_choice():  # type: ignore[no-untyped-def]
    from taixin_kiosk.content.choice import choose

    return choose(None)


@pytest.fixture
def make_app(qtbot, builtin_choice) -> Iterator:  # type: ignore[no-untyped-def]
    """Builds the app (app.root.build) on the built-in content; shuts every one down
    afterwards. What it returns holds the session's parts by name and the window."""
    from taixin_kiosk.app.root import build
    from taixin_kiosk.config.settings import Settings

    made = []

    def factory(size=(1280, 720), choice=None, **settings):  # type: ignore[no-untyped-def]
        settings.setdefault("windowed", True)
        settings.setdefault("motion", False)
        built = build(Settings(**settings), choice or builtin_choice)
        qtbot.addWidget(built.window)
        built.window.resize(*size)
        built.window.show()
        qtbot.waitExposed(built.window)
        qtbot.waitUntil(lambda: built.input_bound)
        made.append(built)
        return built

    yield factory
    for built in made:
        built.unbind_input()


def settle(built, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Waits until the pictures have decoded and the window has repainted:
    a test comparing two grabs must not race the illustration's arrival."""
    qtbot.waitUntil(lambda: not built.window.stage.images.busy, timeout=10000)
    built.app.processEvents()


@pytest.fixture
def built(make_app):  # type: ignore[no-untyped-def]
    return make_app()


@pytest.fixture
def grand_canal_copy(tmp_path: Path) -> Path:
    """A copy of the test pack tests/packs/grand-canal that a test may edit."""
    import shutil

    source = ROOT / "tests" / "packs" / "grand-canal"
    if not source.is_dir():
        pytest.skip("tests/packs/grand-canal is not there")
    copy = tmp_path / "pack"
    shutil.copytree(source, copy)
    return copy


@pytest.fixture
def now(monkeypatch):  # type: ignore[no-untyped-def]
    """The recorder's clock, moved on by the test instead of waiting."""
    from taixin_kiosk.stats import recorder as stats

    clock = [1000.0]

    class HandClockRecorder(stats.ViewRecorder):
        def __init__(self, sink, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(sink, clock=lambda: clock[0], **kwargs)

    monkeypatch.setattr(stats, "ViewRecorder", HandClockRecorder)
    return clock


def poll_until(predicate, seconds: float, step: float = 0.1):  # type: ignore[no-untyped-def]
    """``predicate()`` once it is truthy, polled every ``step`` seconds for at
    most ``seconds`` (then its last value): for real processes and X servers,
    which no Qt signal reports."""
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def slide_texts(built):  # type: ignore[no-untyped-def]
    """(language, slide, chosen area, item) for every text item of every
    slide of a built app, in every language; a map slide once with no area
    chosen and once with each of its areas chosen (then none again)."""
    for locale in built.localizer.locales:
        built.localizer.set_locale(locale)
        for index, slide in enumerate(built.content.pack.deck.slides):
            built.navigator.go(index)
            built.app.processEvents()
            view = built.window.stage.current_view
            areas = [None, *(a.id for a in slide.map.areas)] if slide.map else [None]
            for area in areas:
                view.select_area(area)
                for item in view.layout_items.texts:
                    yield locale, slide, area, item
            view.select_area(None)
