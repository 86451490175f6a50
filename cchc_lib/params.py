"""Params files (``params/*.yaml``): one papermill parameter set per (unit, period) run.

A params file names the notebook, the formats to export and the notebook's own
parameters.  It is read once into a frozen :class:`RenderParams` and checked
against the notebook's ``parameters`` cell (through ``papermill.inspect_notebook``)
before any kernel starts: an unknown key or a value of the wrong type is an
error here, where papermill itself would only warn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Mapping

import yaml

from cchc_lib.errors import InputError

__all__ = ["RenderParams", "NOTEBOOKS", "notebook_path", "notebook_parameters", "parse_params",
           "load_params_file", "dump_params", "FORMATS"]

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = {"commune_report": "commune_report.ipynb",
             "district_overview": "district_overview.ipynb"}
FORMATS = ("html", "pdf", "docx")
_TYPES = {"str": str, "bool": bool, "int": int, "float": float}
_TYPE_NAMES = {"str": "chữ", "bool": "true/false", "int": "số nguyên", "float": "số"}


@dataclass(frozen=True)
class RenderParams:
    """One run: which notebook, with which parameters, into which formats."""

    notebook: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    formats: tuple[str, ...] = FORMATS
    origin: str = ""

    @property
    def period(self) -> str:
        return str(self.parameters.get("period", ""))


def notebook_path(name: str) -> Path:
    """The notebook file for a notebook name (``commune_report``)."""
    try:
        return ROOT / "notebooks" / NOTEBOOKS[name]
    except KeyError:
        raise InputError(f"notebook {name!r} không có; chọn một trong "
                         f"{', '.join(NOTEBOOKS)}") from None


@cache
def notebook_parameters(name: str) -> dict[str, dict]:
    """The notebook's parameters cell as papermill reads it: name → type name and default."""
    import papermill as pm

    return {k: dict(v) for k, v in pm.inspect_notebook(str(notebook_path(name))).items()}


def parse_params(raw: Any, origin: str = "<tham số>") -> RenderParams:
    """Validate a params mapping (as read from YAML) against its notebook."""
    if not isinstance(raw, Mapping):
        raise InputError("tệp tham số cần một ánh xạ khóa: giá trị", file=origin)
    raw = dict(raw)
    notebook = raw.pop("notebook", "commune_report")
    if not isinstance(notebook, str) or notebook not in NOTEBOOKS:
        raise InputError(f"notebook {notebook!r} không có; chọn một trong "
                         f"{', '.join(NOTEBOOKS)}", file=origin)
    formats = raw.pop("formats", list(FORMATS))
    if isinstance(formats, str):
        formats = [f.strip() for f in formats.split(",") if f.strip()]
    if not isinstance(formats, list) or not formats or any(f not in FORMATS for f in formats):
        raise InputError(f"formats {formats!r} không hợp lệ; cần danh sách con của "
                         f"{', '.join(FORMATS)}", file=origin)
    known = notebook_parameters(notebook)
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise InputError(f"khóa không được biết {', '.join(map(repr, unknown))} cho notebook "
                         f"{notebook}; các khóa hợp lệ: notebook, formats, "
                         f"{', '.join(known)}", file=origin)
    for key, value in list(raw.items()):
        type_name = known[key]["inferred_type_name"]
        want = _TYPES.get(type_name)
        value = raw[key] = _coerce(value, want)
        ok = want is None or (isinstance(value, want) and not (
            want is not bool and isinstance(value, bool)))
        if want is float and isinstance(value, int) and not isinstance(value, bool):
            ok = True
        if not ok:
            raise InputError(f"khóa {key!r} cần kiểu {_TYPE_NAMES.get(type_name, type_name)}, "
                             f"gặp {value!r}", file=origin)
    return RenderParams(notebook, dict(raw), tuple(dict.fromkeys(formats)), origin)


def _coerce(value: Any, want: type | None) -> Any:
    """A YAML scalar read as another type, where the reading is unambiguous.

    ``period: 2024`` is the integer 2024 to YAML and the text "2024" to the notebook; a unit
    code ``24622`` likewise.  Only numbers become text (booleans and text stay as they are), so
    a real type mistake (``show_checks: 'có'``) is still refused.
    """
    if want is str and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def load_params_file(path: str | Path) -> RenderParams:
    """Read and validate one params file."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"tệp tham số không phải văn bản UTF-8 (byte lạ ở vị trí {exc.start}); "
                         "lưu lại tệp với bảng mã UTF-8", file=str(path)) from exc
    except OSError as exc:
        raise InputError(f"không mở được tệp tham số ({exc.strerror})", file=str(path)) from exc
    except yaml.YAMLError as exc:
        raise InputError(f"không đọc được YAML: {exc}", file=str(path)) from exc
    return parse_params(raw, origin=str(path))


def dump_params(params: RenderParams) -> str:
    """The YAML text of a params file."""
    data = {"notebook": params.notebook, **params.parameters, "formats": list(params.formats)}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
