"""The audit's work is bounded whatever the document, and it never fails with anything but the
package's own error.

* Work that grew with the square of the text: every pair of budget sentences became a claim,
  and each match found its sentence by splitting the whole block again.  Counted here (claims,
  sentence splits), not timed; ``benchmarks/fuzz_audit.py`` times crafted 100 kB documents.
* Limits (claims per report, characters per block, running text per report): what they leave
  out is said in a note, never silently.
* Texts are plain: nothing in the audit builds rich or HTML markup from the report's words.
* Fuzzing that stays (a bounded budget, no deadline): generated texts, damaged .docx and .pdf
  bytes through :func:`~cchc_lib.audit.audit_file`, the entry point of ``cchc audit``.
"""

from __future__ import annotations

import json
import re
import tempfile
import zlib
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cchc_lib.audit.text as audit_text
from cchc_lib.audit import AuditResult, audit_blocks, audit_file, audit_html
from cchc_lib.audit.document import read_text
from cchc_lib.audit.limits import (EXCERPT_LIMIT, MAX_BLOCK_CHARS, MAX_CLAIMS, MAX_CROSS_MATCHES,
                                   MAX_TEXT_CHARS, MAX_UNKNOWN_ROWS)
from cchc_lib.audit.text import clean, excerpt, quote, sentence_at
from cchc_lib.checks import rules
from cchc_lib.errors import CchcError
from fuzzkit import (DOCX_XML_BITS, HEADER, PDF_FILTERS, RUNS, WORDS, date_text, docx, inserted,
                     overwritten, parts, pdf, percent_text, with_part, zip_bytes)

BUDGET = "Chi thường xuyên 1.234 triệu đồng, đạt 47,1% dự toán HĐND giao. "


def _audit(text: str) -> AuditResult:
    return audit_blocks(read_text(text), file="bao-cao.txt")


def _notes(result: AuditResult, start: str) -> list:
    return [f for f in result.findings if f.rule == "claim.unsure" and f.message.startswith(start)]


# ----------------------------------------------------------------- work that grew quadratically

def test_budget_sentences_are_compared_with_the_few_before_not_with_every_other():
    n = 150  # all pairs: 150 · 149 / 2 = 11.175 claims
    claims = _audit(HEADER + BUDGET * n).claims
    budget = [c for c in claims if c.rule == "budget.estimates-differ"]
    assert n - 1 <= len(budget) <= 4 * n
    assert all(c.ok for c in budget)  # one estimate: 1.234 triệu = 47,1% of it every time


def test_two_budget_sentences_far_apart_are_still_compared():
    text = (HEADER + "Thu ngân sách 3.253.588.460 đồng đạt 47,1% dự toán HĐND giao.\n"
            + "Trong đó 12 hồ sơ trực tuyến.\n" * 30
            + "Chi ngân sách 2.966.442.095 đồng đạt 42,94% dự toán HĐND giao.\n")
    [claim] = [c for c in _audit(text).claims if c.rule == "budget.estimates-differ"]
    # 3.253.588.460 / 47,1% ≈ 6,91 tỷ; 2.966.442.095 / 42,94% ≈ 6,91 tỷ: the same estimate
    assert claim.ok


def test_a_long_block_is_split_into_sentences_once(monkeypatch):
    made = []
    real = audit_text._Bounds.__init__

    def counting(self, text):
        made.append(len(text))
        real(self, text)

    monkeypatch.setattr(audit_text._Bounds, "__init__", counting)
    audit_text._bounds.cache_clear()
    line = "Cán bộ có trình độ đại học 18/24 người (75%), ngày 12/02/2024; " * 200
    result = _audit(HEADER + line)
    assert sum(1 for c in result.claims if c.rule == "rate.mismatch") == 200
    big = [n for n in made if n > 10_000]
    assert len(big) <= 4, len(big)  # the block, its copy with brackets blanked: not 200 times


