"""Administrative units: the historic table and the units since 1 July 2025.

Two eras live side by side:

* ``"2008"``: the three-level system (province → district → commune) in force
  before 1 July 2025.  Only the units the package needs are listed, in
  ``cchc_lib/data/units_historic.csv`` (tỉnh Đắk Nông, huyện Đắk Glong and its
  seven communes).
* ``"2025"``: the two-level system since 1 July 2025 (34 provinces, 3,321
  communes, wards and special zones), read from the ``vietnam-provinces``
  package the first time it is needed and cached.

Codes are the GSO codes as strings without zero padding (``"67"``,
``"24622"``).  They are **not** unique across eras (24637 was xã Đắk Som and
is now xã Tà Đùng) nor, unpadded, within the 2025 era (``"4"`` is tỉnh Cao
Bằng and phường Ba Đình, whose padded codes are ``04`` and ``00004``).
Names repeat too, so every lookup that finds more than one unit raises
:class:`~cchc_lib.errors.UnitError` listing the candidates instead of
guessing.

Names are compared through :func:`normalize_name` (NFC, case, spacing, common
nouns, old/new tone placement, the Đắk/Đăk/Dak family, look-alike letters)
and, only when that finds nothing, through the looser :func:`loose_key`
(no diacritics at all), so "Đắk Hà" still finds xã Đắk Ha when nothing is
really called Đắk Hà in the era searched.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from datetime import date
from importlib import resources
from typing import Iterable

from cchc_lib.errors import UnitError
from cchc_lib.model import Unit
from cchc_lib.vntext import typographic, unify_tones

__all__ = [
    "ERAS",
    "LEVELS",
    "REFORM_DAY",
    "normalize_name",
    "loose_key",
    "all_units",
    "get_unit",
    "find_unit",
    "era_for",
    "children",
    "parent",
    "ancestors",
    "unit_title",
    "council_name",
    "superior_short",
    "slug",
    "describe_unit",
]

ERAS = ("2008", "2025")
LEVELS = ("province", "district", "commune")
#: First day of the two-level system.
REFORM_DAY = date(2025, 7, 1)

_ERA_LABEL = {"2008": "trước 2025", "2025": "từ 2025"}
_ERA_LONG = {"2008": "trước ngày 01/07/2025", "2025": "từ ngày 01/07/2025"}
_LEVEL_LABEL = {"province": "cấp tỉnh", "district": "cấp huyện", "commune": "cấp xã"}
# Width of the zero-padded GSO code of each level.
_CODE_WIDTH = {"province": 2, "district": 3, "commune": 5}

# --------------------------------------------------------------------------
# Name normalisation
# --------------------------------------------------------------------------

# Words that stand before the proper name.  Administrative-body words first
# (they carry no kind), then the common nouns with the kind they imply.
_BODY_PREFIX = re.compile(r"^(?:ủy ban nhân dân|ubnd)(?:\s+|$)")
_KIND_PREFIXES: tuple[tuple[str, str], ...] = (
    ("thành phố", "thành phố"),
    ("thủ đô", "thành phố"),
    ("tp.", "thành phố"),
    ("tp", "thành phố"),
    ("thị trấn", "thị trấn"),
    ("thị xã", "thị xã"),
    ("đặc khu", "đặc khu"),
    ("phường", "phường"),
    ("huyện", "huyện"),
    ("quận", "quận"),
    ("tỉnh", "tỉnh"),
    ("xã", "xã"),
)
_KIND_PREFIX = re.compile(
    "^(?:"
    + "|".join(
        re.escape(p) + (r"\s*" if p.endswith(".") else r"(?:\s+|$)") for p, _ in _KIND_PREFIXES
    )
    + ")"
)
_KIND_OF_PREFIX = {p: k for p, k in _KIND_PREFIXES}

# Đắk / Đăk / Đắc / Đác / Dak / Đak … as a word of its own → one spelling.
_DAK = re.compile(r"(?<![\w'])[dđ][aăáắ][kc](?![\w'])")
_SPACES = re.compile(r"\s+")
_EDGE_PUNCT = "\"'“”«».,;:()[]"


def _clean(text: str) -> str:
    """NFC, look-alikes mapped, casefolded, tone placement unified, spaces collapsed."""
    text = unify_tones(typographic(str(text)).casefold())
    text = text.replace("-", " ")  # "Văn Miếu - Quốc Tử Giám" = "Văn Miếu Quốc Tử Giám"
    text = _SPACES.sub(" ", text).strip().strip(_EDGE_PUNCT).strip()
    return text


def _finish(text: str) -> str:
    text = _DAK.sub("đắk", text)
    text = re.sub(r"\s*'\s*", "'", text)
    return _SPACES.sub(" ", text).strip()


def _split_query(text: str) -> tuple[str | None, str]:
    """``(kind, key)`` of a name as typed: the common noun, if given, and the key."""
    rest = _clean(text)
    kind: str | None = None
    while True:
        m = _BODY_PREFIX.match(rest)
        if not m or not rest[m.end():].strip():
            break
        rest = rest[m.end():].lstrip()
    m = _KIND_PREFIX.match(rest)
    if m and rest[m.end():].strip():
        word = m.group(0).strip()
        kind = _KIND_OF_PREFIX[word]
        rest = rest[m.end():].lstrip()
    return kind, _finish(rest)


def normalize_name(text: str) -> str:
    """The key under which two spellings of a unit name compare equal.

    NFC; look-alike characters mapped (ǎ U+01CE → ă, Cyrillic а/о/е …, ’ → ',
    en dash → hyphen); Vietnamese-aware lower case (``str.casefold``); the
    tone mark moved to one place (``hoà``/``hòa`` → ``hòa``, ``uỷ``/``ủy`` →
    ``ủy``, ``khoẻ``/``khỏe`` → ``khỏe``); hyphens and runs of white space
    made one space; a leading ``UBND``/``Ủy ban nhân dân`` and one common noun
    (xã, phường, thị trấn, huyện, quận, thị xã, thành phố, TP., tỉnh, đặc
    khu, thủ đô) dropped; and the word Đắk in any of its spellings (Đăk, Đắc,
    Đác, Dak, Đak …) written ``đắk``.

    >>> normalize_name("  UBND xã  ĐĂK   Ha ")
    'đắk ha'
    >>> normalize_name("Quảng Hoà") == normalize_name("quảng hòa")
    True
    """
    return _split_query(text)[1]


def _loose_from_key(key: str) -> str:
    decomposed = unicodedata.normalize("NFD", key)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    stripped = stripped.replace("đ", "d").replace("'", "")
    return _SPACES.sub(" ", stripped).strip()


def loose_key(text: str) -> str:
    """A looser key: :func:`normalize_name` without any diacritic, đ → d.

    "Đắk Hà" and "Đắk Ha" share the loose key ``dak ha``.  Lookups use it
    only when the exact key finds nothing.

    >>> loose_key("xã Đắk R'Măng")
    'dak rmang'
    """
    return _loose_from_key(normalize_name(text))


def _name_key(name: str) -> str:
    """Exact key of a stored proper name (no common noun to strip)."""
    return _finish(_clean(name))


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


def _code(value: object) -> str | None:
    """A code as the canonical unpadded string, or None if it is not a code."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(int(value)) if int(value) >= 0 else None
    text = str(value).strip()
    if text.isdigit() and text.isascii():
        return str(int(text))
    return None


