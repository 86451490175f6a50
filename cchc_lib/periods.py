"""Reporting periods: parsing, Vietnamese labels, dates, cut-off windows, deadlines.

A period is written as a short key:

* ``2024-Q1`` … ``2024-Q4`` — a quarter (quý I … quý IV),
* ``2024-H1`` — the first six months (6 tháng đầu năm),
* ``2024-9M`` — the first nine months (9 tháng đầu năm),
* ``2024`` — the whole year (năm).

:func:`parse_period` turns such a key into a :class:`~cchc_lib.model.Period`;
every other function here accepts either a ``Period`` or a key string.

The cut-off windows (chốt số liệu) and the deadline follow the Ministry of
Home Affairs' periodic reporting regime (Công văn 581/BNV-CCHC); see
``reference/reporting_regime.md``.  All functions are pure.
"""

from __future__ import annotations

import re
from datetime import date

from cchc_lib.errors import PeriodError
from cchc_lib.model import Period

__all__ = [
    "PERIOD_FORMS",
    "MIN_YEAR",
    "MAX_YEAR",
    "parse_period",
    "label",
    "label_short",
    "first_day",
    "last_day",
    "cutoff_window",
    "deadline",
    "previous",
    "same_period_last_year",
    "sort_key",
    "window_months",
    "preceding_windows",
    "window_within",
]

# Accepted forms, as quoted in every error message.
PERIOD_FORMS = "2024-Q1 … 2024-Q4, 2024-H1, 2024-9M, 2024"

# Years a period may fall in (inclusive).
MIN_YEAR = 2000
MAX_YEAR = 2100

# Period kinds, in the order used to break ties in sort_key (shorter first).
_KIND_RANK = {"Q": 0, "H1": 1, "9M": 2, "Y": 3}

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

# Last month of each period kind (quarters: 3 * quarter).
_LAST_MONTH = {"H1": 6, "9M": 9, "Y": 12}

# Last calendar day of the months a period can end in.  None of them is
# February, so leap years never matter.
_MONTH_END = {3: 31, 6: 30, 9: 30, 12: 31}

_DIGITS = re.compile(r"[0-9]+")
_NO_HYPHEN = re.compile(r"([0-9]{4})(Q[1-4]|H1|9M)")
_REVERSED = re.compile(r"(Q[1-4]|H1|9M)-([0-9]{4})")
# Dashes typed (or pasted from a word processor) in place of the ASCII hyphen:
# hyphen, non-breaking hyphen, figure dash, en dash, em dash, minus sign.
_LOOKALIKE_DASHES = ("\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212")


def _fail(text: object, reason: str) -> PeriodError:
    """Build the PeriodError for ``text`` with a specific Vietnamese ``reason``."""
    return PeriodError(
        f'Kỳ báo cáo "{text}" không hợp lệ: {reason}. Các dạng hợp lệ: {PERIOD_FORMS}.'
    )


def _check_year(text: object, year_part: str) -> int:
    """Return the year of ``year_part`` or raise a PeriodError naming the problem."""
    if not year_part:
        raise _fail(text, "thiếu năm")
    if not _DIGITS.fullmatch(year_part) or len(year_part) != 4:
        raise _fail(text, f'năm "{year_part}" phải gồm đúng 4 chữ số')
    year = int(year_part)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _fail(text, f"năm {year} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}")
    return year


def _check_period(p: Period) -> Period:
    """Validate a Period built elsewhere; return it unchanged."""
    shown = p.key  # "2024-Q5", "1999-H1": readable even when invalid
    if isinstance(p.year, bool) or not isinstance(p.year, int):
        raise _fail(shown, "năm phải là một số nguyên")
    if not MIN_YEAR <= p.year <= MAX_YEAR:
        raise _fail(shown, f"năm {p.year} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}")
    if p.kind not in _KIND_RANK:
        raise _fail(shown, f'loại kỳ "{p.kind}" không xác định')
    if p.kind == "Q":
        if isinstance(p.quarter, bool) or p.quarter not in (1, 2, 3, 4):
            raise _fail(shown, "quý phải từ 1 đến 4")
    elif p.quarter is not None:
        raise _fail(shown, f"kỳ {p.kind} không có số quý")
    return p


