"""Crash signatures that are now clear errors: each input once ended in a traceback, a bare
exception name or a misleading message.  Every refusal leaves the store as it was."""

from __future__ import annotations

import hashlib
import os
import struct
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cchc_lib import workbook as L
from cchc_lib.errors import InputError
from cchc_lib.reader import read_csv, read_workbook
from cchc_lib.serialize import dump_yaml, load_sample, load_yaml
from test_intake_support import add_rows, parts, refused, sheet_part, write_parts

pytest_plugins = ("test_intake_support",)  # its fixtures: sample_book, store, …


def _row(ws, code: str) -> int:
    return next(r for r in range(L.IND_FIRST_ROW, ws.max_row + 1)
                if ws.cell(row=r, column=L.COL_CODE).value == code)


class Xml(str):
    """A number cell's text as stored in the sheet's XML (what openpyxl will not write)."""


MARK = 271828  # a number no figure of the seed has, replaced in the XML


def _with_cell(book: Path, out: Path, code: str, col: int, value) -> tuple[Path, str]:
    wb = load_workbook(book)
    ws = wb[L.SHEET_APPENDIX]
    cell = ws.cell(row=_row(ws, code), column=col, value=MARK if isinstance(value, Xml) else value)
    wb.save(out)
    if isinstance(value, Xml):
        contents = parts(out)
        name = sheet_part(contents, L.SHEET_APPENDIX)
        xml = contents[name].decode()
        assert xml.count(f"<v>{MARK}</v>") == 1
        write_parts(out, {**contents, name: xml.replace(f"<v>{MARK}</v>", f"<v>{value}</v>")
                          .encode()})
    return out, cell.coordinate


# ------------------------------------------------------------------------------ the zip

def _patch_method(path: Path, entry: str, method: int) -> None:
    """Set the compression method of one entry in its local header and the central directory,
    as a tool that wrote, say, Deflate64 would have."""
    data = bytearray(path.read_bytes())
    name = entry.encode()
    for signature, method_at, name_at in ((b"PK\x03\x04", 8, 30), (b"PK\x01\x02", 10, 46)):
        start = 0
        while (at := data.find(signature, start)) >= 0:
            n = struct.unpack_from("<H", data, at + name_at - (2 if signature == b"PK\x03\x04"
                                                             else 18))[0]
            if bytes(data[at + name_at: at + name_at + n]) == name:
                struct.pack_into("<H", data, at + method_at, method)
            start = at + 4
    path.write_bytes(bytes(data))


def test_a_zip_entry_compressed_the_way_excel_never_does(sample_book, tmp_path, store):
    bad = write_parts(tmp_path / "deflate64.xlsx", parts(sample_book))
    _patch_method(bad, "xl/worksheets/sheet2.xml", 9)  # Deflate64: zipfile cannot unpack it
    with zipfile.ZipFile(bad) as zf, pytest.raises(NotImplementedError):
        zf.read("xl/worksheets/sheet2.xml")  # what the reader met before
    with pytest.raises(InputError) as err:
        read_workbook(bad)
    assert str(err.value).startswith(f"{bad}: phần 'xl/worksheets/sheet2.xml' của tệp được nén "
                                     "theo cách Excel không dùng (phương thức 9")
    refused(store, bad)


def test_a_zip_entry_with_a_zip_password(sample_book, tmp_path, store):
    bad = write_parts(tmp_path / "zip-password.xlsx", parts(sample_book))
    data = bytearray(bad.read_bytes())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (at := data.find(signature, start)) >= 0:
            data[at + flags_at] |= 0x1  # "encrypted" in every entry
            start = at + 4
    bad.write_bytes(bytes(data))
    with pytest.raises(InputError, match="gỡ mật khẩu"):
        read_workbook(bad)
    refused(store, bad)


# ------------------------------------------------------------------------------ numbers

@pytest.mark.parametrize("value, col, said", [
    (1e308, L.COL_TOTAL, "số quá lớn (từ 10^15 trở lên)"),  # a count typed as 1E+308
    ("1E+308", L.COL_TOTAL, "số dạng lũy thừa (E)"),
    (Xml("9" * 400), L.COL_TOTAL, "số quá lớn (từ 10^15 trở lên)"),  # a 400-digit number
    (Xml("1E+308"), L.COL_TOTAL, "số quá lớn (từ 10^15 trở lên)"),
    ("9" * 400, L.COL_TOTAL, "ô quá dài (400 ký tự, tối đa 64)"),
    ("0," + "0" * 60 + "1", L.COL_RATE, "quá nhiều chữ số sau dấu phẩy (tối đa 10)"),  # 63 chars
    (Xml("1E+999"), L.COL_RATE, "cần một số hữu hạn"),  # read as infinity
    (Xml("1E-61"), L.COL_RATE, None),  # a tiny rate is a rate: read, the checks judge it
])
def test_extreme_numbers_are_refused_naming_the_cell(sample_book, tmp_path, store, value, col,
                                                     said):
    bad, coord = _with_cell(sample_book, tmp_path / "number.xlsx", "3.4.1", col, value)
    if said is None:
        assert read_workbook(bad).submission.value("3.4.1").rate == pytest.approx(1e-61)
        return
    with pytest.raises(InputError) as err:
        read_workbook(bad)
    assert str(err.value).startswith(f'{bad}, trang "PL01", ô {coord}: {said}')
    refused(store, bad)


