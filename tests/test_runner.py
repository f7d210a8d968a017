"""The brief end to end: papermill runs the notebooks on the tiny fixture into tmp_path."""

import datetime as dt
import json
import re
import shutil

import pytest
from conftest import TINY

from mcp_lib.cli import main
from mcp_lib.errors import InputError
from mcp_lib.runner import NOTEBOOK_DIR, NOTEBOOKS, BriefFailed, check_parameters, run_brief

STAMP_1 = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)
STAMP_2 = dt.datetime(2026, 11, 3, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def produced(tmp_path_factory):
    out = tmp_path_factory.mktemp("outputs")
    result = run_brief("kota-contoh", "2023-10", data_dir=TINY, out_root=out, generated=STAMP_1)
    return out, result


def test_brief_folder_holds_html_workbook_and_executed_notebooks(produced):
    out, r = produced
    assert r.out_dir == out / "kota-contoh" / "2023-10"
    assert sorted(p.name for p in r.out_dir.iterdir()) == sorted(
        [*NOTEBOOKS, "brief.html", "rencana-aksi.xlsx"]
    )
    assert [p.name for p in out.joinpath("kota-contoh").iterdir()] == ["2023-10"]  # no temporary folder left
    nb = json.loads((r.out_dir / "03_brief.ipynb").read_text())
    assert any("injected-parameters" in c["metadata"].get("tags", []) for c in nb["cells"])


def test_brief_html_is_offline_code_free_and_in_indonesian(produced):
    _, r = produced
    html = r.html.read_text(encoding="utf-8")
    assert '<html lang="id">' in html
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert set(re.findall(r"https?://[^\s\"'<>)]+", html)) <= {
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink",
    }
    assert "brief.prepare" not in html and "import " not in html  # code is hidden
    assert "Kota Contoh: Oktober 2023" in html
    assert "@media print" in html and "size: A4" in html and "max-width: 480px" in html
    assert "Dibuat 2026-11-02 08:00 UTC" in html
    assert len(html) < 400_000


def test_same_inputs_give_the_same_brief_but_the_stamp(produced, tmp_path):
    _, first = produced
    again = run_brief("kota-contoh", "2023-10", data_dir=TINY, out_root=tmp_path, generated=STAMP_2)
    a = first.html.read_text(encoding="utf-8").splitlines()
    b = again.html.read_text(encoding="utf-8").splitlines()
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    assert len(diff) == 1 and "Dibuat 2026-11-02" in diff[0][0] and "Dibuat 2026-11-03" in diff[0][1]


def test_existing_month_is_kept_without_force(produced, capsys):
    out, r = produced
    before = r.html.read_bytes()
    args = [
        "--data-dir",
        str(TINY),
        "brief",
        "--pemda",
        "kota-contoh",
        "--period",
        "2023-10",
        "--out",
        str(out),
    ]
    assert main(args) == 1
    assert "--force" in capsys.readouterr().err
    assert r.html.read_bytes() == before


def test_failing_cell_names_notebook_and_cell_and_writes_nothing(tmp_path):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOK_DIR, notebooks)
    path = notebooks / "01_capaian.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"].insert(
        3,
        {
            "cell_type": "code",
            "id": "boom",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": "1 / 0",
        },
    )
    path.write_text(json.dumps(nb))
    out = tmp_path / "out"
    with pytest.raises(BriefFailed, match=r"01_capaian\.ipynb: sel ke-\d+ .*ZeroDivisionError"):
        run_brief("kota-contoh", "2023-10", data_dir=TINY, out_root=out, notebook_dir=notebooks)
    assert not (out / "kota-contoh" / "2023-10").exists()
    assert list((out / "kota-contoh").iterdir()) == []


def test_bad_input_fails_before_any_notebook_runs(tmp_path):
    with pytest.raises(InputError, match="2023-11"):
        run_brief("kota-contoh", "2023-11", data_dir=TINY, out_root=tmp_path)
    assert not any(tmp_path.iterdir())


def test_unknown_parameter_is_an_error_not_a_warning():
    with pytest.raises(InputError, match="parameter tidak dikenal: periode"):
        check_parameters(NOTEBOOK_DIR / "03_brief.ipynb", {"pemda": "x", "periode": "2023-10"})


