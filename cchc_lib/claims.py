"""Claims in the running text of a hand-written report, and whether they hold.

``cchc audit`` reads a report typed by hand (Word, PDF, text).  Its appendix is a table, read
elsewhere; its running text states things that can be checked without any other data:

* a fraction and its percent (``13/21 (76,5%)``), a count and its share (``đúng hạn 1.154 hồ sơ
  (96,2%)``), a done count larger than its total (``21/25 người``);
* a whole and its parts (``22 văn bản (03 công văn, 02 báo cáo, …)``, ``tiếp nhận 661 hồ sơ, tồn
  kỳ trước 41 hồ sơ, tiếp nhận trong kỳ 620 hồ sơ``) and complementary shares (``đúng hạn 74,9%,
  trễ hạn 25,1%``);
* two amounts that give their share of the same estimate (``… đồng đạt 47,1% dự toán HĐND giao``);
* dates (impossible ones, ones after the report's own date), the data window, the report's date
  against the window;
* period labels that state the period of the results (``Trong 6 tháng đầu năm 2023`` in a 2024
  report, a heading ``… quý I`` in a half-year report);
* document references (type word against symbol, malformed symbols, one document cited with
  different facts);
* the unit's own name spelled several ways, a unit of another level speaking in its place;
* text hygiene: look-alike characters, decomposed letters, numbers and dates left blank.

Every claim found is returned, consistent or not (:class:`Claim`), so that a clean report shows
how much was checked.  A claim that does not hold carries a :class:`~cchc_lib.model.Finding` of
the shared rules (``data/rules.yaml``); when the reading is not certain the finding is a
``claim.unsure`` note rather than an error, because false alarms cost the reviewer's trust.

The patterns are general (they read other communes' reports, phrased differently), and the
functions are pure: a list of :class:`~cchc_lib.document.Block` in, claims out.  Table rows (blocks
with cells) are the appendix and are skipped, except the header table of a Word report (issuer,
number, place and date), which is read for the context and for blanks.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Iterable, Sequence

from cchc_lib import periods, units
from cchc_lib.calc import printed_decimals, rate_matches
from cchc_lib.checks import finding
from cchc_lib.document import Block
from cchc_lib.errors import CchcError
from cchc_lib.formatting import fmt_date_short, fmt_number, fmt_percent
from cchc_lib.model import Finding, Period, Unit
from cchc_lib.numparse import NumberFormatError, parse_number
from cchc_lib.textparse import (nfc, parse_date_text, parse_symbol, type_abbreviation,
                                type_abbreviations, unit_noun)

__all__ = ["Claim", "ReportContext", "detect_context", "check_text", "check_blocks",
           "EXCERPT_LIMIT"]

#: Longest excerpt a claim quotes.
EXCERPT_LIMIT = 120


@dataclass(frozen=True)
class Claim:
    """One checkable statement of the running text and whether it holds.

    ``rule`` is the rule that checks it; ``finding`` is None when it holds (``ok``), else the
    finding (of that rule, or a ``claim.unsure`` note when the reading is not certain).
    """

    rule: str
    place: str
    excerpt: str
    ok: bool
    finding: Finding | None


@dataclass(frozen=True)
class ReportContext:
    """What the report says about itself: its period, its date, its unit (None when unknown)."""

    period: Period | None
    period_text: str
    report_date: date | None
    report_date_text: str
    unit: Unit | None
    unit_text: str


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


def _count(text: str) -> int | None:
    try:
        value = parse_number(text, kind="count").value
    except NumberFormatError:
        return None
    return value if isinstance(value, int) else None


def _percent(text: str) -> int | float | None:
    try:
        return parse_number(text, kind="percent").value
    except NumberFormatError:
        return None


def _typed(x: int | float) -> str:
    return f"{fmt_number(x)}%"


def _computed(typed: int | float, num: int, den: int) -> str:
    return fmt_percent(100 * num / den, max(1, printed_decimals(typed)))


# =============================================================================== context

@dataclass(frozen=True)
class _Phrase:
    """A period named in the text: ``quý III/2025``, ``6 tháng đầu năm 2023``, ``năm 2024``."""

    kind: str  # Q, H1, H2, 9M, Y, or "" for a period the regime does not know
    quarter: int | None
    year: int | None
    start: int
    end: int
    text: str


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_PERIOD = _rx(
    r"(?<!\w)(?:quý\s+(?P<q>IV|III|II|I|[1-4])(?!\w)(?:\s*(?:/|-|năm)\s*(?P<qy>(?:19|20)\d{2}))?"
    r"|(?P<m>0?6|0?9)\s+tháng(?:\s+(?P<pos>đầu|cuối))?\s+năm(?:\s+(?P<my>(?:19|20)\d{2}))?"
    r"|(?:cả\s+)?năm\s+(?P<y>(?:19|20)\d{2}))(?!\w)")
_DATE_WORD_BEFORE = _rx(r"tháng\s+\d{1,2}\s*$")


def _period_phrases(text: str) -> list[_Phrase]:
    out = []
    for m in _PERIOD.finditer(text):
        if m["q"]:
            kind, quarter, year = "Q", _ROMAN[m["q"].lower()], m["qy"]
        elif m["m"]:
            six = m["m"].lstrip("0") == "6"
            late = (m["pos"] or "").lower() == "cuối"
            kind = ("H2" if late else "H1") if six else ("" if late else "9M")
            quarter, year = None, m["my"]
        else:
            if _DATE_WORD_BEFORE.search(text[:m.start()]):  # "ngày 07 tháng 3 năm 2024"
                continue
            kind, quarter, year = "Y", None, m["y"]
        out.append(_Phrase(kind, quarter, int(year) if year else None, m.start(), m.end(),
                           m.group(0)))
    return out


_YEARS = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def _title_period(text: str) -> Period | None:
    """The report's period from its title: the first period named, in the year it names (or,
    when it names none, the last year of the title: "6 tháng đầu năm và … 6 tháng cuối năm
    2024")."""
    phrases = [p for p in _period_phrases(text) if p.kind not in ("H2", "")]
    if not phrases:
        return None
    first = phrases[0]
    years = _YEARS.findall(text)
    year = first.year or (int(years[-1]) if years else None)
    if year is None:
        return None
    try:
        return periods.parse_period(f"{year}-Q{first.quarter}" if first.kind == "Q"
                                    else str(year) if first.kind == "Y" else f"{year}-{first.kind}")
    except CchcError:
        return None


_CCHC = _rx(r"cải\s+cách\s+hành\s+chính|cchc")
_TITLE_OPENING = _rx(r"(?:v/v|về\s+việc|báo\s+cáo|kết\s+quả|tình\s+hình|công\s+tác|tổng\s+kết|"
                     r"sơ\s+kết)\b")


def _find_title(texts: Sequence[_Text]) -> _Text | None:
    """The trích yếu under "BÁO CÁO" (or the first line on CCHC that names a period)."""
    body = [t for t in texts if not t.header]
    for i, t in enumerate(body[:40]):
        if re.fullmatch(r"báo\s+cáo", t.text.strip(), re.I) and i + 1 < len(body):
            nxt = body[i + 1]
            if _title_period(nxt.text):
                return nxt
    for t in body[:40]:
        if _TITLE_OPENING.match(t.text) and _CCHC.search(t.text) and _title_period(t.text):
            return t
    for t in body:
        if re.match(r"trên\s+đây\s+là\s+báo\s+cáo", t.text, re.I) and _title_period(t.text):
            return t
    return None


