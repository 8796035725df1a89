"""Command line: start the presentation, validate a pack, export slides.

Stage one of start-up lives here: parse arguments and check the content
before any window exists, with a plain message (never a traceback) when
something is wrong. Stage two is ``app.build``.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import taixin_kiosk
from taixin_kiosk.content.builtin import app_catalogue
from taixin_kiosk.content.catalogue import Catalogue
from taixin_kiosk.content.choice import choose_for
from taixin_kiosk.content.commands import cmd_validate, print_problems
from taixin_kiosk.content.problems import PackError
from taixin_kiosk.system.paths import HOME_ENV

if TYPE_CHECKING:
    from taixin_kiosk.config.load import Config
    from taixin_kiosk.config.settings import Settings

SIZE_RE = re.compile(r"^(\d{1,5})[xX×](\d{1,5})$")
# Smaller than this nothing is legible; larger, Qt cannot allocate the image.
MIN_SIDE, MAX_SIDE = 320, 8192


def _size_parser(cat: Catalogue) -> Callable[[str], tuple[int, int]]:
    def parse(text: str) -> tuple[int, int]:
        match = SIZE_RE.match(text.strip())
        width, height = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
        if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
            raise argparse.ArgumentTypeError(
                cat.text("cli.error.size", size=text, min=MIN_SIDE, max=MAX_SIDE))
        return width, height

    return parse


class _VersionAction(argparse.Action):
    """Looks the version up only when asked: the lookup slows every start."""

    def __init__(self, option_strings: list[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        print(f"{parser.prog} {taixin_kiosk.__version__}")
        parser.exit()


# What a launch without arguments means: the parser's defaults, and the
# namespace main() uses without building a parser at all (it costs ~3 ms).
DEFAULTS: dict[str, object] = {
    "version": None, "windowed": False, "lang": None, "content": None, "screen": None,
    "no_motion": False, "kiosk": False, "supervise": False, "home": None, "tour": None,
    "present": False, "swap": False, "notes_lang": None, "minutes": None, "self_test": None,
    "command": None,
}


def parser(cat: Catalogue) -> argparse.ArgumentParser:
    """The command line, with its subcommands."""
    t = cat.text
    p = argparse.ArgumentParser(prog="taixin-kiosk", description=t("cli.description"))
    p.add_argument("--version", action=_VersionAction, help=t("cli.help.version"))
    p.add_argument("--windowed", action="store_true", help=t("cli.help.windowed"))
    p.add_argument("--lang", metavar="LOCALE", help=t("cli.help.lang"))
    p.add_argument("--content", metavar="DIR", type=Path, help=t("cli.help.content"))
    p.add_argument("--screen", metavar="N", type=int, help=t("cli.help.screen"))
    p.add_argument("--no-motion", action="store_true", help=t("cli.help.no_motion"))
    p.add_argument("--kiosk", action="store_true", help=t("cli.help.kiosk"))
    p.add_argument("--supervise", action="store_true", help=t("cli.help.supervise"))
    p.add_argument("--home", metavar="DIR", type=Path, help=t("cli.help.home"))
    p.add_argument("--tour", metavar="ID", help=t("cli.help.tour"))
    p.add_argument("--present", action="store_true", help=t("cli.help.present"))
    p.add_argument("--swap", action="store_true", help=t("cli.help.swap"))
    p.add_argument("--notes-lang", metavar="LOCALE", help=t("cli.help.notes_lang"))
    p.add_argument("--minutes", metavar="N", type=int, help=t("cli.help.minutes"))
    p.add_argument("--self-test", metavar="REPORT", type=Path, help=t("cli.help.self_test"))
    p.set_defaults(**DEFAULTS)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    v = sub.add_parser("validate", help=t("cli.help.validate"),
                       description=t("cli.help.validate"))
    v.add_argument("dir", nargs="?", type=Path, metavar="DIR", help=t("cli.help.validate_dir"))
    e = sub.add_parser("export", help=t("cli.help.export"), description=t("cli.help.export"))
    e.add_argument("--out", required=True, type=Path, metavar="DIR", help=t("cli.help.out"))
    e.add_argument("--lang", dest="export_lang", default="all", metavar="LOCALE|all",
                   help=t("cli.help.export_lang"))
    e.add_argument("--size", default=(1920, 1080), type=_size_parser(cat), metavar="WxH",
                   help=t("cli.help.size"))
    # SUPPRESS: without it the subcommand's default would overwrite a
    # --content given before the subcommand.
    e.add_argument("--content", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                   help=t("cli.help.content"))
    e.add_argument("--pdf", action="store_true", help=t("cli.help.pdf"))
    e.add_argument("--notes", action="store_true", help=t("cli.help.notes"))
    e.add_argument("--side-by-side", action="store_true", help=t("cli.help.side_by_side"))
    e.add_argument("--large-text", action="store_true", help=t("cli.help.export_large_text"))
    e.add_argument("--high-contrast", action="store_true",
                   help=t("cli.help.export_high_contrast"))
    sub.add_parser("config", help=t("cli.config.help"), description=t("cli.config.help"))
    pin = sub.add_parser("set-pin", help=t("cli.pin.help"), description=t("cli.pin.help"))
    pin.add_argument("--clear", action="store_true", help=t("cli.pin.help_clear"))
    from taixin_kiosk.stats.commands import since_parser

    st = sub.add_parser("stats", help=t("cli.stats.help.command"),
                        description=t("cli.stats.help.command"))
    st.add_argument("--since", type=since_parser(cat), metavar="DATE",
                    help=t("cli.stats.help.since"))
    st.add_argument("--csv", type=Path, metavar="FILE", help=t("cli.stats.help.csv"))
    ip = sub.add_parser("install-pack", help=t("cli.pack.help.install"),
                        description=t("cli.pack.help.install"))
    ip.add_argument("source", type=Path, metavar="DIR|ZIP", help=t("cli.pack.help.source"))
    sub.add_parser("rollback-pack", help=t("cli.pack.help.rollback"),
                   description=t("cli.pack.help.rollback"))
    sub.add_parser("list-packs", help=t("cli.pack.help.list"), description=t("cli.pack.help.list"))
    ia = sub.add_parser("install-autostart", help=t("cli.autostart.help.install"),
                        description=t("cli.autostart.help.install"))
    ia.add_argument("--systemd", action="store_true", help=t("cli.autostart.help.systemd"))
    sub.add_parser("uninstall-autostart", help=t("cli.autostart.help.uninstall"),
                   description=t("cli.autostart.help.uninstall"))
    return p


def _overrides(args: argparse.Namespace) -> dict[str, object]:
    """The command line's say over the config file; None: not given."""
    return {
        "kiosk": True if args.kiosk else None,
        "windowed": True if args.windowed else None,
        "locale": args.lang,
        "content": args.content,
        "screen": args.screen,
        "motion": False if args.no_motion else None,
        "present": True if args.present or args.swap else None,
        "notes_locale": args.notes_lang,
        "talk_minutes": args.minutes,
    }


