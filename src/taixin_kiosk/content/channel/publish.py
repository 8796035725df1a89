"""The publisher's side of a channel: make a repository, publish a pack, re-sign, list.

A repository is a folder of TUF metadata and packs (``layout``). Every
publication signs new targets, snapshot and timestamp metadata with the
online keys in ``REPO/keys``; the root key, which says which keys those
are, is written once to a folder of its own that the publisher keeps
offline. Files are written so that a server copying ``public/`` at any
moment serves the old publication or the new one: packs and versioned
metadata first, ``timestamp.json`` (the one file a kiosk reads first) last.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from securesystemslib.signer import CryptoSigner, Signer
from tuf.api.metadata import Metadata, MetaFile, Root, Snapshot, TargetFile, Targets, Timestamp
from tuf.api.serialization.json import JSONSerializer

from taixin_kiosk.content.channel import layout
from taixin_kiosk.content.problems import Problem
from taixin_kiosk.system.files import write_atomic

# How long each role's signature holds. A kiosk refuses expired metadata (a
# server frozen on an old publication is found out): the publisher re-signs
# with ``publish`` or ``channel refresh`` well within the timestamp's days.
EXPIRY_DAYS = {"root": 365, "targets": 365, "snapshot": 365, "timestamp": 14}
_PRETTY = JSONSerializer(compact=False)
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # every entry the same date: the same pack zips the same


class Outcome(NamedTuple):
    """What a channel command did: ``cli.channel.<code>`` with ``params``,
    and a refused pack's problems."""

    ok: bool
    code: str
    params: dict[str, str]
    problems: tuple[Problem, ...] = ()


class Publication(NamedTuple):
    channel: str
    target: str
    pack: str
    version: str
    serial: int
    published: str
    length: int
    # The pack's checksum as a kiosk showing it reports it (metrics, staff
    # panel); "" for a publication made before it was recorded.
    shown: str = ""


class RoleStatus(NamedTuple):
    role: str
    version: int
    expires: datetime


class RepoStatus(NamedTuple):
    roles: tuple[RoleStatus, ...]
    publications: tuple[Publication, ...]
    latest: dict[str, str]  # channel -> its newest publication's target


def _in(days: float, now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)).replace(microsecond=0) + timedelta(days=days)


def _public(repo: Path) -> Path:
    return repo / layout.PUBLIC_DIR


def _metadata_dir(repo: Path) -> Path:
    return _public(repo) / layout.METADATA_DIR


# -- init ----------------------------------------------------------------------


def init_repository(repo: Path, root_keys: Path | None = None) -> Outcome:
    """An empty repository with new keys; the root key goes to ``root_keys``."""
    repo = repo.expanduser().resolve()
    root_keys = (root_keys or layout.default_root_keys(repo)).expanduser().resolve()
    if _metadata_dir(repo).exists():
        return Outcome(False, "exists", {"repo": str(repo)})
    if root_keys == repo or repo in root_keys.parents:
        return Outcome(False, "root_key_inside", {"folder": str(root_keys)})
    if (root_keys / layout.ROOT_KEY_FILE).exists():
        return Outcome(False, "root_key_exists", {"folder": str(root_keys)})
    signers = {role: CryptoSigner.generate_ed25519() for role in ("root", *layout.ONLINE_ROLES)}
    root = Metadata(Root(expires=_in(EXPIRY_DAYS["root"]), consistent_snapshot=True))
    for role, signer in signers.items():
        root.signed.add_key(signer.public_key, role)
    root.sign(signers["root"])
    keys = repo / layout.KEYS_DIR
    keys.mkdir(parents=True, exist_ok=True)
    root_keys.mkdir(parents=True, exist_ok=True)
    for role in layout.ONLINE_ROLES:
        write_atomic(keys / f"{role}.pem", signers[role].private_bytes, private=True)
    write_atomic(root_keys / layout.ROOT_KEY_FILE, signers["root"].private_bytes, private=True)
    metadata = _metadata_dir(repo)
    metadata.mkdir(parents=True)
    (_public(repo) / layout.TARGETS_DIR).mkdir()
    root_bytes = root.to_bytes(_PRETTY)
    write_atomic(metadata / "1.root.json", root_bytes)
    write_atomic(repo / layout.ROOT_COPY, root_bytes)
    targets = Metadata(Targets(expires=_in(EXPIRY_DAYS["targets"])))
    _sign_and_write(repo, targets, _load_signers(repo, root.signed))
    return Outcome(True, "initialised", {"repo": str(repo), "root_keys": str(root_keys),
                                         "root": str(repo / layout.ROOT_COPY),
                                         "public": str(_public(repo))})