@dataclass(frozen=True)
class _Dated:
    """The report's own date as printed."""

    day: date | None
    text: str
    place: str
    index: int
    span: tuple[int, int]
    place_name: str  # the place of "<place>, ngày …", "" when read from "Kèm theo …"


_PLACE_DATE = _rx(r"^(?P<place>[^\d,;:()]{2,40}?),\s*(?P<date>ngày\s+(?P<d>\d{1,2})\s+tháng\s+"
                  r"(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4}))")
_ANNEXED = _rx(rf"kèm\s+theo\s+(?:báo\s+cáo|văn\s+bản|công\s+văn|tờ\s+trình)\s+số\s*[^\s/]*\s*/"
               rf"\s*\S+\s+ngày\s+(?P<date>{_DATE_NUM}|{_DATE_WORDS})")


def _find_report_date(texts: Sequence[_Text]) -> _Dated | None:
    for t in texts[:40]:
        m = _PLACE_DATE.search(t.text)
        if m and not re.match(r"\s*(?:số|ngày|kèm)\b", m["place"], re.I):
            printed = f"{int(m['d']):02d}/{int(m['m']):02d}/{m['y']}"
            return _Dated(parse_date_text(printed).day, printed, t.place, t.index,
                          m.span("date"), m["place"].strip())
    for t in texts:
        m = _ANNEXED.search(t.text)
        if m:
            printed = _date_digits(m["date"])
            return _Dated(parse_date_text(printed).day, printed, t.place, t.index,
                          m.span("date"), "")
    return None


def _date_digits(text: str) -> str:
    """``07/03/2024`` as printed, or the digits of ``07 tháng 3 năm 2024`` as ``07/3/2024``."""
    parts = re.findall(r"\d+", text)
    return "/".join(parts) if "/" not in text else re.sub(r"\s+", "", text)


_NOUN_LEVEL = {"xã": "commune", "phường": "commune", "thị trấn": "commune", "đặc khu": "commune",
               "huyện": "district", "quận": "district", "thị xã": "district",
               "thành phố": "city", "tỉnh": "province"}
_UNIT_NOUN = _rx(r"(?<!\w)(?P<body>(?:(?:ủy|uỷ)\s+ban\s+nhân\s+dân|ubnd)\s+)?"
                 r"(?P<noun>thành\s+phố|thị\s+trấn|thị\s+xã|đặc\s+khu|phường|huyện|quận|tỉnh|xã)"
                 r"\s+(?=\S)")


@dataclass(frozen=True)
class _Name:
    """A unit named in the text: ``xã Đắc Ha`` (noun, level, proper name)."""

    t: _Text
    noun: str
    level: str | None
    name: str
    start: int
    end: int
    body: bool  # preceded by UBND / Ủy ban nhân dân


def _name_after(text: str, pos: int, noun: str) -> tuple[str, int] | None:
    """The proper name that starts at ``pos``: capitalised words, up to four."""
    words: list[str] = []
    end = pos
    for tok in re.finditer(r"\S+", text[pos:pos + 80]):
        word = tok.group()
        core = word.rstrip(".,;:)]”\"'!?/")
        if not core or core[0] in "(“\"[":
            break
        first = core[0].isupper() or (not words and core[0].isdigit() and noun[:1].isupper())
        if not first:
            break
        words.append(core)
        end = pos + tok.start() + len(core)
        if core != word or len(words) == 4:
            break
    return (" ".join(words), end) if words else None


def _names(texts: Sequence[_Text]) -> list[_Name]:
    out = []
    for t in texts:
        for m in _UNIT_NOUN.finditer(t.text):
            noun = " ".join(m["noun"].split())
            found = _name_after(t.text, m.end(), noun)
            if not found:
                continue
            name, end = found
            if name.isupper():
                name = name.title()
            out.append(_Name(t, noun.lower(), _NOUN_LEVEL.get(noun.lower()), name, m.start(), end,
                             bool(m["body"])))
    return out


_ISSUER = re.compile(nfc(r"(?:ỦY|UỶ)\s+BAN\s+NHÂN\s+DÂN\s+(XÃ|PHƯỜNG|THỊ\s+TRẤN|ĐẶC\s+KHU)"
                         r"\s+([^\n\t]+)"))
_OF_UNIT = _rx(r"của\s+(?:(?:ủy|uỷ)\s+ban\s+nhân\s+dân|ubnd)\s+(xã|phường|thị\s+trấn|đặc\s+khu)\s+")


def _detect_unit_text(texts: Sequence[_Text]) -> str:
    for t in texts[:40]:
        m = _ISSUER.search(t.text.strip())
        if m:
            return f"{' '.join(m[1].split()).lower()} {' '.join(m[2].split()).title()}"
    for t in texts:
        for m in _OF_UNIT.finditer(t.text):
            found = _name_after(t.text, m.end(), m[1])
            if found:
                return f"{' '.join(m[1].split()).lower()} {found[0]}"
    own = [n for n in _names(texts) if n.level == "commune"]
    if not own:
        return ""
    by_key = Counter(units.loose_key(n.name) for n in own)
    best = by_key.most_common(1)[0][0]
    first = next(n for n in own if units.loose_key(n.name) == best)
    return f"{first.noun} {first.name}"


def _resolve_unit(text: str, era: str | None) -> Unit | None:
    if not text:
        return None
    try:
        return units.find_unit(text, era=era)
    except CchcError:
        return None


def _parse_period_hint(hint: str) -> Period | None:
    try:
        return periods.parse_period(hint)
    except CchcError:
        return _title_period(_clean(hint))


def detect_context(blocks: Sequence[Block], *, unit_hint: str | None = None,
                   period_hint: str | None = None) -> ReportContext:
    """The report's own period (from its title), date (the place-and-date line, or "Kèm theo
    Báo cáo số … ngày …") and unit (the issuer, "của UBND xã …", or the commune named most).

    ``unit_hint`` (a code or a name) and ``period_hint`` (``2024-H1`` or a Vietnamese label)
    override what the text says.  The unit is None when it cannot be resolved to one unit.
    """
    texts = _prepare(blocks)
    title = _find_title(texts)
    period = _title_period(title.text) if title else None
    period_text = _quote(title.text, EXCERPT_LIMIT) if title else ""
    if period_hint:
        hinted = _parse_period_hint(period_hint)
        if hinted is not None:
            period, period_text = hinted, period_hint
    dated = _find_report_date(texts)
    report_date = dated.day if dated else None
    era = (units.era_for(period.last_day) if period else
           units.era_for(report_date) if report_date else None)
    unit_text = _detect_unit_text(texts)
    unit = _resolve_unit(unit_hint or unit_text, era)
    if unit_hint and not unit_text:
        unit_text = unit_hint
    return ReportContext(period, period_text, report_date, dated.text if dated else "", unit,
                         unit_text)


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


# ------------------------------------------------------------------ document references