def test_sentence_bounds_found_once_answer_as_before():
    text = "Một. Hai; ba 1/2. (Bốn) năm? Sáu!  7 tám.\u00a0Chín \"mười\". "
    naive = []
    start = 0
    for m in re.finditer(r"[.;!?](?=\s)", text):
        j = m.end()
        while j < len(text) and text[j].isspace():
            j += 1
        if j < len(text) and (text[j].isupper() or text[j].isdigit() or text[j] in "(-–\"“"):
            naive.append((start, m.end()))
            start = j
    naive.append((start, len(text)))
    for pos in range(-1, len(text) + 2):
        expected = next(((s, e) for s, e in naive if s <= pos < e or pos == e == len(text)),
                        (0, len(text)))
        assert sentence_at(text, pos) == expected, pos
    assert excerpt(text, 5, 8) == "Hai; ba 1/2."  # "; b": no capital, the sentence goes on


@given(st.text(alphabet=" \u00a0\tab.,", max_size=200), st.integers(1, 80))
@settings(max_examples=150, deadline=None)
def test_quote_reads_only_the_words_it_needs_and_says_the_same(text, limit):
    joined = " ".join(text.split())
    expected = joined if len(joined) <= limit else joined[:limit - 1].rstrip() + "…"
    assert quote(text, limit) == expected


def test_a_long_gap_of_spaces_is_shortened_so_patterns_cannot_backtrack_over_it():
    assert clean("Đạt 1/2" + " " * 5_000 + "x") == "Đạt 1/2" + " " * 16 + "x"
    assert clean("Số:     /BC-UBND") == "Số:     /BC-UBND"  # a blank left for a number stays
    result = _audit(HEADER + "Hoàn thành 18/24" + " " * 3_000 + "người (80%).")
    assert any(f.rule == "rate.mismatch" for f in result.findings)  # 18/24 is 75%


# ----------------------------------------------------------------- limits, and their notes

def test_at_most_max_claims_are_reported_and_a_note_says_so():
    line = "Cán bộ có trình độ đại học 18/24 người (75%).\n"
    result = _audit(HEADER + line * (MAX_CLAIMS + 300))
    [note] = _notes(result, f"Chỉ kiểm tra {MAX_CLAIMS:,} nhận định đầu tiên".replace(",", "."))
    assert "nhận định sau (từ dòng" in note.message and note.severity == "note"
    assert len([c for c in result.claims if c.rule == "rate.mismatch"]) <= MAX_CLAIMS


def test_a_block_past_the_limit_is_read_up_to_it_and_a_note_says_so():
    text = HEADER + ("Hoàn thành 30/40 nhiệm vụ (75%), " * 1_000) + "18/24 người (80%)."
    assert len(text.splitlines()[-1]) > MAX_BLOCK_CHARS
    result = _audit(text)
    [note] = _notes(result, "Chỉ kiểm tra ")
    assert note.place == "dòng 6" and "ký tự đầu của đoạn này" in note.message
    assert f"đoạn dài {len(text.splitlines()[-1]):,} ký tự".replace(",", ".") in note.message
    assert not any("18/24" in result.excerpt(f) for f in result.findings)  # past the limit


def test_running_text_past_the_limit_is_not_read_and_a_note_says_where_it_starts():
    line = "Trong kỳ, tổ chức tuyên truyền về cải cách hành chính tại các thôn, bản. " * 100
    n = MAX_TEXT_CHARS // len(line) + 3
    result = _audit(HEADER + (line + "\n") * n + "Hoàn thành 18/24 người (80%).\n")
    [note] = _notes(result, "Chỉ kiểm tra ")
    assert "ký tự đầu của phần thuyết minh" in note.message
    assert "không được kiểm tra" in note.message
    assert not any(f.rule == "rate.mismatch" for f in result.findings)


def test_a_finding_lists_ten_places_then_says_how_many_more():
    cited = "".join(f"Thực hiện Kế hoạch số 09/KH-UBND ngày {d:02d}/01/2024 của UBND xã.\n"
                    for d in range(1, 31))
    [f] = [f for f in _audit(HEADER + cited).findings if f.rule == "document.conflict"]
    assert "được dẫn 30 lần" in f.message
    assert "10/01/2024 (dòng 15) và 20 chỗ khác." in f.message and "11/01/2024" not in f.message


