"""The report's sentences that carry figures, written from the data.

Every sentence of sections I.1–II.6 that quotes a number is generated here from a submission's
figures, never copied from what the reporter typed: rates come from their fractions
(:mod:`cchc_lib.calc`), numbers are printed the official way (:mod:`cchc_lib.formatting`:
``03 công văn``, ``76,4%``, ``3.253.588.460 đồng``), and the wording lives in a data file,
``cchc_lib/data/narrative.yaml``, as named ``str.format`` templates.

Choosing a template:

* every figure the sentence needs is known → the sentence kind's main template (running prose);
* some are known → its ``*_partial`` template ("label value" form), the words of ``missing``
  (``chưa có số liệu``) standing in for each unknown figure;
* none is known → no sentence.

A typed rate is used only when no fraction exists to compute it from, and then it carries the
``typed_note`` words (``(theo số liệu xã báo cáo)``) — except in the budget sentences, which state
the commune's own execution rate against the estimate as the header names it (``dự toán HĐND
giao đầu năm``).

The facts a sentence states beside its figures come from the submission's header, never from
the wording: where the dossier figures are counted (``Header.dossier_source``), the document the
staff figures follow (``staff_basis``, a reference in the register), who set the budget
estimate (``estimate_basis``), the posts of the officials seconded and received and where to
(``seconded_posts``, ``seconded_to``, ``received_posts``) and the body the report is sent to
(``addressee``).  Rates are printed by one formatter, :func:`rate_text`, which the charts use too.

All sentence functions are pure, return plain text (the HTML layer escapes it) and never raise on
missing or odd data.  A broken ``narrative.yaml`` is refused at load time with a
:class:`NarrativeError` (a :class:`~cchc_lib.errors.CchcError`) that says, in Vietnamese, what is
wrong and where.
"""

from __future__ import annotations

import copy
import numbers
import re
import string
import unicodedata
from dataclasses import replace
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import yaml

from cchc_lib.calc import (
    Budget, BudgetLine, Dossiers, DocumentCounts, FieldDossiers, PlanTasks, StaffLine, budget,
    documents_by_type, dossiers, figure, percent, plan_tasks, staff,
)
from cchc_lib.catalogue import Catalogue, default_catalogue
from cchc_lib.errors import CchcError, NarrativeError
from cchc_lib.formatting import (
    fmt_count_padded, fmt_date_short, fmt_money, fmt_number, fmt_percent,
)
from cchc_lib import periods
from cchc_lib.model import Period, Submission
from cchc_lib.textparse import parse_date_text

__all__ = [
    "FIELDS",
    "SECTION_KEYS",
    "NarrativeError",
    "load_templates",
    "parse_templates",
    "templates",
    "sentences",
    "closing",
    "citation",
    "directions_period",
    "rate_text",
    "RATE_DIGITS",
    "documents_sentence",
    "plan_tasks_sentence",
    "propaganda_sentence",
    "inspection_sentence",
    "institutions_sentence",
    "procedures_sentence",
    "one_stop_staff_sentence",
    "dossier_sentence",
    "dossier_field_sentences",
    "staff_sentences",
    "staff_changes_sentence",
    "budget_sentences",
    "egov_sentence",
    "news_sentence",
]

Number = int | float

#: Decimals of every rate the sentences (and the charts) print.
RATE_DIGITS = 1

#: The sections that carry generated sentences, in reading order.
SECTION_KEYS = ("I.1", "I.2", "I.3", "II.1", "II.2", "II.3", "II.4", "II.5", "II.6")

_BUDGET_LINE = {"amount", "rate", "basis", "as_of", "comparison"}

