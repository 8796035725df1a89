"""The ``taixin-kiosk stats`` command: a usage summary or a CSV file, and what it prints.

It reads the database read-only with the store's own queries, so it is safe
while the kiosk is running.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from taixin_kiosk.content.catalogue import Catalogue
from taixin_kiosk.stats.report import format_summary, parse_since
from taixin_kiosk.stats.store import day_start, summarize, write_csv


def since_parser(cat: Catalogue) -> Callable[[str], dt.date]:
    """An argparse ``type`` for ``--since`` with the catalogue's message."""
    def parse(text: str) -> dt.date:
        try:
            return parse_since(text)
        except ValueError:
            raise argparse.ArgumentTypeError(cat.text("cli.stats.error_since", date=text)) from None

    return parse


def cmd_stats(cat: Catalogue, db: Path, *, since: dt.date | None, csv: Path | None) -> int:
    """``taixin-kiosk stats``: a summary on stdout, or every event to ``csv``.

    Reads the database as it is, read-only: no migration, no pruning, no
    moving aside, so it is safe while the kiosk is running.
    """
    if not db.is_file():
        print(cat.text("cli.stats.none", file=str(db)))
        return 0
    start = None if since is None else day_start(since, None)
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True,
                               timeout=5.0, isolation_level=None)
    except sqlite3.Error as error:
        print(cat.text("cli.stats.unreadable", file=str(db), reason=str(error)), file=sys.stderr)
        return 1
    with closing(conn):
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
                # Created, never written: the kiosk opened it and nothing more.
                print(cat.text("cli.stats.none", file=str(db)))
                return 0
            if csv is None:
                summary = summarize(conn, start, None, None)
                for line in format_summary(cat, summary, since):
                    print(line)
                return 0
            count = write_csv(conn, csv, start, None)
        except sqlite3.Error as error:
            print(cat.text("cli.stats.unreadable", file=str(db), reason=str(error)),
                  file=sys.stderr)
            return 1
        except OSError as error:
            # The destination, not the temporary file written next to it.
            print(cat.text("cli.error.write", file=str(csv),
                           reason=error.strerror or str(error)), file=sys.stderr)
            return 1
    print(cat.text("cli.stats.csv_done", count=count, file=str(csv)))
    return 0
