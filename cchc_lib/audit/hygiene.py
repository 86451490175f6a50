"""Text hygiene: look-alike characters, letters written decomposed (NFD), numbers and dates
left blank."""

from __future__ import annotations

import re
import unicodedata

from cchc_lib.audit import limits
from cchc_lib.audit.reading import Reading
from cchc_lib.audit.registry import Out, each_text, whole_report
from cchc_lib.audit.text import END, TYPE_ALT, Text, excerpt, quote, rx
from cchc_lib.textparse import nfc
from cchc_lib.vntext import LATIN_LOOKALIKES, LOOKALIKES

__all__ = ["check_letters", "check_blanks", "note_more_decomposed"]


_WORD = re.compile(r"[^\W\d_]+")
_WORD_NFD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")


def _is_latin(c: str) -> bool:
    return "LATIN" in unicodedata.name(c, "")


@each_text(header=True)
def check_letters(t: Text, reading: Reading, out: Out) -> None:
    """Look-alike characters inside Vietnamese words; letters written decomposed (NFD)."""
    seen = reading.decomposed
    composed = nfc(t.raw)
    for m in _WORD.finditer(composed):
        word = m.group()
        latin = any(_is_latin(c) and c not in LOOKALIKES for c in word)
        for c in dict.fromkeys(word):
            if c in LOOKALIKES and (c in LATIN_LOOKALIKES or latin):
                out.bad("text.lookalike", t, m.start(), excerpt(composed, m.start(), m.end()),
                        found=f"U+{ord(c):04X}", word=word, char=c, codepoint=f"U+{ord(c):04X}",
                        looks_like=LOOKALIKES[c])
    for m in _WORD_NFD.finditer(t.raw):
        word = m.group()
        fixed = nfc(word)
        if fixed == word or fixed in seen:
            continue
        seen.add(fixed)
        if len(seen) <= limits.MAX_DECOMPOSED:
            out.bad("text.decomposed", t, m.start(), nfc(excerpt(t.raw, m.start(), m.end())),
                    word=fixed)


_BLANK_NUMBER = rx(rf"(?<!\w)(?P<lead>(?:(?P<type>{TYPE_ALT})\s+)?số)\s*:?\s*[.…_]*\s*/\s*"
                   r"(?P<sym>[A-ZĐ][A-Za-zĐđ]*(?:-[A-Za-zĐđ]+)+)(?P<tail>\s+ngày\s+\S+)?")
_BLANK_DATE_WORDS = rx(r"(?<!\w)ngày(?P<d>\s*[.…_]*\s*)tháng(?P<m>\s*[.…_]*\s*)năm\s*"
                       r"(?P<y>\d{4}|[.…_]+)")
_BLANK_DATE_WORDS2 = rx(r"(?<!\w)ngày\s*(?P<d>\d{1,2})\s*tháng(?P<m>\s*[.…_]*\s*)năm\s*"
                        r"(?P<y>\d{4}|[.…_]+)")
_BLANK_DATE_NUM = rx(r"(?<!\w)ngày\s*(?P<d>[\d.…_ ]*?)\s*/\s*(?P<m>[\d.…_ ]*?)\s*/\s*"
                     r"(?P<y>\d{4}|[.…_]+)")


_PLACE_LINE = rx(r"^[^\d,;:()]{2,40},\s*ngày(?!\w)")


@each_text(header=True)
def check_blanks(t: Text, reading: Reading, out: Out) -> None:
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
        ex = quote(m.group(0), 90)
        out.bad("reference.incomplete", t, m.start(), excerpt(text, m.start(), m.end()),
                found=m.group(0), what=what, excerpt=ex)
    for pattern in (_BLANK_DATE_WORDS, _BLANK_DATE_WORDS2, _BLANK_DATE_NUM):
        for m in pattern.finditer(text):
            parts = [m["d"], m["m"], m["y"]]
            if all(re.search(r"\d", x or "") for x in parts):
                continue
            what = "Ngày của báo cáo" if report_line else "Ngày văn bản"
            out.bad("reference.incomplete", t, m.start(), excerpt(text, m.start(), m.end()),
                    found=m.group(0), what=what, excerpt=quote(" ".join(m.group(0).split()), 90))


@whole_report
def note_more_decomposed(reading: Reading, out: Out) -> None:
    """One note for the words written decomposed past the first few (after every claim)."""
    more = len(reading.decomposed) - limits.MAX_DECOMPOSED
    if more > 0:
        out.bad("claim.unsure", None, END, "", place="toàn báo cáo", checked_by="text.decomposed",
                excerpt="Toàn báo cáo", why=f"còn {more} chữ khác cũng viết dấu tách rời (dạng tổ "
                                            "hợp NFD); nên chuẩn hóa cả văn bản về dạng NFC")
