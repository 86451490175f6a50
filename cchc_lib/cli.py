"""The command line: one entry point, ``cchc``, with a sub-command per job.

Everything printed for the user is Vietnamese.  Errors of the user's making
(:class:`~cchc_lib.errors.CchcError`) end the command with their message and
exit status 2, never with a traceback.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from functools import wraps
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cchc_lib import periods, units
from cchc_lib.batch.export import FORMATS
from cchc_lib.catalogue import default_catalogue
from cchc_lib.errors import CchcError
from cchc_lib.formatting import fmt_number
from cchc_lib.model import Submission
from cchc_lib.serialize import load_sample


def console() -> Console:
    """A console made per command, so that it sees the terminal (or COLUMNS) of this run.

    Markup is ours only: every text that comes from a user (cell values, notes, messages that
    quote them, file and unit names, excerpts) goes through :func:`escape` or :func:`plain`
    first, so that "[/red]" typed in a cell prints as typed instead of breaking the output.
    """
    return Console(highlight=False)


def plain(*cells: object) -> list[str]:
    """Table cells from user text: markup-escaped strings."""
    return [escape("" if c is None else str(c)) for c in cells]


def user_errors(func):
    """Turn a CchcError into a one-line Vietnamese message and exit status 2."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except CchcError as exc:
            click.echo(f"Lỗi: {exc}", err=True)
            sys.exit(2)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cchc")
def main() -> None:
    """cchc: số liệu cải cách hành chính cấp xã thành báo cáo định kỳ."""


def figures_table(sub: Submission, title: str) -> Table:
    """A rich table of the submission's figures as typed, in catalogue order."""
    cat = default_catalogue()
    table = Table(title=title, title_justify="left")
    for name, justify in (("Mã", "left"), ("Chỉ tiêu", "left"), ("Đơn vị tính", "left"),
                          ("Số liệu tổng", "right"), ("Đã thực hiện", "right"),
                          ("Tỷ lệ (%) ghi", "right")):
        table.add_column(name, justify=justify, overflow="fold")
    for ind in cat:
        value = sub.value(ind.code)
        if value is None or value.is_empty:
            continue
        table.add_row(*plain(ind.code, ind.title, ind.unit,
                             fmt_number(value.total, missing=""), fmt_number(value.done, missing=""),
                             f"{fmt_number(value.rate)}%" if value.rate is not None else ""))
    return table


def _summary(sub: Submission, out: Console) -> None:
    """Print a submission's unit, period and figures as typed."""
    period = periods.parse_period(sub.period)
    unit = units.get_unit(sub.unit_code, era=units.era_for(period.last_day))
    where = ", ".join(units.unit_title(u) for u in [unit, *units.ancestors(unit)])
    out.print(f"[bold]Đơn vị:[/bold] {escape(where)} (mã {escape(unit.code)})")
    out.print(f"[bold]Kỳ báo cáo:[/bold] {periods.label(period)} ({period.key})")
    out.print(f"[bold]Nguồn:[/bold] {escape(sub.source)}")
    filled = sum(1 for v in sub.values.values() if not v.is_empty)
    out.print(f"[bold]Số chỉ tiêu có số liệu:[/bold] {filled} / "
              f"{len(default_catalogue().data_rows())}, "
              f"{len(sub.documents)} văn bản được trích dẫn")
    out.print(figures_table(sub, "Số liệu như bản gốc đã ghi (chưa kiểm tra)"))


STORE_OPTION = click.option(
    "--store", "store_path", type=click.Path(dir_okay=False), default=None,
    help="Tệp kho dữ liệu SQLite (mặc định: $CCHC_STORE hoặc data/cchc.sqlite).")


def _unit_for(query: str, period: str, level: str | None = None):
    """The unit for a period, followed across 1 July 2025 (lineage.resolve_unit), and its note."""
    from cchc_lib.lineage import resolve_unit

    p = periods.parse_period(period)
    found = resolve_unit(query, p, level=level)
    return found.unit, p, found.note


@main.command()
@click.option("--unit", "unit_query", required=True, help="Mã hoặc tên đơn vị (ví dụ 24622, Đắk Ha).")
@click.option("--period", required=True, help="Kỳ báo cáo: 2024-Q1 … 2024-Q4, 2024-H1, 2024-9M, 2024.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Tệp .xlsx sẽ ghi (mặc định: <mã>-<tên>_<kỳ>.xlsx).")
@user_errors
def template(unit_query: str, period: str, output: str | None) -> None:
    """Tạo sổ tính Excel để xã điền số liệu của một kỳ."""
    from cchc_lib.workbook import template_for, write_workbook

    unit, p, note = _unit_for(unit_query, period, level="commune")
    if note:
        click.echo(f"Lưu ý: {note}")
    path = Path(output) if output else Path(f"{units.slug(unit)}_{p.key}.xlsx")
    write_workbook(path, template_for(unit.code, p.key))
    click.echo(f"Đã tạo mẫu {path} cho {units.unit_title(unit)}, {periods.label(p)}.")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@STORE_OPTION
@click.option("--quiet", is_flag=True, help="Không in ghi chú về cách đọc số liệu.")
@click.option("--allow-older", is_flag=True,
              help="Cho nạp tệp trùng nội dung một lần nộp cũ hơn bản đang dùng (quay lại bản cũ).")
