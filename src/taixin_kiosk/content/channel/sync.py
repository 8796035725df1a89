"""A kiosk pulling its channel once: verify the newest publication, install it.

Trust starts from the root the installer put beside the config file
(``layout.KIOSK_ROOT_FILE``), never from the server. python-tuf's Updater
checks every signature, version and expiry date, and keeps the metadata it
trusted in ``STATE/channel/metadata``, so a server that later serves older
metadata (a replay, a roll-back) or stale metadata (expired) is refused. On
top of that the kiosk remembers the serial of the publication it installed
and refuses an older one. The pack is installed through ``install_pack``:
checked again, switched in one step. Whatever fails, the content shown stays.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from taixin_kiosk.content.channel import layout
from taixin_kiosk.content.problems import Problem
from taixin_kiosk.system.files import write_atomic

log = logging.getLogger("taixin_kiosk.channel")

CHANNEL_DIR = "channel"
STATE_FILE = "installed.json"
# Metadata larger than this is no channel of ours: refused before it is read whole.
_LATEST_MAX = 4096

# What each refusal is called: ``cli.channel.outcome.<code>``.
OUTCOMES = ("installed", "current", "no_channel_url", "bad_channel", "no_root", "bad_root",
            "unreachable", "not_found", "tampered", "expired", "replayed", "bad_signature",
            "repository", "empty", "rolled_back", "install_refused", "write_failed")


class SyncResult(NamedTuple):
    """``code`` names the outcome; ``params`` fill its message."""

    code: str
    params: dict[str, str]
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.code in ("installed", "current")


def kiosk_root(config_file: Path) -> Path:
    """Where the installer puts the channel's trusted root: beside config.toml."""
    return config_file.parent / layout.KIOSK_ROOT_FILE


def sync_once(url: str | None, channel: str, root_file: Path, state_dir: Path,
              packs_dir: Path) -> SyncResult:
    """Pulls ``channel`` from ``url`` once; never raises for the network or the server."""
    if not url:
        return SyncResult("no_channel_url", {})
    if not layout.valid_channel(channel):
        return SyncResult("bad_channel", {"channel": channel})
    try:
        bootstrap = root_file.read_bytes()
    except OSError:
        return SyncResult("no_root", {"file": str(root_file)})
    try:
        return _sync(url.rstrip("/"), channel, bootstrap, state_dir / CHANNEL_DIR, packs_dir)
    except Exception as error:  # the kiosk goes on with what it shows
        return _refusal(error, url, root_file)


def _refusal(error: Exception, url: str, root_file: Path) -> SyncResult:
    from tuf.api import exceptions as tuf

    reason = str(error) or type(error).__name__
    params = {"url": url, "reason": reason}
    if isinstance(error, tuf.DownloadHTTPError) and error.status_code == 404:
        code = "not_found"
    elif isinstance(error, tuf.LengthOrHashMismatchError | tuf.DownloadLengthMismatchError):
        code = "tampered"
    elif isinstance(error, tuf.DownloadError):
        cause = error.__cause__ or error.__context__
        params["reason"] = str(cause or reason)
        code = "unreachable"
    elif isinstance(error, tuf.ExpiredMetadataError):
        code = "expired"
    elif isinstance(error, tuf.BadVersionNumberError):
        code = "replayed"
    elif isinstance(error, tuf.UnsignedMetadataError):
        code = "bad_signature"
    elif isinstance(error, tuf.RepositoryError):
        code = "repository"
    elif isinstance(error, ValueError | KeyError | TypeError) and "root" in reason.lower():
        code, params = "bad_root", {"file": str(root_file), "reason": reason}
    elif isinstance(error, OSError):
        code = "write_failed"
    else:
        log.exception("channel sync failed")
        code = "repository"
    log.debug("channel: %s (%s)", code, params["reason"])
    return SyncResult(code, params)


