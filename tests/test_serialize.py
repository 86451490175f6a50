"""The seed as sample data: every appendix figure and every narrative number, as printed."""

from __future__ import annotations

import re

import pytest

from cchc_lib.catalogue import default_catalogue
from cchc_lib.errors import InputError
from cchc_lib.serialize import dump_yaml, from_dict, load_sample, load_yaml, to_dict, to_json


def _printed_number(text: str) -> float | None:
    """Read a number the way the seed prints it: "04", "96.33", "74,9", "3.253.588.460"."""
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        return float(text.replace(".", ""))
    return float(text.replace(",", "."))


@pytest.fixture(scope="module")
def sample():
    return load_sample()


def test_sample_identity(sample):
    assert (sample.unit_code, sample.period, sample.illustrative) == ("24622", "2024-H1", False)
    assert "seed_dak_ha_2024-H1.txt" in sample.source
    h = sample.header
    assert (h.report_number, h.report_date, h.signer_name) == ("", "07/03/2024", "Cù Xuân Sang")
    assert (h.signing_authority, h.signing_capacity, h.signer_title) == (
        "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert h.data_window == ("05/12/2023", "04/6/2024")


def test_header_facts_the_narrative_states_are_the_seeds(seed_narrative, sample):
    h = sample.header
    flat = " ".join(seed_narrative.split())
    # "01 công chức Tài chính – Kế toán biệt phái đến công tác tại Ủy ban nhân dân xã Quảng Khê,
    # tiếp nhận thêm 01 công chức Văn hoá – xã hội và 01 công chức Tư pháp – Hộ tịch"
    assert h.seconded_posts == ("Tài chính – Kế toán",)
    assert h.seconded_to == "Ủy ban nhân dân xã Quảng Khê"
    assert h.received_posts == ("Văn hoá – xã hội", "Tư pháp – Hộ tịch")
    assert (len(h.seconded_posts), len(h.received_posts)) == (
        sample.value("S.7.1").total, sample.value("S.7.2").total)
    assert "trên cổng dịch vụ hành chính công, bộ phận Tiếp nhận" in flat
    assert h.dossier_source == "cổng dịch vụ hành chính công"
    assert f"dự toán {h.estimate_basis} (trong đó" in flat
    assert f"Theo Quyết định số {h.staff_basis} ngày 31/01/2024, CBCC" in flat
    assert h.staff_basis in {d.reference for d in sample.documents}
    # the seed cuts the body off ("Kính gửi Ủy ban nhân dân được biết"): the district's UBND
    assert "Kính gửi Ủy ban nhân dân được biết và tổng hợp./." in flat
    assert h.addressee == "Ủy ban nhân dân huyện Đắk Glong"
    for text in (*h.seconded_posts, h.seconded_to, *h.received_posts):
        assert text in flat


def test_optional_header_facts_are_written_only_when_given(sample):
    from dataclasses import replace

    from cchc_lib.model import Header

    bare = replace(sample, header=Header(report_date="07/03/2024"))
    assert set(to_dict(bare)["header"]) == {
        "report_number", "report_symbol", "report_date", "place", "title", "signing_authority",
        "signing_capacity", "signer_title", "signer_name", "recipients", "data_window"}
    assert from_dict(to_dict(bare)) == bare
    full = to_dict(sample)["header"]
    assert full["received_posts"] == ["Văn hoá – xã hội", "Tư pháp – Hộ tịch"]
    assert full["addressee"] == "Ủy ban nhân dân huyện Đắk Glong"


def test_recipients_as_printed(seed_narrative, sample):
    printed = seed_narrative.split("Nơi nhận:")[1].split("TM. ỦY BAN")[0]
    lines = [ln.strip().lstrip("- ").strip() for ln in printed.splitlines() if ln.strip()]
    assert list(sample.header.recipients) == lines


def test_every_appendix_figure_as_printed(seed_appendix_rows, sample):
    cat = default_catalogue()
    appendix = [i for i in cat if i.section == "appendix"]
    filled = 0
    for ind, fields in zip(appendix, seed_appendix_rows):
        cells = (fields + ["", "", "", ""])[3:6]
        printed = [_printed_number(c) for c in cells]
        value = sample.value(ind.code)
        if not any(p is not None for p in printed):
            assert value is None, f"{ind.code} is blank in the seed"
            continue
        filled += 1
        assert value is not None, ind.code
        assert [value.total, value.done, value.rate] == printed, ind.code
    assert filled == 16


def test_the_seed_errors_are_kept(sample):
    assert (sample.value("1.1.2").done, sample.value("1.1.2").rate) == (55, 100)
    assert (sample.value("S.6.6").done, sample.value("S.6.6").rate) == (13, 76.5)
    assert sample.value("S.5.3").as_of == "32/05/2024"
    assert sample.value("7.4").total == 21.5
    docs = {d.number: d for d in sample.documents}
    assert (docs["15"].type_word, docs["15"].symbol) == ("Kế hoạch", "QĐ-UBND")
    assert (docs["41"].type_word, docs["41"].symbol) == ("Quyết định", "KH-UBND")
    assert docs["27"].symbol == "KH-UB"
    assert set(sample.unit_names.values()) >= {"xã Đắk Ha", "xã Đắc Ha", "xã Đăk Ha", "xã Đắk Hà"}
    assert sample.period_labels["II"] == "quý I"
    assert sample.period_labels["I.1"] == "6 tháng đầu năm 2023"


# Numbers in the narrative that are not figures of this report, each with its reason.
NOT_FIGURES = {
    "2015", "2020",  # "Luật ban hành văn bản QPPL 2015, sửa đổi, bổ sung năm 2020"
    "12",  # "giáo dục phổ thông đạt chuẩn 12/12": the name of the standard
    "4.0",  # "cách mạng công nghiệp 4.0"
    "2021", "2030",  # "giai đoạn 2021-2030"
    "2023", "2024",  # years in period labels and document titles (checked in period_labels)
}
DOC_REF = re.compile(r"(\d+)/((?:\d{4}/)?[A-ZĐ]+(?:-[A-ZĐ]+)+)")
DATE = re.compile(r"\b(\d{1,2}/\d{1,2}/\d{4})\b")


def _figures(sample) -> set[float]:
    out = set()
    for v in sample.values.values():
        out |= {float(x) for x in (v.total, v.done, v.rate) if x is not None}
    return out


def test_every_number_the_narrative_quotes_is_in_the_sample(seed_narrative, sample):
    text = seed_narrative.split("Nơi nhận:")[0]
    refs = DOC_REF.findall(text)
    cited = {(d.number, d.symbol) for d in sample.documents}
    assert set(refs) <= cited, set(refs) - cited
    dates = set(DATE.findall(text))
    known_dates = {d.date for d in sample.documents} | set(sample.header.data_window) | {
        v.as_of for v in sample.values.values() if v.as_of}
    assert dates <= known_dates, dates - known_dates

    rest = DATE.sub(" ", DOC_REF.sub(" ", text))
    rest = re.sub(r"(?m)^\s*(?:[IVX]+|\d+)\.\s", " ", rest)  # section and list numbering
    rest = re.sub(r"mức độ 3, 4|mức độ 3 và 4", " ", rest)  # names of service levels
    rest = re.sub(r"\b0?[69] tháng (?:đầu|cuối) năm", " ", rest)  # period labels
    figures = _figures(sample)
    missing = []
    for token in re.findall(r"\d[\d.,]*\d|\d", rest):
        if token in NOT_FIGURES:
            continue
        if _printed_number(token) not in figures:
            missing.append(token)
    assert missing == []
    assert {"661", "41", "620", "74,9", "25,1", "3.253.588.460", "42,94", "98"} <= set(
        re.findall(r"\d[\d.,]*\d|\d", rest))


def test_figure_text_is_verbatim_from_the_seed(seed_narrative, sample):
    flat = " ".join(seed_narrative.split())
    for paragraphs in (*sample.figure_text.values(), *sample.sections.values()):
        for p in paragraphs:
            assert " ".join(p.split()) in flat, p[:60]


def test_round_trip_through_dict_json_and_yaml(tmp_path, sample):
    assert from_dict(to_dict(sample)) == sample
    path = tmp_path / "copy.yaml"
    path.write_text(dump_yaml(sample), encoding="utf-8")
    again = load_yaml(path)
    assert again == sample and to_json(again) == to_json(sample)
    assert "Đắk Ha" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["values"].update({"9.9.9": {"total": 1}}), "không có trong danh mục"),
    (lambda d: d["values"].update({"1.1": {"total": 1}}), "dòng tiêu đề"),
    (lambda d: d["values"]["1.1.1"].update({"total": "bảy"}), "cần một số"),
    (lambda d: d["values"]["1.1.1"].update({"colour": 1}), "khóa không được biết"),
    (lambda d: d.update({"unit": ""}), "thiếu mã đơn vị"),
    (lambda d: d["header"].update({"data_window": ["01/01/2024"]}), "hai ngày"),
    (lambda d: d["documents"][0].update({"issued_by_unit": "có"}), "true hoặc false"),
    (lambda d: d["header"].update({"received_posts": "Tư pháp – Hộ tịch"}), "cần danh sách"),
    (lambda d: d["header"].update({"addressee": ["UBND huyện"]}), "cần chữ"),
])
def test_bad_sample_data_names_the_key(sample, mutate, message):
    raw = to_dict(sample)
    mutate(raw)
    with pytest.raises(InputError) as err:
        from_dict(raw, origin="x.yaml")
    assert message in str(err.value) and str(err.value).startswith("x.yaml")