@user_errors
def ingest(files: tuple[str, ...], store_path: str | None, quiet: bool,
           allow_older: bool) -> None:
    """Nạp sổ tính (.xlsx), tệp CSV hoặc YAML vào kho; mỗi tệp một giao dịch."""
    from cchc_lib.ingest import ingest_files

    out = console()
    outcomes = ingest_files([Path(f) for f in files], store_path, allow_older=allow_older)
    table = Table(title="Kết quả nạp dữ liệu", title_justify="left")
    for name in ("Tệp", "Đơn vị", "Kỳ", "Lần nộp", "Kết quả", "Lỗi kiểm tra"):
        table.add_column(name, overflow="fold")
    status_text = {"new": "nộp mới", "revised": "bản sửa đổi", "unchanged": "không đổi"}
    for o in outcomes:
        if o.error:
            table.add_row(escape(o.file), "", "", "", f"[red]LỖI: {escape(o.error)}[/red]", "")
            continue
        for r, n in zip(o.results, o.check_errors):
            table.add_row(*plain(o.file, r.unit_code, r.period, r.revision,
                                 status_text[r.status], "" if n is None else n))
        if not quiet:
            for note in o.notes:
                out.print(f"[dim]Ghi chú {escape(o.file)}: {escape(note)}[/dim]")
    out.print(table)
    failed = sum(1 for o in outcomes if o.error)
    out.print(f"{len(outcomes) - failed} tệp đã nạp, {failed} tệp lỗi.")
    if failed:
        sys.exit(1)


def _as_of(ctx, param, value):
    """``--as-of``: a day as 30/09/2026 or 2026-09-30 (None: today, local time)."""
    from cchc_lib.status import parse_day

    if value is None:
        return None
    try:
        return parse_day(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


AS_OF_OPTION = click.option(
    "--as-of", "as_of", default=None, callback=_as_of,
    help="Xem tình hình như đến hết ngày này (30/09/2026 hoặc 2026-09-30); mặc định: hôm nay. "
         "Các lần nộp sau ngày này không được tính.")


@main.command()
@click.option("--period", required=True, help="Kỳ báo cáo, ví dụ 2024-H1.")
@click.option("--parent", "parent_code", default=None,
              help="Mã huyện hoặc tỉnh; mặc định: các cấp trên của đơn vị đã có trong kho.")
@AS_OF_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Bảng để đọc hoặc JSON cho máy.")
@STORE_OPTION
@user_errors
def status(period: str, parent_code: str | None, as_of, fmt: str,
           store_path: str | None) -> None:
    """Tình hình nộp báo cáo của các đơn vị trong một kỳ: hạn nộp, ngày nhận, đúng hạn / muộn /
    chưa nộp, sửa sau hạn, lỗi kiểm tra."""
    import json

    from cchc_lib.formatting import fmt_date_short
    from cchc_lib.ingest import submission_status
    from cchc_lib.status import count_states, fmt_local, local_today

    p = periods.parse_period(period)
    day = as_of or local_today()
    rows = submission_status(period, parent_code, store_path, as_of=day)
    counts = count_states(rows)
    if fmt == "json":
        click.echo(json.dumps({
            "period": p.key, "period_label": periods.label(p), "parent": parent_code,
            "deadline": periods.deadline(p).isoformat(), "as_of": day.isoformat(),
            "counts": counts, "units": [r.as_dict() for r in rows]},
            ensure_ascii=False, indent=2))
        return
    out = console()
    table = Table(title=f"Tình hình nộp báo cáo {periods.label(p)}, hạn nộp "
                        f"{fmt_date_short(periods.deadline(p))}, tính đến hết ngày "
                        f"{fmt_date_short(day)}", title_justify="left")
    for name, justify in (("Mã", "left"), ("Đơn vị", "left"), ("Hạn nộp", "left"),
                          ("Ngày báo cáo", "left"), ("Nhận lúc", "left"),
                          ("Tình trạng", "left"), ("Sửa sau hạn", "left"),
                          ("Số lần nộp", "right"), ("Lỗi kiểm tra", "right")):
        table.add_column(name, justify=justify, overflow="fold")
    style = {"on_time": "", "late": "yellow", "missing": "red", "not_due": ""}
    for r in rows:
        label = escape(r.label())
        if style[r.state]:
            label = f"[{style[r.state]}]{label}[/{style[r.state]}]"
        table.add_row(escape(r.unit_code), escape(r.unit_name), fmt_date_short(r.deadline),
                      escape(r.report_date or ""), fmt_local(r.received_at), label,
                      f"có, {fmt_local(r.revised_at)}" if r.revised_after_deadline else "",
                      str(r.revisions) if r.submitted else "",
                      "" if r.check_errors is None else str(r.check_errors))
    out.print(table)
    out.print(f"Đã nộp {counts['submitted']}/{counts['expected']} đơn vị.")
    out.print(f"Đúng hạn {counts['on_time']}, muộn {counts['late']}; chưa nộp "
              f"{counts['missing'] + counts['not_due']} (quá hạn {counts['missing']}); sửa sau "
              f"hạn {counts['revised_after_deadline']}; có lỗi số liệu {counts['with_errors']}.")
    illustrative = sum(1 for r in rows if r.illustrative)
    if illustrative:
        out.print(f"[bold]{illustrative} báo cáo là DỮ LIỆU MINH HỌA[/bold] (không phải số liệu "
                  "thật).")


@main.command()
@click.option("--period", required=True, help="Kỳ báo cáo, ví dụ 2026-Q3.")
@click.option("--parent", "parent_code", required=True,
              help="Mã (hoặc tên) tỉnh; trước 01/07/2025: mã huyện.")
@AS_OF_OPTION
@click.option("--issuer", type=click.Choice(["noi-vu", "ubnd"]), default="noi-vu",
              show_default=True,
              help="Cơ quan ban hành: Sở Nội vụ (Phòng Nội vụ của huyện) hoặc Ủy ban nhân dân.")
@click.option("--signer", default="", help="Họ và tên người ký (in dưới chữ ký).")
@click.option("--due", "due", default=None, callback=_as_of,
              help="Hạn mới để gửi hoặc sửa báo cáo (mặc định: 3 ngày làm việc sau ngày ký).")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Thư mục ghi công văn (mặc định: outputs/<kỳ>/<tỉnh>_<kỳ>_don-doc/).")
@STORE_OPTION
@user_errors
def remind(period, parent_code, as_of, issuer, signer, due, out_dir, store_path) -> None:
    """Công văn đôn đốc (DOCX và PDF, thể thức Nghị định 30) gửi các đơn vị chưa gửi báo cáo,
    gửi muộn hoặc báo cáo còn lỗi số liệu, liệt kê theo nhóm; chỉ còn để trống số văn bản."""
    from cchc_lib.ingest import parent_unit, submission_status
    from cchc_lib.remind import letter_stem, plan_letter, write_letter
    from cchc_lib.status import local_today

    out = console()
    p = periods.parse_period(period)
    parent = parent_unit(parent_code, p)
    day = as_of or local_today()
    rows = submission_status(p.key, parent.code, store_path, as_of=day)
    letter = plan_letter(p.key, parent, rows, day, issuer=issuer.replace("-", "_"),
                         signer=signer, due=due)
    if letter is None:
        out.print(f"Đến ngày {day:%d/%m/%Y}, mọi đơn vị của {escape(units.unit_title(parent))} "
                  "đã gửi báo cáo đúng hạn, không còn lỗi số liệu: không cần đôn đốc.")
        return
    folder = Path(out_dir) if out_dir else Path("outputs") / p.key / letter_stem(letter, parent)
    written = write_letter(letter, parent, folder)
    for g in letter.groups:
        out.print(escape(g.heading))
    out.print(f"Đã ghi công văn đôn đốc ({len(letter.recipient_units)} đơn vị): "
              + ", ".join(escape(str(w)) for w in written), soft_wrap=True)
    if not signer:
        out.print("[yellow]Chưa ghi tên người ký[/yellow] (--signer): dòng tên để trống.")


@main.command()
@click.option("--period", required=True, help="Kỳ báo cáo, ví dụ 2026-Q3.")
@click.option("--parent", "parent_code", required=True,
              help="Mã (hoặc tên) tỉnh; trước 01/07/2025: mã huyện.")
@AS_OF_OPTION
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), required=True,
              help="Tệp .xlsx sẽ ghi.")
