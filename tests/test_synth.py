"""Illustrative submissions: deterministic, marked as such, and consistent with the catalogue.

The consistency rules are restated here from the catalogue's own fields (kind, rate, rate_of,
part_of, parts_sum, same_as, coding) and from the reporting regime, not taken from synth's code.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from cchc_lib.catalogue import default_catalogue
from cchc_lib.errors import CchcError
from cchc_lib.formatting import round_half_up
from cchc_lib.model import Submission
from cchc_lib.periods import cutoff_window, deadline, first_day, last_day
from cchc_lib.serialize import from_dict, to_dict
from cchc_lib.synth import synth_batch, synth_submission, synth_units
from cchc_lib.units import children, get_unit

CAT = default_catalogue()
MARK = "[Dữ liệu minh họa]"
SOURCE = "Dữ liệu minh họa do cchc synth tạo ra — không phải số liệu thật của đơn vị"
# Nghị định 30: type word → type abbreviation at the head of the symbol.
TYPE_ABBR = {"Kế hoạch": "KH", "Quyết định": "QĐ", "Báo cáo": "BC"}
PERIODS_2008 = ["2024-Q1", "2024-Q2", "2024-H1", "2024-Q3", "2024-9M", "2024-Q4", "2024"]
PERIODS_2025 = ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2026-H1", "2026-9M", "2026"]


def _day(text: str) -> date:
    d, m, y = (int(x) for x in text.split("/"))
    return date(y, m, d)


def _figure(v) -> float | None:
    """A row's figure: its done column when given, else its total (the catalogue's rule)."""
    return v.done if v.done is not None else v.total


def _exact_rate(num: int, den: int) -> Decimal:
    """The percent rounded half up on the exact fraction, independent of float arithmetic."""
    q = Fraction(num * 100, den)
    return (Decimal(q.numerator) / Decimal(q.denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@pytest.fixture(scope="module")
def subs() -> list[Submission]:
    """A spread of submissions: both eras, every period kind, several seeds."""
    out = []
    for seed in (0, 1, 7):
        out += synth_batch(7, PERIODS_2008, seed=seed)
        out += synth_batch(6, PERIODS_2025, seed=seed)
    return out


# --------------------------------------------------------------------------- determinism

def test_same_seed_same_submission():
    unit = get_unit("24622", era="2008")
    assert synth_submission(unit, "2024-H1", seed=3) == synth_submission(unit, "2024-H1", seed=3)


def test_other_seed_other_figures():
    unit = get_unit("24622", era="2008")
    a = synth_submission(unit, "2024-H1", seed=0)
    b = synth_submission(unit, "2024-H1", seed=1)
    assert a.values != b.values


def test_other_unit_or_period_other_figures():
    u1, u2 = synth_units(2)
    assert synth_submission(u1, "2026-Q1").values != synth_submission(u2, "2026-Q1").values
    assert synth_submission(u1, "2026-Q1").values != synth_submission(u1, "2026-Q2").values


def test_period_key_is_canonical():
    unit = synth_units(1)[0]
    assert synth_submission(unit, " 2026-q1 ") == synth_submission(unit, "2026-Q1")
    assert synth_submission(unit, " 2026-q1 ").period == "2026-Q1"


# --------------------------------------------------------------------------- values

def test_codes_exist_and_groups_are_empty(subs):
    for s in subs:
        for code, v in s.values.items():
            assert code in CAT, code
            assert not CAT[code].is_group, code
            assert v.code == code
            assert not v.is_empty, code


def test_most_rows_filled_some_blank(subs):
    appendix = {i.code for i in CAT.data_rows("appendix")}
    filled = sum(len(appendix & set(s.values)) for s in subs)
    share = filled / (len(appendix) * len(subs))
    assert 0.80 <= share <= 0.97
    assert any(appendix - set(s.values) for s in subs)
    supplementary = {i.code for i in CAT.data_rows("supplementary")}
    assert all(supplementary <= set(s.values) for s in subs)


def test_counts_whole_nonnegative_and_done_within_total(subs):
    for s in subs:
        for code, v in s.values.items():
            kind = CAT[code].kind
            for x in (v.total, v.done):
                if x is None:
                    continue
                if kind in ("count", "amount", "enum"):
                    assert isinstance(x, int) and not isinstance(x, bool), (s.unit_code, code, x)
                assert x >= 0, (code, x)
            if v.total is not None and v.done is not None:
                assert v.done <= v.total, (s.unit_code, s.period, code)


def test_row_rates_typed_and_right(subs):
    for s in subs:
        for code, v in s.values.items():
            ind = CAT[code]
            if ind.rate == "row":
                assert None not in (v.total, v.done, v.rate), code
                assert v.total > 0
                assert v.rate == round_half_up(v.done / v.total * 100, 1), (code, v)
                assert Decimal(str(v.rate)) == _exact_rate(v.done, v.total), (code, v)
            elif ind.rate == "none" and ind.kind != "percent":
                assert v.rate is None, code


def test_ratio_rates_against_rate_of_total(subs):
    for s in subs:
        for code, v in s.values.items():
            ind = CAT[code]
            if ind.rate != "ratio":
                continue
            den = s.values[ind.rate_of].total
            fig = _figure(v)
            assert fig is not None and v.rate is not None, code
            assert v.rate == round_half_up(fig / den * 100, 1), (code, v)
            assert Decimal(str(v.rate)) == _exact_rate(fig, den), (code, v)


def test_parts_and_wholes(subs):
    for s in subs:
        for whole in (i for i in CAT if i.parts_sum):
            parts = [s.values[p.code] for p in CAT.parts(whole.code) if p.code in s.values]
            if not parts:
                continue
            assert whole.code in s.values, f"{whole.code} blank but its parts are filled"
            w = s.values[whole.code]
            total = sum(_figure(p) for p in parts)
            if whole.parts_sum == "eq":
                assert len(parts) == len(CAT.parts(whole.code))
                assert total == _figure(w), (s.unit_code, s.period, whole.code)
            else:
                assert total <= _figure(w), (s.unit_code, s.period, whole.code)
            for p in parts:
                assert _figure(p) <= _figure(w)
                if p.done is not None and w.done is not None:
                    assert p.total <= w.total  # the part's total within the whole's total too


def test_supplementary_equalities_by_hand(subs):
    for s in subs:
        v = {c: _figure(x) for c, x in s.values.items()}
        assert v["S.1"] == v["S.1.1"] + v["S.1.2"] + v["S.1.3"] + v["S.1.4"]
        assert v["S.3.1"] == v["S.3.2"] + v["S.3.3"]
        assert v["S.3.4"] == v["S.3.5"] + v["S.3.6"]
        assert v["S.3.4"] <= v["S.3.1"]


def test_same_as(subs):
    pairs = [(i.code, i.same_as) for i in CAT if i.same_as]
    assert ("S.1", "1.1.3") in pairs
    for s in subs:
        for a, b in pairs:
            assert _figure(s.values[a]) == _figure(s.values[b]), (s.unit_code, s.period, a)


def test_enums_inside_coding(subs):
    for s in subs:
        for code, v in s.values.items():
            ind = CAT[code]
            if ind.kind == "enum":
                for x in (v.total, v.done):
                    if x is not None:
                        assert x in ind.coding, (code, x)
                assert v.rate is None


def test_dossiers_on_time_and_late(subs):
    for s in subs:
        on_time, late = s.values["S.3.5"].rate, s.values["S.3.6"].rate
        assert 70 <= on_time <= 100
        assert Decimal(str(on_time)) + Decimal(str(late)) == 100
        assert on_time + late == 100
        # the appendix's rate of dossiers resolved on time says the same
        if "3.4.1" in s.values:
            assert s.values["3.4.1"].rate == on_time


def test_budget_plausible(subs):
    for s in subs:
        share = (last_day(s.period).month - 1) / 12
        for code in ("S.5.1", "S.5.3"):
            v = s.values[code]
            assert 3_000_000_000 <= v.total <= 12_000_000_000, (code, v.total)
            assert v.done <= v.total
            assert 0.5 * share <= v.done / v.total <= 1.5 * share + 0.05, (s.period, code, v)
            day = _day(v.as_of)
            assert first_day(s.period) <= day <= last_day(s.period)
        assert s.values["S.5.2"].done <= s.values["S.5.1"].done


def test_staff_consistent_with_present(subs):
    for s in subs:
        present = s.values["4.2.2"].done
        assert present <= s.values["4.2.2"].total
        for code in ("S.6.1", "S.6.2", "S.6.3", "S.6.4", "S.6.5", "S.6.6", "S.6.7"):
            assert s.values[code].total == present, code
        assert s.values["S.6.4"].done <= s.values["S.6.3"].done
        theory = sum(s.values[c].done for c in ("S.6.5", "S.6.6", "S.6.7"))
        assert theory <= present
        for code in ("S.4.1", "S.4.2", "S.4.3", "S.4.4"):
            assert s.values[code].total <= present


def test_dialogues_match_the_coded_row(subs):
    for s in subs:
        if "1.5" in s.values:
            held = s.values["1.5"].total
            assert (s.values["S.2.3"].total > 0) == (held == 1)


def test_cumulative_counts_grow_over_the_year():
    unit = synth_units(1)[0]
    by_period = {p: synth_submission(unit, p, seed=5) for p in ("2026-Q1", "2026-H1",
                                                               "2026-9M", "2026")}
    for code in ("S.3.3", "S.2.1", "S.1"):
        figures = [_figure(s.values[code]) for s in by_period.values()]
        assert figures == sorted(figures) and figures[0] < figures[-1], (code, figures)
    revenue = [s.values["S.5.1"].done for s in by_period.values()]
    assert revenue == sorted(revenue)
    # the same signer and the same staff quota all year
    assert len({s.header.signer_name for s in by_period.values()}) == 1
    assert len({s.values["4.2.1"].total for s in by_period.values()}) == 1


# --------------------------------------------------------------------------- header, documents

def test_header(subs):
    for s in subs:
        h = s.header
        start, end = cutoff_window(s.period)
        day = _day(h.report_date)
        assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", h.report_date)
        assert end < day <= deadline(s.period) and day <= last_day(s.period)
        assert h.data_window == (start.strftime("%d/%m/%Y"), end.strftime("%d/%m/%Y"))
        assert re.fullmatch(r"\d{2,}", h.report_number)
        assert h.report_symbol == "BC-UBND"
        assert (h.signing_authority, h.signing_capacity, h.signer_title) == (
            "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
        assert len(h.signer_name.split()) == 3
        assert h.recipients[-1] == "Lưu: VT."
        assert all(r.endswith(";") for r in h.recipients[:-1])
        assert s.period_labels["title"] in h.title
        assert h.title.startswith(f"Công tác cải cách hành chính {s.period_labels['title']} "
                                  "và phương hướng nhiệm vụ ")


def test_header_names_the_unit():
    unit = get_unit("24622", era="2008")
    s = synth_submission(unit, "2024-H1")
    assert s.header.place == "Đắk Ha"
    assert s.unit_names == {"header": "xã Đắk Ha"}
    assert s.period_labels == {"title": "6 tháng đầu năm 2024"}
    assert s.header.title == ("Công tác cải cách hành chính 6 tháng đầu năm 2024 và phương hướng "
                              "nhiệm vụ 6 tháng cuối năm 2024")
    assert s.header.addressee == "Ủy ban nhân dân huyện Đắk Glong"
    # the title looks ahead to the period the closing names: the next quarter after quý IV
    q4 = synth_submission(unit, "2024-Q4").header.title
    assert q4.endswith("quý IV năm 2024 và phương hướng nhiệm vụ quý I năm 2025")
    assert s.header.data_window == ("15/12/2023", "14/06/2024")
    assert "UBND huyện (b/c);" in s.header.recipients


def test_documents(subs):
    for s in subs:
        own = [d for d in s.documents if d.issued_by_unit]
        assert 3 <= len(own) <= 8
        numbers, days = [], []
        for d in own:
            if d.type_word == "Công văn":
                assert d.symbol.startswith("UBND-"), d
            else:
                assert d.symbol == f"{TYPE_ABBR[d.type_word]}-UBND", d
            assert re.fullmatch(r"\d{2,}", d.number), d.number
            assert (len(d.number) == 2 and d.number.startswith("0")) == (int(d.number) < 10)
            day = _day(d.date)
            assert first_day(s.period) <= day < _day(s.header.report_date)
            numbers.append(int(d.number))
            days.append(day)
        assert days == sorted(days)
        assert numbers == sorted(set(numbers))  # strictly increasing with the date
        assert int(s.header.report_number) > numbers[-1]
        # the documents cited are among those counted by type
        counted = {"Công văn": "S.1.1", "Báo cáo": "S.1.2", "Kế hoạch": "S.1.3",
                   "Quyết định": "S.1.4"}
        for word, code in counted.items():
            cited = sum(d.type_word == word for d in own)
            assert s.values[code].total >= cited


def test_documents_cited_in_their_section(subs):
    for s in subs:
        for d in s.documents:
            if not d.issued_by_unit:  # the staff figures' basis, cited by the header
                continue
            text = " ".join(s.sections[d.section])
            assert f"{d.type_word} số {d.number}/{d.symbol} ngày {d.date}" in text


def test_facts_beside_the_figures(subs):
    posts = {"Văn phòng – Thống kê", "Địa chính – Xây dựng", "Tài chính – Kế toán",
             "Tư pháp – Hộ tịch", "Văn hóa – Xã hội"}
    for s in subs:
        h = s.header
        unit = get_unit(s.unit_code, era="2008" if s.period.startswith("2024") else "2025")
        superior = "huyện Đắk Glong" if unit.era == "2008" else "tỉnh Lâm Đồng"
        assert h.addressee == f"Ủy ban nhân dân {superior}"
        assert h.dossier_source in ("cổng dịch vụ hành chính công",
                                    "Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh")
        assert h.estimate_basis == f"HĐND {unit.kind} giao đầu năm"
        # one post per official counted in S.7.1 / S.7.2
        assert len(h.seconded_posts) == s.values["S.7.1"].total
        assert len(h.received_posts) == s.values["S.7.2"].total
        assert set(h.seconded_posts) | set(h.received_posts) <= posts
        if h.seconded_posts:
            assert h.seconded_to.startswith("Ủy ban nhân dân ")
            assert h.seconded_to != f"Ủy ban nhân dân {unit.kind} {unit.name}"
        else:
            assert h.seconded_to == ""
        # the staff figures follow the superior's decision of January, held in the register
        (basis,) = [d for d in s.documents if not d.issued_by_unit]
        assert h.staff_basis == f"{basis.number}/{basis.symbol}"
        assert (basis.type_word, basis.symbol, basis.section) == ("Quyết định", "QĐ-UBND", "II.3")
        day = _day(basis.date)
        assert (day.year, day.month) == (int(s.period[:4]), 1) and day < _day(h.report_date)
        assert superior in basis.summary


def test_a_year_cites_one_staff_decision():
    unit = get_unit("24622", era="2008")
    cited = {synth_submission(unit, p).header.staff_basis for p in PERIODS_2008}
    assert len(cited) == 1


# --------------------------------------------------------------------------- marking

def test_marked_illustrative(subs):
    for s in subs:
        assert s.illustrative is True
        assert s.source == SOURCE
        assert set(s.sections) == {"I.1", "I.2", "I.3", "III.1", "III.2", "IV", "V"}
        for key, paras in s.sections.items():
            assert paras, key
            assert all(p.startswith(MARK + " ") for p in paras), key


def test_round_trip(subs):
    for s in subs[:: 7]:
        assert from_dict(to_dict(s)) == s


# --------------------------------------------------------------------------- units and batches

def test_synth_units_2025():
    units = synth_units(100)
    assert len(units) == 100
    assert len({u.code for u in units}) == 100
    assert all(u.era == "2025" and u.level == "commune" and u.parent_code == "68" for u in units)
    assert [int(u.code) for u in units] == sorted(int(u.code) for u in units)
    assert synth_units(100, era="2025") == units


def test_synth_units_2008():
    units = synth_units(7, era="2008")
    assert {u.code for u in units} == {u.code for u in children("661", era="2008")}
    assert "24622" in {u.code for u in units}
    assert all(u.era == "2008" for u in units)
    # more than the historic table holds: refused, saying what to pass (never units of the
    # 2025 era, which a 2024 period cannot ingest)
    with pytest.raises(CchcError) as err:
        synth_units(8, era="2008")
    assert str(err.value).startswith("Cần 8 đơn vị cấp xã nhưng huyện Đắk Glong chỉ có 7 xã "
                                     "trước 01/07/2025; ")
    # the whole pre-2025 country is known: it names a larger parent of the same era
    assert "--units 7" in str(err.value) and "--parent " in str(err.value)


def test_synth_units_too_many():
    with pytest.raises(CchcError, match="124"):
        synth_units(125)
    with pytest.raises(CchcError):
        synth_units(8, era="2008", parent_code="661")
    with pytest.raises(CchcError):
        synth_units(3, era="1999")
    with pytest.raises(CchcError):
        synth_units(-1)


def test_batch_refuses_mixed_eras():
    with pytest.raises(CchcError):
        synth_batch(2, ["2025-H1", "2025-Q3"])
    with pytest.raises(CchcError):
        synth_batch(2, [])


def test_batch_era_follows_periods():
    old = synth_batch(2, ["2024-Q1"])
    assert [s.unit_code for s in old] == ["24616", "24620"]
    new = synth_batch(2, ["2025-Q3"])
    assert {s.unit_code for s in new} <= {u.code for u in children("68", era="2025")}


def test_batch_100_units_4_periods():
    batch = synth_batch(100, ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"], seed=2)
    assert len(batch) == 400
    assert len({(s.unit_code, s.period) for s in batch}) == 400
    assert all(s.illustrative for s in batch)


# --------------------------------------------------------------------------- the command

def test_cchc_synth_20_units_for_a_2024_period_says_what_to_pass(tmp_path):
    # the default period 2024-H1 is before the 2025 reorganisation: the historic table has 7
    from click.testing import CliRunner

    from cchc_lib.cli import main

    result = CliRunner().invoke(main, ["synth", "--units", "20", "--out", str(tmp_path / "wb")],
                                env={"COLUMNS": "250"})
    assert result.exit_code != 0
    flat = " ".join(result.output.split())
    assert "huyện Đắk Glong chỉ có 7 xã trước 01/07/2025" in flat
    assert "--units 7" in flat and "--parent " in flat
    assert "Không tìm thấy đơn vị hành chính" not in flat
    assert not (tmp_path / "wb").exists() or not any((tmp_path / "wb").iterdir())


def test_cchc_synth_20_units_after_the_reorganisation_ingests_whole(tmp_path):
    from click.testing import CliRunner

    from cchc_lib.cli import main
    from cchc_lib.ingest import ingest_files

    out = tmp_path / "wb"
    result = CliRunner().invoke(main, ["synth", "--units", "20", "--periods", "2026-Q3",
                                       "--out", str(out)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    files = sorted(out.glob("*.xlsx"))
    assert len(files) == 20
    outcomes = ingest_files(files, tmp_path / "s.sqlite")
    assert [o.error for o in outcomes] == [None] * 20


def test_a_parent_with_enough_communes_is_named(tmp_path):
    with pytest.raises(CchcError) as err:
        synth_units(130)  # tỉnh Lâm Đồng has 124
    message = str(err.value)
    assert message.startswith("Cần 130 đơn vị cấp xã nhưng tỉnh Lâm Đồng chỉ có 124 đơn vị cấp xã "
                              "từ 01/07/2025; dùng --parent ")
    code = message.split("--parent ")[1].split()[0]
    assert len(children(code, era="2025", level="commune")) >= 130
    assert len(synth_units(130, parent_code=code)) == 130


# --------------------------------------------------------------------------- across periods

def test_reports_of_one_unit_agree_with_each_other():
    """The reporting regime's windows, restated: 6 tháng = quý I + quý II (same start 15/12),
    stocks move by their flows, dossiers carried over are what the last report left pending."""
    from cchc_lib.synth import synth_history

    unit = synth_units(1)[0]
    y25, q1, q2, h1, q3 = synth_history(unit, ["2025", "2026-Q1", "2026-Q2", "2026-H1",
                                               "2026-Q3"], seed=4)
    for code in ("S.3.3", "S.3.4", "S.2.1", "S.1", "3.1.1", "3.1.2"):
        assert q1.values[code].total + q2.values[code].total == h1.values[code].total, code
    for before, after in ((y25, q1), (q1, q2), (y25, h1), (q2, q3), (h1, q3)):
        tthc = before.values["3.1.3"].total + after.values["3.1.1"].total \
            - after.values["3.1.2"].total
        assert after.values["3.1.3"].total == tthc, (before.period, after.period)
        left = before.values["S.3.1"].total - before.values["S.3.4"].total
        assert after.values["S.3.2"].total == left, (before.period, after.period)
    assert q1.values["S.3.2"] == h1.values["S.3.2"]  # both open on 15/12/2025
    for code in ("4.2.1", "S.5.1", "S.5.3"):  # set for the year
        assert len({s.values[code].total for s in (q1, q2, h1, q3)}) == 1, code
    assert q1.values["S.5.1"].done <= h1.values["S.5.1"].done <= q3.values["S.5.1"].done
    assert len({tuple(s.sections.items()) for s in (q1, q2, h1, q3)}) == 4