def parse_period(text: str | Period) -> Period:
    """Parse a period key such as ``2024-Q1``, ``2024-H1``, ``2024-9M`` or ``2024``.

    Case and surrounding white space are ignored (`` 2024-q1 `` is accepted).
    A :class:`Period` is checked and returned as it is.  Anything else raises
    :class:`~cchc_lib.errors.PeriodError` whose Vietnamese message quotes the
    input, says what is wrong and lists :data:`PERIOD_FORMS`.
    """
    if isinstance(text, Period):
        return _check_period(text)
    if not isinstance(text, str):
        raise _fail(text, f"cần một chuỗi ký tự, gặp giá trị kiểu {type(text).__name__}")

    s = text.strip()
    if not s:
        raise _fail(text, "chưa nhập kỳ báo cáo")
    if any(ch.isspace() for ch in s):
        raise _fail(text, "không được có khoảng trắng bên trong kỳ báo cáo")
    for dash in _LOOKALIKE_DASHES:
        if dash in s:
            raise _fail(text, f'dùng dấu gạch nối "-" thay cho dấu "{dash}"')

    year_part, hyphen, suffix = s.partition("-")

    if not hyphen:
        # Only the whole-year form has no hyphen.
        if _DIGITS.fullmatch(s):
            return Period(_check_year(text, s), "Y")
        m = _NO_HYPHEN.fullmatch(s.upper())
        if m:
            raise _fail(text, f'thiếu dấu gạch nối giữa năm và kỳ, viết là "{m[1]}-{m[2]}"')
        raise _fail(text, "không đúng dạng kỳ báo cáo")

    m = _REVERSED.fullmatch(s.upper())
    if m:
        raise _fail(text, f'năm phải đứng trước, viết là "{m[2]}-{m[1]}"')
    year = _check_year(text, year_part)

    code = suffix.upper()
    if not code:
        raise _fail(text, "thiếu phần kỳ sau dấu gạch nối")
    if "-" in code:
        raise _fail(text, "thừa dấu gạch nối; chỉ có một dấu giữa năm và kỳ")
    if code in ("H1", "9M"):
        return Period(year, code)
    if code.startswith("Q"):
        digits = code[1:]
        if not digits:
            raise _fail(text, "thiếu số quý sau chữ Q")
        if not _DIGITS.fullmatch(digits):
            raise _fail(text, f'số quý "{suffix[1:]}" không phải là số; quý phải từ 1 đến 4')
        quarter = int(digits)
        if not 1 <= quarter <= 4:
            raise _fail(text, f"quý phải từ 1 đến 4, không có quý {quarter}")
        if len(digits) != 1:
            raise _fail(text, f'số quý "{digits}" phải viết bằng một chữ số (Q1 … Q4)')
        return Period(year, "Q", quarter)
    if code == "H2":
        raise _fail(text, "chế độ báo cáo không có kỳ 6 tháng cuối năm (H2); "
                          f'báo cáo cả năm viết là "{year}"')
    raise _fail(text, f'phần kỳ "{suffix}" không xác định')


def _as_period(p: Period | str) -> Period:
    """Accept a Period or a key string and return a validated Period."""
    return parse_period(p)


def label(p: Period | str) -> str:
    """Vietnamese label with the year: ``quý I năm 2024``, ``6 tháng đầu năm 2024``,
    ``9 tháng đầu năm 2024``, ``năm 2024``."""
    p = _as_period(p)
    if p.kind == "Q":
        return f"quý {_ROMAN[p.quarter]} năm {p.year}"
    # The other short labels already end in "năm": "6 tháng đầu năm" + " 2024".
    return f"{label_short(p)} {p.year}"


def label_short(p: Period | str) -> str:
    """Vietnamese label without the year: ``quý I``, ``6 tháng đầu năm``,
    ``9 tháng đầu năm``, ``năm``."""
    p = _as_period(p)
    if p.kind == "Q":
        return f"quý {_ROMAN[p.quarter]}"
    if p.kind == "H1":
        return "6 tháng đầu năm"
    if p.kind == "9M":
        return "9 tháng đầu năm"
    return "năm"


def _last_month(p: Period) -> int:
    return 3 * p.quarter if p.kind == "Q" else _LAST_MONTH[p.kind]


def first_day(p: Period | str) -> date:
    """First calendar day of the period (1 January except for quarters 2–4)."""
    return _as_period(p).first_day


def last_day(p: Period | str) -> date:
    """Last calendar day of the period (31/3, 30/6, 30/9 or 31/12)."""
    return _as_period(p).last_day


def cutoff_window(p: Period | str) -> tuple[date, date]:
    """Official data cut-off window (chốt số liệu) ``(from, to)``, both inclusive.

    From the reporting regime (Công văn 581/BNV-CCHC):

    * Quý I:    15/12 of the previous year → 14/3
    * 6 tháng:  15/12 of the previous year → 14/6
    * Quý III:  15/6 → 14/9
    * Năm:      15/12 of the previous year → 14/12

    Not stated in the sources, inferred by analogy:

    * 9 tháng:  15/12 of the previous year → 14/9
    * Quý II:   15/3 → 14/6
    * Quý IV:   15/9 → 14/12

    Real reports sometimes use other windows; callers should treat a
    difference as a warning, not an error.
    """
    p = _as_period(p)
    end = date(p.year, _last_month(p), 14)
    if p.kind == "Q" and p.quarter != 1:
        # Quý II (inferred), Quý III (official), Quý IV (inferred): the window
        # starts on the 15th of the previous quarter's last month.
        start = date(p.year, end.month - 3, 15)
    else:
        # Quý I, 6 tháng, Năm (official) and 9 tháng (inferred) are cumulative
        # from 15 December of the previous year.
        start = date(p.year - 1, 12, 15)
    return start, end


