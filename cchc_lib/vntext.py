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
           "unify_tones", "TONES", "misplaced_tone", "tone_style_variant"]

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


def _cluster(base: str) -> tuple[int, int] | None:
    """The bounds of the vowel cluster of a toneless lower-case word (``qu`` and ``gi`` before a
    vowel are consonants), None when it has no vowel."""
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
    return i, j


def _tone_index(base: str) -> int | None:
    """Where the (new-style) tone mark goes in a toneless lower-case word.

    A vowel with a breve, circumflex or horn takes the mark (the last one: ``ươ`` → ơ);
    otherwise in a closed syllable the last vowel of the cluster, in an open one the first of
    two vowels (``hòa``, ``thủy``, ``khỏe``) or the middle of three.  ``qu`` and ``gi`` before
    a vowel are consonants.
    """
    found = _cluster(base)
    if found is None:
        return None
    i, j = found
    marked = [k for k in range(i, j) if base[k] in _MARKED_VOWELS]
    if marked:
        return marked[-1]
    if j < len(base):  # closed syllable
        return j - 1
    length = j - i
    return i if length <= 2 else i + 1


# Open syllables whose tone mark two styles place differently: hòa / hoà, khỏe / khoẻ, thủy / thuỷ.
_TWO_STYLES = ("oa", "oe", "uy")
# Letters Vietnamese does not write: a word with one of them is a foreign word or a name.
_FOREIGN = frozenset("fjwz")


def _letters(word: str) -> tuple[str, list[int], str] | None:
    """(the word without its tone mark, lower case; where the mark sits; the mark), None unless
    the word carries exactly one tone mark."""
    base, marks, tone = [], [], ""
    for k, ch in enumerate(word):
        parts = unicodedata.normalize("NFD", ch)
        tones = [c for c in parts if c in TONES]
        if tones:
            marks.append(k)
            tone = tones[0]
        base.append(nfc("".join(c for c in parts if c not in TONES)))
    text = "".join(base)
    if len(marks) != 1 or len(text) != len(word):
        return None
    return text, marks, tone


def _places(base: str) -> tuple[int, ...] | None:
    """Where either style puts the tone mark of a toneless lower-case word."""
    if _FOREIGN & set(base):
        return None
    k = _tone_index(base)
    if k is None:
        return None
    found = _cluster(base)
    i, j = found  # type: ignore[misc]
    if j == len(base) and base[i:j] in _TWO_STYLES:
        return (i, i + 1)
    return (k,)


def _placed(word: str, base: str, index: int, tone: str) -> str:
    """``word`` with its tone mark moved onto letter ``index`` (case kept)."""
    letters = []
    for k, ch in enumerate(word):
        plain_letter = nfc("".join(c for c in unicodedata.normalize("NFD", ch) if c not in TONES))
        letters.append(nfc(plain_letter + tone) if k == index else plain_letter)
    return "".join(letters)


def misplaced_tone(word: str) -> str | None:
    """The word spelled right when its tone mark sits on a letter no style puts it on (``qúy``
    → ``quý``, ``ngòai`` → ``ngoài``), else None (a word spelled in either style, a word with
    no mark or several, a foreign word)."""
    found = _letters(word)
    if found is None:
        return None
    base, (at,), tone = found
    places = _places(base.lower())
    if places is None or at in places:
        return None
    return _placed(word, base, places[0], tone)


def tone_style_variant(word: str) -> str | None:
    """The same word with its tone mark in the other style's place (``hoá`` → ``hóa``, ``thủy``
    → ``thuỷ``), None when both styles agree or the mark is misplaced."""
    found = _letters(word)
    if found is None:
        return None
    base, (at,), tone = found
    places = _places(base.lower())
    if places is None or len(places) != 2 or at not in places:
        return None
    return _placed(word, base, places[1] if at == places[0] else places[0], tone)


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
