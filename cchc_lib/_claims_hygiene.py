"""Text hygiene, for :mod:`cchc_lib.claims`: look-alike characters, letters written decomposed
(NFD), numbers and dates left blank."""

from __future__ import annotations

import re
import unicodedata

from cchc_lib._claims_context import _Dated
from cchc_lib._claims_text import (_LATIN_LOOKALIKES, _LOOKALIKES, _TYPE_ALT, _excerpt, _Out,
                                   _quote, _rx, _Text)
from cchc_lib.textparse import nfc


# ------------------------------------------------------------------ text hygiene

_WORD = re.compile(r"[^\W\d_]+")
_WORD_NFD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")


def _is_latin(c: str) -> bool:
    return "LATIN" in unicodedata.name(c, "")


_MAX_DECOMPOSED = 20


def _check_hygiene(t: _Text, out: _Out, seen: set[str]) -> None:
    """Look-alike characters inside Vietnamese words; letters written decomposed (NFD)."""
    composed = nfc(t.raw)
    for m in _WORD.finditer(composed):
        word = m.group()
        latin = any(_is_latin(c) and c not in _LOOKALIKES for c in word)
        for c in dict.fromkeys(word):
            if c in _LOOKALIKES and (c in _LATIN_LOOKALIKES or latin):
                out.bad("text.lookalike", t, m.start(), _excerpt(composed, m.start(), m.end()),
                        found=f"U+{ord(c):04X}", word=word, char=c, codepoint=f"U+{ord(c):04X}",
                        looks_like=_LOOKALIKES[c])
    for m in _WORD_NFD.finditer(t.raw):
        word = m.group()
        fixed = nfc(word)
        if fixed == word or fixed in seen:
            continue
        seen.add(fixed)
        if len(seen) <= _MAX_DECOMPOSED:
            out.bad("text.decomposed", t, m.start(), nfc(_excerpt(t.raw, m.start(), m.end())),
                    word=fixed)


_BLANK_NUMBER = _rx(rf"(?<!\w)(?P<lead>(?:(?P<type>{_TYPE_ALT})\s+)?số)\s*:?\s*[.…_]*\s*/\s*"
                    r"(?P<sym>[A-ZĐ][A-Za-zĐđ]*(?:-[A-Za-zĐđ]+)+)(?P<tail>\s+ngày\s+\S+)?")
_BLANK_DATE_WORDS = _rx(r"(?<!\w)ngày(?P<d>\s*[.…_]*\s*)tháng(?P<m>\s*[.…_]*\s*)năm\s*"
                        r"(?P<y>\d{4}|[.…_]+)")
_BLANK_DATE_WORDS2 = _rx(r"(?<!\w)ngày\s*(?P<d>\d{1,2})\s*tháng(?P<m>\s*[.…_]*\s*)năm\s*"
                         r"(?P<y>\d{4}|[.…_]+)")
_BLANK_DATE_NUM = _rx(r"(?<!\w)ngày\s*(?P<d>[\d.…_ ]*?)\s*/\s*(?P<m>[\d.…_ ]*?)\s*/\s*"
                      r"(?P<y>\d{4}|[.…_]+)")


_PLACE_LINE = _rx(r"^[^\d,;:()]{2,40},\s*ngày(?!\w)")


def _check_blanks(t: _Text, own: _Dated | None, out: _Out) -> None:
    """A number or date left blank or half-filled: ``Báo cáo số /BC-UBND``, ``ngày … tháng …``."""
    text = t.text
    report_line = bool(_PLACE_LINE.search(text) or re.search(r"kèm\s+theo", text, re.I)
                       or t.header or re.match(r"\s*số\s*:", text, re.I))
    for m in _BLANK_NUMBER.finditer(text):
        kind = (m["type"] or "").lower()
        if m["sym"].upper().startswith("BC") or (not kind and t.header):
            what = "Số của báo cáo"
        else:
            what = f"Số của {kind or 'văn bản'}"
        ex = _quote(m.group(0), 90)
        out.bad("reference.incomplete", t, m.start(), _excerpt(text, m.start(), m.end()),
                found=m.group(0), what=what, excerpt=ex)
    for rx in (_BLANK_DATE_WORDS, _BLANK_DATE_WORDS2, _BLANK_DATE_NUM):
        for m in rx.finditer(text):
            parts = [m["d"], m["m"], m["y"]]
            if all(re.search(r"\d", x or "") for x in parts):
                continue
            what = "Ngày của báo cáo" if report_line else "Ngày văn bản"
            out.bad("reference.incomplete", t, m.start(), _excerpt(text, m.start(), m.end()),
                    found=m.group(0), what=what, excerpt=_quote(" ".join(m.group(0).split()), 90))
