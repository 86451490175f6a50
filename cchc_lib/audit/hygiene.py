"""Text hygiene: look-alike characters, letters written decomposed (NFD), numbers and dates
left blank, numbers typed into a template's gap with its spaces left around them."""

from __future__ import annotations

import re
import unicodedata

from cchc_lib.audit import limits
from cchc_lib.audit.reading import Reading
from cchc_lib.audit.registry import Out, each_text, whole_report
from cchc_lib.audit.text import END, TYPE_ALT, Text, excerpt, quote, rx
from cchc_lib.textparse import nfc, type_abbreviations
from cchc_lib.vntext import LATIN_LOOKALIKES, LOOKALIKES

__all__ = ["check_letters", "check_blanks", "check_number_gaps", "note_more_decomposed"]


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
_TYPE_OF_ABBR = {abbr: word for word, abbr in type_abbreviations().items() if abbr}


def _whose(type_word: str | None, symbol: str, header: bool) -> str:
    """Whose number a "số …/SYMBOL" is: the type word before it, else the type its symbol
    abbreviates (``KH-UBND``: a kế hoạch), else in the header the document's own."""
    kind = (type_word or "").lower()
    if not kind:
        kind = _TYPE_OF_ABBR.get(symbol.split("-")[0].upper(), "")
        if not kind and header:
            kind = "báo cáo"
    return f"Số của {kind or 'văn bản'}"


@each_text(header=True)
def check_blanks(t: Text, reading: Reading, out: Out) -> None:
    """A number or date left blank or half-filled: ``Báo cáo số /BC-UBND``, ``ngày … tháng …``."""
    text = t.text
    report_line = bool(_PLACE_LINE.search(text) or re.search(r"kèm\s+theo", text, re.I)
                       or t.header or re.match(r"\s*số\s*:", text, re.I))
    for m in _BLANK_NUMBER.finditer(text):
        what = _whose(m["type"], m["sym"], t.header)
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


# "Số: 12   /KH-UBND", "Số:        86/BC-UBND", "Số: 15/  KH-UBND", "Kế hoạch số 09     /KH-UBND":
# a number typed into the template's blank ("Số:      /KH-UBND") with the blank's spaces left.
_GAPPED_NUMBER = rx(rf"(?<!\w)(?:(?P<type>{TYPE_ALT})\s+)?(?P<lead>số)(?P<colon>\s*:)?"
                    r"(?P<pre>\s*)(?P<num>\d+)(?P<mid>\s*)/(?P<post>\s*)"
                    r"(?P<sym>[A-ZĐ][A-Za-zĐđ]*(?:-[A-Za-zĐđ]+)+)(?!\w)")
#: A gap: this many spaces between the number and the symbol, or before the number after "Số:".
GAP_SPACES, LEAD_GAP_SPACES = 2, 3


@each_text(header=True)
def check_number_gaps(t: Text, reading: Reading, out: Out) -> None:
    """A document number typed into the template's gap, the gap's spaces still there."""
    text = t.text
    for m in _GAPPED_NUMBER.finditer(text):
        if not m["sym"][:1].isupper():
            continue
        lead_gap = bool(m["colon"]) and len(m["pre"]) >= LEAD_GAP_SPACES
        if not (lead_gap or len(m["mid"]) >= GAP_SPACES or len(m["post"]) >= GAP_SPACES):
            continue
        typed = text[m.start("lead"):m.end()]
        out.bad("document.number-gap", t, m.start(), excerpt(text, m.start(), m.end()),
                found=typed, expected=f"{m['num']}/{m['sym']}",
                what=_whose(m["type"], m["sym"], t.header), text=typed,
                fixed=f"{m['num']}/{m['sym']}")


@whole_report
def note_more_decomposed(reading: Reading, out: Out) -> None:
    """One note for the words written decomposed past the first few (after every claim)."""
    more = len(reading.decomposed) - limits.MAX_DECOMPOSED
    if more > 0:
        out.bad("claim.unsure", None, END, "", place="toàn báo cáo", checked_by="text.decomposed",
                excerpt="Toàn báo cáo", why=f"còn {more} chữ khác cũng viết dấu tách rời (dạng tổ "
                                            "hợp NFD); nên chuẩn hóa cả văn bản về dạng NFC")
