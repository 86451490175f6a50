"""Claims on the unit's own name: spelled several ways, or a unit of another level speaking in
its place (``UBND huyện đã tiếp nhận 120 hồ sơ`` in a commune's report)."""

from __future__ import annotations

from cchc_lib import units
from cchc_lib.audit.context import named_units
from cchc_lib.audit.reading import Reading
from cchc_lib.audit.registry import Out, whole_report
from cchc_lib.audit.text import SHOWN, Text, excerpt, first_few, quote, rx, tail
from cchc_lib.textparse import NOUN_LEVELS, nfc, unit_noun

__all__ = ["check_unit_names"]


_OTHER_LEVEL = rx(r"(?<!\w)(?P<who>(?:(?:ủy|uỷ)\s+ban\s+nhân\s+dân|ubnd)\s+"
                  r"(?P<noun>huyện|quận|thị\s+xã|thành\s+phố|tỉnh|xã|phường|thị\s+trấn)"
                  r"(?:\s+[^\W\d_][\w']*){0,4}?)\s+(?:đã\s+|đang\s+)?"
                  r"(?:ban\s+hành|tổ\s+chức|thực\s+hiện|triển\s+khai|tiếp\s+nhận|giải\s+quyết)"
                  r"\s+(?:được\s+|tổng\s+số\s+|tổng\s+cộng\s+)?\d")
_NOT_SUBJECT = rx(r"(?<!\w)(?:của|theo|cho|với|gửi|đến|tại|và|từ)\s*$")
_LEVEL_NAME = {"district": "cấp huyện", "province": "cấp tỉnh", "commune": "cấp xã",
               "city": "cấp tỉnh hoặc cấp huyện"}


@whole_report
def check_unit_names(reading: Reading, out: Out) -> None:
    """A unit of another level that issues or handles things in the text; the unit's own name
    spelled more than one way (its place-and-date line included)."""
    texts, ctx, own = reading.texts, reading.context, reading.own
    own_level = ctx.unit.level if ctx.unit else (unit_noun(ctx.unit_text)[1] or "commune")
    own_name = ctx.unit.name if ctx.unit else unit_noun(ctx.unit_text)[2]
    unit_label = units.unit_title(ctx.unit) if ctx.unit else (ctx.unit_text or "đơn vị")
    for t in texts:
        for m in _OTHER_LEVEL.finditer(t.text):
            noun = " ".join(m["noun"].split()).lower()
            level = NOUN_LEVELS.get(noun)
            if level == own_level or _NOT_SUBJECT.search(tail(t.text, m.start())):
                continue
            who = " ".join(m["who"].split())
            ex = excerpt(t.text, m.start(), m.end())
            out.bad("unit.other-level", t, m.start(), ex, found=who,
                    where=f'Câu "{quote(ex, 80)}"', name=who, level=_LEVEL_NAME[level],
                    unit=unit_label)
    if not own_name:
        return
    own_key = units.loose_key(own_name)
    spellings: dict[str, list[tuple[Text, int, str]]] = {}
    for n in named_units(texts):
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
        listing.append(f'"{shown}" ({first_few(places)})')
    ex = "; ".join(x.split(" (")[0] for x in listing[:SHOWN])
    first_t, first_pos, _ = ordered[0][0]
    if len(spellings) == 1:
        out.ok("unit.name-variants", first_t, first_pos, ex)
        return
    out.bad("unit.name-variants", None, 0, ex, place="toàn báo cáo", found=len(spellings),
            expected=own_name, count=len(spellings),
            variants=first_few(listing, "; ", "cách viết khác"))
