"""The reminder letter (công văn đôn đốc) of ``cchc remind``: from the province's Sở Nội vụ (or
its UBND; before 1 July 2025 a district's Phòng Nội vụ or UBND) to the units that have not
reported, reported late or whose reports still have errors, listed by group.

The letter is planned as data first (:func:`plan_letter`, pure: statuses in, a
:class:`Letter` out, every sentence from ``data/remind.yaml``), then laid out twice from the
same plan: a DOCX built for Word in the layout of Nghị định 30/2020 for a công văn
(:func:`cchc_lib.worddoc.build_letter_docx`: the two-column header, "Số: …/SNV-CCHC" with the
"V/v …" line under it, the italic place-date, "Kính gửi:", the body, the signature block and
Nơi nhận) and a PDF printed by WeasyPrint from an HTML page of the same content.  Nothing is
left to fill in but the number, which the văn thư gives when the letter is registered.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Mapping

import yaml

from cchc_lib import periods, units
from cchc_lib.errors import CatalogueError, InputError
from cchc_lib.formatting import fmt_count_padded, fmt_date_short, fmt_place_date
from cchc_lib.model import Unit
from cchc_lib.status import UnitStatus

__all__ = ["FIELDS", "ISSUERS", "Group", "Letter", "letter_text", "plan_letter", "letter_parts",
           "letter_html", "letter_docx", "letter_pdf", "write_letter", "letter_stem",
           "due_after"]

#: The issuing bodies ``--issuer`` can name.
ISSUERS = ("noi_vu", "ubnd")

#: The fields each sentence of ``data/remind.yaml`` may use.
FIELDS: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in {
    "subject": {"period_label"},
    "addressee_one": {"unit"},
    "addressee_many": {"kinds"},
    "basis": {"period_label", "issuer", "deadline", "report_to"},
    "received": {"as_of", "issuer", "submitted", "expected", "parent"},
    "group_missing": {"count", "days"}, "group_not_due": {"count", "days"},
    "group_late": {"count"}, "group_errors": {"count"}, "note_late": {"received", "days"},
    "note_errors": {"errors"},
    "request": {"report_to", "issuer"},
    "request_missing": {"period_label", "issuer", "due"},
    "request_errors": {"due"}, "request_late": set(),
    "closing": {"issuer"}, "recipients_first": set(), "illustrative": set(),
}.items()}
_ISSUER_KEYS = {"superior", "organ", "name", "symbol", "report_to", "authority", "copies",
                "archive"}
_LEVELS = ("province", "district")
# The order kinds of commune are named in "các xã, phường, đặc khu".
_KIND_ORDER = ("xã", "phường", "thị trấn", "đặc khu")


def _fail(where: str, problem: str) -> CatalogueError:
    return CatalogueError(f"remind.yaml, {where}: {problem}")


def _check_template(key: str, text: object) -> str:
    if not isinstance(text, str) or not text.strip():
        raise _fail(f"text.{key}", "cần một câu (chuỗi ký tự)")
    try:
        names = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
    except ValueError as exc:
        raise _fail(f"text.{key}", f"dấu ngoặc nhọn không đúng ({exc})") from None
    unknown = names - FIELDS[key]
    if unknown:
        allowed = ", ".join(sorted(FIELDS[key])) or "không có trường nào"
        raise _fail(f"text.{key}", f"trường lạ {{{', '.join(sorted(unknown))}}}; được dùng: "
                                   f"{allowed}")
    return text


@cache
def letter_text() -> dict:
    """``data/remind.yaml``, checked: every sentence present with only its declared fields,
    every issuer complete."""
    raw = yaml.safe_load(resources.files("cchc_lib").joinpath("data/remind.yaml")
                         .read_text("utf-8"))
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), dict):
        raise _fail("tệp", "cần các khóa issuers, due_working_days và text")
    text = raw["text"]
    missing = sorted(set(FIELDS) - set(text))
    if missing:
        raise _fail("text", f"thiếu {', '.join(missing)}")
    checked = {k: _check_template(k, text[k]) for k in FIELDS}
    for key, n in (("table_headers", 3), ("names_headers", 2)):
        headers = text.get(key)
        if not (isinstance(headers, list) and len(headers) == n):
            raise _fail(f"text.{key}", f"cần {n} tên cột")
        checked[key] = tuple(str(h) for h in headers)
    issuers = raw.get("issuers") or {}
    for level in _LEVELS:
        for key in ISSUERS:
            body = (issuers.get(level) or {}).get(key)
            if not isinstance(body, dict) or set(body) != _ISSUER_KEYS:
                raise _fail(f"issuers.{level}.{key}", f"cần đúng các khóa "
                                                      f"{', '.join(sorted(_ISSUER_KEYS))}")
    days = raw.get("due_working_days")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 30:
        raise _fail("due_working_days", "cần một số ngày làm việc từ 1 đến 30")
    return {"issuers": issuers, "due_working_days": days, "text": checked}


def due_after(day: date, working_days: int) -> date:
    """The day ``working_days`` working days (Monday to Friday) after ``day``."""
    out, left = day, working_days
    while left:
        out += timedelta(days=1)
        if out.weekday() < 5:
            left -= 1
    return out


#: Units per printed row in the list of units that have not reported (names only).
NAMES_PER_ROW = 3


@dataclass(frozen=True)
class Group:
    """One group of recipients: its key (missing, late, errors), heading and (unit, note) rows.

    The units that have not reported share one note (the days overdue, in the heading), so
    they are printed as names only, :data:`NAMES_PER_ROW` to a row; the others one per row
    with their note."""

    key: str
    heading: str
    rows: tuple[tuple[str, str], ...]

    @property
    def names_only(self) -> bool:
        return self.key == "missing"

    def table(self) -> tuple[tuple[str, ...], list[list[str]]]:
        """The group's table as printed: headers and rows of cells."""
        t = letter_text()["text"]
        if not self.names_only:
            return t["table_headers"], [[str(n), name, note]
                                        for n, (name, note) in enumerate(self.rows, 1)]
        cells = [[str(n), name] for n, (name, _) in enumerate(self.rows, 1)]
        rows = []
        for start in range(0, len(cells), NAMES_PER_ROW):
            chunk = cells[start:start + NAMES_PER_ROW]
            chunk += [["", ""]] * (NAMES_PER_ROW - len(chunk))
            rows.append([c for pair in chunk for c in pair])
        return t["names_headers"] * NAMES_PER_ROW, rows


