"""rencana-aksi.xlsx: the action plan workbook (mcp_lib.brief.action_workbook).

Expected values come from the sample's status file of 31 October 2023
(``data/pemda/kota-lubuklinggau/status/2023-10-31.csv``), read by hand.
"""

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from mcp_lib.brief import action_workbook
from mcp_lib.io.workbook import OVERDUE_FILL

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli"]
MONTHS += ["Agustus", "September", "Oktober", "November", "Desember"]
MONTH = re.compile(rf"({'|'.join(MONTHS)}) \d{{4}}")
DATE = re.compile(rf"\d{{1,2}} ({'|'.join(MONTHS)}) \d{{4}}")


RETURNED = {
    "A4.2.2.D2": "bukti dukung tidak sesuai sub-indikator",
    "A4.4.2.D2": "tautan publikasi tidak dapat diakses verifikator",
    "A6.4.1.D3": "dokumen belum ditandatangani kepala daerah",
    "A6.4.2.D2": "dokumen belum ditandatangani kepala daerah",
}
"""The sample's documents returned by the verifier on 31 October 2023, with the verifier's note."""


CHECKED = ["A4.4.2.D2", "A6.4.1.D3", "A6.4.2.D2", "A5.4.1.D3", "A1.4.2.D2", "A4.2.2.D2"]
"""Documents whose rows the tests read: kept in the plan (as must-do documents) whatever the
planner would choose, so that the tests check the workbook, not the plan."""


@pytest.fixture(scope="module")
def sample(lubuklinggau_2023_10):
    from dataclasses import replace

    from mcp_lib.plan.planner import PlanOptions
    from mcp_lib.plan.targets import plan_targets

    b = lubuklinggau_2023_10
    plans = plan_targets(
        b.framework,
        b.pemda,
        b.snapshot,
        [b.target],
        PlanOptions(must=CHECKED),
        history=b.history,
        opd_history=b.opd_history,
    )
    return replace(b, plans=plans)


@pytest.fixture
def workbook(sample, tmp_path):
    return load_workbook(action_workbook.write_action_workbook(sample, tmp_path / "rencana-aksi.xlsx"))


def table(ws, first_header: str) -> tuple[int, list[dict]]:
    """The header row of a sheet's table (found by its first label in column A) and its rows as
    ``{header: cell}``."""
    start = next(c.row for c in ws["A"] if c.value == first_header)
    header = [c.value for c in ws[start]]
    return start, [dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=start + 1)]


def row_of(wb, opd: str, code: str) -> dict:
    return next(r for r in table(wb[opd], "Kode")[1] if r["Kode"].value == code)


def with_plan_documents(b, documents):
    """The brief data with other plan documents: a stand-in with just what the workbook reads."""
    plan = SimpleNamespace(documents=documents, by_opd=b.plan.by_opd, verdict=b.plan.verdict)
    return SimpleNamespace(plan=plan, scores=b.scores, snapshot=b.snapshot, pemda=b.pemda, target=b.target)


def test_a_sheet_per_opd_with_a_frozen_filtered_header_and_values_only(sample, workbook):
    opds = list(sample.plan.by_opd["opd"])
    assert workbook.sheetnames == ["Ringkasan", *opds]
    insp = workbook["Inspektorat"]
    start, rows = table(insp, "Kode")
    assert insp.freeze_panes == f"A{start + 1}" and insp.print_title_rows == f"${start}:${start}"
    assert insp.auto_filter.ref.startswith(f"A{start}:")
    assert insp.cell(row=start, column=1).font.bold
    assert len(rows) == sample.plan.by_opd.set_index("opd").loc["Inspektorat", "documents"]
    formulas = [c.coordinate for ws in workbook for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


def test_the_same_data_gives_the_same_file_stamped_with_the_data_date(sample, tmp_path):
    first = action_workbook.write_action_workbook(sample, tmp_path / "a.xlsx")
    second = action_workbook.write_action_workbook(sample, tmp_path / "b.xlsx")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 10, 31, 0, 0, 0)}
    props = load_workbook(first).properties
    assert props.created == props.modified == dt.datetime(2023, 10, 31)


