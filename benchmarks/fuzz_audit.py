"""Fuzz `cchc audit` with crafted and damaged reports (run by hand, never in the test suite).

    .venv/bin/python benchmarks/fuzz_audit.py --inputs 3000
    .venv/bin/python benchmarks/fuzz_audit.py --inputs 0 --no-limits   # the 100 kB part only,
                                                    # with the audit's limits lifted

Two parts, both through the very function `cchc audit` calls (cchc_lib.audit.audit_file, on a
file written to a temporary folder; no process started per file):

1. Crafted 100 kB reports, each audited alone in a fresh forked process that measures its
   time and its peak memory (ru_maxrss): budget sentences repeated on one line, fractions with
   percents, dates, document references, unit names spelled many ways, tokens without spaces,
   "trong đó" parts nested deep, wholes and parts, shares, blanks, look-alike letters, long
   gaps, an appendix of unknown rows, markup, random mixes; as .txt, .md, .docx and (when
   WeasyPrint is there) .pdf.  Goal: none over 5 s or 500 MB.
2. Fuzzed documents (.txt, .md, .docx, .pdf; generated, damaged at the byte, zip and XML level,
   cut short, streams that do not decode), in a pool of processes.  Each either is audited into
   a well-formed result (JSON without NaN, counts that add up) or refused with the package's
   error (CchcError); anything else is unexpected.  Goal: 0 unexpected.

Printed: inputs per kind with how many were audited, refused and unexpected; each unexpected
failure with a short signature; the slowest and largest-memory 100 kB documents.  Exit code 1
when anything is unexpected or a 100 kB document is over the time or memory goal.
"""

from __future__ import annotations

import argparse
import collections
import json
import multiprocessing
import random
import resource
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# tests/fuzzkit.py: the builders of crafted and damaged inputs that the fuzz tests use too
sys.path.insert(0, str(ROOT / "tests"))

from cchc_lib.audit import audit_file, audit_html  # noqa: E402
from cchc_lib.errors import CchcError  # noqa: E402
from fuzzkit import (DOCX_XML_BITS, HEADER, PDF_FILTERS, RUNS, WORDS, date_text,  # noqa: E402
                     docx, inserted, parts, pdf, percent_text, scrambled, signature, time_limit,
                     with_part, zip_bytes)

SIZE = 100_000
GOAL_SECONDS, GOAL_MIB = 5.0, 500
DOC_SECONDS = 120  # a fuzzed document still running then is unexpected (a hang)

#: fuzzkit's words of a report, and a few more
WORDS = WORDS + ["ban hành", "văn bản chỉ đạo", "đề ra", "thủ tục hành chính đang có hiệu lực"]


# ------------------------------------------------------------------------------ crafted 100 kB

def _fill(make, sep: str = " ", size: int = SIZE) -> str:
    """``make(0) sep make(1) …`` up to ``size`` bytes of UTF-8."""
    parts, n, i = [], 0, 0
    while n < size:
        parts.append(make(i))
        n += len(parts[-1].encode()) + len(sep)
        i += 1
    return sep.join(parts).encode()[:size].decode("utf-8", "ignore")