def _tidy_name(name: str) -> str:
    """A proper name as the package prints it.

    The 2025 data has stray double spaces (``Xã  Xuân Giang``), an en dash
    (``Chân Mây – Lăng Cô``), typographic apostrophes (``Ea M’Droh`` next to
    ``B'Lao``) and one syllable in lower case (``Đắk song``).
    """
    name = typographic(name)
    name = re.sub(r"\s*-\s*", " - ", name)
    name = _SPACES.sub(" ", name).strip()
    words = [w[0].upper() + w[1:] if w[:1].islower() else w for w in name.split(" ")]
    return " ".join(words)


def _read_historic() -> list[Unit]:
    source = resources.files("cchc_lib") / "data" / "units_historic.csv"
    text = source.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    expected = ["code", "name", "level", "kind", "parent_code", "era"]
    if reader.fieldnames != expected:
        raise UnitError(
            f"units_historic.csv: dòng tiêu đề phải là {','.join(expected)}, "
            f"gặp {','.join(reader.fieldnames or [])}."
        )
    units = []
    for line, row in enumerate(reader, start=2):
        code = _code(row["code"])
        parent = row["parent_code"].strip() or None
        if code is None or (parent is not None and _code(parent) is None):
            raise UnitError(f"units_historic.csv, dòng {line}: mã đơn vị không hợp lệ.")
        if row["level"] not in LEVELS or row["era"] not in ERAS:
            raise UnitError(f"units_historic.csv, dòng {line}: cấp hoặc thời kỳ không hợp lệ.")
        units.append(
            Unit(
                code=code,
                name=_tidy_name(row["name"]),
                level=row["level"],
                kind=row["kind"].strip(),
                parent_code=_code(parent) if parent else None,
                era=row["era"],
            )
        )
    return units


