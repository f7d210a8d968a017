"""What a tracker import changes (import_changes.py): the movements against the previous snapshot
printed per OPD, and a blank or old tracker imported over real history refused, naming the
documents that went back, unless the correction is meant (--terima-mundur). Also: a pemda folder
linked (symlink) into the data folder twice is run once in a batch."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from openpyxl import load_workbook

from mcp_lib.app.cli import main
from mcp_lib.config import DATA_DIR
from mcp_lib.errors import InputError
from mcp_lib.framework.folder import load_framework
from mcp_lib.import_changes import FALL_POINTS, backward_problems, import_changes
from mcp_lib.pemda import tracker
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.pemda.snapshot import list_snapshots, load_snapshot

SLUG = "kota-lubuklinggau"


@pytest.fixture
def root(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(DATA_DIR / "pemda" / SLUG, root / "pemda" / SLUG)
    return root


def _tracker(root, tmp_path, *, blank: bool, name: str = "t.xlsx"):
    out = tmp_path / name
    args = ["tracker", "--pemda", SLUG] if blank else ["snapshot", "export", "--pemda", SLUG, "--period", "2023-10"]
    assert main(["--data-dir", str(root), *args, "--out", str(out)]) == 0
    return out


def _set(path, changes: dict[str, dict[str, object]]) -> None:
    """Set cells of the tracker's Status sheet by document code and header."""
    wb = load_workbook(path)
    ws = wb[tracker.SHEET]
    head = {c.value: c.column for c in ws[1]}
    for row in ws.iter_rows(min_row=2):
        code = row[0].value
        for label, value in changes.get(code, {}).items():
            ws.cell(row=row[0].row, column=head[label], value=value)
    wb.save(path)


def _import(root, path, date="2023-11-30", *extra):
    return main(["--data-dir", str(root), "snapshot", "import", str(path), "--date", date, *extra])


def test_a_blank_tracker_over_real_history_is_refused_naming_the_documents(root, tmp_path, capsys):
    """The hostile review's case: a blank tracker filled in for five documents, imported over a
    pemda at 65% verified with 83 verified documents. Refused (exit 1), nothing written, the fall
    and each verified document that went back named with its Excel row and the status column."""
    path = _tracker(root, tmp_path, blank=True)
    pemda = load_pemda(root / "pemda" / SLUG)
    fw = load_framework(2023)
    codes = list(fw.documents["doc_code"])[:5]
    _set(path, {c: {"Status": "diunggah"} for c in codes})
    before = [p.name for _d, p in list_snapshots(pemda)]
    assert _import(root, path) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "tak terduga" not in err
    assert (
        "82 dokumen yang sudah diverifikasi per 31 Oktober 2023 kembali menjadi belum/disiapkan" in err
    )  # 83, one of them now diunggah
    assert "nilai terverifikasi turun" in err and "65,0%" in err and "--terima-mundur" in err
    last = load_snapshot(pemda.status_dir / "2023-10-31.csv", fw, pemda).documents
    code = last[last["status"] == "diverifikasi"]["doc_code"].iloc[-1]
    row = next(r[0].row for r in load_workbook(path)[tracker.SHEET].iter_rows(min_row=2) if r[0].value == code)
    assert f"baris {row}, kolom 'H Status': dokumen {code} " in err
    assert [p.name for _d, p in list_snapshots(pemda)] == before  # nothing written


def test_the_correction_is_accepted_when_meant_and_says_what_changed(root, tmp_path, capsys):
    path = _tracker(root, tmp_path, blank=True)
    assert _import(root, path, "2023-11-30", "--terima-mundur") == 0
    out = capsys.readouterr().out
    assert "nilai terverifikasi 65,0% → 0,0% (−65,0 poin)" in out
    assert "Perubahan per OPD" in out and "mundur" in out and "Diterima dengan --terima-mundur: 83 dokumen" in out


def test_a_normal_month_is_imported_and_the_changes_are_listed_per_opd(root, tmp_path, capsys):
    """Last month's tracker (snapshot export) with a month's work: two documents uploaded, one
    verified, one returned. Imported; the scores before and after and the movements per OPD."""
    path = _tracker(root, tmp_path, blank=False)
    fw = load_framework(2023)
    pemda = load_pemda(root / "pemda" / SLUG)
    docs = load_snapshot(pemda.status_dir / "2023-10-31.csv", fw, pemda).documents
    todo = docs[docs["status"].isin(["belum", "disiapkan"])]
    waiting = docs[docs["status"] == "diunggah"]
    up = list(todo["doc_code"][:2])
    ok, back = waiting.iloc[0], waiting.iloc[1]
    points = fw.documents.set_index("doc_code")["points"]
    _set(
        path,
        {
            up[0]: {"Status": "diunggah"},
            up[1]: {"Status": "diunggah"},
            ok["doc_code"]: {"Status": "diverifikasi", "Bagian terverifikasi": float(points[ok["doc_code"]])},
            back["doc_code"]: {"Status": "perlu_perbaikan", "Bagian terverifikasi": 0},
        },
    )
    assert _import(root, path) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "Dibanding snapshot 31 Oktober 2023: nilai terverifikasi 65,0% →" in out
    assert f"  {ok['opd']}: " in out and "1 diverifikasi" in out and "1 dikembalikan (perlu perbaikan)" in out
    assert "2 diunggah" in out or "1 diunggah" in out
    assert "mundur" not in out