_TYPE_WORDS = sorted({*type_abbreviations(), "văn bản"}, key=len, reverse=True)
_TYPE_ALT = "|".join(r"\s+".join(map(re.escape, w.split())) for w in _TYPE_WORDS)
_REF = _rx(rf"(?<!\w)(?P<type>{_TYPE_ALT})\s+(?:số\s*:?\s*)?(?P<num>\d+)\s*/\s*"
           rf"(?P<sym>[0-9A-Za-zĐđ]+(?:[-/][0-9A-Za-zĐđ]+)*)(?!\w)"
           rf"(?:\s*,?\s*(?:ban\s+hành\s+)?ngày\s+(?P<date>{_DATE_NUM}|{_DATE_WORDS}))?")


@dataclass(frozen=True)
class _Ref:
    t: _Text
    start: int
    end: int
    type_word: str
    number: str
    symbol: str
    date_text: str | None
    date_span: tuple[int, int] | None

    @property
    def reference(self) -> str:
        return f"{self.number}/{self.symbol}"

    @property
    def label(self) -> str:
        return f"{_cap(self.type_word)} số {self.reference}"


def _references(texts: Sequence[_Text]) -> list[_Ref]:
    out = []
    for t in texts:
        for m in _REF.finditer(t.text):
            if not re.search(r"[A-Za-zĐđ]", m["sym"]):
                continue
            out.append(_Ref(t, m.start(), m.end(), " ".join(m["type"].split()), m["num"],
                            m["sym"], _date_digits(m["date"]) if m["date"] else None,
                            m.span("date") if m["date"] else None))
    return out


def _agency(sym) -> str:
    """The issuing agency's abbreviation: ``UBND`` in ``KH-UBND`` and in ``UBND-VP``."""
    return sym.issuer.split("-")[0]


def _check_references(refs: Sequence[_Ref], out: _Out) -> None:
    abbr_type = {v: k for k, v in type_abbreviations().items() if v}
    parsed = [(r, parse_symbol(r.number, r.symbol)) for r in refs]
    agencies = Counter(_agency(s) for _, s in parsed if not s.problem and s.year is None)
    usual = agencies.most_common(1)[0][0] if agencies else None
    for r, s in parsed:
        t, ex = r.t, _excerpt(r.t.text, r.start, r.end)
        base = {"type_word": _cap(r.type_word), "reference": r.reference}
        if s.problem:
            out.bad("document.symbol-malformed", t, r.start, ex, found=r.reference,
                    problem=s.problem, **base)
            continue
        flagged = False
        expected = type_abbreviation(r.type_word)
        if expected is not None and s.type_abbr is not None and s.type_abbr != expected:
            need = "…/" + (f"{s.year}/" if s.year else "") + (
                f"{expected}-{s.issuer}" if expected else s.issuer)
            out.bad("document.type-symbol", t, r.start, ex, found=r.reference, expected=need,
                    abbr=s.type_abbr, abbr_type=abbr_type.get(s.type_abbr, s.type_abbr).lower(),
                    need=need, **base)
            flagged = True
        elif expected and s.type_abbr is None:
            out.unsure("document.type-symbol", t, r.start, ex,
                       f"ký hiệu {r.symbol} không có chữ viết tắt {expected} của loại "
                       f"{r.type_word.lower()}; kiểm tra lại loại văn bản hoặc ký hiệu")
            flagged = True
        agency = _agency(s)
        if (s.year is None and usual and agency != usual
                and (usual.startswith(agency) or agency.startswith(usual))):
            out.bad("document.symbol-malformed", t, r.start, ex, found=r.reference,
                    problem=f"tên viết tắt cơ quan ban hành {agency!r} khác với các văn bản "
                            f"khác của đơn vị ({usual!r})", **base)
            flagged = True
        if s.year is None and agency == usual and len(r.number) == 1:
            out.bad("document.symbol-malformed", t, r.start, ex, found=r.reference,
                    severity="note", problem=f"số nhỏ hơn 10 phải ghi thêm số 0 phía trước "
                                             f"(0{r.number})", **base)
        day = parse_date_text(r.date_text).day if r.date_text else None
        if s.year and day and day.year != int(s.year):
            out.bad("document.symbol-malformed", t, r.start, ex, found=r.reference,
                    problem=f"năm trong ký hiệu ({s.year}) khác năm ban hành ghi kèm "
                            f"({r.date_text})", **base)
            flagged = True
        if not flagged:
            out.ok("document.type-symbol", t, r.start, ex)
    _check_conflicts(parsed, out)


def _check_conflicts(parsed, out: _Out) -> None:
    """One document (number and symbol) cited with different dates, types or years."""
    by_ref: dict[str, list] = defaultdict(list)
    by_no_year: dict[str, list] = defaultdict(list)
    for r, s in parsed:
        number = r.number.lstrip("0") or "0"
        symbol = re.sub(r"\s+", "", r.symbol).upper()
        by_ref[f"{number}/{symbol}"].append(r)
        if s.year and not s.problem:
            by_no_year[f"{number}/{s.type_abbr or ''}-{s.issuer}".upper()].append(r)
    for ref, cited in by_ref.items():
        if len(cited) < 2:
            continue
        fields = (("ngày", lambda r: (parse_date_text(r.date_text).day or r.date_text)
                   if r.date_text else None, lambda r: r.date_text),
                  ("loại văn bản", lambda r: nfc(r.type_word).casefold(), lambda r: r.type_word))
        for field, key, shown in fields:
            seen = {key(r) for r in cited} - {None}
            if len(seen) > 1:
                values = ", ".join(f"{shown(r)} ({r.t.place})" for r in cited if key(r))
                last = cited[-1]
                out.bad("document.conflict", last.t, last.start,
                        _excerpt(last.t.text, last.start, last.end), found=values,
                        reference=cited[0].reference, count=len(cited), field=field,
                        values=values)
    for ref, cited in by_no_year.items():
        years = {parse_symbol(r.number, r.symbol).year for r in cited}
        if len(years) > 1:
            values = ", ".join(f"{r.reference} ({r.t.place})" for r in cited)
            last = cited[-1]
            out.bad("document.conflict", last.t, last.start,
                    _excerpt(last.t.text, last.start, last.end), found=values,
                    reference=cited[0].reference, count=len(cited), field="năm", values=values)


# ------------------------------------------------------------------ fractions and rates

_FRACTION = _rx(rf"{_NB}(?P<num>{_COUNT})\s*/\s*(?P<den>{_COUNT})(?![\w/]|[.,]\d)")
_PCT_AFTER_FRACTION = _rx(
    rf"^\s*(?P<noun>[^\W\d_]+(?:\s+[^\W\d_]+){{0,3}})?\s*[(,]?\s*"
    rf"(?:(?:(?:tỷ|tỉ)\s+lệ|đạt|chiếm|bằng|là|=|:)\s*){{0,3}}(?P<pct>{_PCT})\s*%")
_NOT_A_FRACTION_BEFORE = _rx(r"(?:ngày|đường|phố|trường|thôn|tổ|khu|số\s+nhà|số|điều|khoản|"
                             r"mục|tháng|quý)\s*$")
_LAW_BEFORE = _rx(rf"(?:{_TYPE_ALT}|luật|pháp\s+lệnh)\s*$")
_STANDARD_BEFORE = _rx(r"(?:chuẩn|phổ\s+thông|lớp|hệ)\s*$")
_FUNCTION_WORDS = {"đạt", "là", "được", "có", "gồm", "chiếm", "bằng", "với", "trên", "của", "và",
                   "theo", "quy", "định"}