def deadline(p: Period | str) -> date:
    """Deadline for sending the report: the 20th day of the period's last month."""
    p = _as_period(p)
    return date(p.year, _last_month(p), 20)


def _shift_year(p: Period, years: int, what: str) -> Period:
    year = p.year + years
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(
            f'{what} của kỳ "{p.key}" rơi vào năm {year}, '
            f"nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}."
        )
    return Period(year, p.kind, p.quarter)


def previous(p: Period | str) -> Period:
    """The previous period of the same kind.

    For quarters this is the quarter before (``2024-Q1`` → ``2023-Q4``,
    ``2024-Q3`` → ``2024-Q2``).  H1, 9M and whole-year periods occur once a
    year, so their previous period of the same kind is the same period of the
    previous year (``2024-H1`` → ``2023-H1``).  Raises PeriodError when the
    result would fall before :data:`MIN_YEAR`.
    """
    p = _as_period(p)
    if p.kind == "Q" and p.quarter > 1:
        return Period(p.year, "Q", p.quarter - 1)
    if p.kind == "Q":
        return Period(_shift_year(p, -1, "Kỳ trước").year, "Q", 4)
    return _shift_year(p, -1, "Kỳ trước")


def same_period_last_year(p: Period | str) -> Period:
    """The same period one year earlier (``2024-Q2`` → ``2023-Q2``).

    Raises PeriodError when the result would fall before :data:`MIN_YEAR`.
    """
    p = _as_period(p)
    return _shift_year(p, -1, "Cùng kỳ năm trước")


def sort_key(p: Period | str) -> tuple[date, int]:
    """Key ordering periods chronologically: by last day, then by kind.

    Periods ending on the same day are ordered shorter first:
    quarter < H1 < 9M < year (``2024-Q2`` before ``2024-H1``).
    """
    p = _as_period(p)
    return last_day(p), _KIND_RANK[p.kind]


def window_months(p: Period | str) -> int:
    """How many months the period's cut-off window spans: 3, 6, 9 or 12."""
    p = _as_period(p)
    return 3 if p.kind == "Q" else _LAST_MONTH[p.kind]


def _periods_of(year: int) -> list[Period]:
    quarters = [Period(year, "Q", q) for q in (1, 2, 3, 4)]
    return quarters + [Period(year, kind) for kind in ("H1", "9M", "Y")]


def preceding_windows(p: Period | str) -> tuple[Period, ...]:
    """The reports whose cut-off window ends the day before ``p``'s window starts, best first.

    Their stocks are ``p``'s opening stocks (procedures in force, dossiers carried over):
    ``2024-Q2`` ← ``2024-Q1``; ``2024-Q3`` ← ``2024-Q2`` or ``2024-H1``; ``2024-Q4`` ←
    ``2024-Q3`` or ``2024-9M``; ``2024-Q1``, ``2024-H1``, ``2024-9M`` and ``2024`` ← ``2023``
    or ``2023-Q4`` (their windows start on 15/12 of the previous year).  Order: the year's
    report, then a quarter's, then a 6- or 9-month report's (they give the same stocks when
    consistent).  Empty when that day falls before :data:`MIN_YEAR`.
    """
    p = _as_period(p)
    start = cutoff_window(p)[0]
    years = [y for y in (p.year - 1, p.year) if MIN_YEAR <= y <= MAX_YEAR]
    found = [q for y in years for q in _periods_of(y)
             if (start - cutoff_window(q)[1]).days == 1]
    return tuple(sorted(found, key=lambda q: (q.kind != "Y", q.kind != "Q")))


def window_within(inner: Period | str, outer: Period | str) -> bool:
    """True when ``inner``'s cut-off window lies inside ``outer``'s (and they differ): a
    year-to-date report then counts at least what the shorter one counts (``2024-Q2`` within
    ``2024-H1``, ``2024-H1`` within ``2024-9M``; not ``2024-Q3`` within ``2024-H1``)."""
    a, b = _as_period(inner), _as_period(outer)
    (a0, a1), (b0, b1) = cutoff_window(a), cutoff_window(b)
    return a != b and b0 <= a0 and a1 <= b1