def _token(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.55:
        return rng.choice(WORDS)
    if pick < 0.75:
        return str(rng.choice([rng.randint(0, 99), rng.randint(0, 10 ** 7), rng.randint(0, 2100)]))
    if pick < 0.85:
        return percent_text(rng.randint(0, 120), rng.randint(0, 99))
    if pick < 0.95:
        return date_text(rng.randint(0, 40), rng.randint(0, 14), rng.randint(1890, 2110))
    return rng.choice(RUNS) * rng.randint(20, 400)


def crafted() -> dict[str, str]:
    """Name -> text of about 100 kB (after a report's header, so the context is known)."""
    r = random.Random(7)
    appendix = "PHỤ LỤC SỐ 01\n" + _fill(
        lambda i: f"{i % 9}.{i % 7}.{i % 5}.\tChỉ tiêu lạ {i}\tHồ sơ\t{i}\t{i // 2}\t50", "\n")
    texts = {
        "budget, one line": _fill(lambda i: "Chi thường xuyên 1.234 triệu đồng, đạt 47,1% dự "
                                            "toán HĐND giao."),
        "budget, varied, one line": _fill(lambda i: f"Chi {r.randint(1, 9999)} triệu đồng đạt "
                                                    f"{r.randint(1, 99)},{r.randint(0, 9)}% dự "
                                                    "toán."),
        "budget, one a line": _fill(lambda i: f"Thu {i} tỷ đồng đạt {i % 97 + 1}% kế hoạch giao.",
                                    "\n"),
        "fractions and percents": _fill(lambda i: f"đã hoàn thành {i % 50}/{i % 60 + 1} nhiệm vụ "
                                                  f"({r.randint(0, 100)}%),"),
        "dates": _fill(lambda i: f"ngày {r.randint(0, 35):02d}/{r.randint(0, 13):02d}/"
                                 f"{r.randint(2019, 2026)} và từ ngày 01/01/2024 đến ngày "
                                 "30/06/2024 số liệu,"),
        "document references": _fill(lambda i: f"Kế hoạch số {i % 40}/QĐ-UBND ngày "
                                               f"{i % 28 + 1}/02/{2020 + i % 5}; Quyết định số "
                                               f"{i % 9}/{2024 - i % 3}/QĐ-UBND,"),
        "unit names": _fill(lambda i: r.choice(["UBND xã Đắk Ha", "xã Đắc Ha", "xã ĐẮK HA",
                                                "phường Mới", "UBND huyện Đắk Glong đã ban hành "
                                                "22 văn bản", "thị trấn Ea T'ling"])),
        "no spaces": "x" * SIZE,
        "digits": "1" * SIZE,
        "slashes and digits": "1/" * (SIZE // 2),
        "trong đó nested": _fill(lambda i: f"tổng số {100 + i} hồ sơ (trong đó {i} hồ sơ trực "
                                           "tuyến, (trong đó"),
        "listed parts": _fill(lambda i: f"tiếp nhận {661 + i} hồ sơ, tồn kỳ trước 41 hồ sơ, "
                                        f"tiếp nhận trong kỳ {620 + i % 3} hồ sơ,"),
        "count rates": _fill(lambda i: f"đúng hạn {1000 + i} hồ sơ ({r.randint(0, 100)},"
                                       f"{r.randint(0, 9)}%), tiếp nhận {1200 + i % 50} hồ sơ,"),
        "shares": _fill(lambda i: f"đúng hạn {r.randint(0, 100)},{i % 10}%, trễ hạn 25,1%,"),
        "period labels": _fill(lambda i: r.choice(["Trong 6 tháng đầu năm 2023,", "quý I năm "
                                                   "2024", "Trong năm 2022", "Kết quả: Trong quý "
                                                   "III/2025,"])),
        "look-alike letters": _fill(lambda i: "xã Đắk Hа tǎng cường bаn hành"),
        "decomposed letters": _fill(lambda i: "Hoàn thành nhiệm vụ cải cách" + str(i)),
        "blanks": _fill(lambda i: "Báo cáo số /BC-UBND ngày … tháng … năm 2024"),
        "long gaps": _fill(lambda i: "Hoàn thành 18/24" + " " * 3000 + "người (80%) ngày" +
                                     " " * 2000 + "x"),
        "open brackets": _fill(lambda i: "22 văn bản (03 công văn"),
        "appendix of unknown rows": appendix,
        "cross-checks with an appendix": _fill(lambda i: f"UBND xã đã ban hành {i % 30} văn bản "
                                                         "chỉ đạo CCHC.", "\n") + "\n" + "\n".join(
            ["PHỤ LỤC SỐ 01", "1.1.3.\tSố văn bản chỉ đạo CCHC đã ban hành\tVăn bản\t12\t12"]),
        "markup": _fill(lambda i: f"[/red][link=https://x/{i}]Cán bộ[/link] 18/24 người (80%)"),
        "random mix, one line": _fill(lambda i: _token(r)),
        "random mix, short lines": _fill(lambda i: _token(r), "\n"),
    }
    texts["decomposed letters"] = __import__("unicodedata").normalize(
        "NFD", texts["decomposed letters"])
    return {name: HEADER + text for name, text in texts.items()}  # 100 kB after the header


def _docx(text: str, one_paragraph: bool) -> bytes:
    lines = [text.replace("\n", " ")] if one_paragraph else text.splitlines()
    return docx("".join(c for c in line if c >= " " or c == "\t") for line in lines)


def _weasy_pdf(text: str) -> bytes | None:
    try:
        from html import escape

        from weasyprint import HTML
    except ImportError:
        return None
    printable = "".join(c for c in text if c >= " " or c == "\n")  # as a word processor would
    body = "".join(f"<p>{escape(line)}</p>" for line in printable.splitlines())
    return HTML(string=f"<html><body style='font-family: DejaVu Serif'>{body}</body></html>"
                ).write_pdf()


def crafted_files(with_pdf: bool) -> list[tuple[str, str, bytes]]:
    texts = crafted()
    out = [(name, ".txt", text.encode("utf-8")) for name, text in texts.items()]
    for name in ("budget, one line", "random mix, short lines", "markup"):
        out.append((name, ".md", texts[name].encode("utf-8")))
    for name in ("budget, one line", "dates", "random mix, short lines", "unit names"):
        out.append((name, ".docx", _docx(texts[name], one_paragraph=name != "random mix, short "
                                                                          "lines")))
    if with_pdf:
        for name in ("budget, one a line", "random mix, short lines"):
            pdf = _weasy_pdf(texts[name])
            if pdf:
                out.append((name, ".pdf", pdf))
    return out


def _measure(path: str, lift: bool, conn) -> None:
    """In a forked child: audit one file, send back seconds, peak RSS and what came out."""
    if lift:
        from cchc_lib.audit import limits

        limits.MAX_BLOCK_CHARS = limits.MAX_TEXT_CHARS = limits.MAX_CLAIMS = 10 ** 9
    start = time.perf_counter()
    try:
        result = audit_file(path)
        outcome = f"{len(result.claims)} claims, {len(result.findings)} findings"
    except CchcError as exc:
        outcome = f"refused: {str(exc)[-80:]}"
    except Exception as exc:  # noqa: BLE001 - reported as unexpected
        outcome = f"UNEXPECTED {signature(exc)}"
    seconds = time.perf_counter() - start
    conn.send((seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, outcome))


def run_crafted(files, lift: bool, timeout: float) -> list[dict]:
    ctx = multiprocessing.get_context("fork")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, (name, suffix, data) in enumerate(files):
            path = Path(tmp) / f"crafted{n:03d}{suffix}"
            path.write_bytes(data)
            here, there = ctx.Pipe(duplex=False)
            child = ctx.Process(target=_measure, args=(str(path), lift, there))
            child.start()
            if here.poll(timeout):
                seconds, mib, outcome = here.recv()
            else:
                child.kill()
                seconds, mib, outcome = float("inf"), float("nan"), f"killed after {timeout:.0f} s"
            child.join()
            rows.append({"name": name, "suffix": suffix, "bytes": len(data), "seconds": seconds,
                         "mib": mib, "outcome": outcome})
            print(f"  {name + ' ' + suffix:42} {len(data) / 1000:6.0f} kB {seconds:7.2f} s "
                  f"{mib:6.0f} MiB  {outcome}", flush=True)
    return rows


# ------------------------------------------------------------------------------ fuzzed inputs

def _text(rng: random.Random) -> str:
    sep = rng.choice([" ", "", "\n", " \n"])
    size = rng.randint(0, 120) if rng.random() < 0.9 else rng.randint(120, 4_000)
    body = sep.join(_token(rng) for _ in range(size))
    return (HEADER + body) if rng.random() < 0.6 else body


_DOCX: dict[str, bytes] = {}
_XML_BITS = DOCX_XML_BITS + ['<w:gridSpan w:val="x"/>', "<!DOCTYPE x>"]


def _docx_base() -> dict[str, bytes]:
    if not _DOCX:
        _DOCX.update(parts(_docx(HEADER + "Hoàn thành 30/40 nhiệm vụ (75%).", False)))
    return _DOCX


def _xml_text(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape("".join(c for c in text if c in "\t\n" or " " <= c < "\ufffe"))


def m_docx(rng: random.Random) -> bytes:
    members = dict(_docx_base())
    body = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{_xml_text(line)}</w:t></w:r></w:p>"
                   for line in _text(rng).splitlines())
    rows = "".join("<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{_xml_text(_token(rng))}</w:t></w:r>"
                                      "</w:p></w:tc>" for _ in range(rng.randint(1, 7)))
                   + "</w:tr>" for _ in range(rng.randint(0, 6)))
    xml = members["word/document.xml"].decode()
    at = xml.index("<w:body>") + len("<w:body>")
    xml = xml[:at] + body + (f"<w:tbl>{rows}</w:tbl>" if rows else "") + xml[at:]
    how = rng.choice(["valid", "xml", "part", "bytes", "cut"])
    if how == "xml":
        name = rng.choice(sorted(members)) if rng.random() < 0.3 else "word/document.xml"
        data = xml.encode() if name == "word/document.xml" else members[name]
        members[name] = inserted(data, rng.randint(0, len(data)), rng.choice(_XML_BITS).encode())
        return zip_bytes(members)
    members["word/document.xml"] = xml.encode()
    if how == "part":
        name = rng.choice(sorted(members))
        members = with_part(members, name, None if rng.random() < 0.5 else b"")
    return _cut_or_scrambled(rng, zip_bytes(members), how)


def _cut_or_scrambled(rng: random.Random, data: bytes, how: str) -> bytes:
    if how == "bytes":
        return scrambled(rng, data, 8)
    if how == "cut":
        return data[:rng.randint(0, len(data))]
    return data


def m_pdf(rng: random.Random) -> bytes:
    words = _text(rng).encode("latin-1", "replace").replace(b"(", b"\\(").replace(b")", b"\\)")
    ops = b"".join(b"BT /F1 10 Tf 40 %d Td (" % (760 - 12 * n) + line + b") Tj ET\n"
                   for n, line in enumerate(words.splitlines()[:60]))
    how = rng.choice(["valid", "ops", "filter", "bytes", "cut"])
    if how == "valid":
        return pdf(zlib.compress(ops), ["/FlateDecode"])
    if how == "ops":
        return pdf(ops[:rng.randint(0, len(ops))] + rng.randbytes(rng.randint(0, 40)), [])
    if how == "filter":
        filters = rng.sample(PDF_FILTERS, rng.randint(1, 3))
        data = zlib.compress(ops) if rng.random() < 0.5 else rng.randbytes(rng.randint(0, 80))
        return pdf(data, filters)
    return _cut_or_scrambled(rng, pdf(zlib.compress(ops), ["/FlateDecode"]), how)


def m_txt(rng: random.Random) -> bytes:
    data = _text(rng).encode("utf-8", "surrogatepass")
    if rng.random() < 0.05:
        data = data.decode("utf-8", "replace").encode("utf-16")  # not UTF-8: refused
    return data


MUTATIONS = {".txt": m_txt, ".md": m_txt, ".docx": m_docx, ".pdf": m_pdf}
SHARE = {".txt": 0.33, ".md": 0.1, ".docx": 0.3, ".pdf": 0.27}


def _well_formed(result) -> str | None:
    data = result.as_dict()
    json.dumps(data, ensure_ascii=False, allow_nan=False)
    counts = {s: sum(f["severity"] == s for f in data["findings"])
              for s in ("error", "warning", "note")}
    if counts != data["counts"] or not data["checked"] >= data["consistent"] >= 0:
        return "counts do not add up"
    if any(not f["message"].strip() for f in data["findings"]):
        return "empty message"
    audit_html(result)
    return None


def run_one(task: tuple[int, str, int]) -> dict:
    index, suffix, seed = task
    rng = random.Random(f"{seed}:{index}")
    data = MUTATIONS[suffix](rng)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"bao-cao{suffix}"
        path.write_bytes(data)
        start = time.perf_counter()
        with time_limit(DOC_SECONDS, f"over {DOC_SECONDS} s"):
            try:
                why = _well_formed(audit_file(path))
                status = "audited" if why is None else "unexpected"
            except CchcError as exc:
                status, why = "refused", ""
                if not str(exc).startswith(str(path)):
                    status, why = "unexpected", "error does not name the file"
            except BaseException as exc:  # noqa: BLE001 - what we are looking for
                status, why = "unexpected", signature(exc)
        seconds = time.perf_counter() - start
    return {"index": index, "kind": suffix, "status": status, "why": why, "seconds": seconds,
            "bytes": len(data), "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


# ------------------------------------------------------------------------------ main

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=3_000, help="fuzzed documents")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--no-pdf-crafted", action="store_true",
                        help="skip the crafted PDFs (made with WeasyPrint, slow to make)")
    parser.add_argument("--no-limits", action="store_true",
                        help="lift the audit's limits for the crafted documents")
    parser.add_argument("--timeout", type=float, default=120, help="per crafted document, s")
    opts = parser.parse_args()

    print(f"Crafted {SIZE // 1000} kB documents (one forked process each"
          f"{', limits lifted' if opts.no_limits else ''}):", flush=True)
    audit_file(ROOT / "data" / "sample" / "seed_dak_ha_2024-H1.txt")  # warm: catalogue, units
    rows = run_crafted(crafted_files(not opts.no_pdf_crafted), opts.no_limits, opts.timeout)

    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    unexpected: collections.Counter = collections.Counter()
    records = []
    if opts.inputs:
        kinds = list(SHARE)
        weights = [SHARE[k] for k in kinds]
        rng = random.Random(opts.seed)
        tasks = [(i, rng.choices(kinds, weights)[0], opts.seed) for i in range(opts.inputs)]
        start = time.perf_counter()
        with multiprocessing.get_context("fork").Pool(opts.processes) as pool:
            for rec in pool.imap_unordered(run_one, tasks, chunksize=8):
                records.append(rec)
                counts[rec["kind"]][rec["status"]] += 1
                if rec["status"] == "unexpected":
                    unexpected[f"{rec['kind']} {rec['why']}"] += 1
        wall = time.perf_counter() - start
        print(f"\nFuzzed documents: {len(records)} in {wall:.0f} s ({opts.processes} processes)")
        print(f"  {'kind':6} {'inputs':>7} {'audited':>8} {'refused':>8} {'unexpected':>11}")
        for kind in kinds:
            c = counts[kind]
            print(f"  {kind:6} {sum(c.values()):7} {c['audited']:8} {c['refused']:8} "
                  f"{c['unexpected']:11}")
        total = collections.Counter()
        for c in counts.values():
            total.update(c)
        print(f"  {'all':6} {sum(total.values()):7} {total['audited']:8} {total['refused']:8} "
              f"{total['unexpected']:11}")
        slow = max(records, key=lambda r: r["seconds"])
        print(f"  slowest fuzzed: {slow['kind']} #{slow['index']} ({slow['bytes']} bytes) "
              f"{slow['seconds']:.2f} s; peak memory of a worker "
              f"{max(r['rss'] for r in records):.0f} MiB")

    print(f"\nUnexpected exceptions: {sum(unexpected.values())}")
    for sig, n in unexpected.most_common():
        print(f"  {n:5} × {sig}")

    print(f"\n100 kB documents: {len(rows)}; slowest:")
    for r in sorted(rows, key=lambda r: -r["seconds"])[:5]:
        print(f"  {r['seconds']:7.2f} s {r['mib']:6.0f} MiB  {r['name']} {r['suffix']}")
    print("largest memory:")
    for r in sorted(rows, key=lambda r: -(r["mib"] if r["mib"] == r["mib"] else 1e9))[:5]:
        print(f"  {r['mib']:6.0f} MiB {r['seconds']:7.2f} s  {r['name']} {r['suffix']}")
    over = [r for r in rows if not (r["seconds"] <= GOAL_SECONDS and r["mib"] <= GOAL_MIB)]
    odd = [r for r in rows if r["outcome"].startswith(("UNEXPECTED", "killed"))]
    print(f"over {GOAL_SECONDS:.0f} s or {GOAL_MIB} MiB: {len(over)}; unexpected: {len(odd)}")
    sys.exit(1 if unexpected or over or odd else 0)


if __name__ == "__main__":
    main()
