"""Where a channel's repository keeps its files, and the names both sides agree on.

Shared by the publisher (``publish``) and the kiosk (``sync``); it imports
no TUF, so a kiosk without a channel never loads it::

    REPO/public/metadata/   signed metadata: N.root.json, N.targets.json,
                            N.snapshot.json, timestamp.json (served)
    REPO/public/targets/    the packs: CHANNEL/HASH.PACK-VERSION.zip and
                            CHANNEL/HASH.latest.json (served)
    REPO/keys/              the online keys: targets, snapshot, timestamp
                            (kept by the publisher, never served)
    REPO/root.json          the first root, for kiosks' installers
    ROOT-KEYS/root.pem      the root key: kept offline, away from REPO

Only ``public/`` goes on the web server, bucket or file share.
"""

from __future__ import annotations

import re
from pathlib import Path

PUBLIC_DIR = "public"
METADATA_DIR = "metadata"
TARGETS_DIR = "targets"
KEYS_DIR = "keys"
ROOT_COPY = "root.json"
ROOT_KEY_FILE = "root.pem"
ONLINE_ROLES = ("targets", "snapshot", "timestamp")
# The target naming a channel's newest publication.
LATEST = "latest.json"
# The custom metadata of a published pack's target.
CUSTOM_KEY = "taixin_kiosk"
# A kiosk's trusted first root, beside its config file (the installer puts it there).
KIOSK_ROOT_FILE = "channel-root.json"

CHANNEL_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def valid_channel(name: str) -> bool:
    """One lower-case word (``stable``, ``hall-a``): it is a folder on the server."""
    return CHANNEL_RE.fullmatch(name) is not None


def pack_target(channel: str, pack_id: str, version: str) -> str:
    """The target path of one published pack."""
    stem = _UNSAFE.sub("_", f"{pack_id}-{version}").strip("._") or "pack"
    return f"{channel}/{stem}.zip"


def latest_target(channel: str) -> str:
    return f"{channel}/{LATEST}"


def default_root_keys(repo: Path) -> Path:
    """Where ``channel init`` writes the root key unless told: beside REPO, not in it."""
    repo = repo.expanduser().resolve()
    return repo.with_name(f"{repo.name}-root-key")
