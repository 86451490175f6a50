"""Vietnamese text normalisation, once for the whole package: Unicode NFC, characters that only
look like Vietnamese letters, the caron typed for a breve, invisible characters, odd spaces,
and the place of the tone mark (``hoà``/``hòa``, ``uỷ``/``ủy``).

Unit lookup (:mod:`cchc_lib.units`), the parsers of printed text (:mod:`cchc_lib.textparse`)
and the audit of hand-written reports read text through these functions, so that one
spelling problem is recognised the same way everywhere.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["nfc", "LOOKALIKES", "LATIN_LOOKALIKES", "fix_caron", "plain", "typographic",
           "unify_tones", "TONES"]

# The five Vietnamese tone marks as combining characters (NFD).
TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VOWELS = frozenset("aăâeêioôơuưy")
_MARKED_VOWELS = frozenset("ăâêôơư")

# Characters that look like Vietnamese letters but are not (compared after NFC).
LOOKALIKES: dict[str, str] = {
    # Latin look-alikes
    "\u01ce": "ă", "\u01cd": "Ă",  # a/A with caron, typed for a/A with breve
    "\u00f0": "đ", "\u00d0": "Đ", "\u0189": "Đ", "\u0256": "đ",  # eth, African D
    # Cyrillic
    "\u0430": "a", "\u0410": "A", "\u0435": "e", "\u0415": "E", "\u043e": "o", "\u041e": "O",
    "\u0440": "p", "\u0420": "P", "\u0441": "c", "\u0421": "C", "\u0445": "x", "\u0425": "X",
    "\u0443": "y", "\u0423": "Y", "\u0456": "i", "\u0406": "I", "\u041a": "K", "\u043a": "k",
    "\u041c": "M", "\u041d": "H", "\u0422": "T", "\u0412": "B", "\u0455": "s", "\u0458": "j",
    "\u04bb": "h", "\u0501": "d",
    # Greek
    "\u03bf": "o", "\u039f": "O", "\u03b1": "a", "\u0391": "A", "\u03c1": "p", "\u03a1": "P",
    "\u0395": "E", "\u0397": "H", "\u0399": "I", "\u039a": "K", "\u039c": "M", "\u039d": "N",
    "\u03a4": "T", "\u03a7": "X", "\u03a5": "Y", "\u0392": "B", "\u0396": "Z", "\u03b9": "i",
    "\u03ba": "k", "\u03bd": "v", "\u03c5": "u",
}
# The Latin ones: a report typed with them is a spelling problem, not a foreign script.
LATIN_LOOKALIKES = frozenset("\u01ce\u01cd\u00f0\u00d0\u0189\u0256")

_INVISIBLE = {"\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
              "\u00ad": None}
_PLAIN = str.maketrans({**LOOKALIKES, **_INVISIBLE,
                        "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " "})
# Typographic variants that never change a name: apostrophes and dashes made plain.
_TYPOGRAPHIC = str.maketrans({
    **LOOKALIKES, **_INVISIBLE,
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u0060": "'", "\u00b4": "'", "\u2032": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-",
})
_CARON_A = re.compile("([aA])\u030c")  # a + combining caron (NFD of ǎ)
_LETTERS = re.compile(r"[^\W\d_]+")


def nfc(text: str) -> str:
    """Unicode NFC: one code point per Vietnamese letter wherever one exists."""
    return unicodedata.normalize("NFC", text)


def fix_caron(text: str) -> str:
    """NFC with an ``a`` + caron (ǎ, typed for ă) turned into ``a`` + breve."""
    return nfc(_CARON_A.sub("\\1\u0306", unicodedata.normalize("NFD", text)))


def plain(text: str) -> str:
    """What text-reading patterns read: NFC, caron fixed, look-alike letters mapped, invisible
    characters dropped and odd spaces made plain; apostrophes and dashes kept as typed."""
    return nfc(fix_caron(text).translate(_PLAIN))


def typographic(text: str) -> str:
    """:func:`plain`, with apostrophes and dashes made plain too (for comparing names)."""
    return nfc(fix_caron(text).translate(_TYPOGRAPHIC))


def _tone_index(base: str) -> int | None:
    """Where the (new-style) tone mark goes in a toneless lower-case word.

    A vowel with a breve, circumflex or horn takes the mark (the last one: ``ươ`` → ơ);
    otherwise in a closed syllable the last vowel of the cluster, in an open one the first of
    two vowels (``hòa``, ``thủy``, ``khỏe``) or the middle of three.  ``qu`` and ``gi`` before
    a vowel are consonants.
    """
    n = len(base)
    start = 0
    if base[:2] in ("qu", "gi") and n > 2 and base[2] in _VOWELS:
        start = 2
    i = start
    while i < n and base[i] not in _VOWELS:
        i += 1
    if i == n:
        return None
    j = i
    while j < n and base[j] in _VOWELS:
        j += 1
    marked = [k for k in range(i, j) if base[k] in _MARKED_VOWELS]
    if marked:
        return marked[-1]
    if j < n:  # closed syllable
        return j - 1
    length = j - i
    return i if length <= 2 else i + 1


def _retone_word(match: re.Match[str]) -> str:
    word = match.group(0)
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in TONES]
    if len(tones) != 1:
        return word
    base = nfc("".join(c for c in decomposed if c not in TONES))
    index = _tone_index(base)
    if index is None:
        return word
    return nfc(base[: index + 1] + tones[0] + base[index + 1:])


def unify_tones(text: str) -> str:
    """Every lower-case word with its tone mark in one (new-style) place: ``hoà`` → ``hòa``."""
    return _LETTERS.sub(_retone_word, text)
