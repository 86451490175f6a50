"""`cchc audit` on the hand-written corpus of other units' reports (``tests/audit_corpus/``, see
``tests/corpuskit.py``): every planted mistake found with its rule and figures, no error that
nothing planted, every correct figure silent (and checked where the case says so), the period
read right, no crash.  ``benchmarks/score_audit.py`` prints the same as a table per class."""

from __future__ import annotations

from collections import Counter

import pytest

from corpuskit import CLASSES, cases, score

CASES = cases()


def test_the_corpus_is_large_and_varied_enough():
    assert len(CASES) >= 30
    planted = Counter(i["class"] for c in CASES for i in c.expected)
    assert all(planted[cls] >= 10 for cls in CLASSES), planted
    assert all(c.text.exists() for c in CASES)
    assert sum(len(c.spec.get("silent") or []) for c in CASES) >= 100
    # other layouts: a header in table cells, a web page's news item, a plan
    texts = {c.name: c.text.read_text(encoding="utf-8") for c in CASES}
    assert any("\t" in t.split("BÁO CÁO")[0] for t in texts.values())
    assert any("tin-web" in name for name in texts)
    assert any(t.splitlines()[3:5].count("KẾ HOẠCH") for t in texts.values())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case):
    s = score(case)
    assert not s.crash
    assert s.period == str(case.spec["period"])
    assert not s.missed, [(i["rule"], i.get("at")) for i in s.missed]
    errors = [u for u in s.unexpected if u[0] == "error"]
    assert not errors, errors
    assert not s.broken, s.broken