def _indicator_words(text: str, pos: int) -> str:
    words = _clause_before(text, pos).split()
    while words and words[-1].casefold() in _FUNCTION_WORDS:
        words.pop()
    return " ".join(words[-5:])


def _check_fractions(t: _Text, skip: list[tuple[int, int]], out: _Out) -> None:
    text = t.text
    for m in _FRACTION.finditer(text):
        if _inside(m.span(), skip):
            continue
        num, den = _count(m["num"]), _count(m["den"])
        if num is None or den is None:
            continue
        before, after = text[:m.start()], text[m.end():]
        if (1900 <= den <= 2100 and num <= 12) or (num, den) == (24, 7):
            continue  # "tháng 6/2024", "24/7"
        if _NOT_A_FRACTION_BEFORE.search(before) or (
                1990 <= den <= 2100 and _LAW_BEFORE.search(before)):
            continue  # a date, an address, a numbered item; "Nghị quyết 35/2021" (number/year)
        if re.match(r"\s+là\s", after) or (num == den and _STANDARD_BEFORE.search(before)):
            continue  # "đạt chuẩn 12/12 là 21/21": a standard, not a fraction
        words = _indicator_words(text, m.start())
        indicator = _cap(f"{words} {m['num']}/{m['den']}".strip())
        ex = _excerpt(text, m.start(), m.end())
        pm = _PCT_AFTER_FRACTION.match(after)
        if pm and not _rx(r"hạn|tăng|giảm|so\s+với").search(pm["noun"] or ""):
            typed = _percent(pm["pct"])
            if typed is None:
                continue
            if den == 0:
                out.unsure("rate.mismatch", t, m.start(), ex, "mẫu số bằng 0")
            elif rate_matches(typed, num, den):
                out.ok("rate.mismatch", t, m.start(), ex)
            else:
                out.bad("rate.mismatch", t, m.start(), ex, found=typed,
                        expected=round(100 * num / den, max(1, printed_decimals(typed))),
                        indicator=indicator, typed=_typed(typed), num=fmt_number(num),
                        den=fmt_number(den), computed=_computed(typed, num, den))
            continue
        if num <= den:
            out.ok("value.done-exceeds-total", t, m.start(), ex)
        elif den <= 12 and num <= 31:
            out.unsure("value.done-exceeds-total", t, m.start(), ex,
                       f"{m['num']}/{m['den']} có tử số lớn hơn mẫu số, nhưng cũng có thể là "
                       "một ngày/tháng")
        else:
            out.bad("value.done-exceeds-total", t, m.start(), ex, found=num, expected=den,
                    indicator=indicator, done=fmt_number(num), total=fmt_number(den))


_NOUNS = (r"hồ\s+sơ|thủ\s+tục(?:\s+hành\s+chính)?|TTHC|nhiệm\s+vụ|văn\s+bản|người|cán\s+bộ|"
          r"công\s+chức|viên\s+chức|phiếu|tin\s+bài|cuộc|lượt|đơn|trường\s+hợp|cơ\s+quan|"
          r"đơn\s+vị|kiến\s+nghị|phản\s+ánh")
_COUNT_PCT = _rx(rf"{_NB}(?P<n>{_COUNT})\s+(?P<noun>{_NOUNS})\s*[(,]?\s*"
                 rf"(?:(?:(?:tỷ|tỉ)\s+lệ|đạt|chiếm|bằng|=|:)\s*){{0,3}}(?P<pct>{_PCT})\s*%")
_BASES = (("resolved", r"giải\s+quyết|xử\s+lý|trả\s+kết\s+quả"), ("due", r"đến\s+hạn"),
          ("received", r"tiếp\s+nhận|nhận"))
_NAMED_BASE = _rx(r"(?:so\s+với|trên|của)\s+(?:tổng\s+)?(?:số\s+)?(?:hồ\s+sơ\s+)?"
                  r"(?:đã\s+|được\s+|phải\s+)?(?P<what>giải\s+quyết|xử\s+lý|tiếp\s+nhận|đến\s+hạn)")


def _base_class(label: str) -> str | None:
    """Which total a count is: dossiers received, resolved or due (the keyword nearest to it)."""
    best, at = None, -1
    for cls, pattern in _BASES:
        for m in _rx(pattern).finditer(label):
            if m.end() > at:
                best, at = cls, m.end()
    return best


def _check_count_rates(t: _Text, skip: list[tuple[int, int]], out: _Out) -> None:
    """``đúng hạn 1.154 hồ sơ (96,2%)``: the share of a total the block states.

    Checked against the total the sentence names (``so với số hồ sơ đã giải quyết``); when it
    names none, the claim holds if one of the block's totals of the same noun fits.
    """
    text = t.text
    for m in _COUNT_PCT.finditer(text):
        if _inside(m.span(), skip):
            continue
        n, typed = _count(m["n"]), _percent(m["pct"])
        if n is None or typed is None:
            continue
        noun = " ".join(m["noun"].split()).casefold()
        candidates = []
        for c in _rx(rf"{_NB}(?P<n>{_COUNT})\s+(?:{_NOUNS})").finditer(text):
            if c.start() == m.start() or " ".join(text[c.end("n"):c.end()].split()).casefold() \
                    != noun or re.match(r"\s*[(,]?\s*\d[\d,.]*\s*%", text[c.end():]):
                continue
            value = _count(c["n"])
            if value:
                candidates.append((value, _base_class(_clause_before(text, c.start()))))
        ex = _excerpt(text, m.start(), m.end())
        named = _NAMED_BASE.search(text[m.end():m.end() + 60])
        if named:
            cls = _base_class(named["what"])
            dens = [v for v, c in candidates if c == cls]
            if not dens:
                continue
            if any(rate_matches(typed, n, d) for d in dens):
                out.ok("rate.mismatch", t, m.start(), ex)
            else:
                den = dens[0]
                out.bad("rate.mismatch", t, m.start(), ex, found=typed,
                        indicator=_cap(f"{_indicator_words(text, m.start())} {m['n']} "
                                       f"{m['noun']}".strip()),
                        typed=_typed(typed), num=fmt_number(n), den=fmt_number(den),
                        computed=_computed(typed, n, den))
            continue
        dens = [v for v, _ in candidates if v >= n]
        if not dens:
            continue
        if any(rate_matches(typed, n, d) for d in dens):
            out.ok("rate.mismatch", t, m.start(), ex)
        else:
            shown = ", ".join(f"{m['n']}/{fmt_number(d)} = {_computed(typed, n, d)}"
                              for d in dens[:3])
            out.unsure("rate.mismatch", t, m.start(), ex,
                       f"tỷ lệ {_typed(typed)} không khớp với tổng nào trong đoạn ({shown}); "
                       "câu không nói tỷ lệ tính trên tổng nào")


# ------------------------------------------------------------------ wholes and parts

_PARTS_PAREN = _rx(rf"{_NB}(?P<whole>{_COUNT})\s+(?P<label>[^\d()%;]{{2,90}}?)\s*"
                   rf"\((?P<inner>[^()]*)\)")
_NOT_A_WHOLE_BEFORE = _rx(r"(?:năm|(?<!dân\s)(?<!tổng\s)số|ngày|tháng|quý|điều|khoản|mục|"
                          r"giai\s+đoạn)\s*$")