# -- reading the repository ----------------------------------------------------


def _newest_root(repo: Path) -> Metadata[Root]:
    metadata = _metadata_dir(repo)
    versions = [int(p.name.split(".", 1)[0]) for p in metadata.glob("*.root.json")
                if p.name.split(".", 1)[0].isdigit()]
    return Metadata[Root].from_file(str(metadata / f"{max(versions)}.root.json"))


def _current(repo: Path) -> tuple[Metadata[Timestamp], Metadata[Snapshot], Metadata[Targets]]:
    metadata = _metadata_dir(repo)
    timestamp = Metadata[Timestamp].from_file(str(metadata / "timestamp.json"))
    snapshot = Metadata[Snapshot].from_file(
        str(metadata / f"{timestamp.signed.snapshot_meta.version}.snapshot.json"))
    targets = Metadata[Targets].from_file(
        str(metadata / f"{snapshot.signed.meta['targets.json'].version}.targets.json"))
    return timestamp, snapshot, targets


def _load_signers(repo: Path, root: Root) -> dict[str, Signer]:
    signers: dict[str, Signer] = {}
    for role in layout.ONLINE_ROLES:
        key = root.get_key(root.roles[role].keyids[0])
        uri = f"file2:{repo / layout.KEYS_DIR / f'{role}.pem'}"
        signers[role] = Signer.from_priv_key_uri(uri, key)
    return signers


def _sign_and_write(repo: Path, targets: Metadata[Targets], signers: dict[str, Signer],
                    now: datetime | None = None) -> None:
    """Signs ``targets`` as a new version, then a snapshot and a timestamp naming it."""
    metadata = _metadata_dir(repo)
    previous = (metadata / "timestamp.json").is_file()
    old_timestamp, old_snapshot, _ = _current(repo) if previous else (None, None, None)
    targets.signed.version = targets.signed.version + 1 if previous else 1
    targets.signed.expires = _in(EXPIRY_DAYS["targets"], now)
    targets.sign(signers["targets"], append=False)
    write_atomic(metadata / f"{targets.signed.version}.targets.json", targets.to_bytes(_PRETTY))
    snapshot = Metadata(Snapshot(expires=_in(EXPIRY_DAYS["snapshot"], now)))
    snapshot.signed.version = old_snapshot.signed.version + 1 if old_snapshot else 1
    snapshot.signed.meta["targets.json"] = MetaFile(version=targets.signed.version)
    snapshot.sign(signers["snapshot"])
    write_atomic(metadata / f"{snapshot.signed.version}.snapshot.json", snapshot.to_bytes(_PRETTY))
    timestamp = Metadata(Timestamp(expires=_in(EXPIRY_DAYS["timestamp"], now)))
    timestamp.signed.version = old_timestamp.signed.version + 1 if old_timestamp else 1
    timestamp.signed.snapshot_meta = MetaFile(version=snapshot.signed.version)
    timestamp.sign(signers["timestamp"])
    # Last: this file is the switch a kiosk sees.
    write_atomic(metadata / "timestamp.json", timestamp.to_bytes(_PRETTY))


# -- publish -------------------------------------------------------------------


def publish(repo: Path, source: Path, channel: str) -> Outcome:
    """Checks the pack at ``source`` (a folder or a zip file) as ``install-pack``
    would, and publishes it as the channel's newest content."""
    from taixin_kiosk.content.packs.archive import copy_in
    from taixin_kiosk.content.packs.refusal import Refusal
    from taixin_kiosk.content.validate import validate

    repo = repo.expanduser().resolve()
    if not valid_repo(repo):
        return Outcome(False, "no_repo", {"repo": str(repo)})
    if not layout.valid_channel(channel):
        return Outcome(False, "bad_channel", {"channel": channel})
    with tempfile.TemporaryDirectory(prefix=".publish-", dir=repo) as work:
        staging = Path(work) / "pack"
        staging.mkdir()
        try:
            checksum = copy_in(source, staging, str(source))
        except Refusal as refusal:
            return Outcome(False, "pack_invalid", {"source": str(source)},
                           tuple(refusal.problems))
        result = validate(staging)
        if result.pack is None:
            return Outcome(False, "pack_invalid", {"source": str(source)}, result.problems)
        deck = result.pack.deck
        zipped = Path(work) / "pack.zip"
        _zip_folder(staging, zipped)
        return _add_target(repo, channel, zipped, deck.id, deck.version, checksum,
                           result.pack.checksum)