def test_broken_yaml_names_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("unit: '24622'\nperiod: [2024\nvalues: {}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_yaml(path)
    assert "bad.yaml" in str(err.value) and "dòng" in str(err.value)


# --------------------------------------------------------------------------- hostile submissions

@pytest.mark.parametrize("unit", ["../x", "../../etc/passwd", "24622/../1", "", " ", "abc",
                                  "24 622", "246220", "-1", "２４６２２", "24622\n"])
def test_a_unit_code_that_is_not_a_code_is_refused(sample, unit):
    raw = {**to_dict(sample), "unit": unit}
    with pytest.raises(InputError) as err:
        from_dict(raw, origin="x.yaml")
    message = str(err.value)
    assert message.startswith("x.yaml: ") and ("unit" in message or "mã đơn vị" in message)
    assert "1 đến 5 chữ số" in message or "thiếu mã đơn vị" in message


@pytest.mark.parametrize("unit, code", [(24622, "24622"), ("24622", "24622"), ("4", "4")])
def test_a_unit_code_of_digits_is_taken_as_written(sample, unit, code):
    assert from_dict({**to_dict(sample), "unit": unit}).unit_code == code


def test_a_yaml_unit_code_that_is_a_path_is_refused(tmp_path, sample):
    path = tmp_path / "x.yaml"
    path.write_text(dump_yaml(sample).replace("unit: '24622'", "unit: ../../x"),
                    encoding="utf-8")
    assert "unit: ../../x" in path.read_text(encoding="utf-8")
    with pytest.raises(InputError, match=r"unit: mã đơn vị hành chính cần từ 1 đến 5 chữ số"):
        load_yaml(path)


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.update({"period": "2024-Q9"}), "period: "),
    (lambda d: d["values"].update({"3.4.1": {"total": float("inf")}}), "cần một số hữu hạn"),
    (lambda d: d["values"].update({"3.4.1": {"total": -1}}), "số đếm không được âm"),
    (lambda d: d["values"].update({"7.2": {"total": 7}}), "ngoài bảng mã"),
    (lambda d: d["sections"].update({"I.1": ["x" * 20_001]}), "quá giới hạn 20000 ký tự"),
    (lambda d: d["sections"].update({f"K{n}": ["x" * 19_000] for n in range(11)}),
     "hơn 200000 ký tự chữ"),
])
def test_yaml_data_follows_the_rules_of_the_workbook_reader(sample, mutate, message):
    raw = to_dict(sample)
    mutate(raw)
    with pytest.raises(InputError) as err:
        from_dict(raw, origin="x.yaml")
    assert message in str(err.value) and str(err.value).startswith("x.yaml")


def test_deeply_nested_yaml_is_refused(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("unit: '24622'\nperiod: 2024-H1\nsections: " + "[" * 50_000, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_yaml(path)
    assert str(err.value).startswith(f"{path}")
