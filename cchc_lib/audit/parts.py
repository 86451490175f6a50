"""Claims on wholes: parts that add up to their whole (in brackets or listed after it) and
shares of one whole that add up to 100%."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Sequence

from cchc_lib.audit.numbers import NOUNS, count, percent, typed_percent
from cchc_lib.audit.reading import Reading
from cchc_lib.audit.registry import Out, each_text
from cchc_lib.audit.text import (CLAUSE_WINDOW, COUNT, DATE_NUM, NB, PCT, Text, excerpt, inside,
                                 quote, rx, sentence_at, sentences, tail)
from cchc_lib.formatting import fmt_number, round_half_up
from cchc_lib.rates import printed_decimals

__all__ = ["check_paren_parts", "check_listed_parts", "check_shares"]


# ------------------------------------------------------------------ wholes and parts

_PARTS_PAREN = rx(rf"{NB}(?P<whole>{COUNT})\s+(?P<label>[^\d()%;]{{2,90}}?)\s*"
                  rf"\((?P<inner>[^()]*)\)")
_NOT_A_WHOLE_BEFORE = rx(r"(?:năm|(?<!dân\s)(?<!tổng\s)số|ngày|tháng|quý|điều|khoản|mục|"
                         r"giai\s+đoạn)\s*$")
_SUBSET = rx(r"^\s*(?:trong\s+đó|riêng)\b")
_LIST_HEAD = rx(r"^\s*(?:trong\s+đó|gồm|bao\s+gồm|cụ\s+thể|riêng)\s*:?\s*")
_NOT_A_PART = rx(r"tăng|giảm|so\s+với|chiếm|đạt|(?:tỷ|tỉ)\s+lệ|bằng|%|/")
_NUMBER_IN = re.compile(rf"{NB}(?:{COUNT})(?![\w/]|[.,]\d)")


def _part_values(items: Sequence[str]) -> list[int] | None:
    values = []
    for item in items:
        if _NOT_A_PART.search(item):
            return None
        numbers = _NUMBER_IN.findall(item)
        if len(numbers) != 1:
            return None
        value = count(numbers[0])
        if value is None:
            return None
        values.append(value)
    return values


def _parts_claim(t: Text, pos: int, ex: str, whole_text: str, whole: int, parts: list[int],
                 relation: str, out: Out, alternative: list[int] | None = None) -> None:
    total = sum(parts)
    sums = [total] + ([sum(alternative)] if alternative else [])
    good = any(s == whole for s in sums) if relation == "eq" else total <= whole
    if good:
        out.ok("parts.sum", t, pos, ex)
    else:
        out.bad("parts.sum", t, pos, ex, found=total, expected=whole,
                whole=f'"{quote(whole_text)}"', whole_value=fmt_number(whole),
                parts=" + ".join(fmt_number(x) for x in parts), total=fmt_number(total))


@each_text()
def check_paren_parts(t: Text, reading: Reading, out: Out) -> None:
    """``22 văn bản (03 công văn, 02 báo cáo, …)``: the parts in brackets add up to the whole."""
    text, skip = t.text, reading.skip(t)
    for m in _PARTS_PAREN.finditer(text):
        if inside(m.span("whole"), skip) or _NOT_A_WHOLE_BEFORE.search(tail(text, m.start())):
            continue
        whole = count(m["whole"])
        inner = m["inner"]
        if whole is None or re.search(DATE_NUM, inner):
            continue
        relation = "le" if _SUBSET.search(inner) else "eq"
        items = [x for x in re.split(r"[,;]|\s+và\s+", _LIST_HEAD.sub("", inner)) if x.strip()]
        if len(items) < 2:
            continue
        values = _part_values(items)
        if values is None:
            continue
        s, _ = sentence_at(text, m.start())
        s = max(s, m.start() - CLAUSE_WINDOW)
        cut = max(text.rfind(c, s, m.start()) for c in ",;(")
        head = text[cut + 1 if cut >= 0 else s:m.start()]
        whole_text = f"{head}{m['whole']} {m['label']}".strip()
        _parts_claim(t, m.start(), excerpt(text, m.start(), m.end()), whole_text, whole, values,
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
_WHOLE_WORDS = rx(r"tiếp\s+nhận|tổng\s+số|tổng\s+cộng|giải\s+quyết|xử\s+lý")
_RECEIVED = rx(r"tiếp\s+nhận|tổng\s+số|tổng\s+cộng")
_TOTAL = rx(r"tổng\s+số|tổng\s+cộng")


_MEMBERS = [(family, member, rx(pattern))
            for family, members in _FAMILIES.items() for member, pattern in members]


def _part_of(label: str) -> tuple[str, str] | None:
    for family, member, pattern in _MEMBERS:
        if pattern.search(label):
            return family, member
    return None


@each_text()
def check_listed_parts(t: Text, reading: Reading, out: Out) -> None:
    """``tiếp nhận 661 hồ sơ, tồn kỳ trước 41 hồ sơ, tiếp nhận trong kỳ 620 hồ sơ``: a total
    followed by its parts of the same unit noun (carried over + new; on time + late)."""
    text = t.text
    blanked = re.sub(r"\([^()]*\)", lambda m: " " * len(m.group()), text)
    for s, e in sentences(blanked):
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
                  and not re.search(DATE_NUM, piece))
            if ok:
                nm = numbers[0]
                noun = re.match(rf"\s+({NOUNS})", piece[nm.end():], re.I)
                label = piece[:nm.start()] + " " + piece[nm.end():]
                items.append((pos + nm.start(), count(nm.group()), label,
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
            for j in range(i + 1, len(items)):  # (a slice here copied the rest each time)
                nxt = items[j]
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
            _parts_claim(t, start, excerpt(text, start, end + 1), whole_text, whole, values,
                         relation, out, alternative)


_SHARE_LABELS = (r"đúng\s+và\s+trước\s+hạn|trước\s+và\s+đúng\s+hạn|đúng\s+hạn|trước\s+hạn|"
                 r"quá\s+hạn|trễ\s+hạn|chậm\s+hạn|trực\s+tuyến|trực\s+tiếp")
_SHARE_BEFORE = rx(rf"(?P<label>{_SHARE_LABELS})\s*(?:(?:là|đạt|chiếm|:|=)\s*)?"
                   rf"(?:(?:tỷ|tỉ)\s+lệ\s*)?(?:(?:là|đạt|chiếm|:)\s*)?(?P<pct>{PCT})\s*%")
_SHARE_AFTER = rx(rf"{NB}(?P<pct>{PCT})\s*%\s+(?:(?:số\s+)?hồ\s+sơ\s+)?"
                  rf"(?:(?:được\s+)?giải\s+quyết\s+)?(?P<label>{_SHARE_LABELS})")


@each_text()
def check_shares(t: Text, reading: Reading, out: Out) -> None:
    """``đúng hạn 74,9%, trễ hạn 25,1%``: shares of one whole add up to 100%."""
    text = t.text
    for s, e in sentences(text):
        found: dict[str, list] = defaultdict(list)
        seen: set[int] = set()
        for pattern in (_SHARE_BEFORE, _SHARE_AFTER):
            for m in pattern.finditer(text, s, e):
                if m.start("pct") in seen:
                    continue
                value = percent(m["pct"])
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
            ex = excerpt(text, pos, end + 1)
            if family == "channel":
                good = sums[0] <= 100 + tolerance
            else:
                good = any(abs(x - 100) <= tolerance for x in sums)
            if good:
                out.ok("shares.complement", t, pos, ex)
            else:
                total = round_half_up(sums[0], 4)
                out.bad("shares.complement", t, pos, ex, found=total, expected=100,
                        whole="Các tỷ lệ " + ", ".join(lbl for *_, lbl in shares),
                        parts=" + ".join(typed_percent(v) for v in values),
                        total=typed_percent(total))