#: Every template the file must define, with the fields it may use.
FIELDS: dict[str, frozenset[str]] = {name: frozenset(fields) for name, fields in {
    "documents": {"period_label", "unit", "total", "parts"},
    "documents_no_parts": {"period_label", "unit", "total"},
    "documents_none": {"period_label", "unit"},
    "documents_part": {"count", "type"},
    "plan_tasks": {"planned", "done", "rate"},
    "plan_tasks_partial": {"planned", "done", "rate", "source"},
    "propaganda": {"period_label", "news", "dialogues"},
    "propaganda_partial": {"period_label", "news", "dialogues"},
    "inspection": {"period_label", "inspections", "found", "resolved", "rate"},
    "inspection_no_issues": {"period_label", "inspections"},
    "inspection_partial": {"period_label", "inspections", "found", "resolved", "rate"},
    "institutions": {"period_label", "issued", "checked", "reviewed", "recommended", "handled"},
    "institutions_partial": {"period_label", "issued", "checked", "reviewed", "recommended",
                             "handled"},
    "procedures": {"period_label", "new", "abolished", "in_force", "commune"},
    "procedures_partial": {"period_label", "new", "abolished", "in_force", "commune"},
    "one_stop_staff": {"officials", "receivers", "leaders", "regular"},
    "one_stop_staff_partial": {"officials", "receivers", "leaders", "regular"},
    "dossiers": {"opening", "received", "breakdown", "on_time_rate", "late_rate", "source",
                 "window"},
    "dossiers_opening": set(),
    "dossiers_opening_counted": {"period_label", "counted_on"},
    "dossiers_breakdown": {"carried", "new"},
    "dossiers_window": {"start", "end"},
    "dossiers_partial": {"counted", "received", "carried", "new", "on_time_rate", "late_rate",
                         "source", "window"},
    "dossiers_counted": {"counted_on"},
    "dossiers_by_field": {"field", "on_time", "total", "rate", "source"},
    "dossiers_by_field_partial": {"field", "on_time", "total", "rate", "source"},
    "staff_standard": {"count", "of", "share"},
    "staff_standard_partial": {"count", "of", "share", "source"},
    "staff_level": {"label", "count", "of", "share"},
    "staff_level_partial": {"label", "count", "of", "share", "source"},
    "staff_levels": {"group", "levels"},
    "staff_basis": {"basis", "sentence"},
    "document_citation": {"type", "reference", "date"},
    "document_citation_undated": {"type", "reference"},
    "staff_changes": {"period_label", "seconded", "received"},
    "staff_changes_partial": {"period_label", "seconded", "received"},
    "staff_changes_detail": {"period_label", "changes"},
    "staff_changes_seconded": {"officials", "destination"},
    "staff_changes_received": {"officials"},
    "staff_changes_post": {"count", "post"},
    "budget_revenue": _BUDGET_LINE,
    "budget_own_revenue": _BUDGET_LINE,
    "budget_spending": _BUDGET_LINE,
    "budget_partial": {"title", "amount", "estimate", "rate", "basis", "as_of"},
    "budget_as_of": {"date"},
    "budget_comparison": {"year_share"},
    "typed_note": set(),
    "egov": {"items"},
    "egov_item": {"label", "status"},
    "news": {"period_label", "unit", "count"},
    "closing": {"period_label", "directions", "unit"},
    "closing_sent": {"period_label", "directions", "unit", "addressee"},
    "closing_directions": {"next_period"},
}.items()}

_TOP_KEYS = {"version", "missing", "templates", "words"}
_TEXT_WORDS = ("list_separator", "item_separator", "last_separator", "document_type_unknown",
               "other_unit", "second_half")
_CODE_WORDS = ("dossier_fields", "egov_items", "budget_titles")
_WORDS = set(_TEXT_WORDS) | set(_CODE_WORDS) | {"staff_groups"}

# Register type word for a document whose type is not known (cchc_lib.calc.documents_by_type).
_UNKNOWN_TYPE = "Không rõ loại"
_BUDGET_TEMPLATES = (("revenue", "budget_revenue"), ("own_revenue", "budget_own_revenue"),
                     ("spending", "budget_spending"))


# ---------------------------------------------------------------------------
# Loading and validating the templates
# ---------------------------------------------------------------------------

def _fail(origin: str, message: str) -> NarrativeError:
    return NarrativeError(f"Tệp mẫu câu {origin}: {message}")