@STORE_OPTION
@user_errors
def summary(period, parent_code, as_of, output, store_path) -> None:
    """Biểu tổng hợp gửi Bộ (Excel): mỗi đơn vị một dòng, mỗi chỉ tiêu PHỤ LỤC SỐ 01 một nhóm
    cột, dòng tổng với tỷ lệ tính từ tổng phân số, đơn vị chưa báo cáo được đánh dấu."""
    from cchc_lib.summary import write_summary

    path, rows = write_summary(output, period, parent_code, store_path, as_of=as_of)
    done = sum(1 for r in rows if r.submitted)
    console().print(f"Đã ghi biểu tổng hợp {escape(str(path))}: {done}/{len(rows)} đơn vị đã "
                    "báo cáo.", soft_wrap=True)


@main.command()
@click.option("--units", "n_units", type=click.IntRange(1, 5000), default=7, show_default=True,
              help="Số đơn vị.")
@click.option("--periods", "period_list", default="2024-H1", show_default=True,
              help="Các kỳ, cách nhau bởi dấu phẩy (ví dụ 2026-Q1,2026-Q2).")
@click.option("--parent", "parent_code", default=None, help="Mã huyện/tỉnh chứa các đơn vị.")
@click.option("--seed", type=int, default=0, show_default=True, help="Hạt giống ngẫu nhiên.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), required=True,
              help="Thư mục ghi các sổ tính.")
@user_errors
def synth(n_units: int, period_list: str, parent_code: str | None, seed: int, out_dir: str) -> None:
    """Tạo sổ tính DỮ LIỆU MINH HỌA (không phải số liệu thật) cho demo và đo hiệu năng."""
    from cchc_lib.synth import synth_batch
    from cchc_lib.workbook import write_workbook

    wanted = [periods.parse_period(x.strip()).key for x in period_list.split(",") if x.strip()]
    subs = synth_batch(n_units, wanted, seed=seed, parent_code=parent_code)
    out = Path(out_dir)
    for sub in subs:
        p = periods.parse_period(sub.period)
        unit = units.get_unit(sub.unit_code, era=units.era_for(p.last_day))
        write_workbook(out / f"{units.slug(unit)}_{sub.period}.xlsx", sub)
    click.echo(f"Đã ghi {len(subs)} sổ tính dữ liệu minh họa vào {out}.")