_SUBSET = _rx(r"^\s*(?:trong\s+đó|riêng)\b")
_LIST_HEAD = _rx(r"^\s*(?:trong\s+đó|gồm|bao\s+gồm|cụ\s+thể|riêng)\s*:?\s*")
_NOT_A_PART = _rx(r"tăng|giảm|so\s+với|chiếm|đạt|(?:tỷ|tỉ)\s+lệ|bằng|%|/")
_NUMBER_IN = re.compile(rf"{_NB}(?:{_COUNT})(?![\w/]|[.,]\d)")


def _part_values(items: Sequence[str]) -> list[int] | None:
    values = []
    for item in items:
        if _NOT_A_PART.search(item):
            return None
        numbers = _NUMBER_IN.findall(item)
        if len(numbers) != 1:
            return None
        value = _count(numbers[0])
        if value is None:
            return None
        values.append(value)
    return values


def _parts_claim(t: _Text, pos: int, ex: str, whole_text: str, whole: int, parts: list[int],
                 relation: str, out: _Out, alternative: list[int] | None = None) -> None:
    total = sum(parts)
    sums = [total] + ([sum(alternative)] if alternative else [])
    good = any(s == whole for s in sums) if relation == "eq" else total <= whole
    if good:
        out.ok("parts.sum", t, pos, ex)
    else:
        out.bad("parts.sum", t, pos, ex, found=total, expected=whole,
                whole=f'"{_quote(whole_text)}"', whole_value=fmt_number(whole),
                parts=" + ".join(fmt_number(x) for x in parts), total=fmt_number(total))


def _check_paren_parts(t: _Text, skip: list[tuple[int, int]], out: _Out) -> None:
    """``22 văn bản (03 công văn, 02 báo cáo, …)``: the parts in brackets add up to the whole."""
    text = t.text
    for m in _PARTS_PAREN.finditer(text):
        if _inside(m.span("whole"), skip) or _NOT_A_WHOLE_BEFORE.search(text[:m.start()]):
            continue
        whole = _count(m["whole"])
        inner = m["inner"]
        if whole is None or re.search(_DATE_NUM, inner):
            continue
        relation = "le" if _SUBSET.search(inner) else "eq"
        items = [x for x in re.split(r"[,;]|\s+và\s+", _LIST_HEAD.sub("", inner)) if x.strip()]
        if len(items) < 2:
            continue
        values = _part_values(items)
        if values is None:
            continue
        s, _ = _sentence_at(text, m.start())
        head = re.split(r"[,;(]", text[s:m.start()])[-1]
        whole_text = f"{head}{m['whole']} {m['label']}".strip()
        _parts_claim(t, m.start(), _excerpt(text, m.start(), m.end()), whole_text, whole, values,
                     relation, out)


_FAMILIES = {
    "carry": (("old", r"tồn|kỳ\s+trước|chuyển\s+sang|chuyển\s+qua|năm\s+trước"),
              ("new", r"trong\s+kỳ|mới|phát\s+sinh")),
    "deadline": (("ontime", r"đúng\s+và\s+trước\s+hạn|đúng\s+hạn"),
                 ("early", r"(?<!đúng và )trước\s+hạn"),
                 ("late", r"quá\s+hạn|trễ\s+hạn|chậm\s+hạn|chậm")),
    "channel": (("online", r"trực\s+tuyến"), ("direct", r"trực\s+tiếp"),
                ("post", r"bưu\s+chính")),
}
_WHOLE_WORDS = _rx(r"tiếp\s+nhận|tổng\s+số|tổng\s+cộng|giải\s+quyết|xử\s+lý")
_RECEIVED = _rx(r"tiếp\s+nhận|tổng\s+số|tổng\s+cộng")
_TOTAL = _rx(r"tổng\s+số|tổng\s+cộng")


def _part_of(label: str) -> tuple[str, str] | None:
    for family, members in _FAMILIES.items():
        for member, pattern in members:
            if _rx(pattern).search(label):
                return family, member
    return None


def _check_listed_parts(t: _Text, out: _Out) -> None:
    """``tiếp nhận 661 hồ sơ, tồn kỳ trước 41 hồ sơ, tiếp nhận trong kỳ 620 hồ sơ``: a total
    followed by its parts of the same unit noun (carried over + new; on time + late)."""
    text = t.text
    blanked = re.sub(r"\([^()]*\)", lambda m: " " * len(m.group()), text)
    for s, e in _sentences(blanked):
        items = []
        pos = s
        pieces = re.split(r"(;|,(?!\d))", blanked[s:e])
        for k, piece in enumerate(pieces):
            if piece in (",", ";"):
                following = pieces[k + 1] if k + 1 < len(pieces) else ""
                if piece == ";" and not _LIST_HEAD.match(following):
                    items.append(None)  # a new statement, unless "; trong đó: …"
                pos += 1
                continue
            numbers = list(_NUMBER_IN.finditer(piece))
            ok = (len(numbers) == 1 and not re.match(r"\s*%", piece[numbers[0].end():])
                  and not re.search(_DATE_NUM, piece))
            if ok:
                nm = numbers[0]
                noun = re.match(rf"\s+({_NOUNS})", piece[nm.end():], re.I)
                label = piece[:nm.start()] + " " + piece[nm.end():]
                items.append((pos + nm.start(), _count(nm.group()), label,
                              " ".join(noun[1].split()).casefold() if noun else "",
                              piece.strip()))
            else:
                items.append(None)
            pos += len(piece)
        for i, item in enumerate(items):
            if item is None or item[1] is None:
                continue
            start, whole, label, noun, printed = item
            if not _WHOLE_WORDS.search(label) or (_part_of(label) and not _TOTAL.search(label)):
                continue
            family, parts = None, []
            for nxt in items[i + 1:]:
                if nxt is None or nxt[1] is None or (nxt[3] and noun and nxt[3] != noun):
                    break
                member = _part_of(nxt[2])
                if member is None or (family and member[0] != family) \
                        or member[1] in {k for k, _ in parts}:
                    break
                family = member[0]
                parts.append((member[1], nxt[1]))
            if len(parts) < 2:
                continue
            values = [v for _, v in parts]
            alternative = None
            if family == "carry":
                relation = "eq" if _RECEIVED.search(label) else "le"
            elif family == "deadline":
                relation = "le" if _RECEIVED.search(label) else "eq"
                if any(k == "early" for k, _ in parts):
                    alternative = [v for k, v in parts if k != "early"]
            else:
                relation = "le"
            end = items[i + len(parts)][0]  # the last part
            whole_text = printed
            _parts_claim(t, start, _excerpt(text, start, end + 1), whole_text, whole, values,
                         relation, out, alternative)


_SHARE_LABELS = (r"đúng\s+và\s+trước\s+hạn|trước\s+và\s+đúng\s+hạn|đúng\s+hạn|trước\s+hạn|"
                 r"quá\s+hạn|trễ\s+hạn|chậm\s+hạn|trực\s+tuyến|trực\s+tiếp")
_SHARE_BEFORE = _rx(rf"(?P<label>{_SHARE_LABELS})\s*(?:(?:là|đạt|chiếm|:|=)\s*)?"
                    rf"(?:(?:tỷ|tỉ)\s+lệ\s*)?(?:(?:là|đạt|chiếm|:)\s*)?(?P<pct>{_PCT})\s*%")
