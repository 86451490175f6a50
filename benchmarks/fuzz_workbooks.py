"""Fuzz `cchc ingest` with hostile and damaged inputs (run by hand, never in the test suite).

    .venv/bin/python benchmarks/fuzz_workbooks.py --inputs 10000

One workbook of the seed report is written with openpyxl (and, when LibreOffice is there, saved
again by it); every input is that workbook changed at the zip and XML level — cell values,
number formats, far cells, shared strings, extreme numbers, markup and control characters,
damaged bytes, truncation, zip structure — or a CSV or YAML variant.  The inputs go through
the very function `cchc ingest` calls (cchc_lib.ingest.ingest_files, several files a call, into
a temporary store) in a pool of 2 processes.

Printed: inputs per kind with how many were accepted, refused and unexpected; every unexpected
failure with its exception type and a short traceback signature (an exception that escapes
ingest_files, a FileOutcome error starting "lỗi không mong đợi", or a batch over the time
limit); the slowest file and the peak memory of a worker.  The goal is 0 unexpected.
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import os
import random
import re
import resource
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# tests/fuzzkit.py: the builders of hostile and damaged workbooks that the fuzz tests use too
sys.path.insert(0, str(ROOT / "tests"))

import fuzzkit as K  # noqa: E402
from cchc_lib import workbook as L  # noqa: E402
from cchc_lib.errors import CchcError  # noqa: E402
from cchc_lib.ingest import ingest_checked, ingest_files  # noqa: E402
from cchc_lib.reader import read_file  # noqa: E402
from cchc_lib.serialize import dump_yaml, load_sample  # noqa: E402
from cchc_lib.store import open_store  # noqa: E402
from cchc_lib.workbook import write_workbook  # noqa: E402

BATCH = 4  # files a call of ingest_files
BATCH_SECONDS = 120  # a batch still running then counts as unexpected (a hang)
SHEETS = (L.SHEET_HEADER, L.SHEET_APPENDIX, L.SHEET_SUPPLEMENT, L.SHEET_DOCUMENTS, L.SHEET_TEXT,
          L.SHEET_SOURCE, L.SHEET_META)
UNEXPECTED = "lỗi không mong đợi"

# ------------------------------------------------------------------------------ the bases


def _styled_sample(folder: Path) -> Path:
    """The seed's workbook with a few cells in percent, date and exponent formats, so that the
    style table has those formats for the mutations to point cells at."""
    from openpyxl import load_workbook

    book = write_workbook(folder / "base.xlsx", load_sample())
    wb = load_workbook(book)
    ws = wb[L.SHEET_APPENDIX]
    for n, fmt in enumerate(("0.0%", "0.00%", "dd/mm/yyyy", "0.00E+00", "[h]:mm", '0.0"%"')):
        cell = ws.cell(row=300 + n, column=12, value=n)
        cell.number_format = fmt
    wb.save(book)
    # drop the helper cells again: their styles stay in the table
    wb = load_workbook(book)
    for n in range(6):
        wb[L.SHEET_APPENDIX].cell(row=300 + n, column=12).value = None
    wb.save(book)
    return book


def _libreoffice(book: Path, folder: Path) -> Path | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    profile = Path("/tmp") / f"lo-{uuid.uuid4().hex}"
    try:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "xlsx", "--outdir", str(folder / "lo"), str(book)],
                       capture_output=True, timeout=240)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = folder / "lo" / book.name
    return out if out.exists() else None


def make_bases(folder: Path, with_lo: bool) -> list[dict]:
    bases = []
    book = _styled_sample(folder)
    books = [book] + ([b for b in [_libreoffice(book, folder)] if b] if with_lo else [])
    for b in books:
        contents = K.parts(b)
        styles = contents["xl/styles.xml"].decode()
        xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S).group(1)
        bases.append({"parts": contents, "sheets": K.sheet_parts(contents),
                      "styles": len(re.findall(r"<xf\b", xfs)),
                      "sst": K.shared_string_count(contents)})
    return bases


# ------------------------------------------------------------------------------ mutations

#: fuzzkit's cell texts and numbers, and more
TEXTS = K.CELL_TEXTS + ["3.253.588.460", "_x0007_chuông", "_x001F_", "\u202e đảo", "04", "-", "—",
                        "khoảng 400", "1,234.5", "1 234", "12/05/2024", "#DIV/0!", "TRUE",
                        "Đắk Ha", "../../x", "${jndi:x}", "%s%n", "\\u0000"]
NUMBERS = K.NUMBER_TEXTS + ["-1E+999", "nan", "999999999999999", "1000000000000000", "45000",
                            "2958466", "-1", "1e-15", "0.1234567890123"]


def _cell(rng: random.Random, base: dict, row: int, col: int) -> str:
    kind = rng.choice(["n", "n", "s", "str", "inlineStr", "inlineStr", "b", "e", "f"])
    style = rng.choice([0, rng.randrange(max(1, base["styles"])), base["styles"] - 1,
                        base["styles"] + 5])
    style = style if rng.random() < 0.7 else None
    value = {"n": lambda: rng.choice(NUMBERS),
             "s": lambda: str(rng.randrange(-1, max(2, base["sst"] + 3))),
             "str": lambda: rng.choice(TEXTS), "inlineStr": lambda: rng.choice(TEXTS),
             "b": lambda: rng.choice(["0", "1", "2", "x"]), "e": lambda: "#N/A",
             "f": lambda: None if rng.random() < 0.3 else rng.choice(NUMBERS)}[kind]()
    return K.cell_xml(row, col, kind, value, style, formula="E7/F7*100")


def _add_rows(contents: dict, base: dict, sheet: str, rows: str) -> dict:
    return K.append_rows(contents, base["sheets"][sheet], rows)


def _replace_cell(contents: dict, base: dict, sheet: str, row: int, col: int, cell: str) -> dict:
    """Put ``cell`` at (row, col): replacing the cell there, or in a row of its own."""
    name = base["sheets"][sheet]
    xml = contents[name].decode("utf-8", "surrogatepass")
    ref = K.cell_ref(row, col)
    found = re.search(rf'<c r="{ref}"(?:[^>]*/>|[^>]*>.*?</c>)', xml, re.S)
    if found:
        xml = xml[:found.start()] + cell + xml[found.end():]
    else:
        xml = xml.replace("</sheetData>", f'<row r="{row}">{cell}</row></sheetData>', 1)
    return {**contents, name: xml.encode("utf-8", "surrogatepass")}


def m_cell_value(rng, base):
    contents = base["parts"]
    for _ in range(rng.randint(1, 6)):
        sheet = rng.choice(SHEETS[:5])
        row, col = rng.randint(1, 130), rng.randint(1, 10)
        contents = _replace_cell(contents, base, sheet, row, col, _cell(rng, base, row, col))
    return ".xlsx", contents


def m_number_format(rng, base):
    contents = base["parts"]
    for _ in range(rng.randint(1, 6)):
        sheet = rng.choice((L.SHEET_APPENDIX, L.SHEET_SUPPLEMENT))
        row, col = rng.randint(L.IND_FIRST_ROW, 110), rng.choice((5, 6, 7))
        style = rng.randrange(base["styles"])  # includes percent, date, exponent formats
        value = rng.choice(["0.749", "0.5", "1", "74.9", "45000", "0.123456789012345", "-0.1"])
        contents = _replace_cell(contents, base, sheet, row, col,
                                 K.cell_xml(row, col, "n", value, style))
    return ".xlsx", contents


def m_far_cell(rng, base):
    contents = base["parts"]
    for _ in range(rng.randint(1, 3)):
        sheet = rng.choice(SHEETS)
        row = rng.choice([1_048_576, 1_048_577, 2_000, 1_200, 5_000_000, 10 ** 9])
        col = rng.choice([1, 3, 7, 16_384, 16_385])
        empty = rng.random() < 0.3
        cell = f'<c r="{K.cell_ref(row, col)}" s="1"/>' if empty else _cell(rng, base, row, col)
        contents = _add_rows(contents, base, sheet, f'<row r="{row}">{cell}</row>')
    return ".xlsx", contents


def m_shared_strings(rng, base):
    contents = base["parts"]
    if "xl/sharedStrings.xml" not in contents:  # a table the content types do not name
        contents = K.with_shared_strings(contents, declared=False)
    text = rng.choice(["x" * rng.choice([100, 19_000, 20_001, 300_000]), "[/red]" * 50,
                       "_x0001_" * 100, "a\u0301" * 5000])
    if rng.random() < 0.2:
        contents, index = K.add_shared_string(
            contents, f"<r><rPr><b/></rPr><t>{text[:1000]}</t></r><r><t>đuôi</t></r>", runs=True)
    else:
        contents, index = K.add_shared_string(contents, text)
    first = rng.choice([60, 100, 1_000, 1_050])
    n = rng.choice([5, 50, 500, 5_000, 26_000])
    col = rng.choice(["C", "E", "G"])
    sheet = rng.choice((L.SHEET_TEXT, L.SHEET_DOCUMENTS, L.SHEET_APPENDIX, L.SHEET_HEADER))
    rows = "".join(f'<row r="{r}"><c r="{col}{r}" t="s"><v>{index}</v></c></row>'
                   for r in range(first, first + n))
    return ".xlsx", _add_rows(contents, base, sheet, rows)


def m_extreme_number(rng, base):
    contents = base["parts"]
    for _ in range(rng.randint(1, 4)):
        sheet = rng.choice((L.SHEET_APPENDIX, L.SHEET_SUPPLEMENT))
        row, col = rng.randint(L.IND_FIRST_ROW, 110), rng.choice((5, 6, 7))
        style = rng.choice([0, rng.randrange(base["styles"])])
        kind = rng.choice(["n", "n", "str", "inlineStr"])
        value = rng.choice(NUMBERS)
        cell = (K.cell_xml(row, col, "n", value, style) if kind == "n" else
                K.cell_xml(row, col, "inlineStr", value[:100]))
        contents = _replace_cell(contents, base, sheet, row, col, cell)
    return ".xlsx", contents


def m_markup_control(rng, base):
    contents = base["parts"]
    for _ in range(rng.randint(1, 5)):
        sheet = rng.choice(SHEETS)
        row, col = rng.randint(1, 80), rng.randint(1, 9)
        text = rng.choice(TEXTS) + "".join(chr(rng.choice([1, 7, 8, 11, 12, 27, 127, 0xFFFE,
                                                            0x85, 0x2028, 0xD800]))
                                           for _ in range(rng.randint(0, 3)))
        raw = rng.random() < 0.5  # raw control characters make the XML invalid
        body = K.escape(text) if raw else re.sub(
            r"[\x00-\x1f\x7f]", lambda m: f"_x{ord(m.group()):04X}_", K.escape(text))
        cell = f'<c r="{K.cell_ref(row, col)}" t="inlineStr"><is><t>{body}</t></is></c>'
        contents = _replace_cell(contents, base, sheet, row, col, cell)
    return ".xlsx", contents


def m_damaged_bytes(rng, base):
    return ".xlsx", K.scrambled(rng, K.zip_bytes(base["parts"]), 20)


def m_truncation(rng, base):
    data = K.zip_bytes(base["parts"])
    return ".xlsx", data[: rng.randrange(len(data))]


def m_xml_damage(rng, base):
    contents = dict(base["parts"])
    name = rng.choice(sorted(n for n in contents if n.endswith((".xml", ".rels"))))
    data = contents[name]
    at = rng.randrange(len(data) + 1)
    junk = rng.choice([bit.encode() for bit in K.XLSX_XML_BITS]
                      + [b"\xff\xfe", b"<sheetData>", b"</worksheet>", b"<f t='shared' si='0'/>"])
    contents[name] = data[:at] if rng.random() < 0.3 else K.inserted(data, at, junk)
    if rng.random() < 0.1:
        del contents[rng.choice(sorted(contents))]
    return ".xlsx", contents


def m_zip_structure(rng, base):
    contents = dict(base["parts"])
    choice = rng.randrange(6)
    if choice == 0:  # an entry compressed the way Excel never does, or "encrypted"
        data = bytearray(K.zip_bytes(contents))
        field, value = rng.choice([("method", 9), ("method", 99), ("method", 14), ("flags", 1),
                                   ("version", 90)])
        for sig, off in ((b"PK\x03\x04", {"method": 8, "flags": 6, "version": 4}),
                         (b"PK\x01\x02", {"method": 10, "flags": 8, "version": 6})):
            at = data.find(sig, rng.randrange(len(data) // 2))
            if at >= 0:
                struct.pack_into("<H", data, at + off[field], value)
        return ".xlsx", bytes(data)
    if choice == 1:  # a part that unpacks to tens of MB
        name = rng.choice(sorted(base["sheets"].values()))
        contents[name] = contents[name].replace(b"</sheetData>", b"<row/>" * 4_000_000
                                                + b"</sheetData>")
    elif choice == 2:  # many entries
        for n in range(rng.choice([100, 600])):
            contents[f"customXml/item{n}.xml"] = b"<a/>"
    elif choice == 3:  # stored, not deflated
        return ".xlsx", K.zip_bytes(contents, zipfile.ZIP_STORED)
    elif choice == 4:  # a compound file: a password-protected or old workbook
        head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(504)
        body = rng.choice(["EncryptedPackage", "Workbook"]).encode("utf-16-le")
        return ".xlsx", head + os.urandom(rng.randrange(2000)) + body + os.urandom(600)
    else:  # not a zip at all
        return ".xlsx", rng.choice([b"", b"PK", "Stt,Chỉ tiêu\n".encode(), os.urandom(3000)])
    return ".xlsx", contents


def m_rows_flood(rng, base):
    sheet = rng.choice(SHEETS)
    n = rng.choice([2_000, 7_000, 60_000, 200_000])
    if rng.random() < 0.5:
        rows = "".join(f'<row r="{r}"/>' for r in range(200, 200 + n))
    else:
        rows = '<row r="5"/>' * n  # the same row again and again
    return ".xlsx", _add_rows(base["parts"], base, sheet, rows)


def m_valid_edit(rng, base):
    """What a clerk plausibly types: most of these are accepted."""
    from cchc_lib.catalogue import default_catalogue

    cat = default_catalogue()
    contents = base["parts"]
    for _ in range(rng.randint(1, 5)):
        sheet = rng.choice((L.SHEET_APPENDIX, L.SHEET_SUPPLEMENT))
        rows = L.indicator_rows(sheet, cat)
        row, col = rng.randrange(L.IND_FIRST_ROW, L.IND_FIRST_ROW + len(rows)), rng.choice((5, 6))
        value = rng.choice(["12", "3.253.588.460", "04", "-", "1.234", "1", "0", "2"])
        if col == 6 and rng.random() < 0.5:
            col, value = 7, rng.choice(["74,9", "74.9%", "100", "96,33 %"])
        cell = K.cell_xml(row, col, "inlineStr", value)
        contents = _replace_cell(contents, base, sheet, row, col, cell)
    return ".xlsx", contents


CSV_FIELDS = K.CSV_FIELDS + ["24616", "2026-Q3", "S.5.1", "[/red]", "\x07", "1.234", "abc",
                            "2 - Hoàn thành"]


def m_csv(rng, base):
    sep = rng.choice([",", ";", "\t"])
    head = list(K.CSV_HEAD)
    if rng.random() < 0.1:
        head = rng.sample(head + ["colour"], rng.randint(1, len(head)))
    lines = [sep.join(head)]
    for _ in range(rng.randint(0, 8)):
        row = ["24622", "2024-H1", rng.choice(["3.4.1", "7.3", "S.5.1", "1.1.1"]), "394",
               "295", "74,9", "", ""]
        for _ in range(rng.randint(0, 3)):
            row[rng.randrange(len(row))] = rng.choice(CSV_FIELDS)
        if rng.random() < 0.2:
            row = row[: rng.randrange(len(row))]
        lines.append(K.csv_line(row, sep, rng.random() < 0.4))
    text = "\n".join(lines) + rng.choice(["\n", "", "\r\n", '"'])
    encoding = rng.choice(["utf-8", "utf-8-sig", "utf-8", "utf-16"])
    return ".csv", text.encode(encoding, "surrogatepass")


YAML_SLOTS = list(K.YAML_SLOTS.values())
YAML_VALUES = K.YAML_VALUES + ["!!python/object:os.system x", "*undefined",
                               "'" + "x" * 30_000 + "'"]


def m_yaml(rng, base):
    text = base["yaml"]
    for _ in range(rng.randint(1, 3)):
        old, new = rng.choice(YAML_SLOTS)
        text = text.replace(old, new.format(rng.choice(YAML_VALUES)), 1)
    if rng.random() < 0.1:
        text = text[: rng.randrange(len(text))]
    if rng.random() < 0.05:
        text = "a: &a [" + ",".join(["*a"] * 50) + "]\n" + text
    return ".yaml", text.encode("utf-8")


MUTATIONS = {
    "cell_value": m_cell_value, "number_format": m_number_format, "far_cell": m_far_cell,
    "shared_strings": m_shared_strings, "extreme_number": m_extreme_number,
    "markup_control": m_markup_control, "damaged_bytes": m_damaged_bytes,
    "truncation": m_truncation, "xml_damage": m_xml_damage, "zip_structure": m_zip_structure,
    "rows_flood": m_rows_flood, "valid_edit": m_valid_edit, "csv": m_csv, "yaml": m_yaml,
}

# ------------------------------------------------------------------------------ the workers

_BASES: list[dict] = []


def _init(bases: list[dict], yaml_text: str) -> None:
    for b in bases:
        b["yaml"] = yaml_text
    _BASES[:] = bases


def _diagnose(path: Path) -> str:
    """Why a file ended as "lỗi không mong đợi": the same steps, the traceback kept."""
    try:
        with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "s.sqlite") as store:
            read = read_file(path)
            ingest_checked(store, [r.submission for r in read], str(path))
    except CchcError as exc:
        return f"(not reproduced alone: {type(exc).__name__})"
    except Exception as exc:  # noqa: BLE001 - what we are looking for
        return K.signature(exc)
    return "(not reproduced alone)"


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_batch(task: tuple[int, list[tuple[int, str]], int, str | None]) -> dict:
    batch_no, items, seed, keep = task
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for index, kind in items:
            rng = random.Random(f"{seed}:{index}")
            base = _BASES[index % len(_BASES)]
            suffix, made = MUTATIONS[kind](rng, base)
            path = Path(tmp) / f"in{index:06d}{suffix}"
            path.write_bytes(made if isinstance(made, bytes) else K.zip_bytes(made))
            files.append(path)
        rss_before = _rss_mib()
        start = time.perf_counter()
        escaped = None
        with K.time_limit(BATCH_SECONDS, f"lô tệp chạy quá {BATCH_SECONDS} s"):
            try:
                outcomes = ingest_files(files, Path(tmp) / "store.sqlite")
            except BaseException as exc:  # noqa: BLE001 - not a FileOutcome: unexpected
                escaped, outcomes = K.signature(exc), []
        elapsed = time.perf_counter() - start
        times = {}
        if elapsed > 1.0 * len(files) and escaped is None:  # find the slow one
            for path in files:
                t0 = time.perf_counter()
                ingest_files([path], Path(tmp) / "timing.sqlite")
                times[path] = time.perf_counter() - t0
        for (index, kind), path in zip(items, files):
            outcome = next((o for o in outcomes if o.file == str(path)), None)
            if escaped is not None or outcome is None:
                status, why = "unexpected", escaped or "no FileOutcome for the file"
            elif outcome.error and outcome.error.startswith(UNEXPECTED):
                status, why = "unexpected", _diagnose(path)
            else:
                status, why = ("refused" if outcome.error else "accepted"), ""
            if status == "unexpected" and keep:
                Path(keep).mkdir(parents=True, exist_ok=True)
                shutil.copy(path, Path(keep) / path.name)
            records.append({"index": index, "kind": kind, "status": status, "why": why,
                            "seconds": times.get(path, elapsed / len(files)),
                            "error": (outcome.error or "")[:160] if outcome else ""})
        return {"batch": batch_no, "records": records, "seconds": elapsed,
                "rss_rise": _rss_mib() - rss_before, "rss": _rss_mib(),
                "kinds": [k for _, k in items]}


# ------------------------------------------------------------------------------ main

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--no-libreoffice", action="store_true",
                        help="mutate only the openpyxl workbook")
    parser.add_argument("--keep", default=None, help="folder to copy unexpected inputs to")
    opts = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="cchc-fuzz-"))
    try:
        bases = make_bases(folder, with_lo=not opts.no_libreoffice)
        yaml_text = dump_yaml(load_sample())
        kinds = sorted(MUTATIONS)
        plan = [(i, kinds[i % len(kinds)]) for i in range(opts.inputs)]
        random.Random(opts.seed).shuffle(plan)
        tasks = [(n, plan[i:i + BATCH], opts.seed, opts.keep)
                 for n, i in enumerate(range(0, len(plan), BATCH))]
        writers = "openpyxl, LibreOffice" if len(bases) > 1 else "openpyxl"
        print(f"bases: {len(bases)} workbook(s) ({writers}); {len(plan)} inputs in "
              f"{len(tasks)} calls of ingest_files, {opts.processes} processes", flush=True)
        start = time.perf_counter()
        results = []
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(opts.processes, initializer=_init, initargs=(bases, yaml_text),
                      maxtasksperchild=200) as pool:
            for n, result in enumerate(pool.imap_unordered(run_batch, tasks), start=1):
                results.append(result)
                if n % 250 == 0:
                    print(f"  {n * BATCH} inputs, {time.perf_counter() - start:.0f} s",
                          flush=True)
        wall = time.perf_counter() - start
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    records = [r for res in results for r in res["records"]]
    table = collections.defaultdict(collections.Counter)
    for r in records:
        table[r["kind"]][r["status"]] += 1
    print(f"\n{len(records)} inputs in {wall:.0f} s ({len(records) / wall:.1f} inputs/s)\n")
    print(f"{'kind':16} {'inputs':>7} {'accepted':>9} {'refused':>8} {'unexpected':>11}")
    for kind in sorted(table):
        c = table[kind]
        print(f"{kind:16} {sum(c.values()):7} {c['accepted']:9} {c['refused']:8} "
              f"{c['unexpected']:11}")
    total = collections.Counter(r["status"] for r in records)
    print(f"{'total':16} {len(records):7} {total['accepted']:9} {total['refused']:8} "
          f"{total['unexpected']:11}")
    unexpected = collections.Counter((r["kind"], r["why"]) for r in records
                                     if r["status"] == "unexpected")
    print(f"\nunexpected: {sum(unexpected.values())}")
    for (kind, why), n in unexpected.most_common(20):
        print(f"  {n:5} x {kind}: {why}")
    slowest = max(records, key=lambda r: r["seconds"])
    print(f"\nslowest file: {slowest['seconds']:.2f} s (input {slowest['index']}, "
          f"{slowest['kind']}, {slowest['status']}: {slowest['error'][:100]})")
    worst = max(results, key=lambda res: res["rss_rise"])
    print(f"peak memory of a worker: {max(res['rss'] for res in results):.0f} MiB RSS; largest "
          f"rise in one call: {worst['rss_rise']:.0f} MiB ({', '.join(worst['kinds'])})")
    sys.exit(1 if unexpected else 0)


if __name__ == "__main__":
    main()