@dataclass(frozen=True)
class Letter:
    """Everything the reminder letter says, laid out by :func:`letter_parts` and
    :func:`letter_html`."""

    period: str
    parent_code: str
    parent_title: str
    issuer: str
    as_of: date
    due: date
    superior: str
    organ: tuple[str, ...]
    symbol: str
    subject: str
    place_date: str
    addressees: tuple[str, ...]
    intro: tuple[str, ...]
    groups: tuple[Group, ...]
    request: str
    requests: tuple[str, ...]
    closing: str
    authority: tuple[str, ...]
    signer: str
    recipients: tuple[str, ...]
    banner: str = ""
    number: str = ""  # given by the văn thư when the letter is registered

    @property
    def recipient_units(self) -> list[str]:
        """Every unit the letter names, once, in the order the groups list them."""
        return list(dict.fromkeys(name for g in self.groups for name, _ in g.rows))


def _fill(template: str, **values) -> str:
    return template.format(**values)


def _kinds(found: set[str]) -> str:
    ordered = [k for k in _KIND_ORDER if k in found] + sorted(found - set(_KIND_ORDER))
    return ", ".join(ordered)


def _issuer_body(parent: Unit, issuer: str, text: dict) -> dict:
    if issuer not in ISSUERS:
        raise InputError(f"cơ quan ban hành {issuer!r} không có; chọn một trong "
                         f"{', '.join(ISSUERS)}")
    level = "province" if parent.level == "province" else "district"
    body = text["issuers"][level][issuer]
    upper = f"{parent.kind} {parent.name}".upper()
    return {**body, "superior": body["superior"].format(PARENT=upper, parent=units.unit_title(
        parent)), "organ": tuple(line.format(PARENT=upper, parent=units.unit_title(parent))
                                 for line in body["organ"])}