_SHARE_AFTER = _rx(rf"{_NB}(?P<pct>{_PCT})\s*%\s+(?:(?:số\s+)?hồ\s+sơ\s+)?"
                   rf"(?:(?:được\s+)?giải\s+quyết\s+)?(?P<label>{_SHARE_LABELS})")


def _check_shares(t: _Text, out: _Out) -> None:
    """``đúng hạn 74,9%, trễ hạn 25,1%``: shares of one whole add up to 100%."""
    text = t.text
    for s, e in _sentences(text):
        found: dict[str, list] = defaultdict(list)
        seen: set[int] = set()
        for rx in (_SHARE_BEFORE, _SHARE_AFTER):
            for m in rx.finditer(text, s, e):
                if m.start("pct") in seen:
                    continue
                value = _percent(m["pct"])
                member = _part_of(m["label"])
                if value is None or member is None:
                    continue
                seen.add(m.start("pct"))
                found[member[0]].append((member[1], value, m.start(), " ".join(m["label"].split())))
        for family, shares in found.items():
            kinds = [k for k, *_ in shares]
            if len(set(kinds)) != len(kinds):
                continue  # the same share twice: two wholes in one sentence
            if family == "deadline" and not ({"ontime", "late"} <= set(kinds)):
                continue
            if family == "channel" and len(shares) < 2:
                continue
            if family == "carry":
                continue
            values = [v for _, v, *_ in shares]
            tolerance = sum(0.5 * 10 ** -printed_decimals(v) for v in values) + 1e-9
            sums = [sum(values)]
            if "early" in kinds:
                sums.append(sum(v for k, v, *_ in shares if k != "early"))
            pos = min(p for *_, p, _ in shares)
            end = max(p for *_, p, _ in shares)
            ex = _excerpt(text, pos, end + 1)
            if family == "channel":
                good = sums[0] <= 100 + tolerance
            else:
                good = any(abs(x - 100) <= tolerance for x in sums)
            if good:
                out.ok("shares.complement", t, pos, ex)
            else:
                total = round(sums[0], 4)
                out.bad("shares.complement", t, pos, ex, found=total, expected=100,
                        whole="Các tỷ lệ " + ", ".join(lbl for *_, lbl in shares),
                        parts=" + ".join(_typed(v) for v in values), total=_typed(total))


# ------------------------------------------------------------------ budget

_BUDGET = _rx(rf"{_NB}(?P<amt>\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?|\d+(?:,\d+)?)\s*"
              rf"(?P<unit>tỷ\s+đồng|triệu\s+đồng|nghìn\s+đồng|ngàn\s+đồng|đồng)\s*,?\s*"
              rf"(?:(?:đạt|bằng|=|là|(?:tỷ|tỉ)\s+lệ)\s*)*(?P<pct>{_PCT})\s*%\s*"
              rf"(?:(?:so\s+với|của|trên)\s+)?(?P<est>(?:dự\s+toán|kế\s+hoạch)[^,;.()%\d]*)?")
_MULTIPLIER = {"tỷ": 10 ** 9, "triệu": 10 ** 6, "nghìn": 1000, "ngàn": 1000, "đồng": 1}
_ESTIMATE_NOISE = {"xã", "phường", "thị", "trấn", "đặc", "khu", "được", "đã", "năm", "số", "đầu"}


@dataclass(frozen=True)
class _Amount:
    t: _Text
    start: int
    text: str
    key: str
    low: Fraction
    high: Fraction
    point: Fraction


def _amounts(texts: Sequence[_Text]) -> list[_Amount]:
    out = []
    for t in texts:
        for m in _BUDGET.finditer(t.text):
            if not m["est"]:
                continue  # the share of an estimate the sentence does not name
            typed = _percent(m["pct"])
            try:
                reading = parse_number(m["amt"], kind="amount")
            except NumberFormatError:
                try:
                    reading = parse_number(m["amt"], kind="decimal")
                except NumberFormatError:
                    continue
            if not typed or reading.value is None:
                continue
            mult = _MULTIPLIER[m["unit"].split()[0].lower()]
            amount = Fraction(str(reading.value)) * mult
            decimals = len(m["amt"].split(",")[1]) if "," in m["amt"] else 0
            half_amount = Fraction(mult, 2 * 10 ** decimals) if mult > 1 else Fraction(0)
            half = Fraction(1, 2 * 10 ** printed_decimals(typed))
            pct = Fraction(str(typed))
            low = (amount - half_amount) * 100 / (pct + half)
            high = (amount + half_amount) * 100 / (pct - half) if pct > half else Fraction(10 ** 18)
            words = [w for w in m["est"].casefold().split() if w not in _ESTIMATE_NOISE]
            out.append(_Amount(t, m.start(), " ".join(m.group(0).split()), " ".join(words), low,
                               high, amount * 100 / pct))
    return out


def _money(x: Fraction) -> str:
    value = float(x)
    if value >= 10 ** 8:
        return f"{fmt_number(round(value / 10 ** 6, 1), 1)} triệu đồng"
    return f"{fmt_number(round(value))} đồng"


def _check_budget(texts: Sequence[_Text], out: _Out) -> None:
    """Two amounts that give their share of the same estimate must imply the same estimate."""
    groups: dict[str, list[_Amount]] = defaultdict(list)
    for a in _amounts(texts):
        groups[a.key].append(a)
    for key, amounts in groups.items():
        generic = key in ("dự toán", "kế hoạch", "dự toán giao", "kế hoạch giao")
        for i, first in enumerate(amounts):
            for second in amounts[i + 1:]:
                ex = _excerpt(second.t.text, second.start, second.start + len(second.text))
                if first.low <= second.high and second.low <= first.high:
                    out.ok("budget.estimates-differ", second.t, second.start, ex)
                    continue
                params = {"first": f'"{_quote(first.text)}"',
                          "first_estimate": _money(first.point),
                          "second": f'"{_quote(second.text)}"',
                          "second_estimate": _money(second.point)}
                if generic:
                    out.unsure("budget.estimates-differ", second.t, second.start, ex,
                               f"{params['first']} ngụ ý dự toán khoảng {params['first_estimate']}"
                               f", còn câu này ngụ ý khoảng {params['second_estimate']}; câu "
                               "không nói rõ hai tỷ lệ có cùng tính trên một dự toán không")
                else:
                    out.bad("budget.estimates-differ", second.t, second.start, ex, **params)


# ------------------------------------------------------------------ dates and window

_DATE_ANY = _rx(rf"(?<![\d/.])(?P<num>\d{{1,2}}\s*/\s*\d{{1,2}}\s*/\s*\d{{4}})(?![\d/])"
                rf"|ngày\s+(?P<words>{_DATE_WORDS})")
_WINDOW = _rx(rf"từ\s+(?:ngày\s+)?(?P<a>{_DATE_NUM})\s*(?:đến|tới|-|–)\s*(?:hết\s+)?"
              rf"(?:ngày\s+)?(?P<b>{_DATE_NUM})")
_DATA_CUE = _rx(r"số\s+liệu|thống\s+kê|chốt|kỳ\s+báo\s+cáo|tính\s+từ")
_PLANNING = _rx(r"(?<!\w)(?:sẽ|dự\s+kiến|phấn\s+đấu|trước\s+ngày|chậm\s+nhất|hạn\s+chót|"
                r"hoàn\s+thành\s+trước)(?!\w)")


