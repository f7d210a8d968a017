"""The calendar of an MCP year: when uploads close and when the final score is known.

:class:`Calendar` holds the two dates and says whether uploads are still open on a day,
:data:`KNOWN_CALENDARS` the published ones, :func:`resolve_calendar` picks them from
``pemda.toml``, ``framework.toml`` or the default; and the month every model counts in
(:data:`DAYS_PER_MONTH`, :func:`months_between`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DAYS_PER_MONTH = 30.4375
"""The mean month, in days (months are measured as days / 30.4375 everywhere)."""


def months_between(start: dt.date, end: dt.date) -> float:
    """Months from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    return (end - start).days / DAYS_PER_MONTH


KNOWN_CALENDARS: dict[int, tuple[dt.date, dt.date, str]] = {
    2023: (
        dt.date(2023, 11, 30),
        dt.date(2024, 1, 15),
        "unggah sampai 30 November 2023; QA sampai pertengahan Januari",
    ),
    2024: (dt.date(2025, 1, 5), dt.date(2025, 1, 31), "jendela input 1 April 2024 – 5 Januari 2025"),
    2025: (
        dt.date(2025, 11, 30),
        dt.date(2025, 12, 17),
        "dokumen paling lambat 30 November 2025; data final 17 Desember 2025",
    ),
}
"""Upload close and final date of the years whose calendar was published (``verification-risk.md``).
The final date is when verification and QA end (figures published)."""


@dataclass(frozen=True)
class Calendar:
    """The dates of a framework year that the risk model needs.

    Attributes
    ----------
    close
        Last day documents can be uploaded (re-uploads included).
    final
        Last day of verification and QA: the final score is known.
    source
        Where the dates come from (``pemda.toml``, ``framework.toml``, published calendar, default).
    """

    close: dt.date
    final: dt.date
    source: str

    def uploads_open(self, on: dt.date) -> bool:
        """Whether documents can still be uploaded on ``on`` (a data date): until the end of the
        close's own day. The calendars record dates only (``framework.toml``, ``pemda.toml``,
        :data:`KNOWN_CALENDARS`: no hour), so a snapshot dated on the close is before it. The one
        place that decides before or after the close (the planner's horizon, the forecast, the
        brief's *sudah lewat*)."""
        return on <= self.close

    def is_final(self, on: dt.date) -> bool:
        """Whether the year's score is final on ``on``: the final date has come and uploads are
        closed (a calendar whose final date is its close is still open on that day)."""
        return on >= self.final and not self.uploads_open(on)


def default_calendar(year: int) -> Calendar:
    """The calendar of ``year`` when no file gives it: the published one for 2023–2025; for
    2019–2022 uploads ran into late December (close 31 December, final 31 January); for other
    years the recent pattern (close 30 November, final 15 January)."""
    if year in KNOWN_CALENDARS:
        close, final, why = KNOWN_CALENDARS[year]
        return Calendar(close, final, f"kalender MCP {year} yang dipublikasikan: {why}")
    if year <= 2022:
        return Calendar(
            dt.date(year, 12, 31),
            dt.date(year + 1, 1, 31),
            f"bawaan untuk {year}: unggah sampai akhir Desember, final akhir Januari",
        )
    return Calendar(
        dt.date(year, 11, 30),
        dt.date(year + 1, 1, 15),
        f"bawaan untuk {year}: unggah sampai 30 November, final pertengahan Januari",
    )


def resolve_calendar(
    year: int,
    framework_dates: tuple[dt.date | None, dt.date | None] = (None, None),
    pemda_dates: tuple[dt.date | None, dt.date | None] = (None, None),
) -> Calendar:
    """The upload close and final date: the pemda's own, else the framework's, else
    :func:`default_calendar`; each date separately."""
    base = default_calendar(year)
    close, final, source = base.close, base.final, base.source
    for dates, where in ((framework_dates, "framework.toml"), (pemda_dates, "pemda.toml")):
        if dates[0] is not None:
            close, source = dates[0], where
        if dates[1] is not None:
            final = dates[1]
            source = where if dates[0] is not None or source == where else f"{source}; final: {where}"
    if final < close:
        final = close
    return Calendar(close, final, source)


__all__ = [
    "DAYS_PER_MONTH",
    "KNOWN_CALENDARS",
    "Calendar",
    "default_calendar",
    "months_between",
    "resolve_calendar",
]


def assessment_window(year: int) -> tuple[dt.date, dt.date]:
    """The dates of framework ``year``'s assessment, which a snapshot and the calendar dates of
    ``pemda.toml`` and of the framework must lie in: uploads and verification run from January of
    the year to the end of March of the next (final scores settle in Q1)."""
    return dt.date(year, 1, 1), dt.date(year + 1, 3, 31)


def assessment_problem(year: int, day: dt.date) -> tuple[str, str] | None:
    """``(message, expected)`` when ``day`` lies outside framework ``year``'s assessment
    (:func:`assessment_window`), else ``None``: the one rule for ``upload_close`` and
    ``final_date`` in ``pemda.toml``, ``framework.toml`` and the framework workbook, and for
    ``mcp forecast --close/--final`` (last year's calendar left in a framework copied to a new
    year would plan every pemda against a closed upload)."""
    first, last = assessment_window(year)
    if first <= day <= last:
        return None
    return f"tanggal di luar masa penilaian kerangka {year}", f"antara {first} dan {last}"