def test_scenario_brief_from_an_assumptions_file(tmp_path):
    scenario = tmp_path / "rabu-asumsi.csv"
    scenario.write_text("doc_code;asumsi\nB.1.1.D1;selesai\nA.1.1.D1;Ditolak\n", encoding="utf-8")
    r = run_brief("kota-contoh", "2023-10", data_dir=TINY, out_root=tmp_path / "out", assume_done=scenario)
    assert r.out_dir.name == "2023-10-skenario-rabu-asumsi"  # never the month's own brief
    html = r.html.read_text(encoding="utf-8")
    assert (
        "SKENARIO, bukan keadaan berkas: 1 dokumen dianggap selesai diverifikasi dan 1 dianggap ditolak"
        in html
    )
    assert "49,6%" in html  # 34,625 + 26,25 − 11,25 (see test_explore)
    bad = tmp_path / "bad.csv"
    bad.write_text("doc_code,asumsi\nZ.9,selesai\nB.1.1.D1,mungkin\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        run_brief("kota-contoh", "2023-10", data_dir=TINY, out_root=tmp_path / "out", assume_done=bad)
    assert {(p.row, p.column) for p in err.value.problems} == {(2, "doc_code"), (3, "asumsi")}


@pytest.mark.skipif(not __import__("os").path.isdir("/proc/self/fd"), reason="needs /proc (Linux)")
def test_a_warm_kernel_does_not_leak_file_descriptors(tmp_path):
    """papermill leaves the client of a kernel it did not start open (10 descriptors a notebook):
    a batch worker would hit the open-files limit after ~100 briefs. Ours are closed."""
    import os

    from mcp_lib.runner import KernelSession

    session = KernelSession()
    counts = []
    try:
        for _ in range(4):
            run_brief(
                "kota-contoh", "2023-10", data_dir=TINY, out_root=tmp_path, brief_only=True, force=True,
                session=session,
            )  # fmt: skip
            counts.append(len(os.listdir("/proc/self/fd")))
    finally:
        session.close()
    assert counts[-1] == counts[1], counts


def test_every_option_that_changes_the_brief_reaches_every_executed_notebook(tmp_path):
    """The executed notebooks next to brief.html are its provenance: with --target, --confidence,
    --assume-done and --data-dir changed, each notebook received them and shows the same headline
    and plan table as the HTML (01_capaian once showed 90% next to a 95% brief)."""
    import html as html_lib

    import nbformat

    scenario = tmp_path / "uji-asumsi.csv"
    scenario.write_text("doc_code,asumsi\nB.1.2.D2,selesai\n", encoding="utf-8")
    result = run_brief(
        "kota-contoh", "2023-10", data_dir=TINY, out_root=tmp_path / "out", target=55, confidence=0.6,
        assume_done=scenario,
    )  # fmt: skip
    page = result.html.read_text(encoding="utf-8")

    def shown(markup: str) -> str:
        """What a reader sees: the text between the tags (nbconvert re-serialises attributes)."""
        return html_lib.unescape(re.sub(r"<[^>]+>", "|", markup))

    def section(text: str, css: str) -> str:
        m = re.search(rf'<section class="{css}">.*?</section>', text, re.DOTALL)
        assert m, css
        return shown(m.group(0))

    head = section(page, "headline")
    assert "55%" in head and "SKENARIO" in page

    def targets(text: str) -> str:
        m = re.search(r"<table><caption>Rencana minimal.*?</table>", text, re.DOTALL)
        assert m
        return shown(m.group(0))

    plan_table = targets(page)
    assert "55%" in plan_table
    for nb_path in result.notebooks:
        nb = nbformat.read(nb_path, as_version=4)
        injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
        for value in ("target = 55", "confidence = 0.6", "uji-asumsi.csv", str(TINY.resolve())):
            assert value in injected.source, (nb_path.name, value)
        outputs = "".join(
            o.get("data", {}).get("text/html", "")
            for c in nb.cells
            if c.cell_type == "code"
            for o in c.get("outputs", [])
        )
        if "headline" in outputs:
            assert section(outputs, "headline") == head, nb_path.name
        if "<caption>Rencana minimal" in outputs:
            assert targets(outputs) == plan_table, nb_path.name
    with_table = [
        p.name for p in result.notebooks if "<caption>Rencana minimal" in p.read_text(encoding="utf-8")
    ]
    assert with_table == ["02_simulasi.ipynb", "03_brief.ipynb"]
