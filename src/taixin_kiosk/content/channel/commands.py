"""The channel commands: ``channel init|publish|root|refresh|status`` and ``sync``.

What they print lives here; ``publish`` and ``sync`` return what happened.
"""

from __future__ import annotations

import sys
from pathlib import Path

from taixin_kiosk.content.catalogue import Catalogue
from taixin_kiosk.content.commands import print_problems


def cmd_channel(cat: Catalogue, action: str, repo: Path, *, source: Path | None = None,
                channel: str = "stable", root_keys: Path | None = None,
                new_keys: bool = False, new_root_keys: Path | None = None) -> int:
    """``taixin-kiosk channel ACTION REPO``."""
    from taixin_kiosk.content.channel import publish

    if action == "status":
        return _status(cat, repo)
    if action == "init":
        outcome = publish.init_repository(repo, root_keys)
    elif action == "publish":
        assert source is not None
        outcome = publish.publish(repo, source, channel)
    elif action == "root":
        assert root_keys is not None
        outcome = publish.new_root(repo, root_keys, new_keys=new_keys,
                                   new_root_keys=new_root_keys)
    else:
        outcome = publish.refresh(repo)
    if outcome.problems:
        print_problems(cat.text, outcome.problems)
    message = cat.text(f"cli.channel.{outcome.code}", **outcome.params)
    print(message, file=sys.stdout if outcome.ok else sys.stderr)
    return 0 if outcome.ok else 1


def _status(cat: Catalogue, repo: Path) -> int:
    from taixin_kiosk.content.channel.publish import status

    t = cat.text
    found = status(repo)
    if found is None:
        print(t("cli.channel.no_repo", repo=str(repo)), file=sys.stderr)
        return 1
    for role in found.roles:
        print(t("cli.channel.status.role", role=role.role, version=role.version,
                expires=role.expires.strftime("%Y-%m-%d %H:%M")))
    channels = sorted({p.channel for p in found.publications} | set(found.latest))
    if not channels:
        print(t("cli.channel.status.none"))
    for name in channels:
        print(t("cli.channel.status.channel", channel=name))
        for p in (p for p in found.publications if p.channel == name):
            key = ("cli.channel.status.latest" if found.latest.get(name) == p.target
                   else "cli.channel.status.older")
            print(t(key, pack=p.pack, version=p.version, serial=p.serial,
                    published=p.published, kib=max(1, p.length // 1024), target=p.target))
            if p.shown:
                print(t("cli.channel.status.shown", checksum=p.shown))
    return 0


def cmd_sync(cat: Catalogue, url: str | None, channel: str, config_file: Path,
             state_dir: Path, packs_dir: Path) -> int:
    """``taixin-kiosk sync``: pulls the configured channel once.

    0 when the newest publication is installed or already was; 1 with the
    reason otherwise (the current content is kept)."""
    from taixin_kiosk.content.channel.sync import kiosk_root, sync_once

    result = sync_once(url, channel, kiosk_root(config_file), state_dir, packs_dir)
    if result.problems:
        print_problems(cat.text, result.problems)
    message = cat.text(f"cli.channel.outcome.{result.code}", **result.params)
    if result.ok:
        print(message)
        return 0
    print(message, file=sys.stderr)
    print(cat.text("cli.channel.kept"), file=sys.stderr)
    return 1
