"""Submissions as plain data: dicts, JSON for the store, YAML text for the sample.

The YAML form (``data/sample/*.yaml``) is the human-diffable way to keep a
submission in git; the same dict form is what the store writes as JSON.  Both
go through :func:`from_dict`, which validates against the catalogue and
answers bad input with an :class:`~cchc_lib.errors.InputError` naming the key.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Mapping

import yaml

from cchc_lib.catalogue import Catalogue, default_catalogue
from cchc_lib.errors import CchcError, InputError
from cchc_lib.model import Document, Header, Submission, Value
from cchc_lib.periods import parse_period

__all__ = [
    "to_dict", "from_dict", "to_json", "load_yaml", "dump_yaml", "sample_path", "load_sample",
    "SAMPLE_DIR",
]

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"
_TOP_KEYS = {"source", "unit", "period", "illustrative", "header", "unit_names", "period_labels",
             "values", "documents", "sections", "figure_text"}
# Optional facts of the header: written only when given, so that a submission without them keeps
# the dict (and the JSON the store compares) it had before they existed.
_HEADER_TEXTS = ("addressee", "dossier_source", "estimate_basis", "staff_basis", "seconded_to")
_HEADER_LISTS = ("seconded_posts", "received_posts")
_HEADER_KEYS = {"report_number", "report_symbol", "report_date", "place", "title", "signer_name",
                "signer_title", "signing_authority", "signing_capacity", "recipients",
                "data_window", *_HEADER_TEXTS, *_HEADER_LISTS}
_VALUE_KEYS = {"total", "done", "rate", "note", "as_of"}
_DOC_KEYS = {"type", "number", "symbol", "date", "summary", "section", "issued_by_unit"}
#: A unit code as the GSO writes it, unpadded: one to five digits (``4``, ``661``, ``24622``).
_UNIT_CODE = re.compile(r"[0-9]{1,5}", re.ASCII)
MAX_YAML_BYTES = 2 * 1024 * 1024  # a submission's YAML is ~30 kB


def to_dict(sub: Submission) -> dict[str, Any]:
    """A submission as plain data (JSON- and YAML-safe), keys in a stable order."""
    h = sub.header
    return {
        "source": sub.source,
        "unit": sub.unit_code,
        "period": sub.period,
        "illustrative": sub.illustrative,
        "header": {
            "report_number": h.report_number,
            "report_symbol": h.report_symbol,
            "report_date": h.report_date,
            "place": h.place,
            "title": h.title,
            "signing_authority": h.signing_authority,
            "signing_capacity": h.signing_capacity,
            "signer_title": h.signer_title,
            "signer_name": h.signer_name,
            "recipients": list(h.recipients),
            "data_window": list(h.data_window) if h.data_window else None,
            **{k: getattr(h, k) for k in _HEADER_TEXTS if getattr(h, k)},
            **{k: list(getattr(h, k)) for k in _HEADER_LISTS if getattr(h, k)},
        },
        "unit_names": dict(sub.unit_names),
        "period_labels": dict(sub.period_labels),
        "values": {
            code: {k: v for k, v in (("total", val.total), ("done", val.done),
                                     ("rate", val.rate), ("note", val.note),
                                     ("as_of", val.as_of)) if v not in (None, "")}
            for code, val in sub.values.items()
        },
        "documents": [
            {"type": d.type_word, "number": d.number, "symbol": d.symbol, "date": d.date,
             "summary": d.summary, "section": d.section, "issued_by_unit": d.issued_by_unit}
            for d in sub.documents
        ],
        "sections": {k: list(v) for k, v in sub.sections.items()},
        "figure_text": {k: list(v) for k, v in sub.figure_text.items()},
    }


def to_json(sub: Submission) -> str:
    """Canonical JSON text (sorted keys): equal submissions give equal text."""
    return json.dumps(to_dict(sub), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _check_keys(raw: Mapping, allowed: set[str], where: str, origin: str) -> None:
    unknown = set(raw) - allowed
    if unknown:
        raise InputError(
            f"{where}: khóa không được biết {', '.join(sorted(map(str, unknown)))}; "
            f"các khóa hợp lệ: {', '.join(sorted(allowed))}", file=origin)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:60] + "…"


def _text(raw: Mapping, key: str, where: str, origin: str, default: str = "") -> str:
    value = raw.get(key, default)
    name = key if where == key else f"{where}.{key}"  # "unit", not "unit.unit"
    if value is None:
        return default
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise InputError(f"{name}: cần chữ, gặp {_short(value)}", file=origin)
    if isinstance(value, int) and abs(value) >= 10 ** 64:
        raise InputError(f"{name}: cần chữ, gặp một số quá dài", file=origin)
    return _checked_text(str(value), name, origin)


def _checked_text(text: str, where: str, origin: str) -> str:
    from cchc_lib.cells import MAX_TEXT

    if len(text) > MAX_TEXT:
        raise InputError(f"{where}: dài {len(text)} ký tự, quá giới hạn {MAX_TEXT} ký tự một "
                         "mục (như một ô của sổ tính)", file=origin)
    return text


def _number(raw: Mapping, key: str, where: str, origin: str, ind) -> int | float | None:
    """A figure, refused by the very rules the workbook reader applies to a cell (kind, sign,
    whole or not, coding, finite and below 10^15); kept as given when it passes."""
    from cchc_lib.numparse import NumberFormatError
    from cchc_lib.cells import read_figure

    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{where}.{key}: cần một số, gặp {_short(value)}", file=origin)
    try:
        read_figure(value, ind, key)
    except NumberFormatError as exc:
        raise InputError(f"{where}.{key}: {exc.message}", file=origin) from None
    return value


def _paragraphs(raw: Any, where: str, origin: str) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise InputError(f"{where}: cần ánh xạ mục -> danh sách đoạn văn", file=origin)
    out = {}
    for key, paras in raw.items():
        if isinstance(paras, str):
            paras = [paras]
        if not isinstance(paras, list) or not all(isinstance(p, str) for p in paras):
            raise InputError(f"{where}.{key}: cần danh sách đoạn văn (chữ)", file=origin)
        out[str(key)] = tuple(_checked_text(p, f"{where}.{key}", origin) for p in paras)
    return out


def _str_map(raw: Any, where: str, origin: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping) or not all(isinstance(v, str) for v in raw.values()):
        raise InputError(f"{where}: cần ánh xạ vị trí -> chữ", file=origin)
    return {str(k): _checked_text(v, f"{where}.{k}", origin) for k, v in raw.items()}


def from_dict(raw: Any, origin: str = "<dữ liệu>",
              catalogue: Catalogue | None = None) -> Submission:
    """Build and validate a Submission from plain data (the inverse of :func:`to_dict`)."""
    cat = catalogue or default_catalogue()
    if not isinstance(raw, Mapping):
        raise InputError("cần một ánh xạ ở cấp cao nhất (unit, period, values, …)", file=origin)
    _check_keys(raw, _TOP_KEYS, "cấp cao nhất", origin)
    unit = _text(raw, "unit", "unit", origin)
    period = _text(raw, "period", "period", origin)
    if not unit or not period:
        raise InputError("thiếu mã đơn vị (unit) hoặc kỳ báo cáo (period)", file=origin)
    if not _UNIT_CODE.fullmatch(unit):
        raise InputError(f"unit: mã đơn vị hành chính cần từ 1 đến 5 chữ số (ví dụ 24622), gặp "
                         f"{_short(unit)}", file=origin)
    try:
        parse_period(period)
    except CchcError as exc:
        raise InputError(f"period: {exc}", file=origin) from None

    hraw = raw.get("header") or {}
    if not isinstance(hraw, Mapping):
        raise InputError("header: cần một ánh xạ", file=origin)
    _check_keys(hraw, _HEADER_KEYS, "header", origin)
    recipients = hraw.get("recipients") or []
    if not isinstance(recipients, list) or not all(isinstance(r, str) for r in recipients):
        raise InputError("header.recipients: cần danh sách nơi nhận (chữ)", file=origin)
    lists = {}
    for key in _HEADER_LISTS:
        items = hraw.get(key) or []
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise InputError(f"header.{key}: cần danh sách chức danh (chữ)", file=origin)
        lists[key] = tuple(items)
    window = hraw.get("data_window")
    if window is not None and (not isinstance(window, list) or len(window) != 2
                               or not all(isinstance(w, str) for w in window)):
        raise InputError("header.data_window: cần hai ngày [từ, đến] dạng dd/mm/yyyy", file=origin)
    header = Header(
        report_number=_text(hraw, "report_number", "header", origin),
        report_symbol=_text(hraw, "report_symbol", "header", origin, "BC-UBND"),
        report_date=_text(hraw, "report_date", "header", origin) or None,
        place=_text(hraw, "place", "header", origin),
        title=_text(hraw, "title", "header", origin),
        signer_name=_text(hraw, "signer_name", "header", origin),
        signer_title=_text(hraw, "signer_title", "header", origin),
        signing_authority=_text(hraw, "signing_authority", "header", origin),
        signing_capacity=_text(hraw, "signing_capacity", "header", origin),
        recipients=tuple(recipients),
        data_window=tuple(window) if window else None,
        **{k: _text(hraw, k, "header", origin) for k in _HEADER_TEXTS},
        **lists,
    )

    vraw = raw.get("values") or {}
    if not isinstance(vraw, Mapping):
        raise InputError("values: cần ánh xạ mã chỉ tiêu -> số liệu", file=origin)
    values: dict[str, Value] = {}
    for code, v in vraw.items():
        code = str(code)
        where = f"values.{code}"
        if code not in cat:
            raise InputError(f"{where}: mã chỉ tiêu {code!r} không có trong danh mục "
                             f"(phiên bản {cat.version})", file=origin)
        if cat[code].is_group:
            raise InputError(f"{where}: dòng {code} là dòng tiêu đề, không nhận số liệu",
                             file=origin)
        if not isinstance(v, Mapping):
            raise InputError(f"{where}: cần ánh xạ total/done/rate/note/as_of", file=origin)
        _check_keys(v, _VALUE_KEYS, where, origin)
        ind = cat[code]
        values[code] = Value(code=code, total=_number(v, "total", where, origin, ind),
                             done=_number(v, "done", where, origin, ind),
                             rate=(None if ind.kind == "enum" and v.get("rate") is None
                                   else _number(v, "rate", where, origin, ind)),
                             note=_text(v, "note", where, origin),
                             as_of=_text(v, "as_of", where, origin) or None)

    draw = raw.get("documents") or []
    if not isinstance(draw, list):
        raise InputError("documents: cần danh sách văn bản", file=origin)
    documents = []
    for n, d in enumerate(draw, start=1):
        where = f"documents[{n}]"
        if not isinstance(d, Mapping):
            raise InputError(f"{where}: cần ánh xạ type/number/symbol/date/…", file=origin)
        _check_keys(d, _DOC_KEYS, where, origin)
        issued = d.get("issued_by_unit", True)
        if not isinstance(issued, bool):
            raise InputError(f"{where}.issued_by_unit: cần true hoặc false", file=origin)
        documents.append(Document(
            type_word=_text(d, "type", where, origin), number=_text(d, "number", where, origin),
            symbol=_text(d, "symbol", where, origin), date=_text(d, "date", where, origin) or None,
            summary=_text(d, "summary", where, origin), section=_text(d, "section", where, origin),
            issued_by_unit=issued))

    illustrative = raw.get("illustrative", False)
    if not isinstance(illustrative, bool):
        raise InputError("illustrative: cần true hoặc false", file=origin)
    sub = Submission(
        unit_code=unit, period=period, header=header, values=values,
        documents=tuple(documents),
        sections=_paragraphs(raw.get("sections"), "sections", origin),
        figure_text=_paragraphs(raw.get("figure_text"), "figure_text", origin),
        unit_names=_str_map(raw.get("unit_names"), "unit_names", origin),
        period_labels=_str_map(raw.get("period_labels"), "period_labels", origin),
        source=_text(raw, "source", "source", origin),
        illustrative=illustrative,
    )
    _check_total_text(sub, origin)
    return sub


def _check_total_text(sub: Submission, origin: str) -> None:
    """The reader's limit on a submission's text, for data that did not come from a workbook."""
    from cchc_lib.cells import MAX_SUBMISSION_TEXT

    h = sub.header
    texts = [sub.source, *(getattr(h, k) or "" for k in _HEADER_KEYS - {"recipients",
                                                                        "data_window",
                                                                        *_HEADER_LISTS}),
             *h.recipients, *(x for k in _HEADER_LISTS for x in getattr(h, k)),
             *(v.note for v in sub.values.values()),
             *(getattr(d, f) or "" for d in sub.documents
               for f in ("type_word", "number", "symbol", "date", "summary", "section")),
             *(p for paras in sub.sections.values() for p in paras),
             *(p for paras in sub.figure_text.values() for p in paras),
             *sub.unit_names.values(), *sub.period_labels.values()]
    used = 0
    for text in texts:
        used += len(text)
        if used > MAX_SUBMISSION_TEXT:
            raise InputError(f"dữ liệu chứa hơn {MAX_SUBMISSION_TEXT} ký tự chữ; một báo cáo "
                             "thật ngắn hơn nhiều", file=origin)


def load_yaml(path: str | Path, catalogue: Catalogue | None = None) -> Submission:
    """Read a submission from its YAML text form."""
    path = Path(path)
    try:
        if path.is_file() and path.stat().st_size > MAX_YAML_BYTES:
            raise InputError(f"tệp YAML quá lớn (giới hạn {MAX_YAML_BYTES // 1024 // 1024} MB)",
                             file=str(path))
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"không mở được tệp ({exc.strerror})", file=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise InputError("tệp không phải văn bản UTF-8", file=str(path)) from exc
    try:  # libyaml's safe loader when there is one: same results, and fast
        raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except RecursionError:
        raise InputError("không đọc được YAML: lồng nhau quá sâu", file=str(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise InputError(f"không đọc được YAML: {getattr(exc, 'problem', exc)}",
                         file=str(path), row=row) from exc
    return from_dict(raw, origin=str(path), catalogue=catalogue)


def dump_yaml(sub: Submission) -> str:
    """The YAML text form of a submission (UTF-8, Vietnamese kept as is)."""
    return yaml.safe_dump(to_dict(sub), allow_unicode=True, sort_keys=False, width=100)


def sample_path(name: str = "dak_ha_2024-H1.yaml") -> Path:
    """Path of a shipped sample submission in ``data/sample``."""
    path = SAMPLE_DIR / name
    if not path.exists():
        raise CchcError(f"Không tìm thấy dữ liệu mẫu {path}")
    return path


def load_sample(name: str = "dak_ha_2024-H1.yaml") -> Submission:
    """The seed report of xã Đắk Ha, 6 tháng đầu năm 2024, as printed."""
    return load_yaml(sample_path(name))
