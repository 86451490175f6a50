"""The counts of a paragraph and what each counts, and the rates of a part it states without a
count: what :mod:`~cchc_lib.audit.wholes` judges shares of a whole by.

A paragraph is a *passage* (:func:`~cchc_lib.audit.text.passages`): a block, the list items
under it, a block that goes on with "Trong đó".  In it are

* counts of a noun (``1.250 hồ sơ``, ``Tổng số hồ sơ tiếp nhận là 1.250``), each with the words
  that say what it counts: a *part* (online, on time, still open, …) or a *whole* (received,
  resolved, due, a total); a count followed by "trong đó" is the whole of what follows; a count
  with its percent is a share (``trực tuyến 1.020 hồ sơ, đạt 85%``, ``812 hồ sơ được giải quyết
  đúng hạn (chiếm 97,4%)``, ``96,2% (1.154 hồ sơ)``);
* rates of a part written without a count (``tỷ lệ giải quyết đúng hạn 99,4%``, ``trễ hạn
  25,1%``, ``đã giải quyết 96%``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cchc_lib.audit.numbers import NOUNS, count, percent
from cchc_lib.audit.reading import Reading
from cchc_lib.audit.text import (CLAUSE_WINDOW, COUNT, NB, PCT, Text, inside, rx, sentence_at)

__all__ = ["Count", "Rate", "counts", "rates", "TAIL", "nearest_class"]

# ------------------------------------------------------------------ what a count counts

# Parts, most specific first: the one whose words stand nearest the number wins.
_KINDS = (
    ("ontime_early", r"đúng\s+và\s+trước\s+hạn|trước\s+và\s+đúng\s+hạn|"
                     r"trước\s+hạn\s+và\s+đúng\s+hạn|đúng\s+hạn\s+và\s+trước\s+hạn"),
    ("ontime", r"đúng\s+hạn|đúng\s+thời\s+hạn"),
    ("early", r"trước\s+hạn"),
    ("late", r"quá\s+hạn|trễ\s+hạn|chậm\s+hạn|chậm\s+trả|trễ"),
    ("online", r"trực\s+tuyến"),
    ("direct", r"trực\s+tiếp"),
    ("post", r"bưu\s+chính"),
    ("old", r"tồn|kỳ\s+trước|chuyển\s+(?:sang|qua)|năm\s+trước"),
    ("new", r"(?<!\w)mới(?!\w)|phát\s+sinh"),
    ("pending", r"đang\s+(?:giải\s+quyết|xử\s+lý)|chưa\s+(?:giải\s+quyết|đến\s+hạn)|trong\s+hạn"),
)
_CLASSES = (
    ("due", r"đến\s+hạn(?:\s+giải\s+quyết)?|phải\s+(?:giải\s+quyết|trả\s+kết\s+quả)"),
    ("resolved", r"giải\s+quyết|xử\s+lý|trả\s+kết\s+quả"),
    ("received", r"tiếp\s+nhận|nhận\s+được|(?<!\w)nộp(?!\w)"),
)
_KIND_RX = [(k, rx(p)) for k, p in _KINDS]
_CLASS_RX = [(k, rx(p)) for k, p in _CLASSES]
_TOTAL_WORD = rx(r"tổng\s+số|tổng\s+cộng|toàn\s+bộ")
_NOUN_GROUPS = ((rx(r"hồ\s+sơ"), "hồ sơ"), (rx(r"thủ\s+tục|TTHC"), "thủ tục"),
                (rx(r"người|cán\s+bộ|công\s+chức|viên\s+chức|biên\s+chế"), "người"))


def _nearest(patterns, words: str, last: bool) -> tuple[str | None, int]:
    """The pattern matching nearest the end of ``words`` (``last``) or its start."""
    best, at = None, -1 if last else 10 ** 9
    for name, pattern in patterns:
        for m in pattern.finditer(words):
            if (m.end() > at) if last else (m.start() < at):
                best, at = name, (m.end() if last else m.start())
    return best, at


def _noun(noun: str) -> str:
    for pattern, group in _NOUN_GROUPS:
        if pattern.fullmatch(noun):
            return group
    return " ".join(noun.split()).casefold()


@dataclass(frozen=True)
class Count:
    """A count the passage states, what it counts, and its percent when it is a share."""

    t: Text
    start: int
    end: int
    at: int  # position in the passage (its blocks one after another)
    value: int
    noun: str
    kind: str | None  # the part it is (None: no part word)
    classes: frozenset[str]  # the wholes it is (received, resolved, due, total, count)
    lead: bool  # "… trong đó": the whole of what follows
    pct: int | float | None = None
    pct_text: str = ""
    named: str | None = None  # the whole the sentence names ("so với số hồ sơ đã giải quyết")
    named_value: int | None = None

    @property
    def share_kind(self) -> str | None:
        return self.kind or ("resolved" if "resolved" in self.classes else None)

    @property
    def is_whole(self) -> bool:
        return self.lead or self.kind is None or "total" in self.classes


def _label(text: str, pos: int) -> str:
    """The words before a count that say what it counts: its clause, or the one before when
    its own holds no word ("Tổng số hồ sơ tiếp nhận: 1.250", "… đã giải quyết (3.920 hồ sơ)")."""
    s, _ = sentence_at(text, max(0, pos - 1))
    low = max(s, pos - CLAUSE_WINDOW)
    cut = max(text.rfind(c, low, pos) for c in ",;:(")
    if cut >= 0 and not re.search(r"[^\W\d_]", text[cut + 1:pos]):
        before = max(text.rfind(c, low, cut) for c in ",;(")
        return text[(before + 1 if before >= 0 else low):pos]
    return text[(cut + 1 if cut >= 0 else low):pos]


TAIL = re.compile(r"[^\d,;:.()%]{0,80}")
_LEADS = rx(r"\s*[,;:.]?\s*(?:\([^()]*\)\s*[,;:]?\s*)?"
            r"(?:trong\s+(?:số\s+)?đó|gồm|bao\s+gồm)(?!\w)")
_COUNT_NOUN = rx(rf"{NB}(?P<n>{COUNT})\s+(?P<noun>{NOUNS})(?!\w)")
_WHOLE_FIRST = rx(rf"(?<!\w)(?:tổng\s+số|tổng\s+cộng|số)\s+(?P<noun>{NOUNS})"
                  rf"(?P<label>[^\d;.()%=]{{0,80}}?)\s*(?:là|:|=|đạt|được)?\s*"
                  rf"{NB}(?P<n>{COUNT})(?![\w/%]|[.,]\d|\s*%|\s+(?:{NOUNS}))")
_PCT_FOLLOW = rx(rf"(?P<tail>(?:\s+[^\W\d_]+){{0,10}}?)(?P<sep>\s*[(,]\s*|\s*)"
                 rf"(?P<conn>(?:(?:(?:tỷ|tỉ)\s+lệ|đạt|chiếm|bằng|=|:)\s*)*)"
                 rf"(?P<pct>{PCT})\s*%\)?")
_PCT_FIRST = rx(rf"{NB}(?P<pct>{PCT})\s*%\s*\(\s*(?P<n>{COUNT})\s+(?P<noun>{NOUNS})\s*\)")
_DATE_WORD = rx(r"(?:năm|ngày|tháng|quý)\s*$")
_CHANGE = rx(r"tăng|giảm|vượt|so\s+với\s+(?:cùng|kỳ|năm|quý|tháng|đầu)")
_NAMED = rx(rf"[^.;%\d]{{0,30}}?(?:so\s+với|trên)\s+(?:tổng\s+)?(?:số\s+)?"
            rf"(?:(?P<n>{COUNT})\s+)?(?:hồ\s+sơ\s+)?(?:đã\s+|được\s+|phải\s+)?"
            rf"(?P<what>giải\s+quyết|xử\s+lý|tiếp\s+nhận|đến\s+hạn)")


def _what(label: str, tail: str) -> tuple[str | None, frozenset[str]]:
    """The part a count is and the wholes it is, from the words before it and after it."""
    kind, _ = _nearest(_KIND_RX, label, last=True)
    if kind is None:
        kind, _ = _nearest(_KIND_RX, tail, last=False)
    cls, _ = _nearest(_CLASS_RX, label, last=True)
    if cls is None:
        cls, _ = _nearest(_CLASS_RX, tail, last=False)
    classes = {cls or "count"}
    if _TOTAL_WORD.search(label):
        classes.add("total")
    return kind, frozenset(classes)


def counts(passage: tuple[Text, ...], reading: Reading) -> list[Count]:
    """Every count of the passage, in reading order, with its percent when it is a share."""
    out: list[Count] = []
    offset = 0
    for t in passage:
        text, skip = t.text, reading.skip(t)
        found: dict[int, Count] = {}
        for m in _COUNT_NOUN.finditer(text):
            value = count(m["n"])
            if value is None or inside(m.span(), skip):
                continue
            tail = TAIL.match(text, m.end()).group()
            pct = pct_text = None
            pm = _PCT_FOLLOW.match(text, m.end())
            after = ""
            if pm and (pm["sep"].strip() or pm["conn"] or not pm["tail"]) \
                    and not _CHANGE.search(pm["tail"] + " " + pm["conn"]) \
                    and not _CHANGE.match(text, pm.end()) \
                    and not re.match(r"\s*so\s+với\s+(?:cùng|kỳ|năm|quý|tháng)", text[pm.end():],
                                     re.I):
                pct, pct_text = percent(pm["pct"]), pm["pct"]
                after = TAIL.match(text, pm.end()).group()
            kind, classes = _what(_label(text, m.start()), tail + " " + after)
            end = pm.end() if pct is not None else m.end()
            named = _NAMED.match(text, end) if pct is not None else None
            found[m.start()] = Count(
                t, m.start(), m.end(), offset + m.start(), value, _noun(m["noun"]), kind,
                classes, bool(_LEADS.match(text, end)), pct, pct_text or "",
                nearest_class(named["what"]) if named else None,
                count(named["n"]) if named and named["n"] else None)
        for m in _WHOLE_FIRST.finditer(text):
            value = count(m["n"])
            if value is None or inside(m.span(), skip) or m.start("n") in found \
                    or _DATE_WORD.search(m["label"]):
                continue
            kind, classes = _what(m.group(0)[:m.start("n") - m.start()], "")
            found[m.start("n")] = Count(t, m.start("n"), m.end("n"), offset + m.start("n"),
                                         value, _noun(m["noun"]), kind, classes,
                                         bool(_LEADS.match(text, m.end())))
        for m in _PCT_FIRST.finditer(text):
            value = count(m["n"])
            if value is None or m.start("n") not in found:
                continue
            c = found[m.start("n")]
            kind, classes = _what(_label(text, m.start()), "")
            found[m.start("n")] = Count(t, c.start, c.end, c.at, value, c.noun,
                                         kind or c.kind, classes, c.lead, percent(m["pct"]),
                                         m["pct"])
        out += [found[k] for k in sorted(found)]
        offset += len(text) + 1
    return out


# ------------------------------------------------------------------ rates of a part

_LABELS = (r"đúng\s+và\s+trước\s+hạn|trước\s+và\s+đúng\s+hạn|trước\s+hạn\s+và\s+đúng\s+hạn|"
           r"đúng\s+hạn\s+và\s+trước\s+hạn|đúng\s+hạn|trước\s+hạn|quá\s+hạn|trễ\s+hạn|"
           r"chậm\s+hạn|trực\s+tuyến|trực\s+tiếp|bưu\s+chính")
_RATE_BEFORE = rx(rf"(?P<label>{_LABELS})\s*(?:(?:là|đạt|chiếm|:|=)\s*)?"
                  rf"(?:(?:tỷ|tỉ)\s+lệ\s*)?(?:(?:là|đạt|chiếm|:)\s*)?(?P<pct>{PCT})\s*%")
_RATE_AFTER = rx(rf"{NB}(?P<pct>{PCT})\s*%\s+(?:(?:số\s+)?hồ\s+sơ\s+)?"
                 rf"(?:(?:được\s+)?giải\s+quyết\s+)?(?P<label>{_LABELS})")
_RESOLVED_RATE = rx(rf"(?:đã\s+)?giải\s+quyết\s+(?:được\s+|đạt\s+)?(?P<pct>{PCT})\s*%")


@dataclass(frozen=True)
class Rate:
    """A rate the passage states without a count beside it: ``đúng hạn 74,9%``."""

    t: Text
    start: int
    end: int
    at: int
    kind: str
    pct: int | float
    pct_text: str


def rates(passage: tuple[Text, ...]) -> list[Rate]:
    """The rates of a part the passage states, in reading order."""
    out: list[Rate] = []
    offset = 0
    for t in passage:
        seen: set[int] = set()
        for pattern in (_RATE_BEFORE, _RATE_AFTER, _RESOLVED_RATE):
            for m in pattern.finditer(t.text):
                if m.start("pct") in seen:
                    continue
                value = percent(m["pct"])
                if value is None:
                    continue
                kind = (_nearest(_KIND_RX, m["label"], last=False)[0]
                        if "label" in pattern.groupindex else "resolved")
                if kind is None:
                    continue
                seen.add(m.start("pct"))
                out.append(Rate(t, m.start(), m.end(), offset + m.start(), kind, value,
                                 m["pct"]))
        offset += len(t.text) + 1
    return sorted(out, key=lambda r: r.at)


def nearest_class(words: str) -> str | None:
    """The whole the words name nearest their end: received, resolved or due."""
    return _nearest(_CLASS_RX, words, last=True)[0]
