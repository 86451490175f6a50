"""Spelling notes: a tone mark on a letter no style puts it on (``qúy``, ``ngòai``, ``gỉai``),
and one word written with its tone mark in both the old and the new place (``hoá`` and
``hóa``, ``thuỷ`` and ``thủy``) in the same document.

Both are notes of text hygiene: Nghị định 30 does not fix the tone mark's place, and a reader
understands either word.  The unit's own name written two ways is not among them: that is
:mod:`~cchc_lib.audit.names`' warning (``unit.name-variants``).  Words in capitals are left
alone (a header typed from a template: "CỘNG HÒA" beside "hoà giải" is not a choice of
style).  The rules of where the mark goes are :mod:`cchc_lib.vntext`'s.
"""

from __future__ import annotations

import re

from cchc_lib import units
from cchc_lib.audit import limits
from cchc_lib.audit.context import named_units
from cchc_lib.audit.reading import Reading
from cchc_lib.audit.registry import Out, whole_report
from cchc_lib.audit.text import END, Text, excerpt, first_few
from cchc_lib.textparse import unit_noun
from cchc_lib.vntext import misplaced_tone, tone_style_variant

__all__ = ["check_spelling"]

_WORD = re.compile(r"[^\W\d_]+")


def _own_name_spans(reading: Reading) -> set[tuple[int, str, int]]:
    """Where the unit's own name is written (``xã Hoà Phú``, the place of its date line): the
    words there are the name's, whose spellings ``unit.name-variants`` reports."""
    ctx = reading.context
    own = ctx.unit.name if ctx.unit else unit_noun(ctx.unit_text)[2]
    if not own:
        return set()
    key = units.loose_key(own)
    spans = set()
    for n in named_units(reading.texts):
        if units.loose_key(n.name) == key:
            spans |= {(n.t.index, n.t.place, k) for k in range(n.start, n.end)}
    if reading.own is not None and reading.own.place_name \
            and units.loose_key(reading.own.place_name) == key:
        t = next((t for t in reading.texts
                  if (t.index, t.place) == (reading.own.index, reading.own.place)), None)
        if t is not None:
            at = t.text.find(reading.own.place_name)
            spans |= {(t.index, t.place, k) for k in range(at, at + len(reading.own.place_name))}
    return spans


def _places(hits: list[tuple[Text, int]]) -> str:
    return first_few(list(dict.fromkeys(t.place for t, _ in hits)))


@whole_report
def check_spelling(reading: Reading, out: Out) -> None:
    """Misplaced tone marks; one word in both styles (see the module's docstring)."""
    most = limits.MAX_SPELLING_NOTES
    name = _own_name_spans(reading)
    wrong: dict[str, list[tuple[Text, int, str]]] = {}
    styles: dict[str, dict[str, list[tuple[Text, int]]]] = {}  # the word → spelling → hits
    shown: dict[str, str] = {}  # a spelling as first written
    for t in reading.texts:
        for m in _WORD.finditer(t.text):
            word = m.group()
            if len(word) > 1 and word.isupper():
                continue
            fixed = misplaced_tone(word)
            if fixed is not None:
                wrong.setdefault(word, []).append((t, m.start(), fixed))
                continue
            other = tone_style_variant(word)
            if other is None or (t.index, t.place, m.start()) in name:
                continue
            folded = word.casefold()
            key = min(folded, other.casefold())
            styles.setdefault(key, {}).setdefault(folded, []).append((t, m.start()))
            shown.setdefault(folded, word)
    for word, hits in list(wrong.items())[:most]:
        t, pos, fixed = hits[0]
        out.bad("spelling.tone-placement", t, pos, excerpt(t.text, pos, pos + len(word)),
                found=word, expected=fixed, word=word,
                fixed=fixed, places=_places([(h[0], h[1]) for h in hits]))
    mixed = [spellings for spellings in styles.values() if len(spellings) == 2]
    for spellings in mixed[:most]:
        (first, first_hits), (second, second_hits) = sorted(
            spellings.items(), key=lambda kv: (kv[1][0][0].index, kv[1][0][1]))
        t, pos = second_hits[0]
        quoted = f'"{shown[first]}" – "{shown[second]}"'
        out.bad("spelling.old-new", t, pos, quoted, found=shown[second], expected=shown[first],
                first=shown[first], second=shown[second], first_places=_places(first_hits),
                second_places=_places(second_hits))
    more = max(0, len(wrong) - most) + max(0, len(mixed) - most)
    if more:
        out.bad("claim.unsure", None, END, "", place="toàn báo cáo", checked_by="spelling",
                excerpt="Toàn báo cáo",
                why=f"còn {more} chữ khác đặt dấu thanh sai chỗ hoặc theo hai kiểu, không "
                    "được báo riêng")