def _read_current() -> list[Unit]:
    from vietnam_provinces import Province, Ward

    units = []
    for p in Province.iter_all():
        name = unicodedata.normalize("NFC", p.name)
        if p.division_type.value == "tỉnh":
            kind = "tỉnh"
        else:  # "thành phố trung ương"
            kind = "thành phố"
        if name.casefold().startswith(kind + " "):
            name = name[len(kind) + 1 :]
        units.append(Unit(str(int(p.code)), _tidy_name(name), "province", kind, None, "2025"))
    for w in Ward.iter_all():
        name = unicodedata.normalize("NFC", w.name)
        kind = w.division_type.value
        if name.casefold().startswith(kind + " "):
            name = name[len(kind) + 1 :]
        units.append(
            Unit(
                str(int(w.code)),
                _tidy_name(name),
                "commune",
                kind,
                str(int(w.province_code)),
                "2025",
            )
        )
    return units


class _Table:
    """All units with the indexes the lookups need."""

    def __init__(self, units: Iterable[Unit]):
        self.units: tuple[Unit, ...] = tuple(
            sorted(units, key=lambda u: (u.era, LEVELS.index(u.level), int(u.code)))
        )
        self.by_code: dict[str, list[Unit]] = {}
        self.by_key: dict[str, list[Unit]] = {}
        self.by_loose: dict[str, list[Unit]] = {}
        self.exact: dict[tuple[str, str, str], Unit] = {}
        self.kids: dict[tuple[str, str, str], list[Unit]] = {}
        for u in self.units:
            self.by_code.setdefault(u.code, []).append(u)
            key = _name_key(u.name)
            self.by_key.setdefault(key, []).append(u)
            self.by_loose.setdefault(_loose_from_key(key), []).append(u)
            self.exact[(u.era, u.level, u.code)] = u
        for u in self.units:
            if u.parent_code is not None:
                up = self.parent_of(u)
                if up is None:
                    raise UnitError(
                        f"Đơn vị {u.kind} {u.name} ({u.code}) ghi mã cấp trên {u.parent_code} "
                        "nhưng không có đơn vị đó."
                    )
                self.kids.setdefault((up.era, up.level, up.code), []).append(u)

    def parent_of(self, unit: Unit) -> Unit | None:
        if unit.parent_code is None:
            return None
        for level in LEVELS[: LEVELS.index(unit.level)][::-1]:
            found = self.exact.get((unit.era, level, unit.parent_code))
            if found is not None:
                return found
        return None


@functools.cache
def _table() -> _Table:
    return _Table([*_read_historic(), *_read_current()])


# --------------------------------------------------------------------------
# Argument checks and messages
# --------------------------------------------------------------------------


def _check_era(era: object) -> str | None:
    if era is None:
        return None
    text = str(era).strip()
    if text not in ERAS:
        raise UnitError(
            f'Thời kỳ "{era}" không hợp lệ; chỉ dùng "2008" (trước 01/07/2025) hoặc "2025".'
        )
    return text


def _check_level(level: object) -> str | None:
    if level is None:
        return None
    if level not in LEVELS:
        raise UnitError(f'Cấp "{level}" không hợp lệ; chỉ dùng province, district hoặc commune.')
    return str(level)


def describe_unit(unit: Unit) -> str:
    """``xã Đắk Som (24637, trước 2025, huyện Đắk Glong, tỉnh Đắk Nông)``."""
    parts = [unit.code, _ERA_LABEL.get(unit.era, unit.era)]
    parts += [unit_title(a) for a in ancestors(unit)]
    return f"{unit_title(unit)} ({', '.join(parts)})"