def _check_dates(texts: Sequence[_Text], refs: Sequence[_Ref], ctx: ReportContext,
                 own: _Dated | None, out: _Out) -> None:
    by_span = {(r.t.index, r.t.place, r.date_span): r for r in refs if r.date_span}
    windows: list[tuple[_Text, re.Match]] = []
    for t in texts:
        for w in _WINDOW.finditer(t.text):
            s, e = _sentence_at(t.text, w.start())
            if _DATA_CUE.search(t.text[s:e]):
                windows.append((t, w))
    window_spans = {(t.index, t.place, w.span("a")): "Ngày bắt đầu lấy số liệu"
                    for t, w in windows}
    window_spans.update({(t.index, t.place, w.span("b")): "Ngày chốt số liệu" for t, w in windows})
    report = ctx.report_date
    for t in texts:
        for m in _DATE_ANY.finditer(t.text):
            group = "num" if m["num"] else "words"
            span, printed = m.span(group), m[group]
            digits = _date_digits(printed)
            parsed = parse_date_text(digits)
            key = (t.index, t.place, span)
            is_own = (own is not None and (own.index, own.place) == (t.index, t.place)
                      and own.span[0] <= span[0] and span[1] <= own.span[1])
            ref = by_span.get(key)
            if is_own:
                what = "Ngày báo cáo"
            elif ref is not None:
                what = ref.label
            elif key in window_spans:
                what = window_spans[key]
            else:
                words = _clause_before(t.text, m.start()).split()[-7:]
                if len(words) >= 3:
                    what = f'Câu "…{" ".join(words)}"'
                else:
                    s, e = _sentence_at(t.text, m.start())
                    a = max([s] + [i + 1 for i in range(s, m.start()) if t.text[i] in ",;"])
                    b = min([e] + [i for i in range(m.end(), e) if t.text[i] in ",;"])
                    what = f'Câu "{_quote(t.text[a:b].strip(), 60)}"'
            ex = _excerpt(t.text, m.start(), m.end())
            if not parsed.ok:
                out.bad("date.invalid", t, span[0], ex, found=printed, what=what, text=printed,
                        problem=parsed.problem)
                continue
            if is_own:
                continue
            if report is None:
                out.ok("date.invalid", t, span[0], ex)
                continue
            if parsed.day <= report:
                out.ok("date.after-report", t, span[0], ex)
                continue
            s, e = _sentence_at(t.text, m.start())
            planning = bool(_PLANNING.search(t.text[s:e]))
            if t.directions and planning:
                continue  # a deadline of what is to be done next: nothing to check
            if t.directions or planning:
                out.unsure("date.after-report", t, span[0], ex,
                           f"ngày {printed} sau ngày của chính báo cáo ({ctx.report_date_text}), "
                           "nhưng có thể là thời hạn của việc sắp làm")
                continue
            out.bad("date.after-report", t, span[0], ex, found=printed,
                    expected=fmt_date_short(report), what=what, text=printed,
                    report_date=ctx.report_date_text or fmt_date_short(report))
    _check_window(windows, ctx, own, out)


def _check_window(windows, ctx: ReportContext, own: _Dated | None, out: _Out) -> None:
    p = ctx.period
    own_end = None
    for t, w in windows:
        a = parse_date_text(_date_digits(w["a"])).day
        b = parse_date_text(_date_digits(w["b"])).day
        if a is None or b is None:
            continue
        own_end = own_end or b
        if p is not None:
            start, end = periods.cutoff_window(p)
            ex = _excerpt(t.text, w.start(), w.end())
            if (a, b) == (start, end):
                out.ok("window.differs", t, w.start(), ex)
            else:
                out.bad("window.differs", t, w.start(), ex, found=f"{w['a']}–{w['b']}",
                        expected=f"{fmt_date_short(start)}–{fmt_date_short(end)}",
                        start=" ".join(w["a"].split()), end=" ".join(w["b"].split()),
                        period_label=periods.label(p), official_start=fmt_date_short(start),
                        official_end=fmt_date_short(end))
    if ctx.report_date is None or (p is None and own_end is None):
        return
    window_end = own_end or periods.cutoff_window(p)[1]
    place = own.place if own is not None else "ngày báo cáo"
    anchor = _Text(place, own.index if own else 10 ** 9, "", "")
    shown = ctx.report_date_text or fmt_date_short(ctx.report_date)
    ex = f"Ngày báo cáo {shown}"
    if ctx.report_date < window_end:
        out.bad("report.before-window-end", anchor, 0, ex, found=shown,
                expected=fmt_date_short(window_end), report_date=shown,
                window_end=fmt_date_short(window_end))
    else:
        out.ok("report.before-window-end", anchor, 0, ex)
    if p is not None:
        deadline = periods.deadline(p)
        if ctx.report_date > deadline:
            out.bad("report.after-deadline", anchor, 0, ex, found=shown,
                    expected=fmt_date_short(deadline), report_date=shown,
                    deadline=fmt_date_short(deadline), period_label=periods.label(p))


# ------------------------------------------------------------------ period labels

_RESULT_CUE = _rx(r"(?:^|[\s,:;(])(?:trong|tính\s+đến\s+hết|lũy\s+kế|luỹ\s+kế|"
                  r"thống\s+kê(?:\s+báo\s+cáo)?|kết\s+quả(?:\s+thực\s+hiện)?)\s*:?\s*$")
_COMPARED = _rx(r"so\s+với|cùng\s+kỳ|kỳ\s+trước|năm\s+trước")
_LATER_CUE = _rx(r"(?<!\w)(?:sẽ|tiếp\s+tục|phấn\s+đấu|dự\s+kiến|kế\s+hoạch)(?!\w)")
_CLOSING = _rx(r"^trên\s+đây\s+là\s+báo\s+cáo")


def _months(kind: str, quarter: int | None) -> tuple[int, int]:
    if kind == "Q":
        return 3 * quarter - 2, 3 * quarter
    return {"H1": (1, 6), "9M": (1, 9), "Y": (1, 12), "H2": (7, 12)}[kind]


