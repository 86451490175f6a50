"""Submissions as plain data: dicts, JSON for the store, YAML text for the sample.

The YAML form (``data/sample/*.yaml``) is the human-diffable way to keep a
submission in git; the same dict form is what the store writes as JSON.  Both
go through :func:`from_dict`, which validates against the catalogue and
answers bad input with an :class:`~cchc_lib.errors.InputError` naming the key.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

import yaml

from cchc_lib.catalogue import Catalogue, default_catalogue
from cchc_lib.errors import CchcError, InputError
from cchc_lib.model import Document, Header, Submission, Value

__all__ = [
    "to_dict", "from_dict", "to_json", "load_yaml", "dump_yaml", "sample_path", "load_sample",
    "SAMPLE_DIR",
]

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"
_TOP_KEYS = {"source", "unit", "period", "illustrative", "header", "unit_names", "period_labels",
             "values", "documents", "sections", "figure_text"}
_HEADER_KEYS = {"report_number", "report_symbol", "report_date", "place", "title", "signer_name",
                "signer_title", "signing_authority", "signing_capacity", "recipients",
                "data_window"}
_VALUE_KEYS = {"total", "done", "rate", "note", "as_of"}
_DOC_KEYS = {"type", "number", "symbol", "date", "summary", "section", "issued_by_unit"}


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


def _text(raw: Mapping, key: str, where: str, origin: str, default: str = "") -> str:
    value = raw.get(key, default)
    if value is None:
        return default
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise InputError(f"{where}.{key}: cần chữ, gặp {value!r}", file=origin)
    return str(value)


def _number(raw: Mapping, key: str, where: str, origin: str) -> int | float | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{where}.{key}: cần một số, gặp {value!r}", file=origin)
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
        out[str(key)] = tuple(paras)
    return out


def _str_map(raw: Any, where: str, origin: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping) or not all(isinstance(v, str) for v in raw.values()):
        raise InputError(f"{where}: cần ánh xạ vị trí -> chữ", file=origin)
    return {str(k): v for k, v in raw.items()}


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

    hraw = raw.get("header") or {}
    if not isinstance(hraw, Mapping):
        raise InputError("header: cần một ánh xạ", file=origin)
    _check_keys(hraw, _HEADER_KEYS, "header", origin)
    recipients = hraw.get("recipients") or []
    if not isinstance(recipients, list) or not all(isinstance(r, str) for r in recipients):
        raise InputError("header.recipients: cần danh sách nơi nhận (chữ)", file=origin)
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
        values[code] = Value(code=code, total=_number(v, "total", where, origin),
                             done=_number(v, "done", where, origin),
                             rate=_number(v, "rate", where, origin),
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
    return Submission(
        unit_code=unit, period=period, header=header, values=values,
        documents=tuple(documents),
        sections=_paragraphs(raw.get("sections"), "sections", origin),
        figure_text=_paragraphs(raw.get("figure_text"), "figure_text", origin),
        unit_names=_str_map(raw.get("unit_names"), "unit_names", origin),
        period_labels=_str_map(raw.get("period_labels"), "period_labels", origin),
        source=_text(raw, "source", "source", origin),
        illustrative=illustrative,
    )


def load_yaml(path: str | Path, catalogue: Catalogue | None = None) -> Submission:
    """Read a submission from its YAML text form."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"không mở được tệp ({exc.strerror})", file=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise InputError("tệp không phải văn bản UTF-8", file=str(path)) from exc
    try:
        raw = yaml.safe_load(text)
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