def _conditions(era: str | None, level: str | None, parent_code: str | None,
                kind: str | None = None) -> str:
    bits = []
    if kind:
        bits.append(f"loại {kind}")
    if level:
        bits.append(_LEVEL_LABEL[level])
    if era:
        bits.append(_ERA_LONG[era])
    if parent_code:
        ups = _table().by_code.get(parent_code, [])
        ups = [u for u in ups if era is None or u.era == era]
        bits.append("thuộc " + (" hoặc ".join(unit_title(u) for u in ups) or f"mã {parent_code}"))
    return f" ({', '.join(bits)})" if bits else ""


def _ambiguous(query: object, found: list[Unit], hint: str) -> UnitError:
    listing = "; ".join(describe_unit(u) for u in found)
    return UnitError(
        f'"{query}" ứng với {len(found)} đơn vị hành chính: {listing}. {hint}'
    )


def _sorted(units: Iterable[Unit]) -> list[Unit]:
    return sorted(units, key=lambda u: (u.era, LEVELS.index(u.level), int(u.code)))


# --------------------------------------------------------------------------
# Public lookups
# --------------------------------------------------------------------------


def era_for(day: date) -> str:
    """The era of a date: ``"2008"`` before 1 July 2025, ``"2025"`` from then on."""
    if not isinstance(day, date):
        raise TypeError(f"era_for() cần một datetime.date, gặp {type(day).__name__}")
    day = day.date() if hasattr(day, "hour") else day  # a datetime counts by its day
    return "2008" if day < REFORM_DAY else "2025"


def all_units(era: str | None = None) -> list[Unit]:
    """Every unit of ``era`` (both eras when None), ordered by era, level, code."""
    era = _check_era(era)
    return [u for u in _table().units if era is None or u.era == era]


def _is_under(unit: Unit, parent_code: str) -> bool:
    return any(a.code == parent_code for a in ancestors(unit))


def _by_code(code: str, raw: object, era: str | None, level: str | None,
             parent_code: str | None) -> list[Unit]:
    found = [
        u for u in _table().by_code.get(code, [])
        if (era is None or u.era == era)
        and (level is None or u.level == level)
        and (parent_code is None or _is_under(u, parent_code))
    ]
    # "04" and "00004": a zero-padded code tells the level by its width.
    if len(found) > 1 and isinstance(raw, str) and raw.strip().startswith("0"):
        width = len(raw.strip())
        narrowed = [u for u in found if _CODE_WIDTH[u.level] == width]
        if narrowed:
            found = narrowed
    return found


def get_unit(code: str | int, era: str | None = None, level: str | None = None) -> Unit:
    """The unit with GSO code ``code`` (``"24622"``, ``24622`` or ``"024622"``).

    ``era`` (``"2008"``/``"2025"``) and ``level`` narrow the search.  A code
    found in both eras (24637: xã Đắk Som before 2025, xã Tà Đùng since) or at
    two levels (``"4"``: tỉnh Cao Bằng and phường Ba Đình) raises
    :class:`UnitError` listing each; a zero-padded code (``"04"``,
    ``"00004"``) settles the level by its width.
    """
    era = _check_era(era)
    level = _check_level(level)
    canonical = _code(code)
    if canonical is None:
        raise UnitError(f'"{code}" không phải là mã đơn vị hành chính (mã gồm các chữ số).')
    found = _by_code(canonical, code, era, level, None)
    if not found:
        raise UnitError(
            f"Không tìm thấy đơn vị hành chính có mã {canonical}{_conditions(era, level, None)}."
        )
    if len(found) > 1:
        raise _ambiguous(code, found, "Hãy chỉ rõ thời kỳ (2008 hoặc 2025) hoặc cấp đơn vị.")
    return found[0]


def _parse_context(part: str) -> tuple[str | None, str, str]:
    kind, key = _split_query(part)
    return kind, key, _loose_from_key(key)


def _matches_context(unit: Unit, context: list[tuple[str | None, str, str]]) -> bool:
    ups = ancestors(unit)
    for kind, key, loose in context:
        if not any(
            (kind is None or a.kind == kind)
            and (_name_key(a.name) == key or _loose_from_key(_name_key(a.name)) == loose)
            for a in ups
        ):
            return False
    return True


