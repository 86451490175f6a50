"""The running text made ready to read, and the tools every claim family reads it with.

Blocks cleaned (through :func:`cchc_lib.vntext.plain`) and marked (headings, directions, header
table); sentence bounds, excerpts and quotes; the regular-expression fragments the families
share.  Offsets of a :class:`Text` refer to its cleaned text.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import Iterable, Sequence

from cchc_lib.audit import limits
from cchc_lib.audit.document import Block
from cchc_lib.audit.limits import EXCERPT_LIMIT
from cchc_lib.textparse import nfc, type_abbreviations
from cchc_lib.vntext import plain

__all__ = ["Text", "LeftOut", "prepare", "passages", "clean", "rx", "sentences", "sentence_at", "excerpt",
           "clause_before", "tail", "quote", "cap", "first_few", "Spans", "inside", "date_digits",
           "END", "SHOWN", "CLAUSE_WINDOW", "BODY_WORDS", "COUNT", "PCT", "NB", "DATE_NUM", "DATE_WORDS",
           "TYPE_ALT"]

#: The reading position of what concerns the report as a whole: after every block.
END = 10 ** 9

# ------------------------------------------------------------------ blocks made ready to read

# A gap longer than this is shortened to it.  Several patterns allow spaces in two places in a
# row ("đồng  , đạt"); on a run of thousands of spaces their backtracking would take minutes.
_MAX_GAP = 16
_LONG_GAP = re.compile(rf"\s{{{_MAX_GAP + 1},}}")


def clean(raw: str) -> str:
    """What the patterns read: NFC, look-alike letters mapped, odd spaces made plain, long gaps
    shortened (to 16 spaces: a blank left for a number keeps its look)."""
    return _LONG_GAP.sub(" " * _MAX_GAP, plain(raw))


def rx(pattern: str, flags: int = re.I) -> re.Pattern[str]:
    """Patterns are written in NFC, like the text they read; case is ignored by default."""
    return re.compile(nfc(pattern), flags)


@dataclass(frozen=True)
class Text:
    """A block of running text (or a cell of the header table) ready to be read."""

    place: str
    index: int
    raw: str  # as written
    text: str  # cleaned (see clean): offsets below refer to it
    heading: bool = False
    top: bool = False  # a top-level heading: "II. …" or a line in capitals
    directions: bool = False  # inside the part on directions and proposals
    header: bool = False  # a cell of the header table
    cut: int = 0  # the block's length when it was longer than MAX_BLOCK_CHARS and cut there


@dataclass(frozen=True)
class LeftOut:
    """The running text past MAX_TEXT_CHARS, which is not read: where it starts, how much."""

    place: str
    index: int
    blocks: int
    chars: int
    read: int  # characters of running text read before it


#: A paragraph of this many words starts the body: table rows above it are the header table
#: (issuer, number, place and date), not the appendix.
BODY_WORDS = 8
_NUMBERED = re.compile(r"^(?P<n>[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])\s*[.)]\s*\S")
_DIRECTIONS = rx(r"phương\s+hướng|nhiệm\s+vụ\s+(?:trọng\s+tâm|thời\s+gian\s+tới|tiếp\s+theo)"
                 r"|đề\s+xuất|kiến\s+nghị|giải\s+pháp"
                 # "III. NHIỆM VỤ QUÝ IV NĂM 2025", "3. Nhiệm vụ quý II/2026": the next period's tasks
                 r"|^\s*(?:[IVXLC]+|\d+)\s*[.)]\s*(?:nhiệm\s+vụ|kế\s+hoạch)\s+"
                 r"(?:quý|năm|0?6\s+tháng|0?9\s+tháng|thời\s+gian)")
_HEADER_ROW = rx(r"cộng\s+h[oò]a|độc\s+lập|ủy\s+ban|uỷ\s+ban|ubnd|số\s*:")
_DAY, _MONTH = rx(r"ngày\s"), rx(r"tháng")


def _is_header_row(text: str) -> bool:
    """A row of the header table: the issuer, the motto, the number, a "ngày … tháng" line.

    The last is looked for line by line, "tháng" after the first "ngày" (a ``ngày\\s.*tháng``
    pattern would go back over the whole line at every "ngày")."""
    if _HEADER_ROW.search(text):
        return True
    for line in text.split("\n"):
        m = _DAY.search(line)
        if m and _MONTH.search(line, m.end()):
            return True
    return False


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


def _cut(raw: str) -> str:
    """The first MAX_BLOCK_CHARS characters, ending at a space when one is near (so that no
    number is read cut in two)."""
    most = limits.MAX_BLOCK_CHARS
    head = raw[:most]
    space = max(head.rfind(" ", most - 200), head.rfind("\t", most - 200))
    return head[:space] if space > 0 else head


def prepare(blocks: Sequence[Block]) -> tuple[list[Text], LeftOut | None]:
    """The running text, in reading order; the header table's cells before the body starts.

    A block longer than MAX_BLOCK_CHARS is read up to there (``cut`` keeps its length); the
    blocks after the first MAX_TEXT_CHARS characters are not read (the second value says where
    they start, None when everything is read).
    """
    out: list[Text] = []
    directions = body = False
    by_sub = False  # the directions part was opened by a sub-heading ("3. Phương hướng quý II")
    total = 0
    block_chars, text_chars = limits.MAX_BLOCK_CHARS, limits.MAX_TEXT_CHARS
    for n, b in enumerate(blocks):
        if total > text_chars:
            rest = [x for x in blocks[n:] if not x.cells and x.text.strip()]
            if rest:
                return out, LeftOut(rest[0].place, rest[0].index, len(rest),
                                    sum(len(x.text) for x in rest), total)
            break
        if b.cells:
            if body or not _is_header_row(nfc(b.text[:block_chars])):
                continue
            for cell in b.cells:
                for line in cell.splitlines():
                    if line.strip():
                        raw = line.strip()
                        cut = len(raw) if len(raw) > block_chars else 0
                        raw = _cut(raw) if cut else raw
                        total += len(raw)
                        out.append(Text(b.place, b.index, raw, clean(raw), header=True,
                                        cut=cut))
            continue
        raw = b.text.strip()
        if not raw:
            continue
        cut = len(raw) if len(raw) > block_chars else 0
        raw = _cut(raw) if cut else raw
        total += len(raw)
        text = clean(raw)
        if len(text.split()) >= BODY_WORDS:
            body = True
        heading, top = _heading_kind(text)
        if top:
            directions, by_sub = bool(_DIRECTIONS.search(text)), False
        elif heading and _DIRECTIONS.search(text):
            directions, by_sub = True, not directions
        elif heading and by_sub:
            directions = by_sub = False
        out.append(Text(b.place, b.index, raw, text, heading, top, directions, cut=cut))
    return out, None


_LIST_ITEM = re.compile(r"^\s*(?:[-+•*–]|[a-zđ]\)|\d{1,2}\))\s*")
_GOES_ON = re.compile(nfc(r"^\s*(?:trong\s+(?:số\s+)?đó|cụ\s+thể|riêng)(?!\w)"), re.I)


def passages(texts: Sequence[Text]) -> list[tuple[Text, ...]]:
    """The running text in paragraphs a whole and its shares may be spread over: a block, the
    list items under it when it ends with ":" ("… trong đó:" then "- Trực tuyến: …"), and a
    block that opens with "Trong đó", "Trong số đó" or "Cụ thể" (it goes on with the one
    before).  Headings and the header table's cells stand alone."""
    out: list[list[Text]] = []
    listing = False  # the passage so far ends with ":" or a list item: items join it
    for t in texts:
        if t.header or t.heading:
            out.append([t])
            listing = False
            continue
        item = bool(_LIST_ITEM.match(t.text))
        joins = bool(out) and not out[-1][0].heading and not out[-1][0].header and (
            (item and listing) or bool(_GOES_ON.match(t.text)))
        if joins:
            out[-1].append(t)
        else:
            out.append([t])
        listing = t.text.rstrip().endswith(":") or (joins and item and listing)
    return [tuple(p) for p in out]