SEVERITY_STYLE = {"error": ("LỖI", "red"), "warning": ("CẢNH BÁO", "yellow"),
                  "note": ("GHI CHÚ", "cyan")}


def findings_table(title: str, findings) -> Table:
    """A rich table of findings: severity, rule, place, message."""
    table = Table(title=title, title_justify="left", show_lines=True)
    for name, width in (("Mức", 9), ("Quy tắc", 26), ("Vị trí", 30), ("Nội dung", None)):
        table.add_column(name, overflow="fold", min_width=width)
    for f in findings:
        label, style = SEVERITY_STYLE[f.severity]
        table.add_row(f"[{style}]{label}[/{style}]", *plain(f.rule, f.place, f.message))
    return table


@main.command()
@click.option("--unit", "unit_query", default=None, help="Mã hoặc tên đơn vị (cần --period).")
@click.option("--period", default=None, help="Kỳ báo cáo; không có --unit: mọi đơn vị của kỳ.")
@click.option("--workbook", "input_file", type=click.Path(dir_okay=False), default=None,
              help="Kiểm tra thẳng một sổ tính .xlsx (hoặc .csv, .yaml) không qua kho.")
@click.option("--sample", is_flag=True, help="Kiểm tra báo cáo mẫu xã Đắk Ha 6 tháng đầu năm 2024.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Bảng để đọc hoặc JSON cho máy.")
@STORE_OPTION
@user_errors
def check(unit_query, period, input_file, sample, fmt, store_path) -> None:
    """Kiểm tra số liệu: tỷ lệ, tổng và phần, ngày tháng, văn bản, tên đơn vị, kỳ báo cáo.

    Thoát với mã 1 khi có lỗi (mức LỖI).
    """
    import json

    from cchc_lib import sources
    from cchc_lib.checks import count_by_severity, run_checks
    from cchc_lib.store import open_store

    if sum(bool(x) for x in (input_file, sample, period)) != 1:
        raise click.UsageError("Chọn một nguồn: --sample, --workbook TỆP, hoặc --period KỲ "
                               "(kèm --unit để chỉ kiểm tra một đơn vị).")
    if sample or input_file:
        subs = [sources.sample_submission()] if sample else sources.file_submissions(input_file)
        # a file of several reports: each is checked against the others (period.* rules)
        results = [(sub, run_checks(sub, history=[o for o in subs if o.unit_code == sub.unit_code],
                                    peers=subs)) for sub in subs]
    else:
        key = periods.parse_period(period).key
        if unit_query:
            unit, _, note = _unit_for(unit_query, key, level="commune")
            if note:  # stderr: the JSON on stdout stays machine-readable
                click.echo(f"Lưu ý: {note}", err=fmt == "json")
            unit_query = f"{int(unit.code):05d}"  # padded: a commune, not a district's code
        with open_store(store_path, create=False) as store:
            found = sources.stored_submissions(store, key, unit_query)
            if not found:
                raise CchcError(f"Kho chưa có báo cáo nào của kỳ {key}.")
            # the period.* rules: the unit's earlier reports as its report sees them (across
            # 1 July 2025 the sums of its predecessors) and the other units' of this period
            peers = [s for _, s in (sources.stored_submissions(store, key) if unit_query
                                    else found)]
            results = [(sub, run_checks(sub, history=sources.stored_history(store, sub.unit_code,
                                                                            key),
                                        peers=peers))
                       for _, sub in found]
            for (info, _), (_, findings) in zip(found, results):
                # remember the error counts for `cchc status`, on the revision checked
                store.set_check_errors(info.unit_code, info.period, info.revision,
                                       count_by_severity(findings)["error"])
    errors = sum(count_by_severity(f)["error"] for _, f in results)
    if fmt == "json":
        payload = [{"unit": sub.unit_code, "period": sub.period,
                    "counts": count_by_severity(found),
                    "findings": [{"rule": f.rule, "severity": f.severity, "place": f.place,
                                  "message": f.message, "indicator": f.indicator,
                                  "expected": f.expected, "found": f.found, "where": f.where}
                                 for f in found]}
                   for sub, found in results]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        out = console()
        for sub, found in results:
            p = periods.parse_period(sub.period)
            try:
                name = units.unit_title(units.get_unit(sub.unit_code,
                                                       era=units.era_for(p.last_day)))
            except CchcError:
                name = sub.unit_code
            counts = count_by_severity(found)
            title = (f"{name} ({sub.unit_code}), {periods.label(p)}: {counts['error']} lỗi, "
                     f"{counts['warning']} cảnh báo, {counts['note']} ghi chú")
            if found:
                out.print(findings_table(escape(title), found))
            else:
                out.print(f"{escape(title)}: không phát hiện vấn đề.")
    if errors:
        sys.exit(1)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--unit", "unit_hint", default=None,
              help="Đơn vị của báo cáo, khi chương trình không tự nhận ra.")