def _punctuate(items: list[str]) -> list[str]:
    """List items ending "…;" except the last, which ends with "."."""
    out = [i.rstrip().rstrip(";.") for i in items]
    return [i + (";" if n < len(out) - 1 else ".") for n, i in enumerate(out)]


def plan_letter(period: str, parent: Unit, rows: Iterable[UnitStatus], as_of: date, *,
                issuer: str = "noi_vu", signer: str = "", due: date | None = None,
                text: Mapping | None = None) -> Letter | None:
    """The letter for ``rows`` (one period's statuses under ``parent`` on ``as_of``), or None
    when no unit needs reminding.

    Groups, in this order, each listed only when not empty: units that have not sent their
    report (with the days overdue), units that sent it after the deadline (when it came, how
    many days late), units whose current report still has check errors (how many).  A unit
    late and with errors is named in both groups.  ``due`` (default: ``due_working_days``
    working days after ``as_of``) is the new date asked for.
    """
    text = text or letter_text()
    t = text["text"]
    p = periods.parse_period(period)
    rows = list(rows)
    body = _issuer_body(parent, issuer, text)
    due = due or due_after(as_of, text["due_working_days"])
    if due <= as_of:
        raise InputError(f"hạn mới ({fmt_date_short(due)}) phải sau ngày của công văn "
                         f"({fmt_date_short(as_of)})")
    missing = [r for r in rows if not r.submitted]
    late = [r for r in rows if r.state == "late"]
    errors = [r for r in rows if r.submitted and r.has_errors]
    groups = []
    if missing:  # one deadline, one day: every missing unit is as overdue as the others
        overdue = missing[0].state == "missing"
        heading = _fill(t["group_missing" if overdue else "group_not_due"],
                        count=fmt_count_padded(len(missing)),
                        days=missing[0].days_overdue if overdue else missing[0].days_left)
        groups.append(Group("missing", heading, tuple((r.unit_name, "") for r in missing)))
    if late:
        groups.append(Group("late", _fill(t["group_late"], count=fmt_count_padded(len(late))),
                            tuple((r.unit_name, _fill(t["note_late"],
                                                      received=fmt_date_short(r.received_at.date()),
                                                      days=r.days_late)) for r in late)))
    if errors:
        groups.append(Group("errors", _fill(t["group_errors"],
                                            count=fmt_count_padded(len(errors))),
                            tuple((r.unit_name, _fill(t["note_errors"],
                                                      errors=fmt_count_padded(r.check_errors)))
                                  for r in errors)))
    if not groups:
        return None
    groups = [Group(g.key, f"{n}. {g.heading}", g.rows) for n, g in enumerate(groups, 1)]
    label = periods.label(p)
    named = list(dict.fromkeys(name for g in groups for name, _ in g.rows))
    era = units.era_for(p.last_day)
    kinds = {units.get_unit(r.unit_code, era=era).kind for r in (*missing, *late, *errors)}
    addressee = (_fill(t["addressee_one"], unit=named[0]) if len(named) == 1
                 else _fill(t["addressee_many"], kinds=_kinds(kinds)))
    common = {"issuer": body["name"], "report_to": body["report_to"], "period_label": label}
    submitted = sum(1 for r in rows if r.submitted)
    intro = (_fill(t["basis"], deadline=fmt_date_short(periods.deadline(p)), **common),
             _fill(t["received"], as_of=fmt_date_short(as_of), issuer=body["name"],
                   submitted=submitted, expected=len(rows), parent=units.unit_title(parent)))
    asks = []
    if missing:
        asks.append(_fill(t["request_missing"], due=fmt_date_short(due), **common))
    if errors:
        asks.append(_fill(t["request_errors"], due=fmt_date_short(due)))
    if late:
        asks.append(t["request_late"])
    recipients = _punctuate([t["recipients_first"], *body["copies"],
                             f"Lưu: {body['archive']}"])
    return Letter(
        period=p.key, parent_code=parent.code, parent_title=units.unit_title(parent),
        issuer=issuer, as_of=as_of, due=due, superior=body["superior"], organ=body["organ"],
        symbol=body["symbol"], subject=_fill(t["subject"], period_label=label),
        place_date=fmt_place_date(parent.name, as_of), addressees=(addressee + ".",),
        intro=intro, groups=tuple(groups),
        request=_fill(t["request"], issuer=body["name"], report_to=body["report_to"]),
        requests=tuple(f"- {a}" for a in _punctuate(asks)),
        closing=_fill(t["closing"], issuer=body["name"]),
        authority=tuple(body["authority"]), signer=signer.strip(),
        recipients=tuple(f"- {r}" for r in recipients),
        banner=t["illustrative"] if any(r.illustrative for r in rows) else "")


