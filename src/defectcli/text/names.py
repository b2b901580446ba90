"""Folding names and text so that case, spacing, hyphens, apostrophes and accents don't matter.

``Cho Sŏng-gil``, ``cho song gil`` and ``CHO SONG-GIL`` fold to the same key. Hangul is kept
as Hangul (NFC), so ``리일규`` folds to itself.
"""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_'’‘`ʼʻ.·,()\[\]\"“”/]+")


def strip_accents(text: str) -> str:
    """Drop combining marks (ŏ -> o, é -> e) but keep Hangul syllables whole."""
    if text.isascii():
        return text  # the common case: nothing to decompose
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", kept)


def words(text: str) -> list[str]:
    """Folded words: lower case, no accents, split on spaces, hyphens and punctuation."""
    folded = strip_accents(text).casefold()
    return [w for w in _SEPARATORS.split(folded) if w]


# An apostrophe inside a word is McCune–Reischauer's aspiration or syllable mark (Ch'ŏl,
# Han'guk), not a word break: "Ch'ŏl" is one word, not "ch" and "ŏl".
APOSTROPHES = re.compile("['’‘`ʼʻ]")


def letter_words(text: str) -> list[str]:
    """Folded words as written, apostrophes dropped: ``Kim Ch'ŏl-sŏng`` -> kim, chol, song."""
    return words(APOSTROPHES.sub("", text))


def name_key(text: str) -> str:
    """One compact key for a name: ``Thae Yong-ho`` -> ``thaeyongho``."""
    return "".join(words(text))


def name_term(word: str, *, written: bool) -> str:
    """A word of a name as a term of the index's ``name_terms`` full-text table: ``w`` for a
    word as written, ``p`` for a phonetic word, then the word's UTF-8 bytes in hex. Hex,
    because the full-text tokenizers fold case and phonetic words are case-sensitive ("tE"
    is not "te"), and because a word's beginning is then its term's beginning (``w74*``
    finds every written word that begins with "t"), so beginnings typed letter by letter
    are the table's own prefix queries."""
    return ("w" if written else "p") + word.encode().hex()
