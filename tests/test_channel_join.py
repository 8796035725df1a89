"""``taixin-kiosk channel join``: what the installer's /CHANNEL= runs. The kiosk's trusted
root goes beside the config file and the channel into it; anything wrong changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from channel_server import make_pack
from taixin_kiosk.cli.main import main
from taixin_kiosk.config.load import load_config
from taixin_kiosk.system.paths import app_paths


def _repo(tmp: Path, name: str, *versions: str) -> Path:
    repo = tmp / name
    assert main(["channel", "init", str(repo)]) == 0
    for version in versions:
        pack = make_pack(tmp / f"{name}-{version}", version, f"{name} {version}")
        assert main(["channel", "publish", str(pack), "--repo", str(repo),
                     "--channel", "hall-a"]) == 0
    return repo


def _url(repo: Path) -> str:
    return (repo / "public").as_uri()


def test_join_sets_the_channel_and_the_root_and_sync_then_pulls(tmp_path, capsys):
    repo = _repo(tmp_path, "repo", "1.0.0")
    paths = app_paths()
    assert main(["channel", "join", _url(repo), "--channel", "hall-a",
                 "--root", str(repo / "root.json")]) == 0
    out = capsys.readouterr().out
    assert "follows channel hall-a" in out and "taixin-kiosk sync" in out
    settings = load_config(paths.config_file).settings
    assert (settings.channel_url, settings.channel) == (_url(repo), "hall-a")
    assert (paths.config_dir / "channel-root.json").read_bytes() == \
        (repo / "root.json").read_bytes()
    assert main(["sync"]) == 0
    assert "installed hall 1.0.0" in capsys.readouterr().out


def test_join_keeps_the_rest_of_the_config_file(tmp_path):
    repo = _repo(tmp_path, "repo")
    paths = app_paths()
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text("# the hall's own notes\nidle_seconds = 45\n", "utf-8")
    assert main(["channel", "join", _url(repo), "--root", str(repo / "root.json")]) == 0
    text = paths.config_file.read_text("utf-8")
    assert "# the hall's own notes" in text
    settings = load_config(paths.config_file).settings
    assert settings.idle_seconds == 45 and settings.channel == "stable"


def _tampered_root(repo: Path, tmp: Path) -> Path:
    data = json.loads((repo / "root.json").read_text("utf-8"))
    data["signed"]["expires"] = "2099-01-01T00:00:00Z"  # the signature no longer matches
    bad = tmp / "tampered-root.json"
    bad.write_text(json.dumps(data), "utf-8")
    return bad


@pytest.mark.parametrize("case", ["tampered root", "not json", "missing root", "bad url",
                                  "bad channel"])
def test_a_wrong_join_changes_nothing(tmp_path, capsys, case):
    repo = _repo(tmp_path, "repo")
    root, url, channel = repo / "root.json", _url(repo), "hall-a"
    if case == "tampered root":
        root = _tampered_root(repo, tmp_path)
    elif case == "not json":
        root = tmp_path / "notes.txt"
        root.write_text("not a root", "utf-8")
    elif case == "missing root":
        root = tmp_path / "nowhere.json"
    elif case == "bad url":
        url = "kiosk-content.example.org"
    else:
        channel = "Hall A"
    assert main(["channel", "join", url, "--channel", channel, "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "Nothing was changed" in err
    paths = app_paths()
    assert not paths.config_file.exists()
    assert not (paths.config_dir / "channel-root.json").exists()


def test_joining_another_repository_starts_trust_afresh(tmp_path, capsys):
    """Publication 1 of a new repository is not a roll-back from publication 2 of the old."""
    old = _repo(tmp_path, "old", "1.0.0", "2.0.0")
    new = _repo(tmp_path, "new", "3.0.0")
    assert main(["channel", "join", _url(old), "--channel", "hall-a",
                 "--root", str(old / "root.json")]) == 0
    assert main(["sync"]) == 0
    # The same root again (an installer run twice): what the kiosk remembers stays.
    assert main(["channel", "join", _url(old), "--channel", "hall-a",
                 "--root", str(old / "root.json")]) == 0
    capsys.readouterr()
    assert main(["sync"]) == 0
    assert "already the newest" in capsys.readouterr().out
    assert main(["channel", "join", _url(new), "--channel", "hall-a",
                 "--root", str(new / "root.json")]) == 0
    capsys.readouterr()
    assert main(["sync"]) == 0
    assert "installed hall 3.0.0" in capsys.readouterr().out
