"""The configuration's commands: ``taixin-kiosk config`` and ``taixin-kiosk set-pin``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType

from taixin_kiosk.config.load import Config, Source
from taixin_kiosk.config.pin import hash_pin, valid_pin, weak_pin
from taixin_kiosk.config.settings import OPTIONS
from taixin_kiosk.config.values import render_value
from taixin_kiosk.config.write import ConfigWriteError, set_value
from taixin_kiosk.content.catalogue import Catalogue

_SOURCE_KEYS: Mapping[Source, str] = MappingProxyType({
    "default": "config.source.default",
    "file": "config.source.file",
    "last good": "config.source.last_good",
    "command line": "config.source.command_line",
})


def describe(config: Config, text: Callable[..., str], *, problems: bool = True) -> list[str]:
    """What ``taixin-kiosk config`` prints: the file, then every option.

    The lines read as a TOML file (descriptions and sources are comments), so
    they can be copied into the config file as a starting point. The PIN hash
    is never shown, only whether a PIN is set.
    """
    try:
        # Something is there (a folder, say): the problems below say why it
        # cannot be read, rather than "it does not exist yet".
        exists = config.path.exists()
    except (OSError, ValueError):
        exists = False
    lines = [text("config.describe.file" if exists else "config.describe.file_missing",
                  file=str(config.path)), ""]
    for option in OPTIONS:
        source = text(_SOURCE_KEYS[config.source(option.name)])
        lines.append(text("config.describe.description", description=text(option.description_key)))
        value = config.value(option.name)
        if option.secret:
            lines.append(text("config.describe.pin_set", source=source) if value
                         else text("config.describe.pin_unset"))
        else:
            lines.append(text("config.describe.option", name=option.name,
                              value=render_value(value), source=source))
        lines.append("")
    if problems and config.problems:
        lines.append(text("config.describe.problems", count=len(config.problems)))
        lines.extend(text("config.describe.problem", problem=p.format(text))
                     for p in config.problems)
    return lines


def cmd_config(cat: Catalogue, config: Config) -> int:
    """``taixin-kiosk config``: the effective configuration on stdout, problems on stderr.

    Returns 0 even with problems: each bad value was replaced, so the
    configuration printed is the one the app runs with.
    """
    for line in describe(config, cat.text, problems=False):
        print(line)
    if config.problems:
        for problem in config.problems:
            print(problem.format(cat.text), file=sys.stderr)
        print(cat.text("cli.config.problem_count", count=len(config.problems)), file=sys.stderr)
    return 0


def cmd_set_pin(cat: Catalogue, config_file: Path, *, clear: bool,
                ask: Callable[[str], str]) -> int:
    """``taixin-kiosk set-pin [--clear]``: asks twice, stores only the hash.

    ``ask`` reads without echo (``getpass.getpass``); returns the exit code.
    """
    t = cat.text
    if clear:
        value: str | None = None
    else:
        try:
            first = ask(t("cli.pin.prompt")).strip()
            if not valid_pin(first):
                print(t("cli.pin.invalid"), file=sys.stderr)
                return 1
            if weak_pin(first):
                print(t("cli.pin.weak"), file=sys.stderr)
                return 1
            second = ask(t("cli.pin.prompt_again")).strip()
        except EOFError:  # no terminal to read from, or Ctrl+D / Ctrl+Z
            print(t("cli.pin.cancelled"), file=sys.stderr)
            return 1
        if first != second:
            print(t("cli.pin.mismatch"), file=sys.stderr)
            return 1
        value = hash_pin(first)
    try:
        set_value(config_file, "pin", value)
    except ConfigWriteError as error:
        print(t("cli.pin.file_broken", problem=error.problem.format(t)), file=sys.stderr)
        return 1
    except OSError as error:
        print(t("cli.pin.write_failed", file=str(config_file),
                reason=error.strerror or str(error)), file=sys.stderr)
        return 1
    # The new PIN is the last good one at once: a typo made in the file
    # before the next start must not cost staff their way in.
    from taixin_kiosk.config.load import load_config, remember_last_good

    remember_last_good(load_config(config_file))
    print(t("cli.pin.cleared" if clear else "cli.pin.saved", file=str(config_file)))
    return 0


def cmd_channel_join(cat: Catalogue, url: str, channel: str, root: Path, config_file: Path,
                     state_dir: Path) -> int:
    """``taixin-kiosk channel join URL --root FILE [--channel NAME]``: the kiosk's
    trusted root beside the config file, then ``channel_url`` and ``channel``
    in it (what the installer's ``/CHANNEL=`` runs, so nobody writes TOML by hand)."""
    from taixin_kiosk.content.channel.join import join

    t = cat.text
    result = join(url, channel, root, config_file, state_dir)
    if not result.ok:
        print(t(f"cli.channel.join.{result.code}", **result.params), file=sys.stderr)
        return 1
    try:
        set_value(config_file, "channel_url", url)
        set_value(config_file, "channel", channel)
    except ConfigWriteError as error:
        print(t("cli.channel.join.file_broken", problem=error.problem.format(t)),
              file=sys.stderr)
        return 1
    except OSError as error:
        print(t("cli.channel.join.write_failed", file=str(config_file),
                reason=error.strerror or str(error)), file=sys.stderr)
        return 1
    print(t("cli.channel.join.joined", file=str(config_file), **result.params))
    return 0