def test_a_returned_document_shows_the_verifiers_note(sample, workbook):
    returned = sample.plan.documents.query("status == 'perlu_perbaikan'")
    assert len(returned)
    for d in returned.itertuples():
        assert row_of(workbook, d.opd, d.doc_code)["Catatan verifikator"].value == RETURNED[d.doc_code]
    row = row_of(workbook, "Bapenda", "A6.4.1.D3")
    assert row["Catatan verifikator"].value == "dokumen belum ditandatangani kepala daerah"
    assert row["Status"].value == "perlu perbaikan"
    assert row["Tindakan"].value == "perbaiki dan unggah ulang"
    inspektorat = row_of(workbook, "Inspektorat", "A4.4.2.D2")
    assert inspektorat["Catatan verifikator"].value == "tautan publikasi tidak dapat diakses verifikator"
    assert row_of(workbook, "Inspektorat", "A5.4.2.D1")["Catatan verifikator"].value is None  # no note


def test_overdue_documents_are_flagged_in_words_and_colour(sample, workbook):
    # A5.4.1.D3 is being prepared, due 31 August: 30 + 31 days late on 31 October.
    late = row_of(workbook, "Inspektorat", "A5.4.1.D3")
    assert late["Terlambat"].value == 61 and late["Terlambat"].number_format == '0 "hari"'
    assert late["Tenggat"].value == "31 Agustus 2023"
    assert {c.fill.fgColor.rgb[-6:] for c in late.values()} == {OVERDUE_FILL}
    # returned and due 31 October, the data date itself: not late yet
    on_time = row_of(workbook, "Inspektorat", "A4.4.2.D2")
    assert on_time["Terlambat"].value is None and on_time["Kode"].fill.fill_type is None
    # uploaded, due 31 July: waiting for the verifier is not late
    assert row_of(workbook, "Inspektorat", "A5.4.2.D1")["Terlambat"].value is None
    # returned and due 30 September: late until uploaded again
    assert row_of(workbook, "Bapenda", "A6.4.2.D2")["Terlambat"].value == 31
    n = int((sample.plan.documents["opd"] == "Inspektorat").sum())  # however many the plan holds
    assert workbook["Inspektorat"]["A1"].value == f"Inspektorat: {n} dokumen, 1 terlambat, 2 perlu perbaikan"
    assert workbook["Bapenda"]["A1"].value == "Bapenda: 5 dokumen, 1 terlambat, 2 perlu perbaikan"


def test_overdue_counts_follow_the_due_dates(sample, tmp_path):
    docs = sample.plan.documents.copy()
    # Diskominfo's A1.4.2.D2 (belum ada) now due ten days before the data date; Inspektorat's
    # A5.4.1.D3 without a due date.
    docs.loc[docs["doc_code"] == "A1.4.2.D2", "due_date"] = dt.date(2023, 10, 21)
    docs.loc[docs["doc_code"] == "A5.4.1.D3", "due_date"] = None
    b = with_plan_documents(sample, docs)
    wb = load_workbook(action_workbook.write_action_workbook(b, tmp_path / "rencana-aksi.xlsx"))
    assert row_of(wb, "Diskominfo", "A1.4.2.D2")["Terlambat"].value == 10
    undated = row_of(wb, "Inspektorat", "A5.4.1.D3")
    assert undated["Terlambat"].value is None and undated["Tenggat"].value is None
    assert wb["Diskominfo"]["A1"].value.startswith("Diskominfo: 2 dokumen, 1 terlambat,")
    summary = {r["OPD"].value: r for r in table(wb["Ringkasan"], "OPD")[1]}
    assert summary["Diskominfo"]["Terlambat"].value == 1 and summary["Inspektorat"]["Terlambat"].value == 0
    assert summary["Bapenda"]["Terlambat"].value == 1 and summary["Bapenda"]["Perlu perbaikan"].value == 2
    assert "2 dokumen terlambat, 4 perlu perbaikan" in wb["Ringkasan"]["A3"].value


