"""What the province (before 1 July 2025: the district) writes itself in its consolidated report.

The figures of the consolidated report come from its communes' reports; the rest is the
province's own: who issues it, its number and date, who signs, whom it is sent to, and the
free text of a few sections (how it directed the work, its assessment, its plans and
proposals).  That text lives in a small YAML file of the province's own, passed to the report
as the ``province_text`` parameter (a sample: ``data/sample/dak_glong_2024-H1_tong-hop.yaml``)::

    issuer: ubnd_tinh            # ubnd_tinh | so_noi_vu (tỉnh); ubnd_huyen | phong_noi_vu (huyện)
    report_number: "125"
    report_date: 18/06/2024      # dd/mm/yyyy
    signer_name: Nguyễn Văn A
    sections:
      I.1: [Một đoạn văn., Đoạn văn thứ hai.]
      V.4: Một đoạn văn.

The file is read once, where the batch is started, checked (an unknown key, a section the
report does not have, an impossible date or a wrong type is an error that names the file and
the key), and handed to the notebook as canonical JSON, so that a render task carries it and
needs no shared file system (:meth:`cchc_lib.batch.kinds.ProvinceReportKind.prepare`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import yaml

from cchc_lib.errors import InputError
from cchc_lib.textparse import parse_date_text
from cchc_lib.vntext import nfc

__all__ = ["ProvinceText", "layout", "parse_province_text", "load_province_text",
           "province_text_json", "province_text_from_json", "FREE_KEYS"]

_SCALARS = ("issuer", "report_number", "report_symbol", "report_date", "place", "title",
            "signer_name")
_LISTS = ("authority", "addressee", "recipients")


@cache
def layout() -> dict[str, Any]:
    """The consolidated report's layout and wording (``data/province_report.yaml``)."""
    text = resources.files("cchc_lib").joinpath("data/province_report.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _free_keys() -> tuple[str, ...]:
    return tuple(s["key"] for s in layout()["sections"] if s.get("free"))


FREE_KEYS = _free_keys()


@dataclass(frozen=True)
class ProvinceText:
    """The province's own part of its consolidated report ("" or empty: not given)."""

    issuer: str = ""
    report_number: str = ""
    report_symbol: str = ""
    report_date: str = ""  # dd/mm/yyyy, as it will be printed
    place: str = ""
    title: str = ""  # the trích yếu, when the default does not suit
    signer_name: str = ""
    authority: tuple[str, ...] = ()
    addressee: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    sections: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    origin: str = ""


def _text(value: Any, key: str, origin: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InputError(f"khóa {key!r} cần một dòng chữ, gặp {value!r}", file=origin)
    return nfc(str(value)).strip()


def _lines(value: Any, key: str, origin: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise InputError(f"khóa {key!r} cần một danh sách các dòng chữ, gặp {value!r}",
                         file=origin)
    return tuple(t for t in (_text(v, key, origin) for v in value) if t)


def parse_province_text(raw: Any, origin: str = "<lời văn>") -> ProvinceText:
    """Validate the province's text (a mapping, as read from YAML)."""
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise InputError("tệp lời văn cần một ánh xạ khóa: giá trị", file=origin)
    known = set(_SCALARS) | set(_LISTS) | {"sections"}
    unknown = sorted(str(k) for k in raw if k not in known)
    if unknown:
        raise InputError(f"khóa không được biết {', '.join(map(repr, unknown))}; các khóa hợp "
                         f"lệ: {', '.join(sorted(known))}", file=origin)
    values: dict[str, Any] = {k: _text(raw.get(k), k, origin) for k in _SCALARS}
    values.update({k: _lines(raw.get(k), k, origin) for k in _LISTS})
    issuers = layout()["issuers"]
    if values["issuer"] and values["issuer"] not in issuers:
        raise InputError(f"issuer {values['issuer']!r} không có; chọn một trong "
                         f"{', '.join(issuers)}", file=origin)
    if values["report_date"] and not parse_date_text(values["report_date"]).ok:
        problem = parse_date_text(values["report_date"]).problem
        raise InputError(f"report_date {values['report_date']!r}: {problem}", file=origin)
    sections = raw.get("sections") or {}
    if not isinstance(sections, Mapping):
        raise InputError("khóa 'sections' cần ánh xạ mục: các đoạn văn", file=origin)
    bad = sorted(str(k) for k in sections if str(k) not in FREE_KEYS)
    if bad:
        raise InputError(f"mục {', '.join(map(repr, bad))} không có phần lời văn trong báo cáo "
                         f"tổng hợp; các mục viết được: {', '.join(FREE_KEYS)}", file=origin)
    values["sections"] = {str(k): _lines(v, f"sections.{k}", origin)
                          for k, v in sections.items()}
    return ProvinceText(**values, origin=origin)


def load_province_text(path: str | Path) -> ProvinceText:
    """Read and validate the province's text file."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"tệp lời văn không phải văn bản UTF-8 (byte lạ ở vị trí {exc.start})",
                         file=str(path)) from exc
    except OSError as exc:
        raise InputError(f"không mở được tệp lời văn ({exc.strerror})", file=str(path)) from exc
    except yaml.YAMLError as exc:
        raise InputError(f"không đọc được YAML: {exc}", file=str(path)) from exc
    return parse_province_text(raw, origin=str(path))


def province_text_json(text: ProvinceText) -> str:
    """The text as canonical JSON (what the notebook's ``province_text_data`` carries)."""
    data = asdict(text)
    data.pop("origin")
    data["sections"] = {k: list(v) for k, v in sorted(text.sections.items())}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def province_text_from_json(payload: str, origin: str = "province_text_data") -> ProvinceText:
    """The text back from :func:`province_text_json` (checked again)."""
    try:
        raw = json.loads(payload)
    except ValueError as exc:
        raise InputError(f"dữ liệu lời văn không phải JSON: {exc}", file=origin) from exc
    if isinstance(raw, dict):
        raw = {k: v for k, v in raw.items() if v not in ("", [], {}, None)}
    return parse_province_text(raw, origin=origin)