@click.option("--period", "period_hint", default=None,
              help="Kỳ của báo cáo, khi chương trình không tự nhận ra (ví dụ 2024-H1).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Bảng để đọc hoặc JSON cho máy.")
@click.option("--html", "html_out", type=click.Path(dir_okay=False), default=None,
              help="Ghi thêm một trang HTML để gửi lại cho xã.")
@user_errors
def audit(file, unit_hint, period_hint, fmt, html_out) -> None:
    """Kiểm tra một báo cáo viết tay (.docx, .pdf, .txt, .md): mọi con số, ngày tháng, trích dẫn
    không khớp, và PHỤ LỤC SỐ 01 nếu có. Thoát với mã 1 khi có lỗi."""
    import json

    from cchc_lib.audit import audit_file, audit_html
    from cchc_lib.files import atomic_path

    result = audit_file(file, unit_hint=unit_hint, period_hint=period_hint)
    counts = result.counts
    ctx = result.context
    if html_out:
        with atomic_path(html_out) as tmp:
            tmp.write_text(audit_html(result), encoding="utf-8")
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        out = console()
        unit = units.unit_title(ctx.unit) if ctx.unit else (ctx.unit_text or "chưa xác định")
        out.print(f"[bold]Tệp:[/bold] {escape(file)}\n[bold]Đơn vị:[/bold] {escape(unit)}; "
                  f"[bold]kỳ:[/bold] {escape(ctx.period_text or 'chưa xác định')}; "
                  f"[bold]ngày báo cáo:[/bold] {escape(ctx.report_date_text or 'chưa xác định')}")
        table = Table(title="Kết quả kiểm tra", title_justify="left", show_lines=True)
        for name, width in (("Mức", 9), ("Quy tắc", 24), ("Vị trí", 18), ("Trích", 30),
                            ("Giải thích", None)):
            table.add_column(name, overflow="fold", min_width=width)
        for f in result.findings:
            label, style = SEVERITY_STYLE[f.severity]
            table.add_row(f"[{style}]{label}[/{style}]",
                          *plain(f.rule, f.place, result.excerpt(f), f.message))
        if result.findings:
            out.print(table)
        appendix = sum(1 for r in result.appendix if r.code)
        out.print(f"Đã kiểm tra {len(result.claims)} số liệu, ngày tháng và trích dẫn"
                  f"{f' và {appendix} dòng phụ lục' if appendix else ''}: {result.consistent} "
                  f"khớp; {counts['error']} lỗi, {counts['warning']} cảnh báo, "
                  f"{counts['note']} ghi chú.")
        if html_out:
            out.print(f"Trang kết quả: {escape(str(Path(html_out).resolve()))}")
    if counts["error"]:
        sys.exit(1)


FORMATS_OPTION = click.option(
    "--formats", default=",".join(FORMATS), show_default=True,
    help=f"Các định dạng xuất, cách nhau bởi dấu phẩy: {', '.join(FORMATS)}.")


def _formats(text: str) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    bad = [f for f in wanted if f not in FORMATS]
    if bad or not wanted:
        raise CchcError(f"Định dạng không hợp lệ: {', '.join(bad) or text!r}; chọn trong "
                        f"{', '.join(FORMATS)}")
    return wanted


