"""``taixin-kiosk`` without a command: the presentation (or a kiosk, or a talk).

Stage one of start-up: read the configuration (file and command line) and
check the content before any window exists, with a plain message (never a
traceback) when something is wrong. Stage two is ``app.startup.run``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from taixin_kiosk.cli.parser import given_settings
from taixin_kiosk.config.load import load_config, remember_last_good
from taixin_kiosk.content.catalogue import Catalogue
from taixin_kiosk.content.choice import choose_for
from taixin_kiosk.content.problems import PackError
from taixin_kiosk.system.paths import app_paths


def _headless() -> bool:
    """True on a Linux machine with no display to show a window on."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return False  # the user chose a platform (offscreen, eglfs, ...)
    return sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                     or os.environ.get("WAYLAND_DISPLAY"))


def cmd_run(cat: Catalogue, args: argparse.Namespace,
            argv: Sequence[str]) -> int:
    if _headless():
        # An app drawing to no screen would look hung; say why instead.
        print(cat.text("cli.error.no_display"), file=sys.stderr)
        return 1
    config = load_config(app_paths().config_file, given_settings(args))
    settings = config.settings
    # A file that parsed becomes the last good one: a later typo falls back to it.
    if config.accepted is not None and not remember_last_good(config):
        logging.getLogger("taixin_kiosk.config").warning(
            "could not keep the last good configuration beside %s", config.path)

    def report_config_problems() -> None:
        # The rest of the file still applies. Logged, not only printed: an
        # autostarted kiosk has no terminal, and staff read the log file and
        # the staff panel's last errors.
        for problem in config.problems:
            logging.getLogger("taixin_kiosk.config").error("%s", problem.format(cat.text))

    if args.supervise:
        from functools import partial

        from taixin_kiosk.stats.store import record_restart
        from taixin_kiosk.system.commands import cmd_supervise
        from taixin_kiosk.system.logs import setup_logging

        paths = app_paths()
        # Its own file: two processes rotating one log would lose lines.
        setup_logging(paths.log_dir, settings.log_level, file_name="supervisor.log")
        report_config_problems()
        record = partial(record_restart, paths.stats_db,
                         retention_days=settings.stats_retention_days)
        return cmd_supervise(cat, list(argv), paths.state_dir, record=record,
                             kiosk=settings.kiosk)
    from taixin_kiosk.app.startup import EarlyLog, run, start_file_logging

    early = EarlyLog()
    root = logging.getLogger()
    # The terminal keeps showing what it showed (warnings, by default); the
    # log file, opened after the first frame, gets the configured level.
    for handler in root.handlers:
        if handler.level == logging.NOTSET:
            handler.setLevel(root.level)
    root.addHandler(early)
    root.setLevel(min(root.level, logging.getLevelName(settings.log_level)))
    report_config_problems()
    from taixin_kiosk.system.locks import take_instance_lock

    # The lock before the content: a launch while a kiosk runs (a second
    # supervisor, a double click) only brings that one to the front, so its
    # start must not count against the pack shown as a start that never
    # showed a slide (two such launches made the next start pass it over).
    held = take_instance_lock()
    try:
        content = choose_for(settings.content, starting=held is not None)
    except PackError as error:
        from taixin_kiosk.content.commands import print_problems

        # Even the built-in content is broken: say so in plain words.
        print(cat.text("cli.error.builtin_broken"), file=sys.stderr)
        print_problems(cat.text, error.problems)
        return 1
    except FileNotFoundError as error:
        print(cat.text("cli.error.no_builtin", places=str(error)), file=sys.stderr)
        return 1
    # A kiosk starts whatever it is given: under a supervisor, a refusal
    # (exit 2) stops the supervisor too and leaves the desktop on the screen;
    # a pack installed later may lack a language or a tour of its autostart.
    kiosk = settings.kiosk
    locale = settings.locale
    if locale and locale not in content.pack.locales:
        if not content.problems and config.source("locale") == "command line" and not kiosk:
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
    if settings.tour is not None and content.pack.deck.tour(settings.tour) is None:
        if not kiosk:
            print(cat.text("cli.error.unknown_tour", tour=settings.tour,
                           tours=", ".join(t.id for t in tours) or "-"), file=sys.stderr)
            return 2
        logging.getLogger("taixin_kiosk.app").warning(
            "no tour %s in the content shown; showing every slide", settings.tour)
        settings = settings._replace(tour=None)
    if settings.kiosk and settings.present:
        if config.source("kiosk") != "command line" or config.source("present") != "command line":
            # One of them from the file: the kiosk stays a kiosk. Refusing to
            # start ended the supervisor too, and showed the desktop.
            logging.getLogger("taixin_kiosk.config").error(
                "present is ignored: this is a kiosk (kiosk from the %s, present from the %s)",
                config.source("kiosk"), config.source("present"))
            settings = settings._replace(present=False)
        else:
            # A kiosk has no presenter, and a talk must be endable.
            print(cat.text("cli.error.kiosk_present"), file=sys.stderr)
            return 2
    if settings.watch and settings.content is None:
        # Watching the built-in content would watch the installed program.
        print(cat.text("cli.error.watch_without_content"), file=sys.stderr)
        return 2
    notes_locale = settings.notes_locale
    if notes_locale and notes_locale not in content.pack.locales:
        if config.source("notes_locale") == "command line":
            print(cat.text("cli.error.unknown_locale", locale=notes_locale,
                           locales=", ".join(content.pack.locales)), file=sys.stderr)
            return 2
        notes_locale = None
    settings = settings._replace(locale=locale, notes_locale=notes_locale)
    return run(settings, content, held=held,
               after_first=[lambda: start_file_logging(early, settings.log_level)])
