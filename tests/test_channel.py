"""The signed content channel: publish with ``channel``, pull with ``sync``, over a real
web server on 127.0.0.1 (nginx; http.server where nginx is missing), and the refusals."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from channel_server import make_pack, serve
from taixin_kiosk.cli.main import main
from taixin_kiosk.content.packs.store import installed_packs
from taixin_kiosk.system.paths import app_paths


class Fleet:
    """A publisher's repository served over HTTP, and this kiosk's config pointing at it."""

    def __init__(self, tmp: Path, url: str, stop: object) -> None:
        self.tmp = tmp
        self.repo = tmp / "repo"
        self.url = url
        self.stop_server = stop

    @property
    def public(self) -> Path:
        return self.repo / "public"

    def publish(self, version: str, channel: str = "stable") -> int:
        pack = make_pack(self.tmp / f"pack-{version}", version, f"Hall version {version}")
        return main(["channel", "publish", str(pack), "--repo", str(self.repo),
                     "--channel", channel])

    def current_version(self) -> str | None:
        current = [p for p in installed_packs(app_paths().packs_dir) if p.current]
        return current[0].version if current else None


def configure(url: str, channel: str = "stable", root: Path | None = None) -> None:
    paths = app_paths()
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(f'channel_url = "{url}"\nchannel = "{channel}"\n', "utf-8")
    if root is not None:
        shutil.copyfile(root, paths.config_dir / "channel-root.json")


@pytest.fixture
def fleet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Fleet]:
    repo = tmp_path / "repo"
    assert main(["channel", "init", str(repo)]) == 0
    with serve(repo / "public", tmp_path) as server:
        made = Fleet(tmp_path, server.url, server.stop)
        configure(server.url, root=repo / "root.json")
        capsys.readouterr()
        yield made


def test_init_keeps_the_root_key_out_of_the_repository(tmp_path, capsys):
    repo = tmp_path / "repo"
    assert main(["channel", "init", str(repo)]) == 0
    out = capsys.readouterr().out
    root_key = tmp_path / "repo-root-key" / "root.pem"
    assert root_key.is_file() and str(root_key.parent) in out
    assert not list((repo / "public").rglob("*.pem")), "no key may be served"
    assert sorted(p.name for p in (repo / "keys").iterdir()) == [
        "snapshot.pem", "targets.pem", "timestamp.pem"]
    assert (repo / "root.json").is_file()
    # A second init changes nothing.
    assert main(["channel", "init", str(repo)]) == 1
    assert "already" in capsys.readouterr().err
    assert main(["channel", "init", str(tmp_path / "other"), "--root-key",
                 str(tmp_path / "other" / "k")]) == 1


def test_publish_refuses_a_pack_that_would_not_install(tmp_path, capsys):
    repo = tmp_path / "repo"
    assert main(["channel", "init", str(repo)]) == 0
    pack = make_pack(tmp_path / "bad", "1.0.0", "Broken")
    (pack / "i18n" / "en.json").write_text("{ not json", "utf-8")
    assert main(["channel", "publish", str(pack), "--repo", str(repo)]) == 1
    err = capsys.readouterr().err
    assert "was not published" in err and "en.json" in err
    assert main(["channel", "status", str(repo)]) == 0
    assert "Nothing is published yet." in capsys.readouterr().out
    assert main(["channel", "publish", str(pack), "--repo", str(repo),
                 "--channel", "Hall A"]) == 1
    assert "not a channel name" in capsys.readouterr().err


def test_status_lists_channels_publications_and_expiry(tmp_path, capsys):
    repo = tmp_path / "repo"
    assert main(["channel", "init", str(repo)]) == 0
    for version, channel in (("1.0.0", "stable"), ("2.0.0", "stable"), ("1.5.0", "hall-a")):
        pack = make_pack(tmp_path / f"p{version}", version, "Title")
        assert main(["channel", "publish", str(pack), "--repo", str(repo),
                     "--channel", channel]) == 0
    capsys.readouterr()
    assert main(["channel", "status", str(repo)]) == 0
    out = capsys.readouterr().out
    assert "Channel hall-a:" in out and "Channel stable:" in out
    stable = out.split("Channel stable:")[1]
    assert "older:  hall 1.0.0, publication 2" in stable
    assert "newest: hall 2.0.0, publication 3" in stable
    assert "timestamp: version 4, expires" in out


def test_status_gives_the_checksum_a_kiosk_showing_the_pack_reports(fleet, capsys):
    """What IT matches against taixin_kiosk_content_info and the staff panel."""
    from taixin_kiosk.content.choice import choose_for

    assert fleet.publish("1.0.0") == 0
    assert main(["sync"]) == 0
    shown = choose_for(None).pack
    assert shown.deck.version == "1.0.0" and not shown.builtin
    capsys.readouterr()
    assert main(["channel", "status", str(fleet.repo)]) == 0
    out = capsys.readouterr().out
    assert f"(metrics, staff panel): {shown.checksum}\n" in out


def test_sync_moves_from_the_first_publication_to_the_second(fleet, capsys):
    assert fleet.publish("1.0.0") == 0
    assert main(["sync"]) == 0
    assert "installed hall 1.0.0" in capsys.readouterr().out
    assert fleet.current_version() == "1.0.0"
    assert main(["sync"]) == 0
    assert "already the newest" in capsys.readouterr().out
    assert fleet.publish("2.0.0") == 0
    assert main(["sync"]) == 0
    assert "installed hall 2.0.0" in capsys.readouterr().out
    assert fleet.current_version() == "2.0.0"
    log = fleet.tmp / "nginx" / "access.log"
    if log.exists():  # nginx served it (not the http.server stand-in)
        assert "GET /metadata/timestamp.json" in log.read_text("utf-8")


def test_sync_follows_its_own_channel(fleet, capsys):
    assert fleet.publish("1.0.0", channel="hall-a") == 0
    assert main(["sync"]) == 1
    assert "has nothing published" in capsys.readouterr().err
    configure(fleet.url, channel="hall-a")
    assert main(["sync"]) == 0
    assert fleet.current_version() == "1.0.0"


def test_sync_without_the_trusted_root_refuses(fleet, capsys):
    assert fleet.publish("1.0.0") == 0
    (app_paths().config_dir / "channel-root.json").unlink()
    assert main(["sync"]) == 1
    err = capsys.readouterr().err
    assert "trusted root" in err and "unchanged" in err
    assert fleet.current_version() is None


def _tamper(fleet: Fleet) -> None:
    zips = sorted((fleet.public / "targets" / "stable").glob("*.hall-2.0.0.zip"))
    data = bytearray(zips[0].read_bytes())
    data[len(data) // 2] ^= 0xFF  # same length, one byte changed
    zips[0].write_bytes(bytes(data))


def _expire(fleet: Fleet) -> None:
    from taixin_kiosk.content.channel.publish import refresh

    # Signed a month ago: the timestamp expired two weeks later.
    refresh(fleet.repo, now=datetime.now(UTC) - timedelta(days=30))


def _kill_server(fleet: Fleet) -> None:
    fleet.stop_server()


@pytest.mark.parametrize(("attack", "message"), [
    (_tamper, "does not match its signed length or checksum"),
    (_expire, "has expired"),
    (_kill_server, "cannot be reached"),
])
def test_an_attack_on_the_second_publication_keeps_the_first(fleet, capsys, attack, message):
    assert fleet.publish("1.0.0") == 0
    assert main(["sync"]) == 0
    assert fleet.publish("2.0.0") == 0
    attack(fleet)
    capsys.readouterr()
    assert main(["sync"]) == 1
    err = capsys.readouterr().err
    assert message in err and "The current content is unchanged." in err
    assert fleet.current_version() == "1.0.0"


def test_a_dead_server_is_reported_once_without_the_retries(fleet, capsys, caplog):
    assert fleet.publish("1.0.0") == 0
    assert main(["sync"]) == 0
    _kill_server(fleet)
    capsys.readouterr()
    caplog.clear()
    assert main(["sync"]) == 1
    err = capsys.readouterr().err
    assert err.count("cannot be reached") == 1 and "Retrying" not in err
    assert [r.getMessage() for r in caplog.records if r.name.startswith("urllib3")] == []


def test_replayed_metadata_is_refused(fleet, capsys):
    """A server (or a man in the middle) serving the metadata of an earlier day."""
    assert fleet.publish("1.0.0") == 0
    assert main(["sync"]) == 0
    old_public = fleet.tmp / "old-public"
    shutil.copytree(fleet.public, old_public)
    assert fleet.publish("2.0.0") == 0
    assert main(["sync"]) == 0
    assert fleet.current_version() == "2.0.0"
    # The whole public folder as it was before the second publication.
    shutil.rmtree(fleet.public)
    shutil.copytree(old_public, fleet.public)
    capsys.readouterr()
    assert main(["sync"]) == 1
    assert "older than this kiosk has already seen" in capsys.readouterr().err
    assert fleet.current_version() == "2.0.0"


def test_a_rolled_back_publication_is_refused(fleet, capsys):
    """Validly signed metadata whose newest publication is older than the one installed."""
    from taixin_kiosk.content.channel import publish as repo

    assert fleet.publish("1.0.0") == 0
    first = json.loads(next((fleet.public / "targets" / "stable").glob("*.latest.json"))
                       .read_text("utf-8"))
    assert fleet.publish("2.0.0") == 0
    assert main(["sync"]) == 0
    assert fleet.current_version() == "2.0.0"
    # Someone holding the online keys points the channel back at publication 2.
    _, _, targets = repo._current(fleet.repo)
    latest = json.dumps(first, sort_keys=True).encode()
    from tuf.api.metadata import TargetFile

    info = TargetFile.from_data("stable/latest.json", latest)
    (fleet.public / "targets" / "stable" / f"{info.hashes['sha256']}.latest.json").write_bytes(
        latest)
    targets.signed.targets["stable/latest.json"] = info
    signers = repo._load_signers(fleet.repo, repo._newest_root(fleet.repo).signed)
    repo._sign_and_write(fleet.repo, targets, signers)
    capsys.readouterr()
    assert main(["sync"]) == 1
    err = capsys.readouterr().err
    assert "older than publication 3" in err
    assert fleet.current_version() == "2.0.0"


def test_a_file_share_works_as_a_server(tmp_path, capsys):
    repo = tmp_path / "repo"
    assert main(["channel", "init", str(repo)]) == 0
    assert main(["channel", "publish", str(make_pack(tmp_path / "p", "1.0.0", "T")),
                 "--repo", str(repo)]) == 0
    configure((repo / "public").as_uri(), root=repo / "root.json")
    assert main(["sync"]) == 0
    current = [p for p in installed_packs(app_paths().packs_dir) if p.current]
    assert current and current[0].version == "1.0.0"


def test_a_kiosk_without_a_channel_does_not_load_tuf():
    import subprocess

    code = ("import sys; from taixin_kiosk.cli import run, main; "
            "from taixin_kiosk.kiosk import mode; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('tuf', 'securesystemslib', 'urllib3', 'cryptography')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_new_root_and_keys_are_followed_by_kiosks(fleet, capsys):
    assert fleet.publish("1.0.0") == 0
    assert main(["sync"]) == 0
    root_keys = fleet.tmp / "repo-root-key"
    old_key = (fleet.repo / "keys" / "timestamp.pem").read_bytes()
    # Another repository's root key is refused.
    assert main(["channel", "init", str(fleet.tmp / "other")]) == 0
    assert main(["channel", "root", str(fleet.repo), "--root-key",
                 str(fleet.tmp / "other-root-key")]) == 1
    assert "is not this repository's root key" in capsys.readouterr().err
    assert main(["channel", "root", str(fleet.repo), "--root-key", str(root_keys),
                 "--new-keys"]) == 0
    assert "signed root version 2" in capsys.readouterr().out
    assert (fleet.repo / "keys" / "timestamp.pem").read_bytes() != old_key
    assert fleet.publish("2.0.0") == 0
    assert main(["sync"]) == 0
    assert fleet.current_version() == "2.0.0"
    assert (app_paths().state_dir / "channel" / "metadata" / "root_history"
            / "2.root.json").is_file()


def _rotate_root_key(fleet: Fleet, capsys: pytest.CaptureFixture[str], *extra: str) -> Path:
    new_keys = fleet.tmp / "root-key-2"
    assert main(["channel", "root", str(fleet.repo), "--root-key",
                 str(fleet.tmp / "repo-root-key"), "--new-root-key", str(new_keys),
                 *extra]) == 0
    out = capsys.readouterr().out
    assert "with the old root key and a new one" in out and str(new_keys) in out
    return new_keys


def test_a_new_root_key_is_followed_and_the_old_one_gives_up(fleet, capsys):
    from tuf.api.metadata import Metadata, Root

    assert fleet.publish("1.0.0") == 0
    assert main(["sync"]) == 0
    old_keys = fleet.tmp / "repo-root-key"
    new_keys = _rotate_root_key(fleet, capsys, "--new-keys")
    assert (new_keys / "root.pem").is_file()
    assert (new_keys / "root.pem").read_bytes() != (old_keys / "root.pem").read_bytes()
    rotated = Metadata[Root].from_file(str(fleet.public / "metadata" / "2.root.json"))
    first = Metadata[Root].from_file(str(fleet.public / "metadata" / "1.root.json"))
    old_id = first.signed.roles["root"].keyids[0]
    new_id = rotated.signed.roles["root"].keyids[0]
    assert new_id != old_id and set(rotated.signatures) == {old_id, new_id}
    # New kiosks are handed the newest root.
    assert (fleet.repo / "root.json").read_bytes() == (
        fleet.public / "metadata" / "2.root.json").read_bytes()
    # The kiosk still trusts root 1: it follows to root 2, then takes a
    # publication signed with the keys only root 2 names.
    assert fleet.publish("2.0.0") == 0
    assert main(["sync"]) == 0
    assert fleet.current_version() == "2.0.0"
    history = app_paths().state_dir / "channel" / "metadata" / "root_history"
    assert (history / "2.root.json").is_file()
    # The old root key signs nothing any more; the new one does.
    capsys.readouterr()
    assert main(["channel", "root", str(fleet.repo), "--root-key", str(old_keys)]) == 1
    assert "is not this repository's root key" in capsys.readouterr().err
    assert main(["channel", "root", str(fleet.repo), "--root-key", str(new_keys)]) == 0
    assert fleet.publish("3.0.0") == 0
    assert main(["sync"]) == 0
    assert fleet.current_version() == "3.0.0"


def test_a_new_root_key_is_never_written_over_a_key_or_into_the_repository(fleet, capsys):
    old_keys = fleet.tmp / "repo-root-key"
    before = sorted(p.name for p in (fleet.public / "metadata").iterdir())
    for folder, message in ((old_keys, "already holds a root key"),
                            (fleet.repo / "new-key", "must not be kept inside the repository")):
        assert main(["channel", "root", str(fleet.repo), "--root-key", str(old_keys),
                     "--new-root-key", str(folder)]) == 1
        assert message in capsys.readouterr().err
    assert sorted(p.name for p in (fleet.public / "metadata").iterdir()) == before
    assert not (fleet.repo / "new-key").exists()


@pytest.mark.parametrize("dropped", ["old", "new"])
def test_a_new_root_without_both_signatures_is_refused(fleet, capsys, dropped):
    """Signed by the new key alone, the trusted root never vouched for it; by the
    old key alone, the new root's own key never agreed to it."""
    from tuf.api.metadata import Metadata, Root

    assert fleet.publish("1.0.0") == 0
    assert main(["sync"]) == 0
    _rotate_root_key(fleet, capsys)
    path = fleet.public / "metadata" / "2.root.json"
    rotated = Metadata[Root].from_file(str(path))
    first = Metadata[Root].from_file(str(fleet.public / "metadata" / "1.root.json"))
    key = (first if dropped == "old" else rotated).signed.roles["root"].keyids[0]
    del rotated.signatures[key]
    path.write_bytes(rotated.to_bytes())
    assert fleet.publish("2.0.0") == 0
    capsys.readouterr()
    assert main(["sync"]) == 1
    err = capsys.readouterr().err
    assert "is not signed by the trusted keys" in err and "unchanged" in err
    assert fleet.current_version() == "1.0.0"
    history = app_paths().state_dir / "channel" / "metadata" / "root_history"
    assert not (history / "2.root.json").exists()


