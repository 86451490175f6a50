"""Params files (``params/*.yaml``): one papermill parameter set per (unit, period) run.

A params file names the notebook, the formats to export and the notebook's own
parameters.  It is read once into a frozen :class:`RenderParams` and checked
against the notebook's ``parameters`` cell (through ``papermill.inspect_notebook``)
before any kernel starts: an unknown key or a value of the wrong type is an
error here, where papermill itself would only warn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from cchc_lib.batch.export import FORMATS
from cchc_lib.batch.kinds import get_kind
from cchc_lib.errors import InputError

__all__ = ["RenderParams", "parse_params", "load_params_file", "dump_params"]

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
        return str(self.parameters.get(get_kind(self.notebook).period_parameter, ""))


def parse_params(raw: Any, origin: str = "<tham số>") -> RenderParams:
    """Validate a params mapping (as read from YAML) against its notebook."""
    if not isinstance(raw, Mapping):
        raise InputError("tệp tham số cần một ánh xạ khóa: giá trị", file=origin)
    raw = dict(raw)
    notebook = raw.pop("notebook", "commune_report")
    kind = get_kind(notebook, origin=origin)
    formats = raw.pop("formats", list(FORMATS))
    if isinstance(formats, str):
        formats = [f.strip() for f in formats.split(",") if f.strip()]
    if not isinstance(formats, list) or not formats or any(f not in FORMATS for f in formats):
        raise InputError(f"formats {formats!r} không hợp lệ; cần danh sách con của "
                         f"{', '.join(FORMATS)}", file=origin)
    known = kind.parameters()
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
    return RenderParams(kind.name, dict(raw), tuple(dict.fromkeys(formats)), origin)


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
