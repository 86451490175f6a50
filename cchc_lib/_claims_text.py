"""The running text made ready to read, for :mod:`cchc_lib.claims`.

Blocks cleaned (NFC, look-alike letters mapped) and marked (headings, directions, header table);
sentence bounds, excerpts and quotes; the regular-expression fragments the checks share; and
:class:`_Out`, which collects the claims in reading order.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

from cchc_lib._claims_model import EXCERPT_LIMIT, Claim
from cchc_lib.checks import finding
from cchc_lib.document import Block
from cchc_lib.textparse import nfc, type_abbreviations


# =============================================================================== text

# Characters that look like Vietnamese letters but are not (after NFC).
_LOOKALIKES: dict[str, str] = {
    "\u01ce": "ă", "\u01cd": "Ă",  # a/A with caron, typed for a/A with breve
    "\u00f0": "đ", "\u00d0": "Đ", "\u0189": "Đ", "\u0256": "đ",
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
_LATIN_LOOKALIKES = frozenset("\u01ce\u01cd\u00f0\u00d0\u0189\u0256")
_CLEAN = str.maketrans({
    **_LOOKALIKES,
    "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ",
    "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None, "\u00ad": None,
})


def _clean(raw: str) -> str:
    """What the patterns read: NFC, look-alike letters mapped, odd spaces made plain."""
    text = unicodedata.normalize("NFD", raw)
    text = re.sub("([aA])\u030c", "\\1\u0306", text)  # a + caron (a decomposed ǎ) → a + breve
    return nfc(nfc(text).translate(_CLEAN))


def _rx(pattern: str, flags: int = re.I) -> re.Pattern[str]:
    """Patterns are written in NFC, like the text they read; case is ignored by default."""
    return re.compile(nfc(pattern), flags)


@dataclass(frozen=True)
class _Text:
    """A block of running text (or a cell of the header table) ready to be read."""

    place: str
    index: int
    raw: str  # as written
    text: str  # cleaned (see _clean): offsets below refer to it
    heading: bool = False
    top: bool = False  # a top-level heading: "II. …" or a line in capitals
    directions: bool = False  # inside the part on directions and proposals
    header: bool = False  # a cell of the header table


_NUMBERED = re.compile(r"^(?P<n>[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])\s*[.)]\s*\S")
_DIRECTIONS = _rx(r"phương\s+hướng|nhiệm\s+vụ\s+(?:trọng\s+tâm|thời\s+gian\s+tới|tiếp\s+theo)"
                  r"|đề\s+xuất|kiến\s+nghị|giải\s+pháp")
_HEADER_ROW = _rx(r"cộng\s+h[oò]a|độc\s+lập|ủy\s+ban|uỷ\s+ban|ubnd|số\s*:|ngày\s.*tháng")


def _heading_kind(text: str) -> tuple[bool, bool]:
    """(is a heading, is a top-level heading)."""
    if len(text) > 160:
        return False, False
    letters = [c for c in text if c.isalpha()]
    upper = len(letters) >= 4 and all(c.isupper() for c in letters)
    m = _NUMBERED.match(text)
    if m:
        return True, bool(re.fullmatch(r"[IVXLC]+", m["n"])) or upper
    return upper, upper


def _prepare(blocks: Iterable[Block]) -> list[_Text]:
    """The running text, in reading order; the header table's cells before the body starts."""
    out: list[_Text] = []
    directions = body = False
    for b in blocks:
        if b.cells:
            if body or not _HEADER_ROW.search(nfc(b.text)):
                continue
            for cell in b.cells:
                for line in cell.splitlines():
                    if line.strip():
                        out.append(_Text(b.place, b.index, line.strip(), _clean(line.strip()),
                                         header=True))
            continue
        raw = b.text.strip()
        if not raw:
            continue
        text = _clean(raw)
        if len(text.split()) >= 8:
            body = True
        heading, top = _heading_kind(text)
        if top:
            directions = bool(_DIRECTIONS.search(text))
        out.append(_Text(b.place, b.index, raw, text, heading, top, directions))
    return out


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence (and ``;``-clause) bounds: a stop followed by a space and a capital or digit."""
    bounds, start = [], 0
    for m in re.finditer(r"[.;!?](?=\s)", text):
        j = m.end()
        while j < len(text) and text[j].isspace():
            j += 1
        if j < len(text) and (text[j].isupper() or text[j].isdigit() or text[j] in "(-–\"“"):
            bounds.append((start, m.end()))
            start = j
    bounds.append((start, len(text)))
    return bounds


def _sentence_at(text: str, pos: int) -> tuple[int, int]:
    for s, e in _sentences(text):
        if s <= pos < e or pos == e == len(text):
            return s, e
    return 0, len(text)


def _excerpt(text: str, start: int, end: int, limit: int = EXCERPT_LIMIT) -> str:
    """The sentence around ``text[start:end]``, cut to ``limit`` characters around the match."""
    s, e = _sentence_at(text, start)
    sentence = text[s:e].strip()
    if len(sentence) <= limit:
        return sentence
    room = limit - 2
    if end - start >= room:
        return text[start:start + limit - 1].rstrip() + "…"
    mid = (start + end) // 2
    a = max(s, min(mid - room // 2, e - room))
    b = min(e, a + room)
    return ("…" if a > s else "") + text[a:b].strip() + ("…" if b < e else "")


def _clause_before(text: str, pos: int) -> str:
    """The words of the clause that ends at ``pos`` (after the last , ; : ( or sentence stop)."""
    s, _ = _sentence_at(text, max(0, pos - 1))
    head = text[s:pos]
    return re.split(r"[,;:(]", head)[-1]


def _quote(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _inside(span: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in spans)


# =============================================================================== numbers

_COUNT = r"\d{1,3}(?:\.\d{3})+|\d+"
_PCT = r"\d+(?:[,.]\d+)?"
_NB = r"(?<![\w/.,])"  # a number starts here (not inside a date, a symbol or another number)
_DATE_NUM = r"\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}"
_DATE_WORDS = r"\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"


_TYPE_WORDS = sorted({*type_abbreviations(), "văn bản"}, key=len, reverse=True)
_TYPE_ALT = "|".join(r"\s+".join(map(re.escape, w.split())) for w in _TYPE_WORDS)


def _date_digits(text: str) -> str:
    """``07/03/2024`` as printed, or the digits of ``07 tháng 3 năm 2024`` as ``07/3/2024``."""
    parts = re.findall(r"\d+", text)
    return "/".join(parts) if "/" not in text else re.sub(r"\s+", "", text)


# =============================================================================== claims

class _Out:
    """Collects claims with their position, for a stable reading order."""

    def __init__(self) -> None:
        self.items: list[tuple[int, int, int, Claim]] = []

    def add(self, t: _Text | None, pos: int, claim: Claim) -> None:
        index = t.index if t is not None else 10 ** 9
        self.items.append((index, pos, len(self.items), claim))

    def ok(self, rule: str, t: _Text, pos: int, quoted: str) -> None:
        self.add(t, pos, Claim(rule, t.place, quoted[:EXCERPT_LIMIT], True, None))

    def bad(self, rule: str, t: _Text | None, pos: int, quoted: str, *, place: str | None = None,
            checked_by: str | None = None, **kwargs) -> None:
        where = place if place is not None else t.place
        f = finding(rule, where, **kwargs)
        self.add(t, pos, Claim(checked_by or rule, where, quoted[:EXCERPT_LIMIT], False, f))

    def unsure(self, checked_by: str, t: _Text, pos: int, quoted: str, why: str) -> None:
        self.bad("claim.unsure", t, pos, quoted, checked_by=checked_by,
                 excerpt=f'"{_quote(quoted, 90)}"', why=why)

    def claims(self) -> list[Claim]:
        return [c for *_, c in sorted(self.items, key=lambda x: x[:3])]