def test_an_unchanged_tracker_says_so(root, tmp_path, capsys):
    path = _tracker(root, tmp_path, blank=False)
    assert _import(root, path) == 0
    out = capsys.readouterr().out
    assert "(+0,0 poin)" in out and "Tidak ada dokumen yang berubah status." in out


def test_a_fall_of_the_score_alone_is_refused_above_the_named_limit(root, tmp_path):
    """Verified shares lowered without any status going back: refused only beyond FALL_POINTS."""
    path = _tracker(root, tmp_path, blank=False)
    fw = load_framework(2023)
    pemda = load_pemda(root / "pemda" / SLUG)
    from mcp_lib.pemda.tracker_import import read_tracker

    docs = load_snapshot(pemda.status_dir / "2023-10-31.csv", fw, pemda).documents
    verified = list(docs[docs["status"] == "diverifikasi"]["doc_code"])
    one = verified[:1]
    _set(path, {c: {"Bagian terverifikasi": 0} for c in one})
    snap, _ = read_tracker(path, pemda, fw, dt.date(2023, 11, 30))
    changes = import_changes(snap, pemda, fw)
    assert 0 < changes.fall <= FALL_POINTS and backward_problems(changes, path, fw.levels) == []
    _set(path, {c: {"Bagian terverifikasi": 0} for c in verified[:40]})
    snap, _ = read_tracker(path, pemda, fw, dt.date(2023, 11, 30))
    changes = import_changes(snap, pemda, fw)
    problems = backward_problems(changes, path, fw.levels)
    assert changes.fall > FALL_POINTS and len(problems) == 1 and "turun" in problems[0].message
    with pytest.raises(InputError):
        raise InputError(problems)


def test_the_first_snapshot_of_a_pemda_has_nothing_to_compare(tmp_path, capsys):
    root = tmp_path / "data"
    assert (
        main(
            [
                "--data-dir",
                str(root),
                "init",
                "--pemda",
                "kab-baru",
                "--name",
                "Kabupaten Baru",
                "--kind",
                "kabupaten",
                "--province",
                "Sumatera Selatan",
                "--framework",
                "2023",
                "--last-final",
                "80",
            ]
        )
        == 0
    )
    path = root / "pemda" / "kab-baru" / "tracker-2023.xlsx"
    assert _import(root, path, "2023-10-31") == 0
    assert "Snapshot pertama pemda ini" in capsys.readouterr().out


def test_a_tracker_newer_than_a_later_snapshot_is_refused(root, tmp_path, capsys):
    """October's tracker imported with --date 2023-09-15 (a typo of the month): its verified
    documents are belum/disiapkan on 30 September, a snapshot dated after it. Refused, saying so;
    with the right date it is imported, and an import between two snapshots says it is one."""
    path = _tracker(root, tmp_path, blank=False)
    fw = load_framework(2023)
    pemda = load_pemda(root / "pemda" / SLUG)
    sep = load_snapshot(pemda.status_dir / "2023-09-30.csv", fw, pemda).documents.set_index("doc_code")
    oct_ = load_snapshot(pemda.status_dir / "2023-10-31.csv", fw, pemda).documents
    newer = [
        c
        for c in oct_.loc[oct_["status"] == "diverifikasi", "doc_code"]
        if sep.loc[c, "status"] in ("belum", "disiapkan")
    ]
    assert newer  # the sample's October has documents verified that were not started in September
    assert _import(root, path, "2023-09-15") == 1
    err = capsys.readouterr().err
    assert "tampak lebih baru dari snapshot 30 September 2023" in err and newer[0] in err
    back = _tracker(root, tmp_path, blank=False, name="sep.xlsx")
    assert (
        main(
            [
                "--data-dir",
                str(root),
                "snapshot",
                "export",
                "--pemda",
                SLUG,
                "--period",
                "2023-09",
                "--out",
                str(back),
                "--force",
            ]
        )
        == 0
    )
    assert _import(root, back, "2023-09-20") == 0
    assert "sudah ada snapshot yang lebih baru (30 September 2023)" in capsys.readouterr().out