def valid_repo(repo: Path) -> bool:
    return (_metadata_dir(repo) / "timestamp.json").is_file() and (repo / layout.KEYS_DIR).is_dir()


def _zip_folder(folder: Path, out: Path) -> None:
    import zipfile

    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder).as_posix()
            info = zipfile.ZipInfo(name + "/" if path.is_dir() else name, _ZIP_TIME)
            if path.is_dir():
                archive.writestr(info, b"")
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())


def _add_target(repo: Path, channel: str, zipped: Path, pack_id: str, version: str,
                checksum: str, shown: str) -> Outcome:
    root = _newest_root(repo).signed
    signers = _load_signers(repo, root)
    _, _, targets = _current(repo)
    serial = targets.signed.version + 1
    published = datetime.now(UTC).replace(microsecond=0).isoformat()
    path = layout.pack_target(channel, pack_id, version)
    info = TargetFile.from_file(path, str(zipped))
    info.unrecognized_fields["custom"] = {layout.CUSTOM_KEY: {
        "pack": pack_id, "version": version, "checksum": checksum, "serial": serial,
        "published": published, "shown": shown}}
    latest = json.dumps({"target": path, "serial": serial}, sort_keys=True).encode()
    latest_info = TargetFile.from_data(layout.latest_target(channel), latest)
    folder = _public(repo) / layout.TARGETS_DIR / channel
    folder.mkdir(parents=True, exist_ok=True)
    # Named by their hash (consistent snapshots): a kiosk half-way through
    # downloading the previous publication is never served a mixed file.
    name = Path(path).name
    stored = folder / f"{info.hashes['sha256']}.{name}"
    shutil.copyfile(zipped, stored)
    os.chmod(stored, 0o644)
    write_atomic(folder / f"{latest_info.hashes['sha256']}.{layout.LATEST}", latest)
    targets.signed.targets[path] = info
    targets.signed.targets[latest_info.path] = latest_info
    _sign_and_write(repo, targets, signers)
    return Outcome(True, "published", {"pack": pack_id, "version": version,
                                       "channel": channel, "serial": str(serial),
                                       "target": path, "public": str(_public(repo))})


def refresh(repo: Path, now: datetime | None = None) -> Outcome:
    """Signs the same publications again with new expiry dates."""
    repo = repo.expanduser().resolve()
    if not valid_repo(repo):
        return Outcome(False, "no_repo", {"repo": str(repo)})
    signers = _load_signers(repo, _newest_root(repo).signed)
    _, _, targets = _current(repo)
    _sign_and_write(repo, targets, signers, now)
    timestamp, _, _ = _current(repo)
    return Outcome(True, "refreshed", {"expires": _show(timestamp.signed.expires)})


