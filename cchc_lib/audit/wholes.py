"""Shares of a whole the text states elsewhere, and the shares of one whole spread over a
paragraph.

A share is a count with its percent, or the rate of a part whose count the paragraph gives
once (``tỷ lệ giải quyết đúng hạn 99,4%`` beside ``đúng hạn 338 hồ sơ``); the counts of a
paragraph and what each counts are read by :mod:`~cchc_lib.audit.counts`.

A share's whole is chosen among the passage's wholes of the same noun, before or after it: the
one the sentence names (``so với số hồ sơ đã giải quyết``), else those its part may be taken of
(on time: of the dossiers resolved, due or received; online: of those received, or resolved
unless its own words say "tiếp nhận", "nộp").  A share that fits a plausible whole holds.  One
that fits none is an error (``rate.mismatch``) when the whole is certain: the one the sentence
names, the one its list hangs from ("… 1.250 hồ sơ; trong đó …"), or the only one the passage
states; when two are plausible, a note says so; when the passage states none, nothing is said
(unless a whole of the paragraphs before it, in its section, fits it).

Shares of one whole (on time and late; online and in person) add up to 100%, or to the share
of the part they divide (``đã giải quyết 96%, trong đó đúng hạn 94%, quá hạn 2%``), wherever
in the passage they stand (``shares.complement``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass

from cchc_lib.audit.counts import TAIL, Count, Rate, counts, rates
from cchc_lib.audit.numbers import computed, indicator_words, typed_percent
from cchc_lib.audit.reading import Reading
from cchc_lib.audit.registry import Out, whole_report
from cchc_lib.audit.text import Text, cap, clause_before, excerpt, rx, sentence_at
from cchc_lib.formatting import fmt_number
from cchc_lib.rates import exact, printed_decimals, rate_matches
from cchc_lib.rates import percent as exact_percent

__all__ = ["check_wholes"]

# ------------------------------------------------------------------ which wholes a part is of

# Which wholes a part is taken of: first the natural ones, then the others a report may use
# (a rate of dossiers on time can be of those resolved, due or received; the regime allows
# each, see reference/reporting_regime.md).
_TIERS = {
    "ontime": ({"resolved", "due"}, {"received", "total"}),
    "ontime_early": ({"resolved", "due"}, {"received", "total"}),
    "early": ({"resolved", "due"}, {"received", "total"}),
    "late": ({"resolved", "due"}, {"received", "total"}),
    "online": ({"received", "total"}, {"resolved"}),
    "direct": ({"received", "total"}, {"resolved"}),
    "post": ({"received", "total"}, {"resolved"}),
    "resolved": ({"received", "total", "due"}, set()),
    "pending": ({"received", "total"}, set()),
    "old": ({"received", "total"}, set()),
    "new": ({"received", "total"}, set()),
    None: ({"total"}, {"received", "resolved", "due", "count"}),
}
# A part whose own words name its whole: "tiếp nhận trực tuyến" is a share of those received.
_OWN_WHOLE = {"online": {"received"}, "direct": {"received"}, "post": {"received"}}
_FAMILY = {"ontime": "deadline", "ontime_early": "deadline", "early": "deadline",
           "late": "deadline", "online": "channel", "direct": "channel", "post": "channel"}

# ------------------------------------------------------------------ a share and its whole

#: A share is compared with the wholes within this many characters of it, at most this many.
WHOLES_WINDOW, MAX_WHOLES = 2_000, 50


@dataclass(frozen=True)
class _Share:
    """A share to judge: ``value`` (a count) is ``pct`` of some whole; where it is written."""

    count: Count  # the count (for a rate of a part: the count of that part)
    pct: int | float
    t: Text
    start: int
    excerpt: str
    label: str  # how a message names it


def _near(share: Count, wholes: list[Count], ats: list[int]) -> list[Count]:
    lo = bisect_left(ats, share.at - WHOLES_WINDOW)
    hi = bisect_right(ats, share.at + WHOLES_WINDOW)
    out = [w for w in wholes[lo:hi] if w.at != share.at and w.noun == share.noun
           and w.value >= share.value and w.value > 0]
    return out[:MAX_WHOLES]


def _lead_of(share: Count, wholes: list[Count]) -> Count | None:
    """The whole whose "trong đó" the share stands under: the nearest lead before it."""
    before = [w for w in wholes if w.lead and w.at < share.at and w.noun == share.noun]
    lead = before[-1] if before else None
    return lead if lead is not None and lead.value >= share.value else None


def _judge(s: _Share, wholes: list[Count], ats: list[int], around: list[Count],
           out: Out) -> int | None:
    """A share against the wholes of its passage (``around``: those of the paragraphs before
    it in its section, read only when its passage gives none).  Returns the whole it fits."""
    c, pct = s.count, s.pct
    near, lead = _near(c, wholes, ats), _lead_of(c, wholes)
    if c.named is not None:
        dens = [w.value for w in near if c.named in w.classes]
        if c.named_value is not None:
            dens.insert(0, c.named_value)
        dens = [d for d in dict.fromkeys(dens) if d >= c.value]
        return _decide(s, dens, dens, out)
    first, second = _TIERS.get(c.share_kind, _TIERS[None])
    if c.kind in _OWN_WHOLE and c.classes & _OWN_WHOLE[c.kind]:
        second = set()  # "tiếp nhận trực tuyến 1.020 hồ sơ": a share of the dossiers received
    tier1 = [w.value for w in near if w.is_whole and w.classes & first]
    tier2 = [w.value for w in near if w.is_whole and w.classes & second]
    plausible = list(dict.fromkeys(tier1 + tier2 + ([lead.value] if lead else [])))
    if not plausible:
        farther = [w.value for w in around if w.is_whole and w.noun == c.noun
                   and w.value >= c.value and w.classes & (first | second)]
        fit = next((d for d in dict.fromkeys(farther) if rate_matches(pct, c.value, d)), None)
        if fit is not None:
            out.ok("rate.mismatch", s.t, s.start, s.excerpt)
        return fit
    # Sure of the whole when the share hangs from it ("trong đó") and no other natural whole
    # stands beside it, or when it is the only one.
    if lead is not None and all(v == lead.value for v in tier1):
        sure = [lead.value]
    else:
        sure = plausible
    return _decide(s, plausible, sure, out)


def _decide(s: _Share, plausible: list[int], sure: list[int], out: Out) -> int | None:
    """The share holds when it fits a plausible whole; else it is wrong when one whole is
    left (``sure``), unsure when more are."""
    c, pct = s.count, s.pct
    if not plausible:
        return None
    fit = next((d for d in plausible if rate_matches(pct, c.value, d)), None)
    if fit is not None:
        out.ok("rate.mismatch", s.t, s.start, s.excerpt)
    elif len(sure) == 1:
        den = sure[0]
        out.bad("rate.mismatch", s.t, s.start, s.excerpt, found=pct,
                expected=exact_percent(c.value, den, max(1, printed_decimals(pct))),
                indicator=s.label, typed=typed_percent(pct), num=fmt_number(c.value),
                den=fmt_number(den), computed=computed(pct, c.value, den))
    else:
        shown = ", ".join(f"{fmt_number(c.value)}/{fmt_number(d)} = {computed(pct, c.value, d)}"
                          for d in plausible[:3])
        out.unsure("rate.mismatch", s.t, s.start, s.excerpt,
                   f"tỷ lệ {typed_percent(pct)} không khớp với tổng nào trong đoạn ({shown}); "
                   "câu không nói rõ tỷ lệ tính trên tổng nào")
    return fit


def _shares(found: list[Count], stated: list[Rate]) -> list[_Share]:
    """The passage's shares: counts with their percent, and rates of a part the passage counts
    once (``tỷ lệ giải quyết đúng hạn 99,4%`` beside ``đúng hạn 338 hồ sơ``)."""
    out = []
    for c in found:
        if c.pct is not None:
            out.append(_Share(c, c.pct, c.t, c.start, excerpt(c.t.text, c.start, c.end),
                              _named(c)))
    by_kind = Counter(c.kind for c in found if c.kind)
    for r in stated:
        if by_kind[r.kind] != 1:
            continue  # no count of that part, or several: which one is meant is unknown
        c = next(c for c in found if c.kind == r.kind)
        if c.pct is not None:
            continue  # the count gives its own percent
        words = " ".join(r.t.text[r.start:r.end].split()[:-1])
        out.append(_Share(c, r.pct, r.t, r.start, excerpt(r.t.text, r.start, r.end),
                          cap(f"{words} ({fmt_number(c.value)} {c.noun})")))
    return out


_CONNECTIVES = rx(r"^\s*(?:trong\s+(?:số\s+)?đó|gồm|bao\s+gồm|cụ\s+thể|riêng|có)(?!\w)\s*")
_LABEL_WORDS = 6


def _named(c: Count) -> str:
    """How a message names a share's count: the words of its clause, the count and its noun,
    the words after it ("Tiếp nhận trực tuyến 1.020 hồ sơ", "812 hồ sơ được giải quyết đúng
    hạn")."""
    text = c.t.text
    clause = _CONNECTIVES.sub("", clause_before(text, c.start))
    before = indicator_words(clause, len(clause))
    after = TAIL.match(text, c.end).group().split()[:_LABEL_WORDS]
    words = before.split()[-_LABEL_WORDS:] + [text[c.start:c.end]] + after
    return cap(" ".join(" ".join(words).split()))


@whole_report
def check_wholes(reading: Reading, out: Out) -> None:
    """Each share against the wholes of its passage; the shares of one whole against 100%
    (see the module's docstring)."""
    section: list[Count] = []  # the wholes of the section's passages so far
    for passage in reading.passages:
        if passage[0].heading:
            section = []
            continue
        found, stated = counts(passage, reading), rates(passage)
        wholes = [c for c in found if c.is_whole]
        ats = [w.at for w in wholes]
        fits = {(s.t.index, s.start): _judge(s, wholes, ats, section, out)
                for s in _shares(found, stated)}
        _complements(found, stated, fits, out)
        section += wholes


# ------------------------------------------------------------------ shares of one whole

_SHOWN_KIND = {"ontime": "đúng hạn", "early": "trước hạn", "late": "quá hạn",
               "online": "trực tuyến", "direct": "trực tiếp", "post": "qua bưu chính"}


def _complements(found: list[Count], stated: list[Rate],
                 fits: dict[tuple[int, int], int | None], out: Out) -> None:
    """``đúng hạn 74,9%, trễ hạn 25,1%``: shares of one whole add up to 100% (or to the share
    of the part they divide), in one sentence or spread over the passage.

    Rates written without a count are taken as of one whole; shares of a count, by the whole
    each fits (``đúng hạn 1.566 hồ sơ, đạt 97,4%`` of those resolved and ``05 hồ sơ đã quá hạn
    (15,2%)`` of those still open are of two wholes), or by sentence when they fit none."""
    shares = []
    for c in found:
        if c.pct is not None:
            fit = fits.get((c.t.index, c.start))
            group = ("whole", fit) if fit else ("sentence", c.t.index,
                                                 sentence_at(c.t.text, c.start)[0])
            shares.append((group, c.share_kind or "", c.pct, c.t, c.start, c.at))
    shares += [(("rates",), r.kind, r.pct, r.t, r.start, r.at) for r in stated]
    parts_of = [pct for _, kind, pct, *_ in shares if kind == "resolved"]
    groups: dict[tuple, list] = {}
    for group, kind, pct, t, start, _ in sorted(shares, key=lambda x: x[5]):
        family = _FAMILY.get(kind)
        if family:
            groups.setdefault((family, group), []).append(
                ("ontime" if kind == "ontime_early" else kind, pct, t, start))
    for (family, _), found in groups.items():
        _check_family(family, found, parts_of if family == "deadline" else [], out)


def _check_family(family: str, found: list, parts_of: list, out: Out) -> None:
    unique = list(dict.fromkeys((k, v) for k, v, *_ in found))
    kinds = [k for k, _ in unique]
    if len(set(kinds)) != len(kinds):
        return  # the same part with two values: two wholes in one passage
    if len(unique) < 2 or (family == "deadline" and not ({"ontime", "late"} <= set(kinds))):
        return
    values = [v for _, v in unique]
    half = sum(0.5 * 10 ** -printed_decimals(v) for v in values) + 1e-9
    sums = [sum(values)]
    if "early" in kinds:
        sums.append(sum(v for k, v in unique if k != "early"))
    if family == "channel":  # not every channel need be listed
        good = sums[0] <= 100 + half
    else:
        good = any(abs(x - 100) <= half for x in sums) or any(
            abs(x - p) <= half + 0.5 * 10 ** -printed_decimals(p) for x in sums for p in parts_of)
    (_, _, first_t, first_start), (_, _, last_t, last_start) = found[0], found[-1]
    end = last_start + 1 if last_t is first_t else first_start + 1
    ex = excerpt(first_t.text, first_start, end)
    if good:
        out.ok("shares.complement", first_t, first_start, ex)
        return
    total = float(sum(exact(v) for v in values))  # exact: 74,9 + 25,3 is 100,2, not 100,19…
    target = "100%" + "".join(f" hay {typed_percent(p)} (tỷ lệ đã giải quyết)" for p in parts_of)
    out.bad("shares.complement", first_t, first_start, ex, found=total, expected=100,
            whole="Các tỷ lệ " + ", ".join(_SHOWN_KIND[k] for k in kinds),
            parts=" + ".join(typed_percent(v) for v in values), total=typed_percent(total),
            target=target)
