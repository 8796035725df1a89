"""``taixin-kiosk export``: every slide to PNG (and PDF), and handouts with notes."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from taixin_kiosk.config.settings import Settings
from taixin_kiosk.content.catalogue import Catalogue
from taixin_kiosk.content.choice import ContentChoice
from taixin_kiosk.content.commands import print_problems
from taixin_kiosk.content.validate import validate
from taixin_kiosk.export.slides import export_handouts


def _pair(given: str | None, default: Sequence[str]) -> tuple[str, ...] | None:
    """The side-by-side handout's two languages: ``--pair A,B``, else the
    pack's first two (its default language and the next); None if ``given``
    is not two different locales."""
    if given is None:
        return tuple(default)
    parts = tuple(part.strip() for part in given.split(","))
    if len(parts) != 2 or not all(parts) or parts[0] == parts[1]:
        return None
    return parts


def cmd_export(cat: Catalogue, args: argparse.Namespace) -> int:
    result = validate(args.content)
    if result.pack is None:
        print_problems(cat.text, result.problems)
        return 1
    pack = result.pack
    locales = list(pack.locales) if args.export_lang == "all" else [args.export_lang]
    pair = _pair(args.pair, pack.locales[:2])
    if pair is None:
        print(cat.text("cli.error.pair", given=args.pair, locales=", ".join(pack.locales)),
              file=sys.stderr)
        return 2
    unknown = [loc for loc in (*locales, *pair) if loc not in pack.locales]
    if unknown:
        print(cat.text("cli.error.unknown_locale", locale=unknown[0],
                       locales=", ".join(pack.locales)), file=sys.stderr)
        return 2
    # Export renders off screen, the same way on a desktop and on a server.
    if not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from taixin_kiosk.app.root import build
    from taixin_kiosk.export.sheet import contact_sheets
    from taixin_kiosk.export.slides import export

    # Images decode at full size on demand: the export size, not the screen's.
    # The system's high-contrast setting does not reach the files: only the flag does.
    built = build(Settings(windowed=True, motion=False, locale=locales[0],
                           large_text=args.large_text,
                           contrast="high" if args.high_contrast else "standard"),
                  ContentChoice(pack, (), args.content), preload_images=False)

    session = built.session
    assert session.audience is not None
    # Without --chrome the slides are for a seated audience (no touch hints);
    # --print draws them on white.
    session.audience.set_viewing(seated=not args.chrome,
                                 theme="print" if args.print_theme else None)

    def progress(done: int, total: int, path: Path) -> None:
        print(cat.text("cli.export.progress", done=done, total=total, file=str(path)),
              file=sys.stderr, flush=True)

    try:
        if args.contact_sheet:
            files = contact_sheets(session, args.out, locales, args.size,
                                   chrome=args.chrome, progress=progress)
            if args.pdf:
                files += export(session, args.out, locales, args.size, pdf=True,
                                chrome=args.chrome, png=False, progress=progress)
        else:
            files = export(session, args.out, locales, args.size, pdf=args.pdf,
                           chrome=args.chrome, progress=progress)
        if args.notes:
            files += export_handouts(session, args.out, locales, args.size,
                                     progress=progress)
        if args.side_by_side or args.pair:
            files += export_handouts(session, args.out, pair, args.size,
                                     side_by_side=True, progress=progress)
    except OSError as error:
        print(cat.text("cli.error.write", file=error.filename or str(args.out),
                       reason=error.strerror or str(error)), file=sys.stderr)
        return 1
    print(cat.text("cli.export.done", count=len(files), folder=str(args.out)))
    return 0
