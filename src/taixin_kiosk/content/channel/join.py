"""A kiosk joining a channel: its trusted root put beside the config file.

``taixin-kiosk channel join URL --root FILE`` (the installer's ``/CHANNEL=``
runs it) checks that FILE is a channel's root metadata, signed by its own
root key, and copies it to ``channel-root.json``. A root other than the one
trusted before starts trust afresh: what the kiosk remembered of the old
channel (its metadata, the publication installed) is forgotten, or the new
repository's first publication would look like a roll-back.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import NamedTuple

from taixin_kiosk.content.channel import layout
from taixin_kiosk.content.channel.sync import CHANNEL_DIR
from taixin_kiosk.system.files import write_atomic

URL_SCHEMES = ("https://", "http://", "file:")


class JoinResult(NamedTuple):
    code: str
    params: dict[str, str]

    @property
    def ok(self) -> bool:
        return self.code == "joined"


def check_root(data: bytes) -> str | None:
    """None when ``data`` is root metadata signed by its own root keys, else why not."""
    from tuf.api.metadata import Metadata, Root

    try:
        root = Metadata[Root].from_bytes(data)
        root.verify_delegate(Root.type, root)
    except Exception as error:  # any way of not being a channel's root
        return str(error) or type(error).__name__
    return None


def join(url: str, channel: str, source: Path, config_file: Path, state_dir: Path) -> JoinResult:
    """Checks the address, the channel's name and the root, then trusts the root."""
    if not url.lower().startswith(URL_SCHEMES):
        return JoinResult("bad_url", {"url": url})
    if not layout.valid_channel(channel):
        return JoinResult("bad_channel", {"channel": channel})
    try:
        data = source.read_bytes()
    except OSError as error:
        return JoinResult("root_unreadable", {"file": str(source),
                                              "reason": error.strerror or str(error)})
    reason = check_root(data)
    if reason is not None:
        return JoinResult("bad_root", {"file": str(source), "reason": reason})
    target = config_file.parent / layout.KIOSK_ROOT_FILE
    try:
        before = target.read_bytes()
    except OSError:
        before = None
    if before != data:
        shutil.rmtree(state_dir / CHANNEL_DIR, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data)
    return JoinResult("joined", {"url": url, "channel": channel, "root": str(target)})