class _Bounds:
    """A text's sentence bounds, found once: every match of a long block asks for its sentence,
    and finding them again each time made the audit quadratic."""

    __slots__ = ("bounds", "starts", "stripped")

    def __init__(self, text: str):
        bounds, start = [], 0
        for m in _STOP.finditer(text):
            j = m.end()
            while j < len(text) and text[j].isspace():
                j += 1
            if j < len(text) and (text[j].isupper() or text[j].isdigit() or text[j] in "(-–\"“"):
                bounds.append((start, m.end()))
                start = j
        bounds.append((start, len(text)))
        self.bounds = tuple(bounds)
        self.starts = [s for s, _ in bounds]
        # where each sentence (and the whole text) starts and ends without its outer spaces
        self.stripped = {(s, e): _strip_span(text, s, e) for s, e in (*bounds, (0, len(text)))}


_STOP = re.compile(r"[.;!?](?=\s)")


def _strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    piece = text[s:e]
    return s + len(piece) - len(piece.lstrip()), e - len(piece) + len(piece.rstrip())


@functools.lru_cache(maxsize=256)
def _bounds(text: str) -> _Bounds:
    return _Bounds(text)


def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Sentence (and ``;``-clause) bounds: a stop followed by a space and a capital or digit."""
    return _bounds(text).bounds


def sentence_at(text: str, pos: int) -> tuple[int, int]:
    """The bounds of the sentence holding ``pos`` (the whole text when it falls between two)."""
    b = _bounds(text)
    k = bisect_right(b.starts, pos) - 1
    if k >= 0:
        s, e = b.bounds[k]
        if s <= pos < e or pos == e == len(text):
            return s, e
    return 0, len(text)


def excerpt(text: str, start: int, end: int, limit: int = EXCERPT_LIMIT) -> str:
    """The sentence around ``text[start:end]``, cut to ``limit`` characters around the match."""
    s, e = sentence_at(text, start)
    ls, le = _bounds(text).stripped[(s, e)]
    if le - ls <= limit:
        return text[ls:le]
    room = limit - 2
    if end - start >= room:
        return text[start:start + limit - 1].rstrip() + "…"
    mid = (start + end) // 2
    a = max(s, min(mid - room // 2, e - room))
    b = min(e, a + room)
    return ("…" if a > s else "") + text[a:b].strip() + ("…" if b < e else "")


# How far back a clause, or what stands just before a match, is looked for.
CLAUSE_WINDOW = 300
_LOOKBACK = 120


def clause_before(text: str, pos: int) -> str:
    """The words of the clause that ends at ``pos`` (after the last , ; : ( or sentence stop),
    at most its last 300 characters (whole words)."""
    s, _ = sentence_at(text, max(0, pos - 1))
    low = max(s, pos - CLAUSE_WINDOW)
    cut = max(text.rfind(c, low, pos) for c in ",;:(")
    if cut >= 0:
        return text[cut + 1:pos]
    head = text[low:pos]
    if low > s and not text[low - 1].isspace():
        head = _FIRST_WORD.sub("", head, count=1)  # a word cut by the window
    return head


_FIRST_WORD = re.compile(r"^\S*")


def tail(text: str, pos: int) -> str:
    """What stands just before ``pos``, for patterns anchored at the end (``…\\s*$``)."""
    return text[max(0, pos - _LOOKBACK):pos]


_WORD_RUN = re.compile(r"\S+")


def quote(text: str, limit: int = 70) -> str:
    """``text`` on one line with single spaces, cut to ``limit`` characters; only the words
    needed are read, since ``text`` can be a whole block."""
    words, length = [], -1
    for m in _WORD_RUN.finditer(text):
        words.append(m.group())
        length += len(words[-1]) + 1
        if length > limit:
            break
    text = " ".join(words)
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def cap(text: str) -> str:
    """``text`` with its first letter in capitals (a type word that starts a message)."""
    return text[:1].upper() + text[1:]


#: A message lists at most this many places or spellings, then says how many more.
SHOWN = 10


def first_few(items: list[str], sep: str = ", ", more: str = "chỗ khác") -> str:
    """The first :data:`SHOWN` items joined, then how many more there are."""
    shown = sep.join(items[:SHOWN])
    return shown + (f" và {len(items) - SHOWN} {more}" if len(items) > SHOWN else "")


class Spans:
    """Spans of a text (document references), asked whether they hold a match: sorted once, so
    each question is a bisection rather than a pass over every span."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        ordered = sorted(spans)
        self.starts = [a for a, _ in ordered]
        self.reach = list(accumulate((b for _, b in ordered), max))

    def holds(self, span: tuple[int, int]) -> bool:
        k = bisect_right(self.starts, span[0])
        return k > 0 and self.reach[k - 1] >= span[1]


def inside(span: tuple[int, int], spans: Spans | Iterable[tuple[int, int]]) -> bool:
    if isinstance(spans, Spans):
        return spans.holds(span)
    return any(a <= span[0] and span[1] <= b for a, b in spans)


# ------------------------------------------------------------------ patterns the families share

COUNT = r"\d{1,3}(?:\.\d{3})+|\d+"
PCT = r"\d+(?:[,.]\d+)?"
NB = r"(?<![\w/.,])"  # a number starts here (not inside a date, a symbol or another number)
DATE_NUM = r"\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}"
DATE_WORDS = r"\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"


_TYPE_WORDS = sorted({*type_abbreviations(), "văn bản"}, key=len, reverse=True)
TYPE_ALT = "|".join(r"\s+".join(map(re.escape, w.split())) for w in _TYPE_WORDS)


def date_digits(text: str) -> str:
    """``07/03/2024`` as printed, or the digits of ``07 tháng 3 năm 2024`` as ``07/3/2024``."""
    parts = re.findall(r"\d+", text)
    return "/".join(parts) if "/" not in text else re.sub(r"\s+", "", text)