def _config(args: argparse.Namespace) -> Config:
    from taixin_kiosk.config.load import load_config
    from taixin_kiosk.system.paths import app_paths

    return load_config(app_paths().config_file, _overrides(args))


def _headless() -> bool:
    """True on a Linux machine with no display to show a window on."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return False  # the user chose a platform (offscreen, eglfs, ...)
    return sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                     or os.environ.get("WAYLAND_DISPLAY"))


def settings_from(config: Config, **chosen: Any) -> Settings:
    """The session's settings: every option of the same name from the
    configuration (file and command line), then what the caller decided."""
    from taixin_kiosk.config.load import OPTIONS
    from taixin_kiosk.config.settings import Settings

    values: dict[str, Any] = {o.name: config.value(o.name) for o in OPTIONS
                              if o.name in Settings._fields}
    values.update(chosen)
    return Settings()._replace(**values)


def cmd_run(cat: Catalogue, args: argparse.Namespace,
            argv: Sequence[str]) -> int:
    if _headless():
        # An app drawing to no screen would look hung; say why instead.
        print(cat.text("cli.error.no_display"), file=sys.stderr)
        return 1
    config = _config(args)

    def report_config_problems() -> None:
        # The rest of the file still applies. Logged, not only printed: an
        # autostarted kiosk has no terminal, and staff read the log file and
        # the staff panel's last errors.
        for problem in config.problems:
            logging.getLogger("taixin_kiosk.config").error("%s", problem.format(cat.text))

    if args.supervise:
        from taixin_kiosk.system.commands import cmd_supervise
        from taixin_kiosk.system.logs import setup_logging
        from taixin_kiosk.system.paths import app_paths

        paths = app_paths()
        # Its own file: two processes rotating one log would lose lines.
        setup_logging(paths.log_dir, config.log_level, file_name="supervisor.log")
        report_config_problems()
        return cmd_supervise(cat, list(argv), paths.state_dir)
    from taixin_kiosk.app.startup import EarlyLog, run, start_file_logging

    early = EarlyLog()
    root = logging.getLogger()
    # The terminal keeps showing what it showed (warnings, by default); the
    # log file, opened after the first frame, gets the configured level.
    for handler in root.handlers:
        if handler.level == logging.NOTSET:
            handler.setLevel(root.level)
    root.addHandler(early)
    root.setLevel(min(root.level, logging.getLevelName(config.log_level)))
    report_config_problems()
    try:
        content = choose_for(config.content)
    except PackError as error:
        # Even the built-in content is broken: say so in plain words.
        print(cat.text("cli.error.builtin_broken"), file=sys.stderr)
        print_problems(cat.text, error.problems)
        return 1
    except FileNotFoundError as error:
        print(cat.text("cli.error.no_builtin", places=str(error)), file=sys.stderr)
        return 1
    locale = config.locale
    if locale and locale not in content.pack.locales:
        if not content.problems and config.source("locale") == "command line":
            print(cat.text("cli.error.unknown_locale", locale=locale,
                           locales=", ".join(content.pack.locales)), file=sys.stderr)
            return 2
        # The language belonged to the pack that failed (or the config file
        # names one this pack lacks): show the default language rather than
        # nothing.
        logging.getLogger("taixin_kiosk.app").warning(
            "no language %s in the content shown; using its default", locale)
        locale = None
    tours = content.pack.deck.tours
    if args.tour is not None and content.pack.deck.tour(args.tour) is None:
        print(cat.text("cli.error.unknown_tour", tour=args.tour,
                       tours=", ".join(t.id for t in tours) or "-"), file=sys.stderr)
        return 2
    if config.kiosk and config.present:
        # A kiosk has no presenter, and a talk must be endable.
        print(cat.text("cli.error.kiosk_present"), file=sys.stderr)
        return 2
    notes_locale = config.notes_locale
    if notes_locale and notes_locale not in content.pack.locales:
        if config.source("notes_locale") == "command line":
            print(cat.text("cli.error.unknown_locale", locale=notes_locale,
                           locales=", ".join(content.pack.locales)), file=sys.stderr)
            return 2
        notes_locale = None
    settings = settings_from(config, locale=locale, tour=args.tour, swap=args.swap,
                             notes_locale=notes_locale)
    return run(settings, content, after_first=[lambda: start_file_logging(early,
                                                                          config.log_level)])


def _command(cat: Catalogue, args: argparse.Namespace) -> int:
    """The staff commands: configuration, PIN, statistics, packs, autostart."""
    from taixin_kiosk.system.paths import app_paths

    paths = app_paths()
    command = args.command
    if command == "config":
        from taixin_kiosk.config.commands import cmd_config

        return cmd_config(cat, _config(args))
    if command == "set-pin":
        import getpass

        from taixin_kiosk.config.commands import cmd_set_pin

        return cmd_set_pin(cat, paths.config_file, clear=args.clear, ask=getpass.getpass)
    if command == "stats":
        from taixin_kiosk.stats.commands import cmd_stats

        return cmd_stats(cat, paths.stats_db, since=args.since, csv=args.csv)
    if command in ("install-pack", "rollback-pack", "list-packs"):
        from taixin_kiosk.content.packs import commands as packs

        if command == "install-pack":
            return packs.cmd_install_pack(cat, args.source, paths.packs_dir)
        if command == "rollback-pack":
            return packs.cmd_rollback_pack(cat, paths.packs_dir)
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
    args = parser(cat).parse_args(argv) if argv else argparse.Namespace(**DEFAULTS)
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
            return cmd_validate(cat, args.dir or args.content)
        if args.command == "export":
            from taixin_kiosk.export.commands import cmd_export

            return cmd_export(cat, args)
        if args.command is not None:
            return _command(cat, args)
        return cmd_run(cat, args, argv)
    except KeyboardInterrupt:
        return 130
