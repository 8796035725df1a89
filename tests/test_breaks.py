"""Issue 14: lines that break where a reader expects.

On every deck (tests/decks.py), in every language, at the four sizes, with
and without large text, from the laid-out text items: no line breaks inside
a name or word of the pack's ``lines.words``, a number keeps its unit and an
ordinal its number, and no paragraph leaves one Chinese character or one
short word alone on its last line.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QFont, QFontMetricsF

from conftest import SIZES, slide_texts
from decks import BUILTIN, DECKS, deck_choice
from taixin_kiosk.ui.layout.breaks import SHORT_WORD, WORDS_SEPARATOR, wide
from taixin_kiosk.ui.layout.builder import WORDS_KEY
from taixin_kiosk.ui.layout.text import wrapped_lines

SIZE_IDS = [f"{w}x{h}" for w, h in SIZES]
# What may close a paragraph after its last word (not a word itself).
CLOSING = "\u3002\uff0c\u3001\uff1b\uff1a\uff01\uff1f\uff09\u300d\u300f\u201d\u2019.,;:!?)\"' "


def _breaks(text: str, font: QFont, width: float) -> Iterator[tuple[str, list[str]]]:
    """Each paragraph of ``text`` (as drawn) with the lines Qt wraps it into,
    both without the joiners (as written, but for no-break spaces)."""
    for lines in wrapped_lines(text, font, width):
        clean = [line.replace("\u2060", "").replace("\u00a0", " ") for line in lines]
        yield "".join(clean), clean


def _break_problems(words: list[str], paragraph: str, lines: list[str]) -> list[str]:
    problems: list[str] = []
    if len(lines) < 2:
        return problems
    cuts, at = [], 0
    for line in lines[:-1]:
        at += len(line)
        cuts.append(at)
    for word in words:
        start = paragraph.find(word)
        while start >= 0:
            inside = [c for c in cuts if start < c < start + len(word)]
            if inside:
                problems.append(f"{word!r} broken: {lines}")
            start = paragraph.find(word, start + 1)
    last = lines[-1].rstrip(CLOSING)
    if len(last) == 1 and wide(last):
        problems.append(f"one character alone on the last line: {lines}")
    if not any(wide(ch) for ch in paragraph) and len(paragraph.split()) >= 3 \
            and len(last.split()) == 1 and len(last.strip()) <= SHORT_WORD:
        problems.append(f"one short word alone on the last line: {lines}")
    return problems


@pytest.mark.parametrize("large", [False, True], ids=["usual", "large-text"])
@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("deck", DECKS)
def test_no_line_breaks_inside_a_word(make_app, deck, size, large):
    built = make_app(size, choice=deck_choice(deck), large_text=large)
    built.window.setFixedSize(*size)
    built.localizer.set_subtitles(True)
    problems: list[str] = []
    for locale, slide, _, item in slide_texts(built):
        texts = [(locale, item.shown, item.font, item.first_rect())]
        if item.second_text:
            second = built.localizer.subtitle_locale or locale
            texts.append((second, item.second_shown, item.second_font, item.second_rect()))
        for language, shown, font, rect in texts:
            found = built.localizer.text_in(language, WORDS_KEY)
            words = [] if found == WORDS_KEY else found.split(WORDS_SEPARATOR)
            # (A word wider than its whole box is broken after all.)
            metrics = QFontMetricsF(font)
            words = [w for w in words if metrics.horizontalAdvance(w) <= rect.width()]
            for paragraph, lines in _breaks(shown, font, rect.width()):
                problems.extend(f"{locale} {slide.id} {item.key}: {p}"
                                for p in _break_problems(words, paragraph, lines))
    assert not problems, "\n".join(problems)


def test_the_named_breaks_are_kept_whole(make_app):
    """The breaks the review found (a title's name split after its dash,
    Chinese words split in two) are words the built-in deck keeps whole."""
    built = make_app((1920, 1080), choice=deck_choice(BUILTIN))
    zh = built.localizer.text_in("zh-CN", WORDS_KEY).split(WORDS_SEPARATOR)
    en = built.localizer.text_in("en", WORDS_KEY).split(WORDS_SEPARATOR)
    # (Escaped: no Chinese text in code.)
    for word in ("\u53cc\u7ec4\u957f", "\u5e73\u65b9\u5343\u7c73"):
        assert word in zh
    assert "Taiyuan\u2013Xinzhou" in en


@pytest.mark.parametrize(("text", "whole"), [
    ("\u5168\u7701\u7b2c\u4e5d\u3002", "\u7b2c\u4e5d"),
    ("\u5171 7\u4e2a\u4e13\u73ed", "7\u4e2a"),
    ("33,017.67\u4ea9\u7684\u571f\u5730", "33,017.67\u4ea9"),
])
def test_a_number_keeps_its_ordinal_and_unit(qapp, text, whole):
    """With no list at all (a pack without ``lines.words``): "di nine" and
    "7 ge" stay together at every width, nor is the last character alone."""
    from taixin_kiosk.ui.layout.breaks import glued
    from taixin_kiosk.ui.theme import base_font

    font = base_font("", 40, locale="zh-CN")
    shown = glued(text)
    for width in range(45, 400, 5):
        for paragraph, lines in _breaks(shown, font, float(width)):
            cuts = _break_problems([whole], paragraph, lines)
            assert not cuts, (width, cuts)