def find_unit(
    query: str | int,
    era: str | None = None,
    level: str | None = None,
    parent_code: str | int | None = None,
) -> Unit:
    """The one unit a code or a name designates.

    ``query`` is a code (``24622``, ``"24622"``) or a name with or without its
    common noun, in any case, spacing, tone placement or Đắk spelling
    (``"Đắk Ha"``, ``"đăk  ha"``, ``"UBND xã Đắc Ha"``).  A common noun given
    in the query must match the unit's kind.  Text after a comma names
    superior units and must match one of the unit's ancestors:
    ``"xã Bình Minh, tỉnh Ninh Bình"``.

    ``era``, ``level`` and ``parent_code`` (the code of the parent or of any
    ancestor in the same era) narrow the search.  The exact key
    (:func:`normalize_name`) is tried first, the loose key (:func:`loose_key`)
    only if the exact one finds nothing.

    Raises :class:`UnitError` when nothing matches, or when several units do,
    listing every candidate with its code, era and superior units.
    """
    era = _check_era(era)
    level = _check_level(level)
    parent = None
    if parent_code is not None:
        parent = _code(parent_code)
        if parent is None:
            raise UnitError(f'"{parent_code}" không phải là mã đơn vị hành chính.')

    if _code(query) is not None:
        canonical = _code(query)
        found = _by_code(canonical, query, era, level, parent)
        if not found:
            raise UnitError(
                "Không tìm thấy đơn vị hành chính có mã "
                f"{canonical}{_conditions(era, level, parent)}."
            )
        if len(found) > 1:
            raise _ambiguous(query, found, "Hãy chỉ rõ thời kỳ (2008 hoặc 2025) hoặc cấp đơn vị.")
        return found[0]

    text = str(query)
    head, *rest = text.split(",")
    kind, key = _split_query(head)
    context = [_parse_context(p) for p in rest if _split_query(p)[1]]
    if not key:
        raise UnitError("Chưa ghi tên hoặc mã đơn vị hành chính.")

    def keep(u: Unit) -> bool:
        return (
            (era is None or u.era == era)
            and (level is None or u.level == level)
            and (kind is None or u.kind == kind)
            and (parent is None or _is_under(u, parent))
            and (not context or _matches_context(u, context))
        )

    table = _table()
    found = [u for u in table.by_key.get(key, []) if keep(u)]
    if not found:
        found = [u for u in table.by_loose.get(_loose_from_key(key), []) if keep(u)]
    if len(found) == 1:
        return found[0]
    if found:
        first = found[0]
        top = ancestors(first)
        example = unit_title(first) + (f", {unit_title(top[-1])}" if top else "")
        raise _ambiguous(
            text.strip(),
            _sorted(found),
            f'Hãy ghi mã đơn vị, chọn thời kỳ hoặc thêm tên đơn vị cấp trên, ví dụ "{example}".',
        )
    message = (
        f'Không tìm thấy đơn vị hành chính "{text.strip()}"'
        f"{_conditions(era, level, parent, kind)}."
    )
    near = set(table.by_key.get(key, [])) | set(table.by_loose.get(_loose_from_key(key), []))
    others = _sorted(near)
    if others:
        shown = "; ".join(describe_unit(u) for u in others[:10])
        more = f" và {len(others) - 10} đơn vị khác" if len(others) > 10 else ""
        message += f" Có tên gần giống nhưng không khớp điều kiện: {shown}{more}."
    raise UnitError(message)


def parent(unit: Unit) -> Unit | None:
    """The unit's direct superior in its own era (None for a province)."""
    return _table().parent_of(unit)


def ancestors(unit: Unit) -> list[Unit]:
    """The unit's superiors, nearest first: commune → district → province."""
    chain = []
    up = parent(unit)
    while up is not None:
        chain.append(up)
        up = parent(up)
    return chain


def children(
    code: str | int | Unit, era: str | None = None, level: str | None = None
) -> list[Unit]:
    """The units directly under ``code`` (a code or a :class:`Unit`), by code.

    For a 2025 province these are its communes, wards and special zones; for
    a 2008 district its communes; for a 2008 province its districts, unless
    ``level="commune"`` asks for all communes below it.  A code found in both
    eras needs ``era``.
    """
    level = _check_level(level)
    if isinstance(code, Unit):
        unit = code
    else:
        era = _check_era(era)
        found = _by_code(_code(code) or str(code), code, era, None, None)
        # A unit without subordinates (a commune) cannot be meant when a
        # province or district shares its code.
        found = [u for u in found if u.level != "commune"] or found
        if not found:
            raise UnitError(
                f"Không tìm thấy đơn vị hành chính có mã {code}{_conditions(era, None, None)}."
            )
        if len(found) > 1:
            raise _ambiguous(code, found, "Hãy chỉ rõ thời kỳ (2008 hoặc 2025).")
        unit = found[0]
    table = _table()
    direct = list(table.kids.get((unit.era, unit.level, unit.code), []))
    if level is None:
        return direct
    result: list[Unit] = []
    stack = direct
    while stack:
        u = stack.pop(0)
        if u.level == level:
            result.append(u)
        else:
            stack.extend(table.kids.get((u.era, u.level, u.code), []))
    return _sorted(result)