def test_appendix_rows_and_cross_checks_past_their_limits_share_one_note():
    text = (HEADER + "UBND xã đã ban hành 22 văn bản chỉ đạo CCHC.\n" * (MAX_CROSS_MATCHES + 5)
            + "PHỤ LỤC SỐ 01\n1.1.3.\tSố văn bản chỉ đạo CCHC đã ban hành\tVăn bản\t12\t12\n"
            + "".join(f"9.{n}.\tChỉ tiêu không có {n}\tHồ sơ\t1\t1\n"
                      for n in range(MAX_UNKNOWN_ROWS + 30)))
    result = _audit(text)
    same = [f for f in result.findings if f.rule == "figure.same-as"]
    assert len(same) == MAX_CROSS_MATCHES  # 22 typed, 12 in the appendix, each place
    [more] = _notes(result, f"Chỉ so {MAX_CROSS_MATCHES} chỗ đầu tiên")
    assert more.place == f"dòng {6 + MAX_CROSS_MATCHES}"
    unknown = [f for f in result.findings if "không nhận ra dòng này" in f.message]
    assert len(unknown) == MAX_UNKNOWN_ROWS
    [rest] = _notes(result, "Còn 30 dòng phụ lục khác")
    assert "cũng không nhận ra trong danh mục chỉ tiêu" in rest.message


# ----------------------------------------------------------------- plain texts, no markup

def test_excerpts_and_messages_carry_the_reports_words_as_they_are():
    tricky = "[/red] [link=https://vi.example/x]Cán bộ[/link] [bold]đạt[/] 18/24 người (80%)."
    result = _audit(HEADER + tricky)
    [f] = [f for f in result.findings if f.rule == "rate.mismatch"]
    assert "[/red] [link=https://vi.example/x]Cán bộ[/link] [bold]đạt[/] 18/24" in \
        result.excerpt(f)
    assert "\\[" not in result.excerpt(f) + f.message  # not escaped for rich either
    plain = _audit(HEADER + "Cán bộ đạt 18/24 người (80%).")
    assert not any("[" in n.excerpt + n.finding.message for n in plain.noted)
    page = audit_html(result)
    assert "[/red] [link=https://vi.example/x]" in page and "<link" not in page


# ----------------------------------------------------------------- fuzzing

NUMBERS = st.one_of(
    st.integers(0, 10 ** 7).map(str),
    st.integers(0, 10 ** 12).map(lambda x: f"{x:,}".replace(",", ".")),
    st.tuples(st.integers(0, 200), st.integers(0, 99)).map(lambda x: percent_text(*x)),
    st.tuples(st.integers(0, 99), st.integers(0, 99)).map(lambda x: f"{x[0]}/{x[1]}"),
    st.tuples(st.integers(0, 40), st.integers(0, 14), st.integers(1890, 2110))
    .map(lambda x: date_text(*x)),
    st.integers(1, 400).map(lambda n: "9" * n),
)
LONG = st.tuples(st.sampled_from(RUNS), st.integers(50, 4_000)).map(lambda x: x[0] * x[1])
TOKEN = st.one_of(st.sampled_from(WORDS), NUMBERS, LONG, st.text(max_size=12))
TEXTS = st.lists(TOKEN, max_size=80).flatmap(
    lambda tokens: st.sampled_from([" ", "", "\n", " \n"]).map(lambda sep: sep.join(tokens)))
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                      HealthCheck.data_too_large])
SEVERITIES = {"error", "warning", "note"}


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def _well_formed(result: AuditResult, source: str | None = None) -> None:
    data = result.as_dict()
    json.loads(json.dumps(data, ensure_ascii=False, allow_nan=False))
    assert data["checked"] == len(result.claims) >= data["consistent"] >= 0
    assert data["counts"] == {s: sum(f["severity"] == s for f in data["findings"])
                              for s in ("error", "warning", "note")}
    known = rules()
    for f in data["findings"]:
        assert f["rule"] in known and f["severity"] in SEVERITIES
        assert isinstance(f["message"], str) and f["message"].strip()
        assert isinstance(f["place"], str) and isinstance(f["excerpt"], str)
        assert len(f["excerpt"]) <= 2 * EXCERPT_LIMIT
        if source is not None and "[" not in source:
            assert "[" not in f["message"] + f["excerpt"]  # no markup of our own
    assert len(result.claims) <= MAX_CLAIMS + 400  # + notes, appendix rates, cross-checks
    audit_html(result)


