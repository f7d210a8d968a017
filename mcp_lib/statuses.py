"""The document statuses of a snapshot's ``status`` column: the six words of the fixed vocabulary,
their labels in Bahasa Indonesia, and the groups of them the rules use.

This module owns the spelling: every other module names a status by its constant and a set of
statuses by its group, never by the words (``tests/test_statuses.py`` checks). The groups are
tuples in the vocabulary's order, so both ``pandas.Series.isin`` and ``numpy.isin`` take them.
"""

from __future__ import annotations

BELUM = "belum"
"""Nothing yet: the document has not been prepared."""
DISIAPKAN = "disiapkan"
"""The OPD is preparing the document; it is not uploaded."""
DIUNGGAH = "diunggah"
"""Uploaded to the MCP application and waiting for KPK's verification: in the claim, not yet in
the verified score."""
DIVERIFIKASI = "diverifikasi"
"""Verified by KPK, in full or in part (``verified_points`` says how much)."""
PERLU_PERBAIKAN = "perlu_perbaikan"
"""Returned by KPK (rejected or *belum optimal*): to be revised and uploaded again; KPK may have
given part of the points."""
TIDAK_BERLAKU = "tidak_berlaku"
"""Not applicable to the pemda: the document drops out of the score."""

STATUSES: tuple[str, ...] = (BELUM, DISIAPKAN, DIUNGGAH, DIVERIFIKASI, PERLU_PERBAIKAN, TIDAK_BERLAKU)
"""Document statuses, in the order an analyst walks through them (**fixed** vocabulary)."""

STATUS_LABELS: dict[str, str] = {
    BELUM: "belum ada",
    DISIAPKAN: "sedang disiapkan OPD",
    DIUNGGAH: "diunggah, menunggu verifikasi",
    DIVERIFIKASI: "diverifikasi",
    PERLU_PERBAIKAN: "perlu perbaikan (ditolak/belum optimal)",
    TIDAK_BERLAKU: "tidak berlaku",
}
"""Each status in words for the analyst (the brief's glossary, the explorer's filter)."""

BEFORE_UPLOAD: tuple[str, ...] = (BELUM, DISIAPKAN)
"""Not yet sent to the verifier: nothing yet, or in preparation. A document verified before and
now in one of these went back (the import refuses it without ``--terima-mundur``: a return by
KPK is :data:`PERLU_PERBAIKAN`); one that went from here to :data:`PERLU_PERBAIKAN` went up to the
verifier in between."""

UPLOADED: tuple[str, ...] = (DIUNGGAH, DIVERIFIKASI)
"""Evidence in place: waiting for verification or verified (the *progress* score, and a planned
document now with the verifier or accepted). A returned document is not: it is to be delivered
again."""

DECIDED: tuple[str, ...] = (DIVERIFIKASI, PERLU_PERBAIKAN)
"""KPK has decided on the document: verified, or returned, in either case with the part of the
points it accepted. Only these statuses carry ``verified_points`` (the verified score counts
them; a snapshot giving points to any other status is refused), and a decided document that is
uploaded again is a revision the verifier has seen before (the risk model's *returned* kind)."""

TO_DELIVER: tuple[str, ...] = (BELUM, DISIAPKAN, PERLU_PERBAIKAN)
"""The OPD still owes the document: not uploaded yet, or returned to be revised. What is *open*
for an OPD in :mod:`mcp_lib.scoring`: a document of these past its due date is overdue (*lewat
tenggat*), one with a blocker text is blocked. A verified document is not here even when only
part of its points were accepted: KPK has taken it, the OPD's deadline is met (compare
:data:`MAY_UPLOAD`)."""

MAY_UPLOAD: tuple[str, ...] = (BELUM, DISIAPKAN, DIVERIFIKASI, PERLU_PERBAIKAN)
"""Documents the pemda may still upload or upload again before the close: :data:`TO_DELIVER`
plus :data:`DIVERIFIKASI`, whose missing points a revision may still win. What is *open* for the
year-end forecast (:mod:`mcp_lib.forecast`), which asks where points can still come from rather
than what an OPD owes by its due date; a fully verified document has no points left to win and
drops out there by its gain, not by its status."""