# --------------------------------------------------------------------------
# Printing names
# --------------------------------------------------------------------------

# Units named after a person or an event: the common noun is capitalised too
# (Nghị định 30, Phụ lục II: "Quận 1", "Phường Điện Biên Phủ", "Thành phố Hồ
# Chí Minh").  A curated list of names in the 2025 table; names not listed
# are treated as place names.
_PERSON_OR_EVENT = frozenset(
    _name_key(n)
    for n in (
        "Hồ Chí Minh", "Điện Biên Phủ", "Chu Văn An", "Hà Huy Tập", "Lê Thanh Nghị",
        "Lê Đại Hành", "Lý Thường Kiệt", "Nguyễn Trãi", "Ngô Quyền", "Phan Đình Phùng",
        "Quang Trung", "Trần Hưng Đạo", "Trần Nhân Tông", "Trần Phú", "Tô Hiệu",
        "Hoàng Hoa Thám", "Hoàng Văn Thụ", "Hồ Thị Kỷ", "Hồ Đắc Kiện", "Lê Lợi",
        "Lê Quý Đôn", "Nguyễn Bỉnh Khiêm", "Nguyễn Du", "Nguyễn Huệ", "Nguyễn Lương Bằng",
        "Nguyễn Nghiêm", "Nguyễn Văn Linh", "Nguyễn Việt Khái", "Phan Ngọc Hiển",
        "Phạm Ngũ Lão", "Trần Văn Thời", "Đặng Thùy Trâm", "Ngô Mây", "Lê Ích Mộc",
        "Nguyễn Đại Năng", "Trương Quang Trọng", "Phạm Sư Mạnh", "Lê Chân",
        "Dương Minh Châu", "Lý Văn Lâm", "Nguyễn Phích",
    )
)


def _capital_kind(unit: Unit) -> bool:
    return unit.name[:1].isdigit() or _name_key(unit.name) in _PERSON_OR_EVENT


def unit_title(unit: Unit) -> str:
    """The unit's name as written mid-sentence (Nghị định 30, Phụ lục II).

    The common noun is lower case (``xã Đắk Ha``, ``tỉnh Lâm Đồng``) unless
    the name is a number, a person or an event (``Phường 1 Bảo Lộc``,
    ``Thành phố Hồ Chí Minh``).
    """
    kind = unit.kind
    if _capital_kind(unit):
        kind = kind[:1].upper() + kind[1:]
    return f"{kind} {unit.name}"


def _upper(text: str) -> str:
    return unicodedata.normalize("NFC", text.upper())


def council_name(unit: Unit) -> str:
    """The issuing body as the header prints it: ``ỦY BAN NHÂN DÂN XÃ ĐẮK HA``."""
    return _upper(f"Ủy ban nhân dân {unit.kind} {unit.name}")


def superior_short(unit: Unit) -> str | None:
    """The superior body, abbreviated, for the header line above the issuer.

    ``UBND HUYỆN ĐẮK GLONG`` for a 2008 commune, ``UBND TỈNH LÂM ĐỒNG`` for a
    2025 commune; None for a province, which has no such line here.
    """
    up = parent(unit)
    if up is None:
        return None
    return _upper(f"UBND {up.kind} {up.name}")


def slug(unit: Unit) -> str:
    """An ASCII path component: ``24622-dak-ha``.

    Diacritics stripped, đ → d, lower case, every run of other characters
    one hyphen.  Codes repeat across eras (24616 is xã Quảng Sơn in both), so
    keep the era in the path when both eras can meet.
    """
    text = unicodedata.normalize("NFD", f"{unit.code} {unit.name}")
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    text = text.replace("đ", "d").replace("Đ", "D").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")