def test_a_huge_integer_written_into_the_xml(sample_book, tmp_path, store):
    # a number cell with 5 000 digits: Python refuses to make an int of it (the 4 300 digit
    # limit), inside openpyxl's parser
    contents = parts(sample_book)
    bad = write_parts(tmp_path / "digits.xlsx", add_rows(
        contents, L.SHEET_APPENDIX, f'<row r="300"><c r="E300"><v>{"7" * 5000}</v></c></row>'))
    with pytest.raises(InputError) as err:
        read_workbook(bad)
    assert str(err.value).startswith(f'{bad}, trang "PL01": trang bị hỏng, không đọc được '
                                     "(ValueError)")
    refused(store, bad)


# ------------------------------------------------------------------------------ YAML

def _yaml(tmp_path: Path, figure: str, value: str) -> Path:
    text = dump_yaml(load_sample())
    line = "  3.4.1:\n    total: 394\n    done: 295\n    rate: 74.9\n"
    assert line in text
    path = tmp_path / "sub.yaml"
    path.write_text(text.replace(line, line.replace(f"{figure}: " + {"total": "394", "done": "295",
                                                                     "rate": "74.9"}[figure],
                                                    f"{figure}: {value}")), encoding="utf-8")
    return path


@pytest.mark.parametrize("figure, value, said", [
    ("total", ".inf", "values.3.4.1.total: cần một số hữu hạn"),
    ("rate", ".nan", "values.3.4.1.rate: cần một số hữu hạn"),
    ("total", "1.0e+308", "values.3.4.1.total: số quá lớn (từ 10^15 trở lên)"),
    ("total", "1e308", "values.3.4.1.total: cần một số, gặp '1e308'"),  # YAML reads it as text
    ("done", "-3", "values.3.4.1.done: số đếm không được âm"),
    ("total", "1" * 400, "values.3.4.1.total: số quá lớn (từ 10^15 trở lên)"),
    ("done", "-0.5", "values.3.4.1.done: số đếm không được âm"),
])
def test_yaml_figures_follow_the_rules_of_the_workbook(tmp_path, store, figure, value, said):
    path = _yaml(tmp_path, figure, value)
    with pytest.raises(InputError) as err:
        load_yaml(path)
    assert str(err.value).startswith(f"{path}: {said}"), str(err.value)
    refused(store, path)


def test_the_yaml_helper_changes_only_the_figure(tmp_path):
    sub = load_yaml(_yaml(tmp_path, "done", "296"))
    assert sub.value("3.4.1").done == 296 and sub.value("3.4.1").total == 394


# ------------------------------------------------------------------------------ CSV

HEAD = "unit,period,code,total,done,rate,note,as_of\n"