def test_statuses_months_and_dates_are_in_indonesian(workbook):
    labels = {"belum ada", "sedang disiapkan OPD", "diunggah, menunggu verifikasi", "diverifikasi", "perlu perbaikan"}
    for ws in workbook.worksheets[1:]:
        for row in table(ws, "Kode")[1]:
            assert row["Status"].value in labels
            assert MONTH.fullmatch(row["Rencana selesai"].value)
            assert row["Tenggat"].value is None or DATE.fullmatch(row["Tenggat"].value)
    assert row_of(workbook, "Inspektorat", "A5.4.2.D1")["Status"].value == "diunggah, menunggu verifikasi"
    assert row_of(workbook, "Inspektorat", "A5.4.2.D1")["Tenggat"].value == "31 Juli 2023"
    summary = table(workbook["Ringkasan"], "OPD")[1]
    assert {(r["Mulai"].value, r["Selesai"].value) for r in summary} == {("November 2023", "November 2023")}
    assert workbook["Ringkasan"]["A2"].value.startswith("Data per 31 Oktober 2023.")
    iso = [c.value for ws in workbook for row in ws.iter_rows() for c in row if re.search(r"\d{4}-\d\d", str(c.value))]
    assert iso == []


def test_the_summary_reads_as_a_cover_page(sample, workbook):
    ws = workbook["Ringkasan"]
    assert ws["A1"].value == "Rencana aksi MCP Kota Lubuklinggau"
    start, rows = table(ws, "OPD")
    assert [c.value for c in ws[start]][:4] == ["OPD", "Dokumen", "Terlambat", "Perlu perbaikan"]
    insp = next(r for r in rows if r["OPD"].value == "Inspektorat")
    assert (insp["Terlambat"].value, insp["Perlu perbaikan"].value) == (1, 2)
    plan = sample.plan.by_opd.set_index("opd").loc["Inspektorat"]
    assert (insp["Dokumen"].value, insp["Hari-orang"].value) == (plan["documents"], plan["effort"])
    assert insp["Kapasitas sampai tenggat (hari-orang)"].value == round(plan["capacity"])


def test_no_chance_anywhere(workbook):
    cells = [c for ws in workbook for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert cells and [c.value for c in cells if "peluang" in c.value.lower()] == []


def test_a_document_name_gets_its_sub_indicator_unless_it_holds_it():
    assert action_workbook._document("Perda APBD", "Penetapan APBD") == "Perda APBD\nSub-indikator: Penetapan APBD"
    assert action_workbook._document("Laporan: Penetapan APBD", "Penetapan APBD") == "Laporan: Penetapan APBD"
    assert action_workbook._document("Perda APBD", None) == "Perda APBD"


def test_wrapped_lines_break_at_words():
    assert action_workbook._wrapped_lines("tautan publikasi tidak dapat diakses verifikator", 17) == 4
    assert action_workbook._wrapped_lines("Hari-orang", 6) == 2  # one long word, broken once
    assert action_workbook._wrapped_lines("cadangan", 10) == 1


def test_sheet_names_are_valid_and_unique():
    used = set()
    names = [action_workbook._sheet_name(n, used) for n in ["Dinas A/B: [x]", "Dinas A/B: [x]", "x" * 40]]
    assert names[0] == "Dinas A-B- -x-" and names[1] == "Dinas A-B- -x- (2)"
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names)


def printed_font_sizes(page) -> list[float]:
    """The size in points of every piece of text on a PDF page as printed: the font size times
    the scale of the text and graphics matrices (LibreOffice's print scale lands in either)."""
    sizes = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
            c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
            sizes.append(size * abs(a * d - b * c) ** 0.5)

    page.extract_text(visitor_text=visit)
    return sizes


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_action_workbook_prints_cleanly(sample, tmp_path):
    """Printed by LibreOffice: A4 landscape pages, every page one sheet wide (its first and last
    header both on it), text at 9 pt or more (it was 4.4 pt: fit to width shrank 257 width units
    of columns onto the page), numbers in their formats."""
    from pypdf import PdfReader

    path = action_workbook.write_action_workbook(sample, tmp_path / "rencana-aksi.xlsx")
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pages = PdfReader(tmp_path / "rencana-aksi.pdf").pages
    texts = [p.extract_text() for p in pages]
    assert len(pages) >= len(sample.plan.by_opd) + 1
    for page, text in zip(pages, texts, strict=True):
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
        first, last = ("OPD", "Selesai") if "Ringkasan, halaman" in text else ("Kode", "Cadangan")
        assert first in text and last in text, text[:200]
        sizes = printed_font_sizes(page)
        assert sizes and min(sizes) >= 9.0, (min(sizes), text[:100])
    inspektorat = "\n".join(t for t in texts if "Inspektorat, halaman" in t)
    assert "61 hari" in inspektorat and re.search(r"\b0[.,]66\b", inspektorat)  # A5.4.1.D3: days late, points
