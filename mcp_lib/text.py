"""Indonesian formatting of numbers and dates, and escaping of data-derived text.

Built on babel's ``id_ID`` locale: ``65,0``, ``65,0%``, ``31 Oktober 2023``.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel import Locale
from babel.dates import format_date as _babel_date

LOCALE = "id_ID"

D3_NUMBER_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp", ""]}
"""Indonesian number format for Vega charts (d3-format locale)."""


@cache
def d3_time_locale() -> dict[str, object]:
    """Indonesian date format for Vega charts (d3-time-format locale), from babel's ``id_ID``."""
    loc = Locale.parse(LOCALE)
    months = loc.months["format"]
    days = loc.days["format"]
    # babel numbers weekdays from Monday = 0; d3 lists them from Sunday.
    order = [6, 0, 1, 2, 3, 4, 5]
    return {
        "dateTime": "%A, %e %B %Y %X",
        "date": "%d/%m/%Y",
        "time": "%H.%M.%S",
        "periods": ["AM", "PM"],
        "days": [days["wide"][i] for i in order],
        "shortDays": [days["abbreviated"][i] for i in order],
        "months": [months["wide"][m] for m in range(1, 13)],
        "shortMonths": [months["abbreviated"][m] for m in range(1, 13)],
    }


def number(value: float | None, digits: int = 1) -> str:
    """``65.04`` → ``'65,0'``; thousands with a dot (``1.234,5``); ``–`` for missing values."""
    if value is None or value != value:  # NaN
        return "–"
    if value in (float("inf"), float("-inf")):
        return "∞" if value > 0 else "−∞"
    # Half up, as people round (26,25 → 26,3), from the shortest decimal form of the float.
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    # babel's ``#,##0.0`` in ``id_ID`` (what tests/test_text.py compares it with) without its
    # pattern machinery, which was most of a brief's formatting time: Python's grouping, the
    # separators swapped. ``+ 0`` makes a rounded ``-0,0`` plain ``0,0``.
    return f"{rounded + 0:,.{max(digits, 0)}f}".translate(_ID_SEPARATORS)


_ID_SEPARATORS = str.maketrans({",": ".", ".": ","})


def percent(value: float | None, digits: int = 1) -> str:
    """A score in percent (0–100): ``65.0`` → ``'65,0%'``."""
    text = number(value, digits)
    return text if text == "–" else f"{text}%"


def chance(p: float | None, possible: bool = True) -> str:
    """A simulated chance (0–1) in whole percent, never a misleading extreme: ``di bawah 1%``
    below 0.5% (also for none of the draws, when the outcome is ``possible``: 10,000 draws cannot
    tell a small chance from none), ``di atas 99%`` above 99.5%, ``0%`` only for what cannot
    happen, ``–`` when unknown."""
    if p is None or p != p:
        return "–"
    if p <= 0:
        return "di bawah 1%" if possible else "0%"
    if p < 0.005:
        return "di bawah 1%"
    if p > 0.995:
        return "di atas 99%"
    return percent(100 * p, 0)


def chance_words(p: float | None) -> str:
    """A chance (0–1) as it is read aloud: ``sekitar 8 dari 10``; ``kurang dari 1 dari 20`` below
    5%, ``lebih dari 19 dari 20`` above 95%, ``–`` when unknown."""
    if p is None or p != p:
        return "–"
    if p < 0.05:
        return "kurang dari 1 dari 20"
    if p > 0.95:
        return "lebih dari 19 dari 20"
    return f"sekitar {int(Decimal(repr(10 * p)).quantize(Decimal(1), rounding=ROUND_HALF_UP))} dari 10"


def band(low: float, high: float) -> str:
    """A band of scores rounded outward to whole points, so it never looks narrower than it is:
    ``84,57`` to ``97,2`` → ``'84–98%'``."""
    lo = max(0, math.floor(low + 1e-9))
    hi = min(100, math.ceil(high - 1e-9))
    return f"{number(lo, 0)}–{percent(hi, 0)}"


def signed(value: float | None, digits: int = 1) -> str:
    """A change with its sign: ``+4,2`` or ``−1,0``."""
    if value is None or value != value:
        return "–"
    text = number(abs(value), digits)
    negative = value < 0 and any(ch in "123456789" for ch in text)  # −0,0 reads as a loss
    return ("−" if negative else "+") + text


def date(value: dt.date | None, fmt: str = "d MMMM y") -> str:
    """``date(2023, 10, 31)`` → ``'31 Oktober 2023'``."""
    if value is None:
        return "–"
    return _babel_date(value, format=fmt, locale=LOCALE)


def month(value: dt.date) -> str:
    """``date(2023, 10, 31)`` → ``'Oktober 2023'``."""
    return _babel_date(value, format="MMMM y", locale=LOCALE)


def slugify(name: str) -> str:
    """``'Kab. Ogan Komering Ulu'`` → ``'kab-ogan-komering-ulu'`` (folder names); accented
    letters lose their accents rather than the letter (``'Skenario Ünïcode'`` →
    ``'skenario-unicode'``, not ``'skenario-n-code'``)."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


def escape(value: object) -> str:
    """HTML-escape any data-derived text (also safe inside Markdown, which passes HTML through)."""
    return html.escape("" if value is None else str(value), quote=True)


def penalty(points: float, reason: str = "") -> str:
    """The year's deduction in words, next to a verified score that already has it subtracted
    (the brief's headline and ``mcp score``)."""
    why = f" ({reason})" if reason else ""
    return f"sudah dikurangi penalti {number(points)} poin{why}"
