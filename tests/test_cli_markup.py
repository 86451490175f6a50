"""Text users type is printed as text by the CLI: rich markup in a cell, a note, a file name or
a hand-written report never styles, links, hides or crashes the output (a hostile tester's
"[/red]" crashed `cchc ingest`, `cchc check` and `cchc audit`; "[xem phụ lục]" vanished)."""

from __future__ import annotations

from dataclasses import replace

from click.testing import CliRunner

from cchc_lib.cli import main
from cchc_lib.serialize import load_sample
from cchc_lib.workbook import write_workbook

MARKUP = "[/red] [xem phụ lục] [link=http://example.invalid]bấm[/link] [/i]"


def run(*args: str):
    return CliRunner().invoke(main, list(args), env={"COLUMNS": "400"})


def flat(text: str) -> str:
    return " ".join(text.replace("│", " ").split())


def test_markup_in_a_workbook_survives_ingest_check_and_status(tmp_path):
    sample = load_sample()
    doc = replace(sample.documents[8], symbol="QĐ-UBND" + MARKUP)  # "Kế hoạch số 15/QĐ…"
    sub = replace(sample, documents=(*sample.documents[:8], doc, *sample.documents[9:]),
                  header=replace(sample.header, signer_name=MARKUP))
    book = tmp_path / "[red]xa[i].xlsx"
    write_workbook(book, sub)
    store = tmp_path / "store.sqlite"
    result = run("ingest", str(book), "--store", str(store))
    assert result.exit_code == 0, result.output
    assert "[red]xa[i].xlsx" in flat(result.output)
    assert "1 tệp đã nạp, 0 tệp lỗi." in result.output
    result = run("check", "--period", "2024-H1", "--store", str(store))
    assert result.exit_code == 1 and result.exception is None or \
        isinstance(result.exception, SystemExit), result.output
    assert "[xem phụ lục]" in flat(result.output)
    assert "[/red]" in flat(result.output) and "\x1b]8;" not in result.output  # no live link
    result = run("check", "--workbook", str(book))
    assert "[xem phụ lục]" in flat(result.output), result.output
    result = run("status", "--period", "2024-H1", "--parent", "661", "--store", str(store))
    assert result.exit_code == 0, result.output


def test_markup_in_a_hand_written_report_survives_the_audit(tmp_path):
    text = tmp_path / "[bold]bao-cao[i].txt"
    text.write_text("BÁO CÁO\nKết quả công tác cải cách hành chính quý I năm 2026 " + MARKUP +
                    "\nĐã giải quyết 13/21 hồ sơ (76,5%) " + MARKUP + ".\n", encoding="utf-8")
    result = run("audit", str(text))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "[bold]bao-cao[i].txt" in flat(result.output)
    assert "76,5%" in result.output
