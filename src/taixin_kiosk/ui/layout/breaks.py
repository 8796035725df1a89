"""Where a line of slide text may break, as the text is drawn: names and
words kept whole, numbers with their units, no one-character last line.

Qt's line breaker (Unicode's line-breaking rules) may break between any two
Chinese characters and after a dash, so a three-character title (shuang zu
zhang) can end a line after its second character and "Taiyuan–Xinzhou"
after "Taiyuan–". A segmenter would know where Chinese
words end, but its dictionary costs tens of megabytes and seconds to load.
Here the pack names what must stay whole instead: its catalogue's
``lines.words`` (names and words, separated by ``|``; for the built-in deck
the glossary's names and the deck's own terms), plus two rules that need no
list, and U+2060 WORD JOINER (or a no-break space, in place of a space)
glues them, which Qt's breaker honours; the joiner has no width and no glyph.
A pack without ``lines.words``, in any language and script, breaks as before
except for the two rules, which only ever remove a break.

Rules without a list:

- a number keeps the unit or measure word after it ("33,017.67 mu" written
  with the character for mu, "7 ge") and an ordinal prefix (di) its number;
- a paragraph's last line is never one character of Chinese (its last two
  are glued), nor one short word in a paragraph of three words or more (its
  last space is a no-break one).

The glued text is what is measured and drawn (``TextItem.shown``); the text
as written (``TextItem.text``) is what is read out and compared.
"""

from __future__ import annotations

import functools

WORD_JOINER = "\u2060"
NO_BREAK_SPACE = "\u00a0"
# The separator of ``lines.words``.
WORDS_SEPARATOR = "|"
# A last word this short (in characters) is not left alone on a line.
SHORT_WORD = 6
# Chinese numerals, for an ordinal (di nine) and the like (escaped: no CJK
# text in code).
_NUMERALS = frozenset("0123456789\u4e00\u4e8c\u4e09\u56db\u4e94\u516d\u4e03\u516b\u4e5d"
                      "\u5341\u767e\u5343\u4e07\u4e24\u96f6")
# The ordinal prefix (di).
_ORDINAL = "\u7b2c"
# Punctuation that may close a paragraph after its last word or character.
_CLOSING = frozenset("\u3002\uff0c\u3001\uff1b\uff1a\uff01\uff1f\uff09\u300d\u300f\u201d\u2019"
                     "\u2026.,;:!?)\"' ")

# Qt may break after these inside a word.
_DASHES = frozenset("\u2013\u2014-/")


def wide(ch: str) -> bool:
    """A CJK ideograph (or syllable): a character Qt may break on either side of."""
    return ("\u3400" <= ch <= "\u9fff") or ("\uf900" <= ch <= "\ufaff") \
        or ("\u3040" <= ch <= "\u30ff") or ("\uac00" <= ch <= "\ud7af")


@functools.lru_cache(maxsize=16)
def dictionary(words: str) -> dict[str, tuple[str, ...]]:
    """``lines.words`` by first character, the longer words first."""
    found: dict[str, list[str]] = {}
    for word in words.split(WORDS_SEPARATOR):
        word = word.strip()
        if len(word) >= 2:
            found.setdefault(word[0], []).append(word)
    return {first: tuple(sorted(set(group), key=len, reverse=True))
            for first, group in found.items()}


def words_in(text: str, words: str) -> list[str]:
    """The listed ``words`` that occur in ``text``."""
    table = dictionary(words) if words else {}
    return [word for start, ch in enumerate(text) for word in table.get(ch, ())
            if text.startswith(word, start)]


def kept_whole(paragraph: str, words: str, loose: frozenset[str] = frozenset()) -> set[int]:
    """The positions i (1 <= i < len) of ``paragraph`` where no line may
    break between paragraph[i - 1] and paragraph[i] (``loose``: listed words
    that may break after all, being wider than their box)."""
    keep: set[int] = set()
    table = dictionary(words) if words else {}
    n = len(paragraph)
    for start, ch in enumerate(paragraph):
        for word in table.get(ch, ()):
            if word in loose:
                continue
            # Every occurrence, overlapping ones too: "county" inside a
            # county's name and the committee after it are both kept.
            if paragraph.startswith(word, start):
                keep.update(range(start + 1, start + len(word)))
        if ch == _ORDINAL and start + 1 < n and paragraph[start + 1] in _NUMERALS:
            end = start + 1
            while end < n and paragraph[end] in _NUMERALS:
                keep.add(end)
                end += 1
        elif ch.isdigit() and start + 1 < n and wide(paragraph[start + 1]):
            keep.add(start + 1)
    keep.update(_widow(paragraph))
    return keep


def _widow(paragraph: str) -> set[int]:
    """Where the paragraph's last two characters (Chinese) or last two words
    are joined, so its last line is never one character or one short word."""
    end = len(paragraph)
    while end > 0 and paragraph[end - 1] in _CLOSING:
        end -= 1
    if end >= 3 and wide(paragraph[end - 1]):
        return {end - 1} if wide(paragraph[end - 2]) else set()
    words = paragraph[:end].split(" ")
    if len(words) < 3 or not words[-1] or not words[-2]:
        return set()
    start = end - len(words[-1])
    # The last word is not broken after a dash or hyphen inside it ("north-"
    # over "south")...
    keep = {start + i + 1 for i, ch in enumerate(words[-1][:-1]) if ch in _DASHES}
    # ...and a short one goes down with the word before it.
    if len(words[-1]) <= SHORT_WORD:
        keep.add(start)
    return keep


@functools.lru_cache(maxsize=4096)
def glued(text: str, words: str = "", loose: frozenset[str] = frozenset()) -> str:
    """``text`` as drawn: a joiner (or a no-break space, for a space) at every
    place kept_whole keeps, in each paragraph (lines of ``\\n``)."""
    return "\n".join(_glued_paragraph(p, words, loose) for p in text.split("\n"))


def _glued_paragraph(paragraph: str, words: str, loose: frozenset[str]) -> str:
    keep = kept_whole(paragraph, words, loose)
    if not keep:
        return paragraph
    out: list[str] = []
    for i, ch in enumerate(paragraph):
        if ch == " " and (i in keep or i + 1 in keep):
            out.append(NO_BREAK_SPACE)
            continue
        if i in keep and paragraph[i - 1] != " " and _breakable(paragraph[i - 1], ch):
            out.append(WORD_JOINER)
        out.append(ch)
    return "".join(out)


def _breakable(before: str, after: str) -> bool:
    """Whether Qt may break between the two (so a joiner is needed): beside a
    Chinese character, or after a dash, hyphen or slash."""
    return wide(before) or wide(after) or before in _DASHES
