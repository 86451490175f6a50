"""The command line: one entry point, ``cchc``, with a sub-command per job.

Everything printed for the user is Vietnamese.  Errors of the user's making
(:class:`~cchc_lib.errors.CchcError`) end the command with their message and
exit status 2, never with a traceback.
"""

from __future__ import annotations

import sys
from functools import wraps

import click
from rich.console import Console
from rich.table import Table

from cchc_lib import periods, units
from cchc_lib.catalogue import default_catalogue
from cchc_lib.errors import CchcError
from cchc_lib.formatting import fmt_number
from cchc_lib.model import Submission
from cchc_lib.serialize import load_sample


def console() -> Console:
    """A console made per command, so that it sees the terminal (or COLUMNS) of this run."""
    return Console(highlight=False)


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
        table.add_row(ind.code, ind.title, ind.unit,
                      fmt_number(value.total, missing=""), fmt_number(value.done, missing=""),
                      f"{fmt_number(value.rate)}%" if value.rate is not None else "")
    return table


@main.command()
@user_errors
def demo() -> None:
    """Chạy thử: nạp báo cáo mẫu (xã Đắk Ha, 6 tháng đầu năm 2024) và in tóm tắt."""
    out = console()
    sub = load_sample()
    period = periods.parse_period(sub.period)
    unit = units.get_unit(sub.unit_code, era=units.era_for(period.last_day))
    where = ", ".join(units.unit_title(u) for u in [unit, *units.ancestors(unit)])
    out.print(f"[bold]Đơn vị:[/bold] {where} (mã {unit.code})")
    out.print(f"[bold]Kỳ báo cáo:[/bold] {periods.label(period)} ({period.key})")
    out.print(f"[bold]Nguồn:[/bold] {sub.source}")
    filled = sum(1 for v in sub.values.values() if not v.is_empty)
    out.print(f"[bold]Số chỉ tiêu có số liệu:[/bold] {filled} / "
                  f"{len(default_catalogue().data_rows())}, "
                  f"{len(sub.documents)} văn bản được trích dẫn")
    out.print(figures_table(sub, "Số liệu như bản gốc đã ghi (chưa kiểm tra)"))


if __name__ == "__main__":  # pragma: no cover
    main()