def new_root(repo: Path, root_keys: Path, *, new_keys: bool = False,
             new_root_keys: Path | None = None) -> Outcome:
    """Signs the next version of root with the offline root key, for another
    year; with ``new_keys`` the online keys are replaced (one thought lost)
    and everything is signed again with the new ones.

    With ``new_root_keys`` the root key itself is replaced: a new one is
    written to that folder and the new root is signed by the old key and
    the new one. Kiosks accept a root only when the root they trust signed
    it (the old key) and it is signed by the keys it names itself (the new
    one); they fetch ``N.root.json`` versions in turn, so none need a new
    root.json, and from then on only the new key counts."""
    repo = repo.expanduser().resolve()
    if not valid_repo(repo):
        return Outcome(False, "no_repo", {"repo": str(repo)})
    root = _newest_root(repo)
    key_file = root_keys.expanduser().resolve() / layout.ROOT_KEY_FILE
    root_signer = _root_signer(root.signed, key_file)
    if root_signer is None:
        return Outcome(False, "root_key_wrong", {"file": str(key_file)})
    new_signer: CryptoSigner | None = None
    if new_root_keys is not None:
        new_root_keys = new_root_keys.expanduser().resolve()
        refused = _new_root_key_refused(repo, new_root_keys)
        if refused is not None:
            return refused
        new_signer = CryptoSigner.generate_ed25519()
        root.signed.revoke_key(root.signed.roles["root"].keyids[0], "root")
        root.signed.add_key(new_signer.public_key, "root")
    if new_keys:
        for role in layout.ONLINE_ROLES:
            old = root.signed.roles[role].keyids[0]
            signer = CryptoSigner.generate_ed25519()
            root.signed.revoke_key(old, role)
            root.signed.add_key(signer.public_key, role)
            write_atomic(repo / layout.KEYS_DIR / f"{role}.pem", signer.private_bytes,
                         private=True)
    root.signed.version += 1
    root.signed.expires = _in(EXPIRY_DAYS["root"])
    root.sign(root_signer, append=False)
    params = {"version": str(root.signed.version), "expires": _show(root.signed.expires),
              "root": str(repo / layout.ROOT_COPY)}
    if new_signer is not None and new_root_keys is not None:
        # Both signatures: the old key vouches for the new root to kiosks that
        # trust the old one, the new key is the one the new root names.
        root.sign(new_signer, append=True)
        new_root_keys.mkdir(parents=True, exist_ok=True)
        write_atomic(new_root_keys / layout.ROOT_KEY_FILE, new_signer.private_bytes,
                     private=True)
        params["new_root_keys"] = str(new_root_keys)
    root_bytes = root.to_bytes(_PRETTY)
    write_atomic(_metadata_dir(repo) / f"{root.signed.version}.root.json", root_bytes)
    # Kiosks joining from now on start from the newest root, not the first:
    # a root key given up no longer vouches for anything they trust.
    write_atomic(repo / layout.ROOT_COPY, root_bytes)
    _, _, targets = _current(repo)
    _sign_and_write(repo, targets, _load_signers(repo, root.signed))
    return Outcome(True, "new_root_key" if new_signer is not None else "new_root", params)


def _root_signer(root: Root, key_file: Path) -> Signer | None:
    """A signer for ``key_file`` when it holds the key root names for itself, else None."""
    root_public = root.get_key(root.roles["root"].keyids[0])
    try:
        signer = Signer.from_priv_key_uri(f"file2:{key_file}", root_public)
        probe = Metadata(Targets())
        probe.sign(signer)
        root_public.verify_signature(probe.signatures[root_public.keyid], probe.signed_bytes)
    except Exception:
        return None
    return signer


def _new_root_key_refused(repo: Path, folder: Path) -> Outcome | None:
    """Why the new root key cannot be written to ``folder``, or None."""
    if folder == repo or repo in folder.parents:
        return Outcome(False, "root_key_inside", {"folder": str(folder)})
    if (folder / layout.ROOT_KEY_FILE).exists():
        return Outcome(False, "new_root_key_exists", {"folder": str(folder)})
    return None


# -- status --------------------------------------------------------------------


def status(repo: Path) -> RepoStatus | None:
    """The metadata's versions and expiry dates, and every publication by channel."""
    repo = repo.expanduser().resolve()
    if not valid_repo(repo):
        return None
    timestamp, snapshot, targets = _current(repo)
    root = _newest_root(repo)
    roles = tuple(RoleStatus(m.signed.type, m.signed.version, m.signed.expires)
                  for m in (root, targets, snapshot, timestamp))
    publications: list[Publication] = []
    latest: dict[str, str] = {}
    for path, info in targets.signed.targets.items():
        custom: Any = info.custom.get(layout.CUSTOM_KEY) if info.custom else None
        channel = path.split("/", 1)[0]
        if path.endswith("/" + layout.LATEST):
            stored = (_public(repo) / layout.TARGETS_DIR / channel
                      / f"{info.hashes['sha256']}.{layout.LATEST}")
            try:
                latest[channel] = str(json.loads(stored.read_text("utf-8"))["target"])
            except (OSError, ValueError, KeyError, TypeError):
                latest[channel] = ""
            continue
        if isinstance(custom, dict):
            publications.append(Publication(channel, path, str(custom.get("pack", "")),
                                            str(custom.get("version", "")),
                                            int(custom.get("serial", 0)),
                                            str(custom.get("published", "")), info.length,
                                            str(custom.get("shown", ""))))
    publications.sort(key=lambda p: (p.channel, p.serial))
    return RepoStatus(roles, tuple(publications), latest)


def _show(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
