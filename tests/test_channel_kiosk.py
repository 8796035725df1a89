"""A running kiosk following its content channel: it pulls a new publication by
itself and shows it at the idle reset, never under a visitor's finger; a
refusal shows in the staff panel's information with the old content kept."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from channel_server import free_port, make_pack, serve
from taixin_kiosk.cli.main import main
from taixin_kiosk.content.choice import choose_for
from taixin_kiosk.kiosk import channel as follower_module
from taixin_kiosk.system.paths import app_paths


@pytest.fixture(autouse=True)
def first_poll_soon(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(follower_module, "FIRST_POLL_MS", 50)


def _configure(url: str, root) -> None:  # type: ignore[no-untyped-def]
    paths = app_paths()
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(f'channel_url = "{url}"\n', "utf-8")
    shutil.copyfile(root, paths.config_dir / "channel-root.json")


def _kiosk(make_app, url: str):  # type: ignore[no-untyped-def]
    return make_app(kiosk=True, keep_awake=False, idle_seconds=600.0, attract_seconds=600.0,
                    channel_url=url, choice=choose_for(None))


def _shown(built) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """The deck's version and the cover title's words as the visitor reads them."""
    session = built.session
    return session.content.pack.deck.version, session.localizer.text("deck.cover.title")


def test_a_kiosk_moves_to_the_new_publication_at_the_idle_reset(make_app, qtbot, tmp_path):
    repo = tmp_path / "repo"
    assert main(["channel", "init", str(repo)]) == 0
    publish = ["--repo", str(repo)]
    assert main(["channel", "publish", str(make_pack(tmp_path / "p1", "1.0.0", "Hall one")),
                 *publish]) == 0
    with serve(repo / "public", tmp_path) as server:
        _configure(server.url, repo / "root.json")
        assert main(["sync"]) == 0
        assert main(["channel", "publish", str(make_pack(tmp_path / "p2", "2.0.0", "Hall two")),
                     *publish]) == 0
        built = _kiosk(make_app, server.url)
        assert _shown(built) == ("1.0.0", "Hall one")
        # A visitor is on the second slide while the kiosk pulls the new pack.
        QTest.keyClick(built.window, Qt.Key.Key_Right)
        assert built.navigator.index == 1
        follower = built.kiosk_mode.channel
        assert follower is not None
        qtbot.waitUntil(lambda: follower.last is not None, timeout=30000)
        assert follower.last.code == "installed" and follower.pending
        # Installed, not shown: the visitor's slide and words stay.
        assert built.navigator.index == 1 and _shown(built) == ("1.0.0", "Hall one")
        lines = built.kiosk_mode.diagnostics.lines()
        assert any("shows at the next idle reset" in line for line in lines)
        # The visitor leaves: the idle timer (600 s here) runs out now.
        idle = built.kiosk_mode.idle
        idle._idle.setInterval(10)
        idle._idle.start()
        qtbot.waitUntil(lambda: _shown(built)[0] == "2.0.0", timeout=10000)
        assert _shown(built) == ("2.0.0", "Hall two")
        assert built.navigator.index == 0
        assert not follower.pending


def test_a_refusal_keeps_the_content_and_tells_staff(make_app, qtbot, tmp_path):
    repo = tmp_path / "repo"
    assert main(["channel", "init", str(repo)]) == 0
    assert main(["channel", "publish", str(make_pack(tmp_path / "p1", "1.0.0", "Hall one")),
                 "--repo", str(repo)]) == 0
    with serve(repo / "public", tmp_path) as server:
        _configure(server.url, repo / "root.json")
        assert main(["sync"]) == 0
    # The server is gone: nothing listens at its address any more.
    dead = f"http://127.0.0.1:{free_port()}"
    built = _kiosk(make_app, dead)
    follower = built.kiosk_mode.channel
    assert follower is not None
    qtbot.waitUntil(lambda: follower.last is not None, timeout=30000)
    assert follower.last.code == "unreachable" and not follower.pending
    assert _shown(built) == ("1.0.0", "Hall one")
    lines = built.kiosk_mode.diagnostics.lines()
    assert any("Content channel stable" in line and "cannot be reached" in line
               for line in lines)


def test_a_kiosk_without_a_channel_follows_none(make_app):
    built = make_app(kiosk=True, keep_awake=False, idle_seconds=600.0, attract_seconds=600.0)
    assert built.kiosk_mode.channel is None
    assert not any("Content channel" in line for line in built.kiosk_mode.diagnostics.lines())


def test_a_pack_synced_from_a_terminal_shows_at_the_idle_reset(make_app, qtbot, tmp_path):
    repo = tmp_path / "repo"
    assert main(["channel", "init", str(repo)]) == 0
    publish = ["--repo", str(repo)]
    assert main(["channel", "publish", str(make_pack(tmp_path / "p1", "1.0.0", "Hall one")),
                 *publish]) == 0
    with serve(repo / "public", tmp_path) as server:
        _configure(server.url, repo / "root.json")
        assert main(["sync"]) == 0
        first = choose_for(None)
        assert main(["channel", "publish", str(make_pack(tmp_path / "p2", "2.0.0", "Hall two")),
                     *publish]) == 0
        # `taixin-kiosk sync` in a terminal while the kiosk shows the first pack.
        assert main(["sync"]) == 0
        built = make_app(kiosk=True, keep_awake=False, idle_seconds=600.0,
                         attract_seconds=600.0, channel_url=server.url, choice=first)
        assert _shown(built) == ("1.0.0", "Hall one")
        follower = built.kiosk_mode.channel
        qtbot.waitUntil(lambda: follower.last is not None, timeout=30000)
        assert follower.last.code == "current" and follower.pending
        idle = built.kiosk_mode.idle
        idle._idle.setInterval(10)
        idle._idle.start()
        qtbot.waitUntil(lambda: _shown(built)[0] == "2.0.0", timeout=10000)
        assert _shown(built) == ("2.0.0", "Hall two")
