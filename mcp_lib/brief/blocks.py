"""The HTML building blocks of the brief, the explorer and the overview: escaped tables and cards.

Every data-derived string passes through :func:`mcp_lib.text.escape` (``esc``) before it
reaches HTML; only markup the code builds from numbers is passed through as it is.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet

import pandas as pd

from mcp_lib import text
from mcp_lib.brief.render import css_string
from mcp_lib.framework.model import BAND_COLOUR, Band, Bands, Framework
from mcp_lib.framework.rules import AREA_SHORT
from mcp_lib.scoring import Scores

__all__ = [
    "NUM",
    "Html",
    "area_labels",
    "area_short_note",
    "area_shorts",
    "band_class",
    "band_colour",
    "band_distance",
    "band_label",
    "band_note",
    "band_ranges",
    "band_style",
    "bands_words",
    "card",
    "esc",
    "grouped_table",
    "html_table",
    "opd_table",
    "range_text",
    "score_note",
    "weight_text",
]

esc = text.escape


class Html(str):
    """HTML that Jupyter displays as HTML (and nbconvert copies into the brief as it is)."""

    def _repr_html_(self) -> str:
        return str(self)


NUM = ' class="num"'
"""The attribute of a numeric table cell (right-aligned by the template's CSS)."""

LABELLED_COLUMNS = 12
"""Columns a table may have for a phone to name each of its cells (``brief.css`` has one rule per
column position, up to this many; a wider table keeps its sideways scroller)."""


def _labels(columns: Mapping[str, str]) -> str:
    """The table's opening tag. On a phone the rows stack and each cell shows its column's name:
    the names are given once, as custom properties ``--l1``, ``--l2``, … of the table, which the
    style sheet's ``td:nth-child(n)::before`` rules show (a ``data-label`` on every cell was a
    quarter of a 680-document brief). Each name is a CSS string (:func:`css_string`), so nothing
    in it can end the string, the attribute or the element."""
    if len(columns) > LABELLED_COLUMNS:
        return "<table>"
    names = ";".join(f"--l{i}:'{css_string(h)}'" for i, h in enumerate(columns.values(), start=1) if h)
    return f'<table class="stack" style="{names}">'


def _head(columns: Mapping[str, str], numeric: AbstractSet[str], caption: str) -> str:
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    head = "".join(f'<th scope="col"{NUM if c in numeric else ""}>{esc(h)}</th>' for c, h in columns.items())
    return f"{cap}<thead><tr>{head}</tr></thead>"


def _rows(
    frame: pd.DataFrame,
    columns: Mapping[str, str],
    numeric: AbstractSet[str],
    raw: AbstractSet[str],
    short: AbstractSet[str],
) -> str:
    attrs = [NUM if c in numeric else ' class="short"' if c in short else "" for c in columns]
    escaped = [c not in raw for c in columns]
    body = []
    for rec in frame[list(columns)].itertuples(index=False, name=None):
        cells = "".join(f"<td{a}>{esc(v) if e else v}</td>" for a, e, v in zip(attrs, escaped, rec, strict=True))
        body.append(f"<tr>{cells}</tr>")
    return "".join(body)


def html_table(
    frame: pd.DataFrame,
    columns: dict[str, str],
    numeric: AbstractSet[str] = frozenset(),
    caption: str = "",
    raw: AbstractSet[str] = frozenset(),
    short: AbstractSet[str] = frozenset(),
) -> str:
    """An HTML table of pre-formatted values. ``columns`` maps frame column → Indonesian header.
    Every cell is escaped except ``raw`` columns, which hold markup the code built from numbers
    (never text from the data). ``short`` columns (a word or a month) share a line with the
    numbers when a phone stacks the row (each cell named by :func:`_labels`)."""
    rows = _rows(frame, columns, numeric, raw, short)
    return (
        f'<div class="table-wrap">{_labels(columns)}{_head(columns, numeric, caption)}'
        f"<tbody>{rows}</tbody></table></div>"
    )


def grouped_table(
    frame: pd.DataFrame,
    by: str,
    columns: dict[str, str],
    numeric: AbstractSet[str] = frozenset(),
    heading: Callable[[object, pd.DataFrame], str] = lambda key, _: str(key),
    *,
    fold: bool = True,
    short: AbstractSet[str] = frozenset(),
) -> str:
    """One table of pre-formatted values whose rows are grouped under a heading row per value of
    ``by`` (in the frame's order; the column itself is not repeated on every row), each group a
    ``<tbody>``. ``heading(key, group)`` gives a group's heading text (escaped here).

    ``fold``: on screen each group shows only its heading until tapped (a checkbox in the heading,
    no script; the stylesheet hides the rows of a group whose box is not ticked, with ``:has()``:
    a browser without it shows every row); printed, every row shows. One copy of each row
    serves the screen and the print (the brief had a folded copy and a printed one)."""
    inner = {c: h for c, h in columns.items() if c != by}
    span = f' colspan="{len(inner)}"' if len(inner) > 1 else ""
    toggle = '<input type="checkbox" class="fold-toggle">' if fold else ""
    cls = ' class="fold"' if fold else ""
    groups = []
    for key, group in frame.groupby(by, sort=False):
        title = f"<label>{toggle}{esc(heading(key, group))}</label>" if fold else esc(heading(key, group))
        groups.append(
            f'<tbody{cls}><tr class="group"><th{span} scope="rowgroup">{title}</th></tr>'
            f"{_rows(group, inner, numeric, frozenset(), short)}</tbody>"
        )
    return f'<div class="table-wrap">{_labels(inner)}{_head(inner, numeric, "")}{"".join(groups)}</table></div>'


def opd_table(by_opd: pd.DataFrame, awaiting: bool = True) -> str:
    """The OPD table of scores (:func:`mcp_lib.scoring.aggregate` by ``opd``), in the frame's order:
    score, points of the total still open and the document counts; ``awaiting`` adds the
    documents waiting for the verifier (the brief shows it, the explorer has its own list)."""
    o = by_opd.assign(
        nilai=by_opd["verified"].map(text.percent),
        open=by_opd["points_open"].map(lambda x: text.number(x, 2)),
    )
    columns = {
        "opd": "OPD",
        "nilai": "Nilai",
        "open": "Poin terbuka",
        "documents": "Dokumen",
        "late": "Terlambat",
        "rejected": "Perlu perbaikan",
        "blocked": "Terblokir",
    }
    if awaiting:
        columns["awaiting"] = "Menunggu verifikasi"
    return html_table(o, columns, set(columns) - {"opd"})


def area_shorts(framework: Framework) -> dict[str, str]:
    """Area code → the short name the dashboard writes (``area_short`` of ``framework.csv``), for
    the areas that have one (none: an empty dict, and the brief shows full names as before)."""
    subs = framework.subindicators
    if AREA_SHORT not in subs:
        return {}
    areas = subs.drop_duplicates("area_code")
    pairs = zip(areas["area_code"], areas[AREA_SHORT].fillna("").astype(str).str.strip(), strict=True)
    return {str(code): short for code, short in pairs if short}


def area_labels(by_area: pd.DataFrame, shorts: Mapping[str, str]) -> pd.Series:
    """Each area's label where space is short (a chart's axis): its short name, else its full name;
    the full names when the labels would not tell two areas apart (their bars would merge)."""
    pairs = zip(by_area["area_code"], by_area["area_name"], strict=True)
    labels = pd.Series([shorts.get(code, name) for code, name in pairs], index=by_area.index, dtype=object)
    return labels if labels.is_unique else by_area["area_name"]


def weight_text(value: float) -> str:
    """A weight as the framework gives it: one decimal (``12,5``, ``24,0``), or the two or three a
    typed weight has (``10,857``: seven such and 24 make 99,999, where ``10,9`` would make 100,3)."""
    digits = next((d for d in (1, 2, 3) if round(value, d) == value), 1)
    return text.number(value, digits)


def area_short_note(by_area: pd.DataFrame, shorts: Mapping[str, str]) -> str:
    """The words that keep the dashboard's ``OPD`` (its short name for the revenue area,
    Optimalisasi Pendapatan Daerah) from being read as the agencies the brief calls OPD; empty
    when no area is written so."""
    codes = zip(by_area["area_code"], by_area["area_name"], strict=True)
    names = [name for code, name in codes if shorts.get(code, "").upper() == "OPD"]
    if not names:
        return ""
    return f"area OPD (singkatan dasbor KPK) adalah {names[0]}, bukan Organisasi Perangkat Daerah"


def card(label: str, value: str, note: str = "", cls: str = "", style: str = "") -> str:
    """A figure with its label and note; ``style``: :func:`band_style` for the score's card."""
    note_html = f'<span class="note">{esc(note)}</span>' if note else ""
    classes = f"card {cls}".strip()
    return (
        f'<div class="{classes}"{style}><span class="label">{esc(label)}</span><span '
        f'class="value">{esc(value)}</span>{note_html}</div>'
    )


def band_class(name: str) -> str:
    return "band-" + re.sub(r"[^a-z0-9]+", "-", name.lower())


_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def band_colour(band: Band) -> str:
    """The band's colour as the framework's ``bands.csv`` sets it; one that is not ``#rrggbb`` (a
    typo, or markup) is grey (:data:`~mcp_lib.framework.model.BAND_COLOUR`), never written out."""
    return band.colour if _COLOUR.fullmatch(band.colour or "") else BAND_COLOUR


def band_style(band: Band) -> str:
    """The ``style`` attribute giving a score's card the colour of its band (:func:`band_colour`):
    any band name of any year has its colour (the stylesheet knew only 2023's and 2024's names)."""
    return f' style="border-top-color: {band_colour(band)}"'


def _bound(value: float) -> str:
    """A band's bound as KPK writes it: ``73``, ``77,9``, ``72,25``."""
    digits = 0 if float(value).is_integer() else 1 if round(value, 1) == value else 2
    return text.number(value, digits)


def band_label(band: Band) -> str:
    """A band from its lower bound, as a chart's line is labelled: ``terjaga ≥ 78``."""
    return f"{band.name} ≥ {_bound(band.lower)}"


def band_ranges(bands: Bands) -> list[str]:
    """Each band's range, as KPK states them: ``rentan < 73``, ``waspada 73–77,9``, ``terjaga ≥ 78``
    (a band's top is a tenth below the next band's bound)."""
    items = bands.items
    if len(items) == 1:
        return [f"{items[0].name} (semua nilai)"]
    middle = [f"{b.name} {_bound(b.lower)}–{_bound(up.lower - 0.1)}" for b, up in itertools.pairwise(items[1:])]
    return [f"{items[0].name} < {_bound(items[1].lower)}", *middle, band_label(items[-1])]


def bands_words(bands: Bands) -> str:
    """A framework year's bands in one line: ``rentan < 73, waspada 73–77,9, terjaga ≥ 78``."""
    return ", ".join(band_ranges(bands))


def band_distance(bands: Bands, score: float) -> str:
    """The points from ``score`` up to the next band, e.g. ``15,1 poin lagi ke waspada (73)``;
    empty in the top band. Rounded up to a tenth: what is said is always enough to get there, and
    a score just below a bound (77,95 under 78) needs ``0,1``, never ``0,0``."""
    here = bands.classify(score)
    up = next((b for b in bands.items if b.lower > here.lower), None)
    if up is None:
        return ""
    tenths = max(1, math.ceil(round((up.lower - score) * 10, 6)))  # 73 − 57,9 is 15,1, not 15,100…01
    return f"{text.number(tenths / 10)} poin lagi ke {up.name} ({_bound(up.lower)})"


def band_note(bands: Bands, score: float) -> str:
    """A score's band in words with the way to the next: ``predikat rentan; 15,1 poin lagi ke
    waspada (73)`` (the top band: its name alone)."""
    gap = band_distance(bands, score)
    return f"predikat {bands.classify(score).name}" + (f"; {gap}" if gap else "")


def score_note(s: Scores, bands: Bands) -> str:
    """The note under the verified score: :func:`band_note`, and the year's penalty (already
    deducted) when there is one."""
    note = band_note(bands, s.verified)
    return f"{note}; {text.penalty(s.penalty, s.penalty_reason)}" if s.penalty else note


def range_text(low: float, high: float) -> str:
    """A band of scores, rounded outward (:func:`mcp_lib.text.band`)."""
    return text.band(low, high)