def test_a_csv_field_over_128_kb(tmp_path, store):
    path = tmp_path / "long.csv"
    path.write_text(HEAD + f'24622,2024-H1,3.4.1,394,295,"74,9","{"x" * 140_000}",\n',
                    encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_csv(path)
    assert str(err.value).startswith(f"{path}, dòng 2: có một ô dài quá 128 kB")
    refused(store, path)


def test_a_csv_quote_never_closed(tmp_path, store):
    path = tmp_path / "quote.csv"
    path.write_text(HEAD + '24622,2024-H1,3.4.1,394,295,"74,9,ghi chú\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_csv(path)
    assert str(err.value) == f'{path}, dòng 2: có dấu ngoặc kép " mở mà không đóng'
    refused(store, path)


def test_a_csv_note_with_quotes_inside(tmp_path):
    # quotes doubled inside a quoted field, as Excel writes them: read, not mangled
    path = tmp_path / "ok.csv"
    path.write_text(HEAD + '24622,2024-H1,3.4.1,394,295,"74,9","theo ""Kế hoạch 12""",\n',
                    encoding="utf-8")
    (result,) = read_csv(path)
    assert result.submission.values["3.4.1"].note == 'theo "Kế hoạch 12"'


# ------------------------------------------------------------------------------ a password

def _aes_ecb(key: bytes, data: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return enc.update(data) + enc.finalize()


def _standard_encryption(package: bytes, password: str) -> tuple[bytes, bytes]:
    """EncryptionInfo and EncryptedPackage of ECMA-376 Standard Encryption (AES-128, SHA-1),
    what Excel 2007 writes for "Encrypt with password" (MS-OFFCRYPTO 2.3.4.5-2.3.4.9)."""
    salt, verifier = os.urandom(16), os.urandom(16)
    h = hashlib.sha1(salt + password.encode("utf-16-le")).digest()
    for i in range(50_000):
        h = hashlib.sha1(struct.pack("<I", i) + h).digest()
    h = hashlib.sha1(h + struct.pack("<I", 0)).digest()
    x1 = hashlib.sha1(bytes(b ^ 0x36 for b in h.ljust(64, b"\0")[:20]) + b"\x36" * 44).digest()
    x2 = hashlib.sha1(bytes(b ^ 0x5C for b in h.ljust(64, b"\0")[:20]) + b"\x5c" * 44).digest()
    key = (x1 + x2)[:16]
    csp = "Microsoft Enhanced RSA and AES Cryptographic Provider\0".encode("utf-16-le")
    header = struct.pack("<IIIIIIII", 0x24, 0, 0x660E, 0x8004, 128, 0x18, 0, 0) + csp
    info = (struct.pack("<HHI", 3, 2, 0x24) + struct.pack("<I", len(header)) + header
            + struct.pack("<I", 16) + salt + _aes_ecb(key, verifier)
            + struct.pack("<I", 20)
            + _aes_ecb(key, hashlib.sha1(verifier).digest().ljust(32, b"\0")))
    padded = package + b"\0" * (-len(package) % 16)
    return info, struct.pack("<Q", len(package)) + _aes_ecb(key, padded)


def _compound_file(streams: dict[str, bytes]) -> bytes:
    """A compound file (CFB version 3) holding a small stream in the mini stream and a large one
    in sectors: the container of an encrypted Office document."""
    end, free, fat_mark, none = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    (small_name, small), (big_name, big) = sorted(streams.items(), key=lambda kv: len(kv[1]))
    assert len(small) < 4096 <= len(big)

    def sectors(data: bytes) -> list[bytes]:
        data += b"\0" * (-len(data) % 512)
        return [data[i:i + 512] for i in range(0, len(data), 512)]

    mini = sectors(small)  # the root's stream: 64-byte mini sectors, here in whole sectors
    mini_count = -(-len(small) // 64)
    minifat = [struct.pack(f"<{128}I", *([*range(1, mini_count), end]
                                         + [free] * (128 - mini_count)))]
    body = sectors(big)
    layout = [("dir", 1), ("minifat", 1), ("mini", len(mini)), ("big", len(body))]
    n_fat = 1
    while (n_fat + sum(n for _, n in layout)) > 128 * n_fat:
        n_fat += 1
    start, at = {}, n_fat
    for name, n in layout:
        start[name] = at
        at += n
    fat = [fat_mark] * n_fat
    for name, n in layout:
        fat += [*range(start[name] + 1, start[name] + n), end]
    fat += [free] * (128 * n_fat - len(fat))

    def entry(name: str, kind: int, child: int, left: int, right: int, first: int,
              size: int) -> bytes:
        raw = (name + "\0").encode("utf-16-le") if name else b""
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
                + struct.pack("<III", left, right, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
                + struct.pack("<IQ", first, size))

    # siblings form a search tree: names compare by length first, then in capitals
    def rank(name: str) -> tuple[int, str]:
        return len(name), name.upper()

    left, right = (none, 2) if rank(small_name) < rank(big_name) else (2, none)
    directory = (entry("Root Entry", 5, 1, none, none, start["mini"], mini_count * 64)
                 + entry(small_name, 2, none, left, right, 0, len(small))
                 + entry(big_name, 2, none, none, none, start["big"], len(big))
                 + entry("", 0, none, none, none, 0, 0))
    difat = [*range(n_fat)] + [free] * (109 - n_fat)
    head = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
            + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
            + struct.pack("<IIIIIIIII", 0, n_fat, start["dir"], 0, 4096, start["minifat"], 1,
                          end, 0) + struct.pack("<109I", *difat))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    return (head + fat_bytes + directory + minifat[0] + b"".join(mini) + b"".join(body))


@pytest.fixture(scope="module")
def encrypted(tmp_path_factory) -> Path:
    from cchc_lib.workbook import write_workbook

    base = tmp_path_factory.mktemp("password")
    plain = write_workbook(base / "plain.xlsx", load_sample())
    info, package = _standard_encryption(plain.read_bytes(), "matkhau")
    path = base / "co-mat-khau.xlsx"
    path.write_bytes(_compound_file({"EncryptionInfo": info, "EncryptedPackage": package}))
    return path


def test_a_workbook_with_a_password_says_to_remove_it(encrypted, store):
    with pytest.raises(InputError) as err:
        read_workbook(encrypted)
    message = str(err.value)
    assert message.startswith(f"{encrypted}: sổ tính có đặt mật khẩu")
    assert "gỡ mật khẩu" in message and "lưu lại dưới dạng .xlsx" not in message
    refused(store, encrypted)


def test_an_old_xls_is_told_to_be_saved_as_xlsx(tmp_path):
    path = tmp_path / "old.xlsx"
    path.write_bytes(_compound_file({"Workbook": b"\x09\x08" + b"\0" * 5000,
                                     "\x05SummaryInformation": b"\0" * 200}))
    with pytest.raises(InputError, match=r"Excel 97-2003 \(.xls\).*lưu lại dưới dạng .xlsx"):
        read_workbook(path)
