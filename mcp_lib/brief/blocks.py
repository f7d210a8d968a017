"""The HTML building blocks of the brief, the explorer and the overview: escaped tables and cards.

Every data-derived string passes through :func:`mcp_lib.text.escape` (``esc``) before it
reaches HTML; only markup the code builds from numbers is passed through as it is.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet

import pandas as pd

from mcp_lib import text
from mcp_lib.framework.model import BAND_COLOUR, Band

__all__ = ["NUM", "Html", "band_class", "band_style", "card", "esc", "html_table", "opd_table", "range_text"]

esc = text.escape


class Html(str):
    """HTML that Jupyter displays as HTML (and nbconvert copies into the brief as it is)."""

    def _repr_html_(self) -> str:
        return str(self)


NUM = ' class="num"'
"""The attribute of a numeric table cell (right-aligned by the template's CSS)."""


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
    numbers when a phone stacks the row."""
    head = "".join(f'<th scope="col"{NUM if c in numeric else ""}>{esc(h)}</th>' for c, h in columns.items())
    body = []
    labels = {c: esc(h) for c, h in columns.items()}
    attrs = {c: NUM if c in numeric else ' class="short"' if c in short else "" for c in columns}
    for rec in frame[list(columns)].itertuples(index=False):
        # data-label: on a phone the rows stack and each cell shows its column's name
        cells = "".join(
            f'<td{attrs[c]} data-label="{labels[c]}">{v if c in raw else esc(v)}</td>'
            for c, v in zip(columns, rec, strict=True)
        )
        body.append(f"<tr>{cells}</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    rows = "".join(body)
    return f'<div class="table-wrap"><table>{cap}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'


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


def band_style(band: Band) -> str:
    """The ``style`` attribute giving a score's card the colour of its band, as the framework's
    ``bands.csv`` sets it: any band name of any year has its colour (the stylesheet knew only
    2023's and 2024's names). A colour that is not ``#rrggbb`` is shown grey, never written out."""
    colour = band.colour if _COLOUR.fullmatch(band.colour or "") else BAND_COLOUR
    return f' style="border-top-color: {colour}"'


def range_text(low: float, high: float) -> str:
    """A band of scores, rounded outward (:func:`mcp_lib.text.band`)."""
    return text.band(low, high)
