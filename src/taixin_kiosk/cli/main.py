"""``taixin-kiosk``: reads the command line and hands over to the feature asked for.

The presentation (``cli.run``), or a command from the feature's own
``commands`` module: validate and packs (``content``), export, config and
set-pin (``config``), stats, autostart and the supervisor (``system``).
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import sys
from collections.abc import Sequence

from taixin_kiosk.cli.parser import DEFAULTS
from taixin_kiosk.content.builtin import app_catalogue
from taixin_kiosk.content.catalogue import Catalogue
from taixin_kiosk.system.paths import HOME_ENV


def _command(cat: Catalogue, args: argparse.Namespace) -> int:
    """The staff commands: configuration, PIN, statistics, packs, autostart."""
    from taixin_kiosk.system.paths import app_paths

    paths = app_paths()
    command = args.command
    if command == "config":
        from taixin_kiosk.cli.parser import given_settings
        from taixin_kiosk.config.commands import cmd_config
        from taixin_kiosk.config.load import load_config

        return cmd_config(cat, load_config(paths.config_file, given_settings(args)))
    if command == "set-pin":
        import getpass

        from taixin_kiosk.config.commands import cmd_set_pin

        return cmd_set_pin(cat, paths.config_file, clear=args.clear, ask=getpass.getpass)
    if command == "stats":
        from taixin_kiosk.stats.commands import cmd_stats

        return cmd_stats(cat, paths.stats_db, since=args.since, csv=args.csv)
    if command == "channel":  # join: the only channel action about this kiosk's own files
        from taixin_kiosk.config.commands import cmd_channel_join

        return cmd_channel_join(cat, args.url, args.join_channel, args.join_root,
                                paths.config_file, paths.state_dir)
    if command == "sync":
        from taixin_kiosk.config.load import load_config
        from taixin_kiosk.content.channel.commands import cmd_sync

        settings = load_config(paths.config_file).settings
        return cmd_sync(cat, settings.channel_url, settings.channel, paths.config_file,
                        paths.state_dir, paths.packs_dir)
    if command in ("install-pack", "rollback-pack", "list-packs"):
        from taixin_kiosk.content.packs import commands as packs

        if command == "install-pack":
            return packs.cmd_install_pack(cat, args.source, paths.packs_dir)
        if command == "rollback-pack":
            return packs.cmd_rollback_pack(cat, paths.packs_dir, to_builtin=args.builtin)
        return packs.cmd_list_packs(cat, paths.packs_dir)
    from taixin_kiosk.system import commands as system

    if command == "install-autostart":
        from taixin_kiosk.content.builtin import app_icon, translations
        from taixin_kiosk.system.autostart import autostart_command

        # What starts at logon: the kiosk, under its supervisor, with the
        # same folders as this command (a portable install keeps its own).
        extra = ["--home", os.environ[HOME_ENV]] if os.environ.get(HOME_ENV) else []
        command_line = autostart_command(("--kiosk", "--supervise", *extra))
        entry = system.EntryTexts(translations("cli.autostart.entry_name"),
                                  translations("cli.autostart.entry_comment"), app_icon())
        return system.cmd_install_autostart(cat, command_line, systemd=args.systemd,
                                            entry=entry)
    return system.cmd_uninstall_autostart(cat)


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # A Windows console or a redirected file may not take every character
        # of a path or a message; escape those rather than fail on them.
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    logging.basicConfig(level=os.environ.get("TAIXIN_KIOSK_LOG", "WARNING").upper(),
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    cat = app_catalogue()
    argv = sys.argv[1:] if argv is None else list(argv)
    # A launch with no arguments (a shortcut) has nothing to parse: building
    # the parser would only cost the first slide a few milliseconds.
    if argv:
        from taixin_kiosk.cli.parser import parser

        args = parser(cat).parse_args(argv)
    else:
        args = argparse.Namespace(**DEFAULTS)
    if args.home is not None:
        # Every folder the app uses follows, in this process and its children.
        os.environ[HOME_ENV] = str(args.home.expanduser().resolve())
    if args.command is not None:
        # A command, not the presentation: no first slide to hurry to.
        from taixin_kiosk.system.collector import after_start

        after_start()
    if args.self_test is not None:
        from taixin_kiosk.selftest.run import run as self_test
        from taixin_kiosk.system.collector import after_start

        after_start()
        return self_test(args.self_test)
    try:
        if args.command == "validate":
            from taixin_kiosk.content.commands import cmd_validate

            return cmd_validate(cat, args.dir or args.content)
        if args.command == "new-pack":
            from taixin_kiosk.content.starter import cmd_new_pack

            return cmd_new_pack(cat, args.new_dir, args.langs)
        if args.command == "channel" and args.channel_action != "join":
            from taixin_kiosk.content.channel.commands import cmd_channel

            return cmd_channel(cat, args.channel_action, args.repo,
                               source=getattr(args, "pack", None),
                               channel=getattr(args, "publish_channel", "stable"),
                               root_keys=getattr(args, "root_keys", None),
                               new_keys=getattr(args, "new_keys", False),
                               new_root_keys=getattr(args, "new_root_keys", None))
        if args.command == "export":
            from taixin_kiosk.export.commands import cmd_export

            return cmd_export(cat, args)
        if args.command is not None:
            return _command(cat, args)
        from taixin_kiosk.cli.run import cmd_run

        return cmd_run(cat, args, argv)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``list-packs | head``): nothing more to say.
        # Python would complain again flushing stdout at exit, so point it
        # at nothing first (the recipe in Python's signal documentation).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