def _check_periods(texts: Sequence[_Text], refs: Sequence[_Ref], title: _Text | None,
                   ctx: ReportContext, out: _Out) -> None:
    """Phrases that state the period of the results name the report's own period."""
    p = ctx.period
    if p is None:
        return
    ref_spans: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
    for r in refs:
        # the reference and its summary ("… về việc …"), up to the end of its clause
        s, e = _sentence_at(r.t.text, r.start)
        stop = re.search(r"[;:]", r.t.text[r.end:e])
        ref_spans[(r.t.index, r.t.place)].append((r.start, r.end + stop.start() if stop else e))
    own_months = _months(p.kind, p.quarter)
    for t in texts:
        if t.header:
            continue
        is_title = title is not None and t is title
        closing = bool(_CLOSING.search(t.text))
        phrases = [x for x in _period_phrases(t.text)
                   if x.kind and not _inside((x.start, x.end), ref_spans[(t.index, t.place)])]
        for n, x in enumerate(phrases):
            if x.kind == "H2":
                continue  # the next half, named in the directions
            before = t.text[max(0, x.start - 40):x.start]
            if _COMPARED.search(t.text[max(0, x.start - 25):x.start]):
                continue
            results = ((is_title and n == 0) or (t.heading and not t.directions)
                       or closing or bool(_RESULT_CUE.search(before)))
            if not results:
                continue
            if t.directions and not (is_title or closing):
                continue
            ex = _excerpt(t.text, x.start, x.end)
            same_kind = x.kind == p.kind and (x.kind != "Q" or x.quarter == p.quarter)
            year_ok = x.year is None or x.year == p.year
            if same_kind and year_ok:
                out.ok("period.label-mismatch", t, x.start, ex)
                continue
            where = ("Tiêu đề" if is_title else "Đề mục" if t.heading else "Câu") + \
                f' "{_quote(_excerpt(t.text, x.start, x.end, 90), 90)}"'
            months = _months(x.kind, x.quarter)
            inside = own_months[0] <= months[0] and months[1] <= own_months[1]
            around = months[0] <= own_months[0] and own_months[1] <= months[1]
            s, e = _sentence_at(t.text, x.start)
            later = (x.year or p.year, months[0]) > (p.year, own_months[1])
            if not t.heading and not is_title and year_ok and (
                    inside or (around and x.kind == "Y")):
                relation = "là một phần của" if inside else "bao trùm"
                out.unsure("period.label-mismatch", t, x.start, ex,
                           f'"{x.text}" {relation} kỳ báo cáo ({periods.label(p)}): kiểm tra '
                           "số liệu của câu nói về kỳ nào")
            elif later and _LATER_CUE.search(t.text[s:e]):
                out.unsure("period.label-mismatch", t, x.start, ex,
                           f'"{x.text}" là kỳ sau {periods.label(p)}: có thể là nhiệm vụ sắp làm')
            else:
                out.bad("period.label-mismatch", t, x.start, ex, found=x.text,
                        expected=periods.label(p), where=where, label=x.text,
                        period_label=periods.label(p))


# ------------------------------------------------------------------ unit names

_OTHER_LEVEL = _rx(r"(?<!\w)(?P<who>(?:(?:ủy|uỷ)\s+ban\s+nhân\s+dân|ubnd)\s+"
                   r"(?P<noun>huyện|quận|thị\s+xã|thành\s+phố|tỉnh|xã|phường|thị\s+trấn)"
                   r"(?:\s+[^\W\d_][\w']*){0,4}?)\s+(?:đã\s+|đang\s+)?"
                   r"(?:ban\s+hành|tổ\s+chức|thực\s+hiện|triển\s+khai|tiếp\s+nhận|giải\s+quyết)"
                   r"\s+(?:được\s+|tổng\s+số\s+|tổng\s+cộng\s+)?\d")
_NOT_SUBJECT = _rx(r"(?<!\w)(?:của|theo|cho|với|gửi|đến|tại|và|từ)\s*$")
_LEVEL_NAME = {"district": "cấp huyện", "province": "cấp tỉnh", "commune": "cấp xã",
               "city": "cấp tỉnh hoặc cấp huyện"}


def _check_unit_names(texts: Sequence[_Text], ctx: ReportContext, own: _Dated | None,
                      out: _Out) -> None:
    own_level = ctx.unit.level if ctx.unit else "commune"
    own_name = ctx.unit.name if ctx.unit else unit_noun(ctx.unit_text)[2]
    unit_label = units.unit_title(ctx.unit) if ctx.unit else (ctx.unit_text or "đơn vị")
    for t in texts:
        for m in _OTHER_LEVEL.finditer(t.text):
            noun = " ".join(m["noun"].split()).lower()
            level = _NOUN_LEVEL.get(noun)
            if level == own_level or _NOT_SUBJECT.search(t.text[:m.start()]):
                continue
            who = " ".join(m["who"].split())
            ex = _excerpt(t.text, m.start(), m.end())
            out.bad("unit.other-level", t, m.start(), ex, found=who,
                    where=f'Câu "{_quote(ex, 80)}"', name=who, level=_LEVEL_NAME[level],
                    unit=unit_label)
    if not own_name:
        return
    own_key = units.loose_key(own_name)
    spellings: dict[str, list[tuple[_Text, int, str]]] = {}
    for n in _names(texts):
        if n.level != "commune" or units.loose_key(n.name) != own_key:
            continue
        spellings.setdefault(nfc(n.name).casefold(), []).append((n.t, n.start, n.name))
    if own is not None and own.place_name and units.loose_key(own.place_name) == own_key:
        anchor = next((t for t in texts if (t.index, t.place) == (own.index, own.place)), None)
        if anchor is not None:
            spellings.setdefault(nfc(own.place_name).casefold(), []).append(
                (anchor, 0, own.place_name))
    if not spellings:
        return
    ordered = sorted(spellings.values(), key=lambda hits: (hits[0][0].index, hits[0][1]))
    listing = []
    for hits in ordered:
        shown = next((name for *_, name in hits if not name.isupper()), hits[0][2])
        places = list(dict.fromkeys(t.place for t, *_ in sorted(hits, key=lambda h: (h[0].index,
                                                                                    h[1]))))
        listing.append(f'"{shown}" ({", ".join(places)})')
    ex = "; ".join(x.split(" (")[0] for x in listing)
    first_t, first_pos, _ = ordered[0][0]
    if len(spellings) == 1:
        out.ok("unit.name-variants", first_t, first_pos, ex)
        return
    out.bad("unit.name-variants", None, 0, ex, place="toàn báo cáo", found=len(spellings),
            expected=own_name, count=len(spellings), variants="; ".join(listing))


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


# =============================================================================== entry points

def check_text(blocks: Sequence[Block], ctx: ReportContext) -> list[Claim]:
    """Every claim found in the running text, consistent or not, in reading order."""
    texts = _prepare(blocks)
    out = _Out()
    own = _find_report_date(texts)
    if own is not None and ctx.report_date_text and own.text != ctx.report_date_text:
        own = None
    refs = _references(texts)
    spans: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
    for r in refs:
        spans[(r.t.index, r.t.place)].append((r.start, r.end))
    decomposed: set[str] = set()
    for t in texts:
        skip = spans[(t.index, t.place)]
        _check_hygiene(t, out, decomposed)
        _check_blanks(t, own, out)
        if t.header:
            continue
        _check_fractions(t, skip, out)
        _check_count_rates(t, skip, out)
        _check_paren_parts(t, skip, out)
        _check_listed_parts(t, out)
        _check_shares(t, out)
    _check_references(refs, out)
    _check_budget([t for t in texts if not t.header], out)
    _check_dates(texts, refs, ctx, own, out)
    _check_periods(texts, refs, _find_title(texts), ctx, out)
    _check_unit_names(texts, ctx, own, out)
    if len(decomposed) > _MAX_DECOMPOSED:
        more = len(decomposed) - _MAX_DECOMPOSED
        out.bad("claim.unsure", None, 0, "", place="toàn báo cáo", checked_by="text.decomposed",
                excerpt="Toàn báo cáo", why=f"còn {more} chữ khác cũng viết dấu tách rời (dạng tổ "
                                            "hợp NFD); nên chuẩn hóa cả văn bản về dạng NFC")
    return out.claims()


def check_blocks(blocks: Sequence[Block], *, unit_hint: str | None = None,
                 period_hint: str | None = None) -> tuple[ReportContext, list[Claim]]:
    """:func:`detect_context` then :func:`check_text`."""
    ctx = detect_context(blocks, unit_hint=unit_hint, period_hint=period_hint)
    return ctx, check_text(blocks, ctx)