def _updater(url: str, bootstrap: bytes, folder: Path) -> Any:
    from tuf.ngclient import Updater, UpdaterConfig

    import taixin_kiosk

    # urllib3 warns of each retry of a server that is down; the refusal that
    # follows already says so once, with the cause, in sync's output and the log.
    logging.getLogger("urllib3.connectionpool").setLevel(logging.ERROR)
    for sub in ("metadata", "downloads"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    config = UpdaterConfig(app_user_agent=f"taixin-kiosk/{taixin_kiosk.__version__}")
    fetcher = _file_fetcher() if url.startswith("file:") else None
    try:
        return Updater(str(folder / "metadata"), f"{url}/{layout.METADATA_DIR}/",
                       str(folder / "downloads"), f"{url}/{layout.TARGETS_DIR}/",
                       fetcher, config, bootstrap=bootstrap)
    except (ValueError, KeyError, TypeError) as error:
        # Raised by a root.json that is no TUF root at all.
        raise ValueError(f"root: {error}") from error


def _sync(url: str, channel: str, bootstrap: bytes, folder: Path,
          packs_dir: Path) -> SyncResult:
    updater = _updater(url, bootstrap, folder)
    updater.refresh()
    latest_info = updater.get_targetinfo(layout.latest_target(channel))
    if latest_info is None or latest_info.length > _LATEST_MAX:
        return SyncResult("empty", {"channel": channel, "url": url})
    latest_path = updater.find_cached_target(latest_info) or updater.download_target(latest_info)
    latest = json.loads(Path(latest_path).read_text("utf-8"))
    info = updater.get_targetinfo(str(latest["target"]))
    if info is None:
        return SyncResult("empty", {"channel": channel, "url": url})
    custom: dict[str, Any] = dict((info.custom or {}).get(layout.CUSTOM_KEY) or {})
    serial = int(custom.get("serial", 0))
    params = {"channel": channel, "pack": str(custom.get("pack", "")),
              "version": str(custom.get("version", "")), "serial": str(serial), "url": url}
    had = _read_state(folder)
    if had.get("channel") == channel and isinstance(had.get("serial"), int):
        if serial == had["serial"]:
            return SyncResult("current", params)
        if serial < had["serial"]:
            return SyncResult("rolled_back", {**params, "installed": str(had["serial"])})
    path = updater.find_cached_target(info) or updater.download_target(info)
    from taixin_kiosk.content.packs.install import install_pack

    result = install_pack(Path(path), packs_dir)
    _clear_downloads(folder / "downloads", keep={Path(latest_path).name})
    if not result.ok:
        return SyncResult("install_refused", params, result.problems)
    state = {"channel": channel, "serial": serial, "target": info.path,
             "pack": params["pack"], "version": params["version"]}
    write_atomic(folder / STATE_FILE, json.dumps(state, indent=2) + "\n")
    log.info("channel %s: installed %s %s (publication %d)", channel, params["pack"],
             params["version"], serial)
    return SyncResult("installed", params)


def _read_state(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / STATE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _clear_downloads(folder: Path, keep: set[str]) -> None:
    """An installed pack lives in the packs folder: its download is not kept."""
    for item in folder.iterdir():
        if item.name not in keep:
            if item.is_dir():
                shutil.rmtree(item, ignore_errors=True)
            else:
                item.unlink(missing_ok=True)


def _file_fetcher() -> Any:
    """Reads a repository on a file share (``file://``): python-tuf fetches only HTTP."""
    from urllib.parse import unquote, urlparse
    from urllib.request import url2pathname

    from tuf.api.exceptions import DownloadHTTPError
    from tuf.ngclient import FetcherInterface

    class FileFetcher(FetcherInterface):
        def _fetch(self, url: str) -> Iterator[bytes]:
            parsed = urlparse(url)
            path = url2pathname(unquote(parsed.path))
            if parsed.netloc and parsed.netloc != "localhost":
                path = f"//{parsed.netloc}{path}"  # a Windows share: file://server/share/...
            if not os.path.isfile(path):
                raise DownloadHTTPError(f"{url} does not exist", 404)
            return self._chunks(path)

        @staticmethod
        def _chunks(path: str) -> Iterator[bytes]:
            with open(path, "rb") as stream:
                while chunk := stream.read(64 * 1024):
                    yield chunk

    return FileFetcher()
