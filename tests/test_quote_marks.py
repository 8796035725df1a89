"""A quotation shows one mark (issue 14): the quote slide's decorative
opening mark, never a pair of typographic marks around the whole quotation
as well, in any language, with subtitles or not; marks inside the words stay.
A screen reader, to which the decorative mark is a picture, hears the
quotation in the language's own marks, once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest

from decks import DECKS, deck_choice
from taixin_kiosk.content.quotes import PAIRS, unquoted

# Marks that could open or close a whole quotation (tests/test_quote_marks
# checks the laid-out text does not start or end with one).
OPENING = set(PAIRS)
CLOSING = set("".join(PAIRS.values()))


@pytest.mark.parametrize(("text", "shown"), [
    ("\u201cTo the sea\u201d", "To the sea"),
    ('"To the sea"', "To the sea"),
    ("\u300c\u5343\u91cc\u8d56\u901a\u6ce2\u300d", "\u5343\u91cc\u8d56\u901a\u6ce2"),
    ("\u300e\u5343\u91cc\u300f", "\u5343\u91cc"),
    ("\u201c\u5343\u91cc\u201d\u3002", "\u5343\u91cc\u3002"),   # the full stop after it stays
    ("\u201c\u300c\u5343\u91cc\u300d\u201d", "\u5343\u91cc"),     # nested pairs, outer and inner
    ("  \u201cTo the sea.\u201d  ", "To the sea."),
])
def test_marks_around_the_whole_text_go(text: str, shown: str) -> None:
    assert unquoted(text) == shown


@pytest.mark.parametrize("text", [
    "To the sea",
    "\u201cYes,\u201d she said, \u201cto the sea.\u201d",   # two quotations, not one
    '"Yes," she said, "to the sea."',
    "Hold to the \u2018first tier\u2019 goal\u2026",          # marks inside stay
    "\u300c\u5343\u91cc\u300d\u4e0e\u300c\u901a\u6ce2\u300d",  # two, not one
    "\u201c",
    "\u201c\u201d",
    "",
])
def test_other_text_is_unchanged(text: str) -> None:
    assert unquoted(text) == text


def _quote_items(built):  # type: ignore[no-untyped-def]
    """Every quote slide's quotation item and decorative marks as laid out
    (the slide on screen), in the shown language."""
    found = []
    for index, slide in enumerate(built.content.pack.deck.slides):
        if slide.type != "quote":
            continue
        built.navigator.go(index)
        built.app.processEvents()
        layout = built.window.stage.current_view.layout_items
        quote = next(t for t in layout.texts if t.key == slide.quote)
        marks = [d for d in layout.decor if getattr(d, "name", "") == "quote-mark"]
        found.append((slide, quote, marks))
    return found


def _one_mark(built, where: str) -> None:  # type: ignore[no-untyped-def]
    quotes = _quote_items(built)
    assert quotes, where
    for slide, quote, marks in quotes:
        at = f"{where} {built.localizer.locale} {slide.id}"
        assert len(marks) == 1, at
        for text in filter(None, (quote.text, quote.second_text)):
            words = text.strip()
            assert words[0] not in OPENING, (at, text)
            assert words.rstrip(".!?\u2026\u3002\uff01\uff1f")[-1] not in CLOSING, (at, text)
        # The words themselves, as the catalogue has them.
        assert quote.text == unquoted(built.localizer.text(slide.quote)), at


@pytest.mark.parametrize("deck", DECKS)
def test_a_quotation_shows_one_mark(make_app, deck):
    built = make_app(size=(1920, 1080), choice=deck_choice(deck))
    for locale in built.localizer.locales:
        built.localizer.set_locale(locale)
        _one_mark(built, deck)
    QTest.keyClick(built.window, Qt.Key.Key_S)  # subtitles: the second language too
    built.app.processEvents()
    assert built.localizer.subtitles
    for locale in built.localizer.locales:
        built.localizer.set_locale(locale)
        _one_mark(built, deck)
        assert any(q.second_text for _, q, _ in _quote_items(built)), locale


def _mark_the_poem(pack: Path) -> dict[str, str]:
    """Writes the test pack's poem in each language's own enclosing marks,
    as a pack maker may; returns the words as written before."""
    words = {}
    marks = {"en": ("\u201c", "\u201d"), "zh-CN": ("\u300c", "\u300d"),
             "zh-TW": ("\u300e", "\u300f")}
    for locale, (opening, closing) in marks.items():
        path = pack / "i18n" / f"{locale}.json"
        catalogue = json.loads(path.read_text(encoding="utf-8"))
        words[locale] = catalogue["deck"]["poem"]["quote"]
        catalogue["deck"]["poem"]["quote"] = f"{opening}{words[locale]}{closing}"
        path.write_text(json.dumps(catalogue, ensure_ascii=False, indent=2), encoding="utf-8")
    return words


def test_marks_written_around_a_quotation_are_not_shown_twice(make_app, grand_canal_copy):
    from taixin_kiosk.content.choice import choose

    words = _mark_the_poem(grand_canal_copy)
    choice = choose(grand_canal_copy)
    assert not choice.problems
    built = make_app(size=(1080, 1920), choice=choice)
    QTest.keyClick(built.window, Qt.Key.Key_S)
    built.app.processEvents()
    for locale in built.localizer.locales:
        built.localizer.set_locale(locale)
        (_, quote, marks), = _quote_items(built)
        assert len(marks) == 1
        assert quote.text == words[locale]
        assert quote.second_text in set(words.values()) - {words[locale]}
        # The screen reader hears it once, in the language's own marks.
        view = built.window.stage.current_view
        description = QAccessible.queryAccessibleInterface(view).text(
            QAccessible.Text.Description)
        heard = built.localizer.text("ui.quote.wrapped", quote=words[locale])
        assert heard in description.splitlines()
        assert description.count(words[locale]) == 1
