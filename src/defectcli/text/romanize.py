"""Korean names in Latin letters: romanizations derived from Hangul, and a phonetic key.

Nobody spells a North Korean name the same way twice: 태영호 is Thae Yong Ho, Thae Yong-ho,
Tae Yong-ho, Tae Young-ho; 리일규 is Ri Il Gyu, Ri Il-kyu, Lee Il-kyu. Rather than list every
spelling, we

1. derive the standard romanizations of a record's Hangul (Revised Romanization, McCune–
   Reischauer with and without its breves and apostrophes, and the North's own system), and
2. compare names through a *phonetic key* that folds the usual variations (eo/ŏ/o/u,
   ae/e, g/k, d/t, b/p, j/ch, r/l, the North/South initial-sound rule ri/i, ryu/yu, ro/no,
   Lee/Yi/Rhee, Park/Pak, Young/Yong, Oh/O ...), so a spelling nobody stored still matches.

The key is deliberately coarse: two different names can share one. It is used to *find*
candidates; the caller lists them when more than one person matches.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .names import letter_words, strip_accents

_SBASE, _SCOUNT = 0xAC00, 11172
_NCOUNT, _TCOUNT = 588, 28

# Initial consonants: ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ, by system.
_INITIALS = {
    "rr": "g kk n d tt r m b pp s ss - j jj ch k t p h".split(),
    "mr": "k kk n t tt r m p pp s ss - ch tch ch' k' t' p' h".split(),
    "dprk": "k kk n t tt r m p pp s ss - j jj ch kh th ph h".split(),
}
# The plain consonants MR and the North's system write voiced between voiced sounds.
_VOICED = {"k": "g", "t": "d", "p": "b", "ch": "j"}
# Vowels: ㅏ ㅐ ㅑ ㅒ ㅓ ㅔ ㅕ ㅖ ㅗ ㅘ ㅙ ㅚ ㅛ ㅜ ㅝ ㅞ ㅟ ㅠ ㅡ ㅢ ㅣ, by system.
_VOWELS = {
    "rr": "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split(),
    "mr": "a ae ya yae ŏ e yŏ ye o wa wae oe yo u wŏ we wi yu ŭ ŭi i".split(),
    "dprk": "a ae ya yae o e yo ye o wa wae oe yo u wo we wi yu u ui i".split(),
}
# Finals: none ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ ㅁ ㅂ ㅄ ㅅ ㅆ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ
_FINAL = "- k k k n n n t l k m l l l p l m p p t t ng t t k t p t".split()

SYSTEMS = ("rr", "mr", "mr-plain", "dprk")


_HANGUL_SYLLABLE = re.compile(f"[{chr(_SBASE)}-{chr(_SBASE + _SCOUNT - 1)}]")


def is_hangul(text: str) -> bool:
    """Whether ``text`` holds a Hangul syllable (searched in C: called for every name)."""
    return _HANGUL_SYLLABLE.search(text) is not None


@lru_cache(maxsize=16384)
def romanize_name(hangul: str, system: str) -> str:
    """A Korean personal name (surname first, one syllable) in one romanization system.

    >>> [romanize_name("조성길", system) for system in ("rr", "mr", "dprk")]
    ['Jo Seong-gil', 'Cho Sŏng-gil', 'Jo Song Gil']
    """
    # The initial, vowel and final of each Hangul syllable.
    codes = [ord(ch) - _SBASE for ch in hangul if 0 <= ord(ch) - _SBASE < _SCOUNT]
    parts = [(code // _NCOUNT, (code % _NCOUNT) // _TCOUNT, code % _TCOUNT) for code in codes]
    if not parts:
        return hangul
    table = "mr" if system == "mr-plain" else system  # the same, breves and apostrophes dropped
    initials, vowels = _INITIALS[table], _VOWELS[table]
    pieces: list[str] = []
    for index, (initial, vowel, final) in enumerate(parts):
        onset = initials[initial]
        # MR and the North voice a plain consonant inside a given name after a vowel or a
        # voiced final (성길 -> Sŏng-gil); a surname stands alone, so its sound never voices.
        voiced = index > 1 and _FINAL[parts[index - 1][2]] in {"-", "n", "m", "ng", "l"}
        if voiced and system != "rr":
            onset = _VOICED.get(onset, onset)
        pieces.append((onset + vowels[vowel] + _FINAL[final]).replace("-", ""))  # "-": no sound
    given = (" " if system == "dprk" else "-").join(pieces[1:])
    name = f"{pieces[0]} {given}".rstrip()
    if system == "mr-plain":
        name = strip_accents(name).replace("'", "")
    # Capitalise each space-separated word; keep the given name's hyphenated tail lower case.
    return " ".join(w[:1].upper() + w[1:] for w in name.split(" "))


def romanizations(hangul: str) -> dict[str, str]:
    """Every standard romanization of a Hangul name, by system."""
    return {system: romanize_name(hangul, system) for system in SYSTEMS}


# --- the phonetic key ---------------------------------------------------------------------

# Surname spellings that rules alone would not fold together.
_SURNAMES = {"yi": "i", "rhie": "i", "chwe": "choe"}

# Applied in order, each "old>new". Upper-case letters are vowel classes (O: o, u, eo, eu,
# oo, ou; E: e, ae), so a later rule cannot re-read them.
_VOWEL_RULES = [
    rule.split(">") for rule in "eo>O eu>O oo>O oi>oe ae>E ai>E ee>i o>O u>O e>E".split()
]
# "ng" is one sound: replaced first, so that g -> k below cannot split it.
_CONSONANT_RULES = [
    rule.split(">")
    for rule in "ng>N tch>c ch>c th>t ph>p kh>k sh>s rh>r j>c z>c g>k d>t b>p f>p r>l".split()
]


_REPEATED = re.compile(r"(.)\1+")


@lru_cache(maxsize=16384)  # syllables and surnames repeat: most words are seen before
def _word_key(word: str) -> str:
    word = _SURNAMES.get(word, word)
    # "Park"-like spellings: an English r after a vowel before a consonant is silent.
    word = re.sub(r"ar(?=[^aeiouy]|$)", "a", word)
    for old, new in _CONSONANT_RULES:
        word = word.replace(old, new)
    for old, new in _VOWEL_RULES:
        word = word.replace(old, new)
    word = re.sub(r"w(?=O)", "", word)  # woo, wo, u: one sound class
    # The North/South initial-sound rule: 리/이, 류/유 (l before i or y drops), 로/노.
    if word.startswith("l") and len(word) > 1:
        word = word[1:] if word[1] in "iy" else "n" + word[1:]
    # A written h after a vowel and not before one is silent (Oh, Noh, Ahn).
    word = re.sub(r"(?<=[aiAEO])h(?![aiyAEO])", "", word)
    return _REPEATED.sub(r"\1", word)  # kk, ss, nn -> one


@lru_cache(maxsize=4096)
def phonetic_words(name: str) -> tuple[str, ...]:
    """The phonetic key of each word of a name. Hangul is romanized first (RR)."""
    if is_hangul(name):
        # A word of no Hangul syllable comes back from romanize_name as it is.
        name = " ".join(romanize_name(chunk, "rr") for chunk in name.split())
    return written_phonetic_words(letter_words(name))


def written_phonetic_words(written: list[str]) -> tuple[str, ...]:
    """``phonetic_words`` of a name that is not Hangul, from its ``letter_words``."""
    return tuple(k for k in map(_word_key, written) if k)


def phonetic_key(name: str) -> str:
    """One key for a whole name: ``Thae Yong-ho`` and ``Tae Young Ho`` share it."""
    return joined_key(phonetic_words(name))


def joined_key(keys: tuple[str, ...]) -> str:
    """``phonetic_key`` from the name's ``phonetic_words`` (for callers that have both)."""
    # Collapse doubled letters across word boundaries too: "Song Gil" and "Songgil".
    return _REPEATED.sub(r"\1", "".join(keys))