def _audit_bytes(folder: Path, name: str, data: bytes) -> AuditResult | None:
    path = folder / name
    path.write_bytes(data)
    try:
        return audit_file(path)
    except CchcError as err:
        message = str(err)
        assert message.startswith(str(path)) and len(message) > len(str(path)) + 10
        return None


@given(TEXTS, st.sampled_from(["bao-cao.txt", "bao-cao.md"]), st.booleans())
@settings(max_examples=150, **SETTINGS)
def test_fuzzed_texts_are_audited_or_refused_with_the_packages_error(folder, text, name,
                                                                     header):
    text = (HEADER + text) if header else text
    result = _audit_bytes(folder, name, text.encode("utf-8", "surrogatepass"))
    if result is not None:
        _well_formed(result, text)


@cache
def _docx_parts() -> dict[str, bytes]:
    return parts(docx(HEADER.splitlines() + ["Hoàn thành 30/40 nhiệm vụ (75%).", BUDGET],
                      table=[["", "", "", ""],
                             ["1.1.1.", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "40"]]))


XML_BITS = st.sampled_from(DOCX_XML_BITS + ["w:val=\"x\""])


def _cut_or_overwritten(draw, data: bytes, how: str) -> bytes:
    """``data`` cut short (``how`` "cut"), else with one to eight of its bytes overwritten."""
    if how == "cut":
        return data[:draw(st.integers(0, len(data)))]
    return overwritten(data, draw(st.lists(
        st.tuples(st.integers(0, len(data) - 1), st.integers(0, 255)), min_size=1, max_size=8)))


@st.composite
def damaged_docx(draw) -> bytes:
    members = dict(_docx_parts())
    how = draw(st.sampled_from(["xml", "bytes", "cut", "part"]))
    if how == "xml":  # text or markup put inside document.xml (or another part)
        name = draw(st.sampled_from(sorted(members)))
        xml = members[name]
        at = draw(st.integers(0, len(xml)))
        bit = draw(st.one_of(XML_BITS, TOKEN))
        members[name] = inserted(xml, at, bit.encode("utf-8", "surrogatepass"))
        return zip_bytes(members)
    if how == "part":  # a part missing or emptied
        name = draw(st.sampled_from(sorted(members)))
        return zip_bytes(with_part(members, name, None if draw(st.booleans()) else b""))
    return _cut_or_overwritten(draw, zip_bytes(members), how)


@given(damaged_docx())
@settings(max_examples=150, **SETTINGS)
def test_damaged_docx_files_are_audited_or_refused_with_the_packages_error(folder, data):
    result = _audit_bytes(folder, "bao-cao.docx", data)
    if result is not None:
        _well_formed(result)


@st.composite
def damaged_pdf(draw) -> bytes:
    words = draw(st.lists(st.sampled_from(["Hoan thanh", "30/40", "(75%)", "ngay", "12/02/2024",
                                           "\\(", "\\)", "[", "]", "<<", ">>", "/F1", "Tj"]),
                          max_size=12))
    ops = (b"BT /F1 12 Tf 72 712 Td (" + " ".join(words).encode("latin-1") + b") Tj ET")
    how = draw(st.sampled_from(["ops", "filter", "bytes", "cut"]))
    if how == "ops":  # content operators shuffled or cut
        junk = draw(st.binary(max_size=40))
        return pdf(ops[:draw(st.integers(0, len(ops)))] + junk, [])
    if how == "filter":  # a stream that does not decode as its filters say
        filters = draw(st.lists(st.sampled_from(PDF_FILTERS), min_size=1, max_size=3))
        data = draw(st.one_of(st.binary(max_size=60), st.just(zlib.compress(ops))))
        return pdf(data, filters)
    return _cut_or_overwritten(draw, pdf(zlib.compress(ops), ["/FlateDecode"]), how)


@given(damaged_pdf())
@settings(max_examples=150, **SETTINGS)
def test_damaged_pdf_files_are_audited_or_refused_with_the_packages_error(folder, data):
    result = _audit_bytes(folder, "bao-cao.pdf", data)
    if result is not None:
        _well_formed(result)
