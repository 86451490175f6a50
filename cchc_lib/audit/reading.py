"""The running text of one report read once, with what several claim families need: the
report's context, its own date, its title and its document references.

References are found here rather than by the family that checks them because four families
read them: numbers and parts skip their spans (``Nghị quyết 35/2021`` is no fraction), dates
name a document's date by them, period labels skip a document's summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from cchc_lib.audit.claim import ReportContext
from cchc_lib.audit.context import Dated, find_report_date, find_title
from cchc_lib.audit.text import (DATE_NUM, DATE_WORDS, TYPE_ALT, Spans, Text, cap, date_digits,
                                 passages, rx)

__all__ = ["Ref", "find_references", "Reading", "read"]

_REF = rx(rf"(?<!\w)(?P<type>{TYPE_ALT})\s+(?:số\s*:?\s*)?(?P<num>\d+)\s*/\s*"
          rf"(?P<sym>[0-9A-Za-zĐđ]+(?:[-/][0-9A-Za-zĐđ]+)*)(?!\w)"
          rf"(?:\s*,?\s*(?:ban\s+hành\s+)?ngày\s+(?P<date>{DATE_NUM}|{DATE_WORDS}))?")


@dataclass(frozen=True)
class Ref:
    """A document cited in the text: ``Kế hoạch số 15/KH-UBND ngày 11/01/2024``."""

    t: Text
    start: int
    end: int
    type_word: str
    number: str
    symbol: str
    date_text: str | None  # dd/mm/yyyy
    date_span: tuple[int, int] | None

    @property
    def reference(self) -> str:
        return f"{self.number}/{self.symbol}"

    @property
    def label(self) -> str:
        return f"{cap(self.type_word)} số {self.reference}"


def find_references(texts: Sequence[Text]) -> list[Ref]:
    """Every document reference of the text, in reading order (a symbol needs a letter)."""
    out = []
    for t in texts:
        for m in _REF.finditer(t.text):
            if not re.search(r"[A-Za-zĐđ]", m["sym"]):
                continue
            out.append(Ref(t, m.start(), m.end(), " ".join(m["type"].split()), m["num"],
                           m["sym"], date_digits(m["date"]) if m["date"] else None,
                           m.span("date") if m["date"] else None))
    return out


@dataclass
class Reading:
    """What every claim family may read (see :mod:`cchc_lib.audit.registry`)."""

    texts: Sequence[Text]
    context: ReportContext
    own: Dated | None  # the report's own date where it is printed (None when it disagrees)
    title: Text | None
    refs: Sequence[Ref]
    # paragraphs a whole and its shares may be spread over (see text.passages)
    passages: Sequence[tuple[Text, ...]] = ()
    # words written decomposed (NFD), each once: text hygiene reports the first few
    decomposed: set[str] = field(default_factory=set)
    _skips: dict[tuple[int, str], Spans] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        spans: dict[tuple[int, str], list[tuple[int, int]]] = {}
        for r in self.refs:
            spans.setdefault((r.t.index, r.t.place), []).append((r.start, r.end))
        self._skips = {key: Spans(found) for key, found in spans.items()}

    def skip(self, t: Text) -> Spans:
        """The spans of ``t`` that are document references, which no number check reads."""
        return self._skips.get((t.index, t.place), _NOTHING)


_NOTHING = Spans()


def read(texts: Sequence[Text], ctx: ReportContext) -> Reading:
    """The running text read once for the claim families."""
    own = find_report_date(texts)
    if own is not None and ctx.report_date_text and own.text != ctx.report_date_text:
        own = None
    return Reading(texts, ctx, own, find_title(texts), find_references(texts), passages(texts))