def _check_text(origin: str, where: str, value: object, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise _fail(origin, f"{where} phải là một chuỗi chữ không rỗng, gặp {value!r}")
    if "<" in value or ">" in value:
        raise _fail(origin, f"{where} không được chứa thẻ HTML hay dấu < >: {value!r}")
    return value


def _check_template(origin: str, name: str, text: object) -> str:
    text = _check_text(origin, f'mẫu "{name}"', text)
    allowed = FIELDS[name]
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise _fail(origin, f'mẫu "{name}" sai cú pháp dấu ngoặc nhọn {{ }} ({exc})') from exc
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        if field == "" or field.isdigit():
            example = sorted(allowed)[0] if allowed else "period_label"
            raise _fail(origin, f'mẫu "{name}" có trường không tên {{{field}}}; '
                                f"mỗi trường phải có tên, ví dụ {{{example}}}")
        if field not in allowed:
            known = ", ".join(f"{{{f}}}" for f in sorted(allowed)) or "(không có trường nào)"
            raise _fail(origin, f'mẫu "{name}" dùng trường không được biết {{{field}}}; '
                                f"các trường dùng được: {known}")
        if spec or conversion:
            raise _fail(origin, f'mẫu "{name}": trường {{{field}}} không được kèm định dạng '
                                f'hay chuyển đổi ("{field}" đã được định dạng sẵn)')
    try:  # a dry run: every allowed field filled, the template must format
        text.format_map({f: "x" for f in allowed})
    except (KeyError, ValueError, IndexError, AttributeError) as exc:
        raise _fail(origin, f'mẫu "{name}" không điền được ({exc})') from exc
    return text


def _check_codes(origin: str, key: str, raw: object, codes: Iterable[str]) -> dict[str, str]:
    known = set(codes)
    if not isinstance(raw, Mapping) or not raw:
        raise _fail(origin, f'words.{key} phải là một ánh xạ mã chỉ tiêu -> chữ, không rỗng')
    out: dict[str, str] = {}
    for code, label in raw.items():
        if str(code) not in known:
            raise _fail(origin, f'words.{key}: mã chỉ tiêu {code!r} không có trong danh mục')
        out[str(code)] = _check_text(origin, f"words.{key}[{code}]", label)
    return out


def _check_words(origin: str, raw: object) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise _fail(origin, "thiếu mục words (ánh xạ các từ dùng khi ghép câu)")
    missing = sorted(_WORDS - set(raw))
    if missing:
        raise _fail(origin, f"mục words thiếu khóa: {', '.join(missing)}")
    unknown = sorted(map(str, set(raw) - _WORDS))
    if unknown:
        raise _fail(origin, f"mục words có khóa không được biết: {', '.join(unknown)}")
    codes = default_catalogue().codes
    words: dict[str, Any] = {}
    for key in _TEXT_WORDS:
        words[key] = _check_text(origin, f"words.{key}", raw[key])
    for key in _CODE_WORDS:
        words[key] = _check_codes(origin, key, raw[key], codes)
    groups = raw["staff_groups"]
    if not isinstance(groups, list) or not groups:
        raise _fail(origin, "words.staff_groups phải là một danh sách nhóm, không rỗng")
    words["staff_groups"] = []
    for n, group in enumerate(groups, start=1):
        if not isinstance(group, Mapping) or set(group) != {"title", "levels"}:
            raise _fail(origin, f"words.staff_groups, nhóm {n}: cần đúng hai khóa title và levels")
        words["staff_groups"].append({
            "title": _check_text(origin, f"words.staff_groups, nhóm {n}, title", group["title"]),
            "levels": _check_codes(origin, f"staff_groups (nhóm {n}).levels", group["levels"],
                                   codes),
        })
    return words


def parse_templates(text: str, origin: str = "narrative.yaml") -> dict[str, Any]:
    """Parse and validate the narrative templates' YAML text.

    Returns ``{"version", "missing", "templates": {name: text}, "words": {...}}``.  Raises
    :class:`NarrativeError` when the YAML cannot be read, a template is missing, unknown, not a
    string, badly braced, uses an unknown, unnamed or formatted field, or contains HTML.
    """
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _fail(origin, f"không đọc được YAML ({exc})") from exc
    if not isinstance(doc, Mapping):
        raise _fail(origin, "cần một ánh xạ ở cấp cao nhất (missing, templates, words)")
    unknown = sorted(map(str, set(doc) - _TOP_KEYS))
    if unknown:
        raise _fail(origin, f"khóa không được biết ở cấp cao nhất: {', '.join(unknown)}")
    missing = _check_text(origin, "missing (chữ thay cho số liệu còn thiếu)", doc.get("missing"))
    raw = doc.get("templates")
    if not isinstance(raw, Mapping) or not raw:
        raise _fail(origin, "thiếu mục templates (ánh xạ tên mẫu -> mẫu câu)")
    absent = sorted(set(FIELDS) - set(raw))
    if absent:
        raise _fail(origin, f"thiếu mẫu câu: {', '.join(absent)}")
    extra = sorted(map(str, set(raw) - set(FIELDS)))
    if extra:
        raise _fail(origin, f"mẫu câu không được biết: {', '.join(extra)}")
    tpls = {name: _check_template(origin, name, raw[name]) for name in FIELDS}
    return {"version": doc.get("version"), "missing": missing, "templates": tpls,
            "words": _check_words(origin, doc.get("words"))}


def load_templates(path: str | Path) -> dict[str, Any]:
    """Load and validate a narrative templates file (see :func:`parse_templates`)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise _fail(str(path), f"không mở được tệp ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise _fail(str(path), "tệp không phải văn bản UTF-8") from exc
    return parse_templates(text, origin=str(path))


@cache
def _shipped() -> dict[str, Any]:
    text = resources.files("cchc_lib").joinpath("data/narrative.yaml").read_text(encoding="utf-8")
    return parse_templates(text, origin="cchc_lib/data/narrative.yaml")


def templates() -> dict[str, Any]:
    """The shipped templates (``cchc_lib/data/narrative.yaml``), loaded once and validated.

    A copy is returned: changing it does not change the sentences.
    """
    return copy.deepcopy(_shipped())


# ---------------------------------------------------------------------------
# Rendering helpers
# ---------------------------------------------------------------------------

_SPACE_BEFORE = re.compile(r"\s+([,.;:)])")
_SPACE_AFTER_PAREN = re.compile(r"\(\s+")
_DANGLING_COMMA = re.compile(r"[,;](?=[.;)])")
_DOUBLE_COLON = re.compile(r":(?=:)")


def _tidy(text: str) -> str:
    """Collapse the spaces left by empty optional fields; drop a comma left before a stop and
    a colon doubled by a label that ends with one (``đạt chuẩn 12/12:`` + ``: …``)."""
    text = " ".join(text.split())
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _SPACE_AFTER_PAREN.sub("(", text)
    text = _DANGLING_COMMA.sub("", text)
    text = _DOUBLE_COLON.sub("", text)
    return text.strip()


def _fmt(name: str, **fields: str) -> str:
    return _tidy(_shipped()["templates"][name].format_map(fields))


def _missing() -> str:
    return _shipped()["missing"]


def _words() -> dict[str, Any]:
    return _shipped()["words"]


def _has(x: object) -> bool:
    """A real number (not a bool, not NaN)."""
    if isinstance(x, bool) or not isinstance(x, (numbers.Real, Decimal)):
        return False
    try:
        return x == x
    except TypeError:
        return False


def _any(*xs: object) -> bool:
    return any(_has(x) for x in xs)


def _all(*xs: object) -> bool:
    return all(_has(x) for x in xs)


def _count(n: object) -> str:
    """A count in running text (``03``, ``22``, ``1.250``); the missing words when unknown."""
    if not _has(n):
        return _missing()
    try:
        return fmt_count_padded(n, missing=_missing())
    except (TypeError, ValueError):  # not a whole non-negative number: print it as it is
        try:
            return fmt_number(n, missing=_missing())
        except (TypeError, ValueError):
            return _missing()


def rate_text(x: Number) -> str:
    """A rate as every sentence of the report prints it: one decimal, decimal comma
    (``42.94`` → ``42,9%``, ``84.0`` → ``84%``).

    The one formatter of printed rates: the charts label their bars with it too
    (:mod:`cchc_lib.charts`), so a chart never shows a figure the text does not.
    """
    return fmt_percent(x, RATE_DIGITS)


def _pct(x: object) -> str:
    if not _has(x):
        return _missing()
    try:
        return rate_text(x)
    except (TypeError, ValueError):
        return _missing()


def _money(x: object) -> str:
    if not _has(x):
        return _missing()
    try:
        return fmt_money(x, missing=_missing())
    except (TypeError, ValueError):
        return _missing()


def _rate(computed: object, typed: object = None) -> tuple[str, str]:
    """(rate text, source note): the computed rate, else the typed one with the typed note."""
    if _has(computed):
        return _pct(computed), ""
    if _has(typed):
        return _pct(typed), _fmt("typed_note")
    return _missing(), ""


def _date(text: object) -> str | None:
    """A printed date (``31/05/2024``) as ``dd/mm/yyyy``; None when absent or impossible."""
    if not isinstance(text, str) or not text.strip():
        return None
    parsed = parse_date_text(text)
    return fmt_date_short(parsed.day) if parsed.ok else None


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _text(x: object) -> str:
    """A text field the reporter typed, without surrounding space; "" for anything else."""
    return " ".join(x.split()) if isinstance(x, str) else ""


def _and_join(items: Sequence[str]) -> str:
    """``a``, ``a và b``, ``a, b và c``: a list in running text."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return _join(items[:-1]) + _words()["last_separator"] + items[-1]


def _same_reference(a: str, b: str) -> bool:
    def key(x: str) -> str:
        return unicodedata.normalize("NFC", "".join(x.split())).casefold()

    return key(a) == key(b)


def citation(sub: Submission, reference: str) -> str:
    """A document as a sentence cites it: ``Quyết định số 365/QĐ-UBND ngày 31/01/2024``.

    ``reference`` is a document's ``number/symbol`` in the register (``365/QĐ-UBND``): the type
    word and the date come from the register, so that they have one source (and are checked
    there).  A reference the register does not hold is returned as typed (the reporter may give
    the document's full name); "" for nothing.
    """
    reference = _text(reference)
    if not reference:
        return ""
    doc = next((d for d in sub.documents if _same_reference(d.reference, reference)), None)
    if doc is None or not doc.type_word.strip():
        return reference
    fields = {"type": _text(doc.type_word), "reference": _text(doc.reference)}
    day = _date(doc.date)
    if day:
        return _fmt("document_citation", date=day, **fields)
    return _fmt("document_citation_undated", **fields)


def _join(items: Sequence[str], key: str = "list_separator") -> str:
    return _words()[key].join(items)


# ---------------------------------------------------------------------------
# I.1 Chỉ đạo, điều hành
# ---------------------------------------------------------------------------

def _type_word(word: str) -> str:
    if word == _UNKNOWN_TYPE:
        return _words()["document_type_unknown"]
    return _lower_first(word)


def documents_sentence(counts: DocumentCounts, unit_title: str, period_label: str) -> str | None:
    """Documents issued, with their breakdown by type.

    The typed breakdown S.1.1–S.1.4 (the narrative's own figures) and its sum are used; zero
    types are not listed.  Without S.1.x the register's counts are used, unless the typed total
    S.1 is given and differs from the register's (then S.1, without a breakdown).  None when no
    count is known.
    """
    typed = [(w, n) for w, n in counts.typed_by_type.items() if _has(n)]
    typed_total = counts.typed_total if _has(counts.typed_total) else None
    if typed:
        parts, total = typed, sum(n for _, n in typed)
    elif counts.total and (typed_total is None or typed_total == counts.total):
        parts, total = list(counts.by_type.items()), counts.total
    elif typed_total is not None:
        parts, total = [], typed_total
    else:
        return None
    common = {"period_label": period_label, "unit": unit_title}
    if total == 0:
        return _fmt("documents_none", **common)
    listed = [_fmt("documents_part", count=_count(n), type=_type_word(w))
              for w, n in parts if _has(n) and n != 0]
    if not listed:
        return _fmt("documents_no_parts", total=_count(total), **common)
    return _fmt("documents", total=_count(total), parts=_join(listed), **common)


def plan_tasks_sentence(p: PlanTasks) -> str | None:
    """Tasks set in the CCHC plan, tasks done and the computed rate (done / set)."""
    if not _any(p.set, p.done, p.typed_rate):
        return None
    if _all(p.set, p.done, p.rate):
        return _fmt("plan_tasks", planned=_count(p.set), done=_count(p.done), rate=_pct(p.rate))
    rate, source = _rate(p.rate, None if _all(p.set, p.done) else p.typed_rate)
    return _fmt("plan_tasks_partial", planned=_count(p.set), done=_count(p.done), rate=rate,
                source=source)


# ---------------------------------------------------------------------------
# I.2 Tuyên truyền, I.3 Kiểm tra
# ---------------------------------------------------------------------------

def propaganda_sentence(news_items: Number | None, dialogues: Number | None, *,
                        period_label: str) -> str | None:
    """News items on CCHC (S.2.2) and direct dialogues with the people (S.2.3)."""
    fields = {"period_label": period_label, "news": _count(news_items),
              "dialogues": _count(dialogues)}
    if _all(news_items, dialogues):
        return _fmt("propaganda", **fields)
    if _any(news_items, dialogues):
        return _fmt("propaganda_partial", **fields)
    return None


def inspection_sentence(inspections: Number | None, found: Number | None,
                        resolved: Number | None, *, period_label: str) -> str | None:
    """Inspections (1.2.1), issues found (1.2.2) and resolved (1.2.3), rate resolved / found."""
    if not _any(inspections, found, resolved):
        return None
    if _has(inspections) and _has(found) and found == 0 and not (_has(resolved) and resolved):
        return _fmt("inspection_no_issues", period_label=period_label,
                    inspections=_count(inspections))
    rate = percent(resolved, found, 1) if _all(resolved, found) else None
    fields = {"period_label": period_label, "inspections": _count(inspections),
              "found": _count(found), "resolved": _count(resolved), "rate": _pct(rate)}
    if _all(inspections, found, resolved, rate):
        return _fmt("inspection", **fields)
    return _fmt("inspection_partial", **fields)


# ---------------------------------------------------------------------------
# II.1 Thể chế, II.2 Thủ tục hành chính
# ---------------------------------------------------------------------------

def _counts_sentence(name: str, figures: Mapping[str, Number | None],
                     **fixed: str) -> str | None:
    """The main template when every figure is known, the partial one when some are."""
    values = list(figures.values())
    fields = {k: _count(v) for k, v in figures.items()} | fixed
    if _all(*values):
        return _fmt(name, **fields)
    if _any(*values):
        return _fmt(f"{name}_partial", **fields)
    return None


def institutions_sentence(issued: Number | None, checked: Number | None,
                          reviewed: Number | None, recommended: Number | None,
                          handled: Number | None, *, period_label: str) -> str | None:
    """Legal documents issued (2.1), checked (2.2), reviewed (2.3), sent back (2.4), fixed (2.5)."""
    return _counts_sentence("institutions", {"issued": issued, "checked": checked,
                                             "reviewed": reviewed, "recommended": recommended,
                                             "handled": handled}, period_label=period_label)


def procedures_sentence(new: Number | None, abolished: Number | None, in_force: Number | None,
                        commune: Number | None, *, period_label: str) -> str | None:
    """Administrative procedures: published (3.1.1), abolished (3.1.2), in force (3.1.3),
    commune level (3.1.4)."""
    return _counts_sentence("procedures", {"new": new, "abolished": abolished,
                                           "in_force": in_force, "commune": commune},
                            period_label=period_label)


def one_stop_staff_sentence(officials: Number | None, receivers: Number | None,
                            leaders: Number | None, regular: Number | None) -> str | None:
    """Staff of the one-stop office (S.4.1–S.4.4)."""
    return _counts_sentence("one_stop_staff", {"officials": officials, "receivers": receivers,
                                               "leaders": leaders, "regular": regular})


def _general_field(d: Dossiers) -> FieldDossiers | None:
    return next((f for f in d.by_field if f.code == "3.4.1"), None)


def _dossier_rates(d: Dossiers) -> tuple[float | None, float | None, bool]:
    """(on time %, late %, whether a typed rate is used).

    From the S.3 counts when known; else from row 3.4.1 (dossiers resolved on time of those
    counted, late being the rest); else the typed S.3.5 / S.3.6 rates.
    """
    if d.on_time_rate_from_counts or d.late_rate_from_counts:
        typed = ((_has(d.on_time_rate) and not d.on_time_rate_from_counts)
                 or (_has(d.late_rate) and not d.late_rate_from_counts))
        return d.on_time_rate, d.late_rate, typed
    general = _general_field(d)
    if general is not None and _all(general.total, general.on_time) and general.total > 0:
        on = percent(general.on_time, general.total, 1)
        late = None
        if 0 <= general.on_time <= general.total:
            late = percent(general.total - general.on_time, general.total, 1)
        typed = False
        if late is None and _has(d.late_rate_typed):
            late, typed = float(d.late_rate_typed), True
        return on, late, typed
    on = float(d.on_time_rate_typed) if _has(d.on_time_rate_typed) else None
    late = float(d.late_rate_typed) if _has(d.late_rate_typed) else None
    return on, late, on is not None or late is not None


def _window(window: object) -> str:
    if not isinstance(window, (tuple, list)) or len(window) != 2:
        return ""
    start, end = (_date(x) for x in window)
    if start is None or end is None:
        return ""
    return _fmt("dossiers_window", start=start, end=end)


def dossier_sentence(d: Dossiers, window: tuple[str, str] | None, *, counted_on: str = "",
                     period_label: str = "") -> str | None:
    """Dossiers received (carried over + new), on-time and late rates, and the data window.

    The received total is carried over + new when both are known, else the typed S.3.1.  An
    impossible window date leaves the window out.  ``counted_on`` names where the figures are
    counted (``Header.dossier_source``: ``cổng dịch vụ hành chính công``); the sentence then
    opens ``Thống kê báo cáo {period_label} trên …``.  None when no dossier figure is known.
    """
    received = d.received_computed if _has(d.received_computed) else d.received_total
    on, late, typed = _dossier_rates(d)
    if not _any(received, d.carried_over, d.received_new, on, late):
        return None
    counted_on = _text(counted_on)
    source = _fmt("typed_note") if typed else ""
    common = {"on_time_rate": _pct(on), "late_rate": _pct(late), "source": source,
              "window": _window(window)}
    if _all(received, on, late):
        breakdown = ""
        if _all(d.carried_over, d.received_new):
            breakdown = _fmt("dossiers_breakdown", carried=_count(d.carried_over),
                             new=_count(d.received_new))
        opening = (_fmt("dossiers_opening_counted", period_label=period_label,
                        counted_on=counted_on) if counted_on else _fmt("dossiers_opening"))
        return _fmt("dossiers", opening=opening, received=_count(received),
                    breakdown=breakdown, **common)
    counted = _fmt("dossiers_counted", counted_on=counted_on) if counted_on else ""
    return _fmt("dossiers_partial", counted=counted, received=_count(received),
                carried=_count(d.carried_over), new=_count(d.received_new), **common)


def dossier_field_sentences(d: Dossiers) -> list[str]:
    """One sentence per field of ``words.dossier_fields`` (3.4.2 land, 3.4.3 construction)."""
    labels = _words()["dossier_fields"]
    out = []
    for f in d.by_field:
        if f.code not in labels or not _any(f.total, f.on_time, f.typed_rate):
            continue
        fields = {"field": labels[f.code], "on_time": _count(f.on_time), "total": _count(f.total)}
        if _all(f.total, f.on_time, f.rate):
            out.append(_fmt("dossiers_by_field", rate=_pct(f.rate), source="", **fields))
            continue
        rate, source = _rate(f.rate, None if _all(f.total, f.on_time) else f.typed_rate)
        out.append(_fmt("dossiers_by_field_partial", rate=rate, source=source, **fields))
    return out


# ---------------------------------------------------------------------------
# II.3 Trình độ cán bộ, công chức; II.4 Biến động
# ---------------------------------------------------------------------------

def _staff_item(line: StaffLine, label: str) -> tuple[str, bool] | None:
    """(text, is_partial) of one qualification line; None when nothing is reported."""
    if not _any(line.count, line.of, line.typed_share):
        return None
    if _all(line.count, line.of, line.share):
        return _fmt("staff_level", label=label, count=_count(line.count), of=_count(line.of),
                    share=_pct(line.share)), False
    share, source = _rate(line.share, None if _all(line.count, line.of) else line.typed_share)
    return _fmt("staff_level_partial", label=label, count=_count(line.count),
                of=_count(line.of), share=share, source=source), True


def staff_sentences(lines: Iterable[StaffLine], standard: StaffLine | None = None, *,
                    basis: str = "") -> list[str]:
    """Staff meeting the job standard (S.6.1), then one sentence per group of qualifications
    (``words.staff_groups``: S.6.2–S.6.7) as ``label x/y (z%)`` with z computed from x/y.

    ``lines`` are :func:`cchc_lib.calc.staff` lines; the S.6.1 line is taken from them when
    ``standard`` is not given.  ``basis`` is the document the figures follow (a
    :func:`citation`: ``Quyết định số 365/QĐ-UBND ngày 31/01/2024``); the first sentence then
    opens ``Theo …,``.
    """
    lines = list(lines)
    if standard is None:
        standard = next((ln for ln in lines if ln.code == "S.6.1"), None)
    by_code = {ln.code: ln for ln in lines}
    out = []
    if standard is not None and _any(standard.count, standard.of, standard.typed_share):
        if _all(standard.count, standard.of, standard.share):
            out.append(_fmt("staff_standard", count=_count(standard.count),
                            of=_count(standard.of), share=_pct(standard.share)))
        else:
            share, source = _rate(standard.share, None if _all(standard.count, standard.of)
                                  else standard.typed_share)
            out.append(_fmt("staff_standard_partial", count=_count(standard.count),
                            of=_count(standard.of), share=share, source=source))
    for group in _words()["staff_groups"]:
        items = [_staff_item(by_code[code], label)
                 for code, label in group["levels"].items() if code in by_code]
        items = [i for i in items if i is not None]
        if not items:
            continue
        key = "item_separator" if any(partial for _, partial in items) else "list_separator"
        out.append(_fmt("staff_levels", group=group["title"],
                        levels=_join([text for text, _ in items], key)))
    basis = _text(basis)
    if out and basis:
        out[0] = _fmt("staff_basis", basis=basis, sentence=_lower_first(out[0]))
    return out


def _officials(n: Number, posts: Sequence[str]) -> str:
    """``01 công chức Tài chính – Kế toán``, ``01 công chức A và 02 công chức B``: ``n``
    officials by post, one post per official; ``n công chức (A, B)`` when the posts given are
    not ``n`` (the figure stays the count); ``n công chức`` without posts."""
    posts = [p for p in (_text(x) for x in posts) if p]
    if posts and len(posts) == n:
        by_post: dict[str, int] = {}
        for post in posts:
            by_post[post] = by_post.get(post, 0) + 1
        return _and_join([_fmt("staff_changes_post", count=_count(k), post=post)
                          for post, k in by_post.items()])
    listed = f"({_join(posts)})" if posts else ""
    return _fmt("staff_changes_post", count=_count(n), post=listed)


def staff_changes_sentence(seconded: Number | None, received: Number | None, *,
                           period_label: str, seconded_posts: Sequence[str] = (),
                           seconded_to: str = "", received_posts: Sequence[str] = ()) -> str | None:
    """Civil servants seconded elsewhere (S.7.1) and received (S.7.2) in the period.

    With the posts of the officials (one per official: ``Header.seconded_posts``,
    ``received_posts``) or the body they were seconded to (``seconded_to``), the sentence
    names them: ``01 công chức Tài chính – Kế toán biệt phái đến công tác tại Ủy ban nhân dân
    xã Quảng Khê, tiếp nhận thêm 01 công chức Văn hoá – xã hội và 01 công chức Tư pháp – Hộ
    tịch``; a zero count leaves its half out.
    """
    seconded_to = _text(seconded_to)
    detailed = seconded_to or any(_text(p) for p in (*seconded_posts, *received_posts))
    if not (detailed and _all(seconded, received) and (seconded or received)):
        return _counts_sentence("staff_changes", {"seconded": seconded, "received": received},
                                period_label=period_label)
    changes = []
    if seconded:
        changes.append(_fmt("staff_changes_seconded",
                            officials=_officials(seconded, seconded_posts),
                            destination=seconded_to or _words()["other_unit"]))
    if received:
        changes.append(_fmt("staff_changes_received",
                            officials=_officials(received, received_posts)))
    return _fmt("staff_changes_detail", period_label=period_label, changes=_join(changes))


# ---------------------------------------------------------------------------
# II.5 Tài chính công
# ---------------------------------------------------------------------------

def _budget_line_sentence(line: BudgetLine, name: str, comparison: str,
                          basis: str) -> str | None:
    if not _any(line.estimate, line.done, line.typed_rate):
        return None
    rate = _pct(line.execution_rate) if _has(line.execution_rate) else _missing()
    day = _date(line.as_of)
    as_of = _fmt("budget_as_of", date=day) if day else ""
    if _all(line.done, line.execution_rate):
        return _fmt(name, amount=_money(line.done), rate=rate, basis=basis, as_of=as_of,
                    comparison=comparison)
    title = _words()["budget_titles"].get(line.code, line.title)
    return _fmt("budget_partial", title=title, amount=_money(line.done),
                estimate=_money(line.estimate), rate=rate, basis=basis, as_of=as_of)


def budget_sentences(b: Budget, *, estimate_basis: str = "") -> list[str]:
    """Revenue (S.5.1), revenue the commune collects (S.5.2) and spending (S.5.3): amount in
    đồng, execution against the estimate (computed from the estimate when given, else the rate
    the commune typed), and the share of the year elapsed.  An impossible "as of" date is left
    out.

    ``estimate_basis`` says who set the estimate and when (``Header.estimate_basis``: ``HĐND
    giao đầu năm``): ``đạt 47,1% dự toán HĐND giao đầu năm``; without it, ``đạt 47,1% dự
    toán``.  The report is the commune's own: a typed rate is stated as the commune's, the
    check sheet says when it cannot be verified.
    """
    comparison = ""
    if _has(b.year_share):
        comparison = _fmt("budget_comparison", year_share=_pct(b.year_share))
    basis = _text(estimate_basis)
    out = []
    for attr, name in _BUDGET_TEMPLATES:
        text = _budget_line_sentence(getattr(b, attr), name, comparison, basis)
        if text:
            out.append(text)
    return out


# ---------------------------------------------------------------------------
# II.6 Chính quyền điện tử
# ---------------------------------------------------------------------------

def _status(value: object, coding: Mapping[int, str] | None) -> str:
    if not _has(value) or not coding:
        return _missing()
    try:
        key = int(value) if float(value).is_integer() else None
    except (TypeError, ValueError, OverflowError):
        key = None
    label = coding.get(key) if key is not None else None
    return _lower_first(label) if label else _missing()


def egov_sentence(values: Mapping[str, Number | None], cat: Catalogue | None = None) -> str | None:
    """Coded statuses (7.1, 7.2, 7.3, 7.5) written with their labels: ``Hệ thống họp trực
    tuyến: 3 cấp``.  ``values`` maps a code to its figure; a code outside the coding is written
    as missing.  None when no status is given."""
    cat = cat or default_catalogue()
    items = []
    for code, label in _words()["egov_items"].items():
        value = values.get(code)
        if not _has(value):
            continue
        coding = cat[code].coding if code in cat else None
        items.append(_fmt("egov_item", label=label, status=_status(value, coding)))
    if not items:
        return None
    return _fmt("egov", items=_join(items, "item_separator"))


def news_sentence(count: Number | None, unit_title: str, period_label: str) -> str | None:
    """News items posted on the unit's website (S.2.1)."""
    if not _has(count):
        return None
    return _fmt("news", count=_count(count), unit=unit_title, period_label=period_label)


# ---------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------

def _fig(sub: Submission, code: str) -> Number | None:
    return figure(sub.value(code))


def _budget(sub: Submission, cat: Catalogue) -> Budget:
    try:
        return budget(sub, cat=cat)
    except CchcError:  # a period that cannot be read: the lines without the year's share
        return replace(budget(sub, period="2024", cat=cat), period=str(sub.period),
                       year_share=float("nan"))


def _inspection(sub: Submission, label: str) -> list[str | None]:
    issues = sub.value("1.2.2")
    found = None if issues is None else (issues.total if _has(issues.total) else figure(issues))
    return [inspection_sentence(_fig(sub, "1.2.1"), found, _fig(sub, "1.2.3"),
                                period_label=label)]


_Builder = Callable[[Submission, Catalogue, str, str], list]

_BUILDERS: dict[str, _Builder] = {
    "I.1": lambda sub, cat, unit, label: [
        documents_sentence(documents_by_type(sub), unit, label),
        plan_tasks_sentence(plan_tasks(sub, cat)),
    ],
    "I.2": lambda sub, cat, unit, label: [
        propaganda_sentence(_fig(sub, "S.2.2"), _fig(sub, "S.2.3"), period_label=label),
    ],
    "I.3": lambda sub, cat, unit, label: _inspection(sub, label),
    "II.1": lambda sub, cat, unit, label: [
        institutions_sentence(*(_fig(sub, c) for c in ("2.1", "2.2", "2.3", "2.4", "2.5")),
                              period_label=label),
    ],
    "II.2": lambda sub, cat, unit, label: [
        procedures_sentence(*(_fig(sub, c) for c in ("3.1.1", "3.1.2", "3.1.3", "3.1.4")),
                            period_label=label),
        one_stop_staff_sentence(*(_fig(sub, c) for c in ("S.4.1", "S.4.2", "S.4.3", "S.4.4"))),
        dossier_sentence(dossiers(sub, cat), sub.header.data_window,
                         counted_on=sub.header.dossier_source, period_label=label),
        *dossier_field_sentences(dossiers(sub, cat)),
    ],
    "II.3": lambda sub, cat, unit, label: staff_sentences(
        staff(sub, cat), basis=citation(sub, sub.header.staff_basis)),
    "II.4": lambda sub, cat, unit, label: [
        staff_changes_sentence(_fig(sub, "S.7.1"), _fig(sub, "S.7.2"), period_label=label,
                               seconded_posts=sub.header.seconded_posts,
                               seconded_to=sub.header.seconded_to,
                               received_posts=sub.header.received_posts),
    ],
    "II.5": lambda sub, cat, unit, label: budget_sentences(
        _budget(sub, cat), estimate_basis=sub.header.estimate_basis),
    "II.6": lambda sub, cat, unit, label: [
        egov_sentence({c: _fig(sub, c) for c in _words()["egov_items"]}, cat),
        news_sentence(_fig(sub, "S.2.1"), unit, label),
    ],
}


def sentences(sub: Submission, section: str, *, unit_title: str, period_label: str,
              cat: Catalogue | None = None) -> list[str]:
    """The generated sentences of one section (:data:`SECTION_KEYS`), in reading order.

    ``unit_title`` is the unit as written mid-sentence (``xã Đắk Ha``,
    :func:`cchc_lib.units.unit_title`), ``period_label`` the period's label
    (``6 tháng đầu năm 2024``, :func:`cchc_lib.periods.label`).  Other section keys give ``[]``.
    """
    builder = _BUILDERS.get(section)
    if builder is None:
        return []
    cat = cat or default_catalogue()
    return [s for s in builder(sub, cat, unit_title, period_label) if s]


def directions_period(period: str | Period) -> str | None:
    """The period a report's "phương hướng nhiệm vụ" looks ahead to, as its closing names it.

    ``6 tháng cuối năm`` after the first half, the next quarter after a quarter (``quý II``;
    ``quý I năm 2025`` after quý IV), ``quý IV`` after nine months and the next year after a
    year (``năm 2025``).  None for a period that cannot be read.
    """
    try:
        p = periods.parse_period(period)
        if p.kind == "H1":
            return _words()["second_half"]
        if p.kind == "9M":
            return periods.label_short(Period(p.year, "Q", 4))
        if p.kind == "Q" and p.quarter < 4:
            return periods.label_short(Period(p.year, "Q", p.quarter + 1))
        if p.kind == "Q":
            return periods.label(Period(p.year + 1, "Q", 1))
        return periods.label(Period(p.year + 1, "Y"))
    except CchcError:
        return None


def closing(sub: Submission, unit_title: str, period_label: str) -> str:
    """The closing sentence: ``Trên đây là Báo cáo công tác cải cách hành chính … ./.``.

    When the report has directions (section IV) the subject covers them too: ``… 6 tháng đầu năm
    2024 và phương hướng nhiệm vụ 6 tháng cuối năm …`` (:func:`directions_period`); when the
    header names the superior body it is sent to (``Header.addressee``), the sentence ends
    ``Kính gửi Ủy ban nhân dân huyện … được biết và tổng hợp./.``.
    """
    directions = ""
    if any(_text(p) for p in sub.sections.get("IV", ())):
        ahead = directions_period(sub.period)
        directions = _fmt("closing_directions", next_period=ahead) if ahead else ""
    fields = {"period_label": period_label, "directions": directions, "unit": unit_title}
    addressee = _text(sub.header.addressee)
    if addressee:
        return _fmt("closing_sent", addressee=addressee, **fields)
    return _fmt("closing", **fields)
