"""A figure that stands both in the running text and in the appendix must agree.

What to look for is data (``data/audit_crosschecks.yaml``): a pattern of the text, the
catalogue code and the appendix column it must equal.  At most ``MAX_CROSS_MATCHES`` places are
compared per figure (:mod:`cchc_lib.audit.limits`); a note says where the comparing stopped.
"""

from __future__ import annotations

import itertools
import re
from functools import cache
from importlib import resources

import yaml

from cchc_lib.audit import limits
from cchc_lib.audit.claim import Claim, Noted
from cchc_lib.audit.document import Block
from cchc_lib.catalogue import Catalogue
from cchc_lib.checks import finding, indicator_label
from cchc_lib.formatting import fmt_number
from cchc_lib.model import Value
from cchc_lib.textparse import nfc

__all__ = ["crosschecks", "cross_check"]


@cache
def crosschecks() -> tuple[dict, ...]:
    """The figures compared, from ``data/audit_crosschecks.yaml``."""
    text = resources.files("cchc_lib").joinpath("data/audit_crosschecks.yaml").read_text("utf-8")
    return tuple(yaml.safe_load(text)["crosschecks"])


def cross_check(blocks: list[Block], values: dict[str, Value],
                cat: Catalogue) -> tuple[list[Noted], list[Claim]]:
    """Each place the text states a figure of the appendix: a claim, and a finding when the two
    differ."""
    noted: list[Noted] = []
    claims: list[Claim] = []
    text_blocks = [b for b in blocks if not b.is_row]
    most = limits.MAX_CROSS_MATCHES
    for rule in crosschecks():
        pattern = re.compile(rule["pattern"], re.IGNORECASE)
        value = values.get(rule["code"])
        if value is None:
            continue
        column = getattr(value, rule.get("column", "figure"), None) \
            if rule.get("column") else (value.done if value.done is not None else value.total)
        if column is None:
            continue
        matches = ((block, m) for block in text_blocks for m in pattern.finditer(nfc(block.text)))
        found = list(itertools.islice(matches, most + 1))
        if len(found) > most:
            block = found.pop()[0]
            noted.append(Noted(finding("claim.unsure", block.place, code=rule["code"],
                                       excerpt=f"Chỉ so {most} chỗ đầu tiên nêu "
                                               f"{rule['what']} với phụ lục",
                                       why=f"từ {block.place} trở đi, các chỗ khác nêu số này "
                                           "không được so")))
        for block, m in found:
            digits = m.group(1).replace(".", "")
            if len(digits) > 15:
                continue  # no figure of a commune has so many digits: not a figure
            typed = float(digits)
            ok = typed == float(column)
            quoted = m.group(0)[:120]
            f = None
            if not ok:
                ind = cat[rule["code"]]
                f = finding("figure.same-as", block.place, code=ind.code, found=typed,
                            expected=column, first=f"Phần thuyết minh ({rule['what']})",
                            first_value=fmt_number(typed),
                            second=f"{indicator_label(ind)} trong phụ lục",
                            second_value=fmt_number(column))
                noted.append(Noted(f, quoted))
            claims.append(Claim("figure.same-as", block.place, quoted, ok, f))
    return noted, claims