def test_an_attackers_root_and_publication_are_refused(fleet, capsys):
    """Someone who controls the server makes a root naming their own keys, signed by
    their own key, and signs a publication with it."""
    from securesystemslib.signer import CryptoSigner
    from tuf.api.metadata import Metadata, Root

    from taixin_kiosk.content.channel import publish as repo

    assert fleet.publish("1.0.0") == 0
    assert main(["sync"]) == 0
    make = fleet.tmp / "pack-6.6.6"
    assert main(["channel", "publish", str(make_pack(make, "6.6.6", "Not ours")),
                 "--repo", str(fleet.repo)]) == 0
    root = Metadata[Root].from_file(str(fleet.public / "metadata" / "1.root.json"))
    theirs = {role: CryptoSigner.generate_ed25519()
              for role in ("root", "targets", "snapshot", "timestamp")}
    for role, signer in theirs.items():
        root.signed.revoke_key(root.signed.roles[role].keyids[0], role)
        root.signed.add_key(signer.public_key, role)
    root.signed.version = 2
    root.sign(theirs["root"], append=False)
    (fleet.public / "metadata" / "2.root.json").write_bytes(root.to_bytes())
    # Their publication, signed again with the keys their root names.
    _, _, targets = repo._current(fleet.repo)
    repo._sign_and_write(fleet.repo, targets, {k: v for k, v in theirs.items() if k != "root"})
    capsys.readouterr()
    assert main(["sync"]) == 1
    err = capsys.readouterr().err
    assert "is not signed by the trusted keys" in err and "unchanged" in err
    assert fleet.current_version() == "1.0.0"