# Column widths (cm) of a group's table on the 16,5 cm between an A4 page's margins.
_WIDTHS = (1.3, 7.6, 7.6)
_NAMES_WIDTHS = (1.1, 4.4) * NAMES_PER_ROW


def letter_parts(letter: Letter) -> list[dict]:
    """The letter as the parts :func:`cchc_lib.worddoc.build_letter_docx` lays out."""
    parts: list[dict] = []
    if letter.banner:
        parts.append({"kind": "banner", "text": letter.banner})
    parts.append({"kind": "letter_header", "superior": letter.superior,
                  "organ": list(letter.organ), "number": letter.number,
                  "symbol": letter.symbol, "subject": letter.subject,
                  "place_date": letter.place_date})
    parts.append({"kind": "addressee", "lines": list(letter.addressees)})
    parts += [{"kind": "paragraph", "text": p} for p in letter.intro]
    for g in letter.groups:
        headers, rows = g.table()
        parts.append({"kind": "letter_table", "heading": g.heading, "headers": list(headers),
                      "widths": list(_NAMES_WIDTHS if g.names_only else _WIDTHS),
                      "numeric": [], "rows": rows})
    parts.append({"kind": "paragraph", "text": letter.request})
    parts += [{"kind": "paragraph", "text": r} for r in letter.requests]
    parts.append({"kind": "signature", "closing": letter.closing,
                  "recipients": list(letter.recipients), "authority": list(letter.authority),
                  "signer": letter.signer})
    return parts


def _title(letter: Letter) -> str:
    return f"Công văn đôn đốc báo cáo CCHC {periods.label(letter.period)} — {letter.parent_title}"


def letter_docx(letter: Letter) -> bytes:
    """The letter as a Word document (Nghị định 30 layout of a công văn)."""
    from cchc_lib.worddoc import build_letter_docx

    return build_letter_docx(letter_parts(letter), title=_title(letter))


def letter_html(letter: Letter) -> str:
    """The letter as one self-contained HTML page (what the PDF is printed from)."""
    from cchc_lib.html import render_template, template_text

    tables = [(g, *g.table(), _NAMES_WIDTHS if g.names_only else _WIDTHS)
              for g in letter.groups]
    body = render_template("remind.html.j2", letter=letter, tables=tables)
    css = "\n".join(template_text(n) for n in ("report.css", "page.css", "remind.css.j2"))
    return str(render_template("page.html.j2", title=_title(letter), css=css, body=body))


def letter_pdf(letter: Letter) -> bytes:
    """The letter printed to an A4 PDF by WeasyPrint."""
    from cchc_lib.batch.export import html_to_pdf

    return html_to_pdf(letter_html(letter))[0]


def letter_stem(letter: Letter, parent: Unit) -> str:
    """``68-lam-dong_2026-Q3_don-doc``: the letter's file name without extension."""
    return f"{units.slug(parent)}_{letter.period}_don-doc"


def write_letter(letter: Letter, parent: Unit, out_dir: str | Path) -> list[Path]:
    """Write ``<stem>.docx`` and ``<stem>.pdf`` into ``out_dir`` (atomically); their paths."""
    from cchc_lib.files import atomic_path

    stem = letter_stem(letter, parent)
    written = []
    for ext, make in (("docx", letter_docx), ("pdf", letter_pdf)):
        target = Path(out_dir) / f"{stem}.{ext}"
        data = make(letter)
        with atomic_path(target) as tmp:
            tmp.write_bytes(data)
        written.append(target)
    return written