def _run_batch(jobs, n_jobs: int, force: bool, out_dir: str, out: Console, *,
               executor: str = "local", scheduler: str | None = None) -> list:
    """Render with a progress bar (on this machine or a Dask cluster), write the index, print
    the summary."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, \
        TimeElapsedColumn

    from cchc_lib.batch.index import write_index
    from cchc_lib.batch.pool import render_jobs

    counts = {"rendered": 0, "skipped": 0, "failed": 0}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=out, transient=False) as bar:
        task = bar.add_task("Đang tạo báo cáo", total=len(jobs))

        def tick(outcome) -> None:
            counts[outcome.status] += 1
            bar.update(task, advance=1, description=(
                f"Đang tạo báo cáo: {counts['rendered']} xong, {counts['skipped']} bỏ qua "
                f"(không đổi), {counts['failed']} lỗi"))

        outcomes = render_jobs(jobs, workers=n_jobs, force=force, on_progress=tick,
                               executor=executor, scheduler=scheduler)
    index = write_index(outcomes, out_dir)
    for o in outcomes:
        if o.status == "failed":
            out.print(f"[red]LỖI[/red] {escape(o.job.unit_name)} ({escape(o.job.unit_code)}), "
                      f"{escape(o.job.period)}: {escape(o.error)}")
        for warning in o.warnings:
            out.print(f"[yellow]CHÚ Ý[/yellow] {escape(o.job.unit_name)} "
                      f"({escape(o.job.unit_code)}), {escape(o.job.period)}: {escape(warning)}")
    out.print(f"{counts['rendered']} báo cáo đã tạo, {counts['skipped']} không đổi, "
              f"{counts['failed']} lỗi. Danh mục: {escape(str(index))}")
    return outcomes


@main.command()
@click.argument("params_files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--period", default=None, help="Chọn theo kỳ: mọi báo cáo của kỳ trong kho.")
@click.option("--parent", "parent_code", default=None,
              help="Chỉ các xã thuộc huyện/tỉnh này (kèm bản tổng hợp của huyện/tỉnh).")
@click.option("--all", "everything", is_flag=True, help="Mọi đơn vị, mọi kỳ có trong kho.")
@FORMATS_OPTION
@click.option("--jobs", "n_jobs", type=click.IntRange(1, 64), default=None,
              help="Số tiến trình chạy song song (mặc định: số lõi CPU, bớt đi nếu máy ít bộ nhớ).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default=None,
              help="Chạy ở đâu: local (các tiến trình trên máy này, mặc định) hoặc dask (các máy "
                   "trạm của một cụm Dask; cần pip install 'cchc[dask]').")
@click.option("--scheduler", default=None, metavar="ĐỊA_CHỈ",
              help="Địa chỉ bộ lập lịch Dask, ví dụ tcp://10.0.0.5:8786 (kéo theo --executor "
                   "dask); không có: một cụm Dask trên máy này với --jobs tiến trình.")
@click.option("--force", is_flag=True, help="Tạo lại cả báo cáo không có gì thay đổi.")
@click.option("--timeout", type=click.IntRange(10, 86400), default=600, show_default=True,
              help="Thời gian tối đa (giây) cho mỗi ô của notebook.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="outputs",
              show_default=True, help="Thư mục kết quả.")
@click.option("--province-text", "province_text", type=click.Path(dir_okay=False), default=None,
              help="Tệp YAML phần chữ tỉnh (huyện) tự viết cho báo cáo tổng hợp (kèm --parent).")
@STORE_OPTION
@user_errors
def render(params_files, period, parent_code, everything, formats, n_jobs, executor, scheduler,
           force, timeout, out_dir, province_text, store_path) -> None:
    """Tạo báo cáo HTML/PDF/DOCX cho nhiều đơn vị: từ tệp tham số hoặc theo kỳ/đơn vị.

    Chỉ tạo lại báo cáo có dữ liệu, notebook, chương trình, tham số hoặc định dạng thay đổi.
    Thoát với mã 1 khi có báo cáo lỗi.
    """
    from cchc_lib.batch.jobs import jobs_for_selection, make_job
    from cchc_lib.batch.params import load_params_file
    from cchc_lib.sources import StoreCache

    if bool(params_files) == bool(period or everything):
        raise click.UsageError("Chọn hoặc các tệp tham số, hoặc --period KỲ [--parent MÃ] / --all.")
    if scheduler and executor == "local":
        raise click.UsageError("--scheduler là địa chỉ của cụm Dask: dùng với --executor dask.")
    executor = "dask" if scheduler else (executor or "local")
    if params_files:
        params = [load_params_file(f) for f in params_files]  # all checked before any kernel
        with StoreCache() as stores:
            jobs = [make_job(p, out_dir, store=store_path, timeout=timeout, stores=stores)
                    for p in params]
    else:
        jobs = jobs_for_selection(period, parent_code, everything, _formats(formats), out_dir,
                                  store=store_path, timeout=timeout,
                                  province_text=province_text)
    outcomes = _run_batch(jobs, n_jobs or 0, force, out_dir, console(), executor=executor,
                          scheduler=scheduler)
    if any(o.status == "failed" for o in outcomes):
        sys.exit(1)


@main.command("params")
@click.option("--period", default=None, help="Kỳ báo cáo.")
@click.option("--parent", "parent_code", default=None, help="Mã huyện/tỉnh.")
@click.option("--all", "everything", is_flag=True, help="Mọi đơn vị, mọi kỳ có trong kho.")
@FORMATS_OPTION
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="params",
              show_default=True, help="Thư mục ghi tệp tham số.")
@STORE_OPTION
@user_errors
def params_cmd(period, parent_code, everything, formats, out_dir, store_path) -> None:
    """Ghi tệp tham số (params/*.yaml) cho một lựa chọn, để chạy lại đúng như vậy."""
    from cchc_lib.files import atomic_path
    from cchc_lib.batch.jobs import jobs_for_selection
    from cchc_lib.batch.params import dump_params

    if not (period or everything):
        raise click.UsageError("Cần --period KỲ (kèm --parent MÃ) hoặc --all.")
    jobs = jobs_for_selection(period, parent_code, everything, _formats(formats), "outputs",
                              store=store_path)
    for job in jobs:
        with atomic_path(Path(out_dir) / f"{job.stem}.yaml") as tmp:
            tmp.write_text(dump_params(job.params), encoding="utf-8")
    click.echo(f"Đã ghi {len(jobs)} tệp tham số vào {out_dir}.")


def _demo_receipt(sub: Submission):
    """When the demo's store received a report: 09:00 local time on the date the report bears
    (a report without a date: now), except xã Đắk Som's 6-month report of 2024, received on
    24/06/2024, four days after the deadline, so that the index shows a late report."""
    from datetime import datetime

    from cchc_lib.status import LOCAL_TZ
    from cchc_lib.textparse import parse_date_text

    if (sub.unit_code, sub.period) == ("24637", "2024-H1"):
        return datetime(2024, 6, 24, 9, 0, tzinfo=LOCAL_TZ)
    day = parse_date_text(sub.header.report_date or "").day
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=LOCAL_TZ) if day else None


# The demo's periods: the district's communes before 1 July 2025 (the seed's is the last), and
# one quarter after it for the new communes they became.
DEMO_HISTORY = ("2023-H1", "2023", "2024-H1")
DEMO_AFTER = "2025-Q3"


def _demo_planted(sub: Submission) -> Submission:
    """The demo's one planted mistake across periods, so that the period rules show: xã Quảng
    Hoà's 6-month report of 2024 carries over 12 dossiers more (S.3.2, and the dossiers
    received S.3.1 with it) than its report of năm 2023 left unresolved (period.carry-over).
    Every other illustrative report agrees with the unit's earlier ones (synth_history)."""
    from dataclasses import replace

    if (sub.unit_code, sub.period) != ("24620", "2024-H1"):
        return sub
    values = dict(sub.values)
    for code in ("S.3.2", "S.3.1"):
        values[code] = replace(values[code], total=values[code].total + 12)
    return replace(sub, values=values)


def _demo_after() -> list[Submission]:
    """Illustrative quý III 2025 reports of the new communes that xã Đắk Ha's district became
    (their charts and comparisons sum the former communes' reports)."""
    from cchc_lib import lineage
    from cchc_lib.synth import synth_submission

    olds = units.children("661", era="2008", level="commune")
    news = sorted({link.new for u in olds for link in lineage.successors(u.code)}, key=int)
    return [synth_submission(units.get_unit(code, era="2025", level="commune"), DEMO_AFTER,
                             seed=0) for code in news]


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="outputs",
              show_default=True, help="Thư mục kết quả.")
@click.option("--jobs", "n_jobs", type=click.IntRange(1, 64), default=None,
              help="Số tiến trình chạy song song (mặc định: số lõi CPU, bớt đi nếu máy ít bộ nhớ).")
@STORE_OPTION
@user_errors
def demo(out_dir: str, n_jobs: int | None, store_path: str | None) -> None:
    """Chạy thử toàn bộ: nạp báo cáo mẫu xã Đắk Ha và một huyện dữ liệu minh họa (ba kỳ) vào
    kho, tạo mọi báo cáo (HTML, PDF, DOCX), bản tổng hợp, báo cáo tổng hợp và diễn biến qua các
    kỳ của huyện, báo cáo quý III/2025 của các xã mới, in đường dẫn outputs/index.html."""
    from cchc_lib.batch.jobs import jobs_for_selection, make_job
    from cchc_lib.batch.params import RenderParams
    from cchc_lib.ingest import ingest_checked
    from cchc_lib.serialize import SAMPLE_DIR
    from cchc_lib.sources import StoreCache
    from cchc_lib.store import open_store, resolve_store_path
    from cchc_lib.synth import synth_history

    out = console()
    sample = load_sample()
    _summary(sample, out)
    store = resolve_store_path(store_path)
    with open_store(store) as st:
        subs = [sample] + [_demo_planted(s)
                           for u in units.children("661", era="2008", level="commune")
                           if u.code != sample.unit_code
                           for s in synth_history(u, list(DEMO_HISTORY), seed=0)]
        after = _demo_after()
        for sub in subs + after:  # each received when the demo says (_demo_receipt), as if then
            ingest_checked(st, [sub], source_file="cchc demo", now=_demo_receipt(sub))
    out.print(f"Đã nạp vào kho {escape(str(store))}: báo cáo mẫu xã Đắk Ha (6 tháng đầu năm "
              f"2024; các kỳ trước của xã không có) và {len(subs) - 1} báo cáo DỮ LIỆU MINH HỌA "
              "của các xã khác thuộc huyện Đắk Glong (6 tháng đầu năm 2023, năm 2023, 6 tháng "
              "đầu năm 2024; thời điểm nhận: ngày ghi trên báo cáo; riêng xã Đắk Som kỳ 6 tháng "
              "đầu năm 2024 nhận muộn 4 ngày; xã Quảng Hoà kỳ 6 tháng đầu năm 2024 cố ý ghi số "
              "hồ sơ chuyển kỳ lệch 12 so với báo cáo năm 2023), cùng "
              f"{len(after)} báo cáo DỮ LIỆU MINH HỌA quý III năm 2025 của các xã, phường mới "
              "hình thành từ các xã đó.")
    jobs = jobs_for_selection("2024-H1", "661", False, FORMATS, out_dir, store=store,
                              province_text=SAMPLE_DIR / "dak_glong_2024-H1_tong-hop.yaml")
    with StoreCache() as stores:
        jobs.append(make_job(RenderParams("province_trends", {
            "parent": "661", "period_from": DEMO_HISTORY[0], "period_to": DEMO_HISTORY[-1],
            "store": str(store)}, FORMATS), out_dir, store=store, stores=stores))
        jobs += [make_job(RenderParams("commune_report", {
            "unit": s.unit_code, "period": s.period, "source": "store", "store": str(store)},
            FORMATS), out_dir, store=store, stores=stores) for s in after]
    outcomes = _run_batch(jobs, n_jobs or 0, False, out_dir, out)
    index = (Path(out_dir) / "index.html").resolve()
    for notebook, what in (("province_report", "Báo cáo tổng hợp của huyện"),
                           ("province_trends", "Diễn biến qua các kỳ của huyện")):
        report = next((o for o in outcomes if o.job.params.notebook == notebook), None)
        if report is not None and "html" in report.files:
            out.print(f"[bold]{what}:[/bold] "
                      f"{escape(str(Path(report.job.out_dir) / report.files['html']))}",
                      soft_wrap=True)
    new_reports = [o for o in outcomes if o.job.period == DEMO_AFTER and "html" in o.files]
    if new_reports:
        out.print(f"[bold]Báo cáo {periods.label(DEMO_AFTER)} của các xã, phường mới (biểu đồ "
                  "diễn biến cộng số liệu các xã cũ):[/bold] "
                  + ", ".join(escape(str(Path(o.job.out_dir) / o.files["html"]))
                              for o in new_reports), soft_wrap=True)
    # the rest of the district office's cycle: the reminder letter and the ministry's table
    from cchc_lib.ingest import parent_unit, submission_status
    from cchc_lib.remind import letter_stem, plan_letter, write_letter
    from cchc_lib.summary import write_summary

    p = periods.parse_period("2024-H1")
    parent = parent_unit("661", p)
    as_of = periods.deadline(p) + timedelta(days=5)
    letter = plan_letter(p.key, parent, submission_status(p.key, parent.code, store, as_of=as_of),
                         as_of)
    if letter is not None:
        written = write_letter(letter, parent, Path(out_dir) / p.key / letter_stem(letter, parent))
        out.print("[bold]Công văn đôn đốc:[/bold] "
                  + ", ".join(escape(str(Path(w).resolve())) for w in written), soft_wrap=True)
    table, _ = write_summary(Path(out_dir) / p.key / "661-dak-glong_2024-H1_bieu-tong-hop.xlsx",
                             p.key, "661", store)
    out.print(f"[bold]Biểu tổng hợp gửi Bộ:[/bold] {escape(str(Path(table).resolve()))}",
              soft_wrap=True)
    out.print(f"[bold]Mở danh mục báo cáo:[/bold] {escape(str(index))}")
    if any(o.status == "failed" for o in outcomes):
        sys.exit(1)


@main.command()
@click.argument("unit_query", metavar="ĐƠN_VỊ")
@click.option("--era", type=click.Choice(["2008", "2025"]), default=None,
              help="Thời kỳ: 2008 (trước 01/07/2025) hoặc 2025 (từ 01/07/2025).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Bảng để đọc hoặc JSON cho máy.")
@user_errors
def lineage(unit_query: str, era: str | None, fmt: str) -> None:
    """Một đơn vị qua đợt sắp xếp ngày 01/07/2025: đơn vị cũ → đơn vị mới, hoặc ngược lại.

    Đơn vị trước 2025: các đơn vị kế tiếp; đơn vị từ 2025: các đơn vị đã hợp thành, kèm huyện,
    tỉnh cũ, quan hệ (toàn bộ / một phần) và căn cứ pháp lý.
    """
    import json

    from cchc_lib import lineage as lin

    records = [lin.lineage_record(u) for u in lin.lineage_units(unit_query, era)]
    if fmt == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    out = console()
    for rec in records:
        unit = rec["unit"]
        where = ", ".join(x["title"] for x in (unit["district"], unit["province"]) if x)
        era_text = "trước 01/07/2025" if unit["era"] == "2008" else "từ 01/07/2025"
        head = f"{unit['title']} (mã {unit['code']}, {era_text}{', ' + where if where else ''})"
        if rec["direction"] == "successors":
            title = f"{head} — từ ngày 01/07/2025 thuộc:"
            columns = ("Mã", "Đơn vị mới", "Tỉnh", "Quan hệ", "Căn cứ")
        else:
            title = f"{head} — được thành lập từ:"
            columns = ("Mã", "Đơn vị cũ", "Huyện cũ", "Tỉnh cũ", "Quan hệ", "Căn cứ")
        if not rec["links"]:
            out.print(f"[bold]{escape(head)}[/bold]: không có trong bảng sắp xếp.")
            if rec["via_communes"]:
                out.print("Từ 01/07/2025 không còn cấp huyện; các xã của huyện nay thuộc: "
                          + escape("; ".join(f"{u['title']} ({u['code']})"
                                             for u in rec["via_communes"])) + ".")
            continue
        bases = list(dict.fromkeys(link["basis"] for link in rec["links"]))
        one_basis = len(bases) == 1  # the usual case: printed once, under the table
        table = Table(title=escape(title), title_justify="left")
        for name in columns[:-1] if one_basis else columns:
            table.add_column(name, overflow="fold")
        for link in rec["links"]:
            relation = lin.RELATION_LABEL[link["relation"]]
            ups = [link["province"]] if rec["direction"] == "successors" else \
                [link["district"], link["province"]]
            cells = [link["code"], link["title"], *((u or {}).get("title", "") for u in ups),
                     relation]
            table.add_row(*plain(*cells, *([] if one_basis else [link["basis"]])))
        out.print(table)
        if one_basis:
            out.print(f"Căn cứ: {escape(bases[0])}; hiệu lực từ ngày 01/07/2025.")


if __name__ == "__main__":  # pragma: no cover
    main()
