"""The bundled, illustrative sample: in sync with its generator and telling the intended story."""

import filecmp

import pytest
from conftest import FIXTURES

from mcp_lib.config import DATA_DIR
from mcp_lib.framework.folder import load_framework
from mcp_lib.pemda.settings import load_pemda
from mcp_lib.pemda.snapshot import load_history
from mcp_lib.sample.generate import write_bundled
from mcp_lib.scoring import score_snapshot


def _sample(slug):
    """A bundled sample pemda: its settings, framework, snapshots and their scores."""
    pemda = load_pemda(slug)
    fw = load_framework(pemda.framework_year)
    history = load_history(pemda, fw)
    return pemda, fw, history, [score_snapshot(fw, pemda, s) for s in history]


@pytest.fixture(scope="module")
def lubuklinggau():
    return _sample("kota-lubuklinggau")


def test_committed_files_match_the_generator(tmp_path):
    written = write_bundled(tmp_path)
    assert len(written) > 10
    for year in (2023, 2024, 2025, 2026):  # every bundled framework comes from the generator
        for name in ("framework.csv", "evidence.csv", "bands.csv", "framework.toml", "README.md"):
            assert tmp_path / "frameworks" / f"mcp-{year}" / name in written
    for slug in ("kota-lubuklinggau", "kab-musi-rawas", "kab-musi-banyuasin"):  # and each sample's pemda.toml
        assert tmp_path / "pemda" / slug / "pemda.toml" in written
    for path in written:
        committed = DATA_DIR / path.relative_to(tmp_path)
        assert committed.exists(), f"{committed} is not committed: run `make sample`"
        assert filecmp.cmp(path, committed, shallow=False), f"{committed} differs from the generator: run `make sample`"


def test_pemda_settings(lubuklinggau):
    pemda, _, history, _ = lubuklinggau
    assert (pemda.name, pemda.kind, pemda.province, pemda.target) == (
        "Kota Lubuklinggau",
        "kota",
        "Sumatera Selatan",
        90,
    )
    assert pemda.final_scores == {2021: 76, 2022: 87}
    assert pemda.last_final == (2022, 87)
    names = {o.name for o in pemda.opds}
    assert {
        "Inspektorat",
        "Bapenda",
        "DPMPTSP",
        "BKPSDM",
        "BPKAD",
        "Bappeda",
        "Bagian PBJ",
        "Bagian Hukum",
        "Bagian Organisasi",
        "Sekretariat DPRD",
        "Diskominfo",
    } <= names
    assert "ilustratif" in pemda.note
    assert [f"{s.date:%Y-%m}" for s in history] == [f"2023-{m:02d}" for m in range(3, 11)]


def test_october_story(lubuklinggau):
    *_, scores = lubuklinggau
    october = scores[-1]
    assert 64.5 <= october.verified <= 65.5
    assert october.claim >= october.verified + 8  # the claim is well above the verified score
    assert "Tata Kelola Dana Desa" not in set(october.by_area["area_name"])
    docs = october.documents[october.documents["applicable"]]
    assert (docs["status"] == "perlu_perbaikan").sum() >= 3  # a few returned: a good verifier record
    blockers = " ".join(docs["blocker"].dropna())
    assert "BPN" in blockers and "Kemendagri" in blockers
    open_docs = docs[docs["status"].isin(["belum", "disiapkan", "perlu_perbaikan"])]
    assert open_docs["effort_days"].notna().all() and open_docs["due_date"].notna().all()


def test_score_rises_month_by_month(lubuklinggau):
    *_, scores = lubuklinggau
    verified = [s.verified for s in scores]
    assert verified == sorted(verified)
    assert verified[0] < verified[-1] - 40
    assert all(s.claim >= s.verified for s in scores)


@pytest.mark.slow
def test_province_sample_is_calibrated_and_deterministic(tmp_path):
    from mcp_lib.sample.generate import generate_pemda_folders, pemda_list

    folders = generate_pemda_folders("Sumatera Selatan", tmp_path / "a")
    assert len(folders) == 17
    ref = pemda_list("Sumatera Selatan").set_index("slug")
    for folder in folders:
        pemda = load_pemda(folder)
        fw = load_framework(2023, pemda.data_root)
        last = load_history(pemda, fw)[-1]
        s = score_snapshot(fw, pemda, last)
        assert abs(s.verified - ref.loc[folder.name, "mean_verified"]) <= 0.5
        assert s.claim >= s.verified
        dana_desa = "Tata Kelola Dana Desa" in set(s.by_area["area_name"])
        assert dana_desa == (pemda.kind == "kabupaten")
    again = generate_pemda_folders("Sumatera Selatan", tmp_path / "b")
    for x, y in zip(folders, again, strict=True):
        for f in sorted(x.rglob("*.csv")):
            assert filecmp.cmp(f, y / f.relative_to(x), shallow=False)


def test_a_generated_pemda_toml_is_byte_for_byte_what_the_generator_wrote(tmp_path):
    """Kota Tarakan's settings as ``mcp sample`` wrote them before ``pemda.toml`` had one writer
    (tests/fixtures/sample/README.md)."""
    from mcp_lib.sample.generate import generate_pemda_folders

    folders = generate_pemda_folders("Kalimantan Utara", tmp_path)
    tarakan = next(f for f in folders if f.name == "kota-tarakan")
    expected = FIXTURES / "sample" / "kota-tarakan.pemda.toml"
    assert (tarakan / "pemda.toml").read_bytes() == expected.read_bytes()


def test_generator_never_touches_a_folder_someone_made(tmp_path):
    from mcp_lib.errors import InputError
    from mcp_lib.sample.generate import generate_pemda_folders

    mine = tmp_path / "pemda" / "kota-palembang"
    mine.mkdir(parents=True)
    (mine / "pemda.toml").write_text("# mine\n")
    with pytest.raises(InputError, match="bukan hasil generator"):
        generate_pemda_folders("Sumatera Selatan", tmp_path)
    assert (mine / "pemda.toml").read_text() == "# mine\n"


def test_the_2025_sample_kabupaten():
    pemda = load_pemda("kab-musi-rawas")
    fw = load_framework(pemda.framework_year)
    history = load_history(pemda, fw)
    assert (pemda.kind, pemda.framework_year) == ("kabupaten", 2025)
    assert "ilustratif" in pemda.note
    assert [f"{s.date:%Y-%m}" for s in history] == [f"2025-{m:02d}" for m in range(3, 11)]
    scores = [score_snapshot(fw, pemda, s) for s in history]
    october = scores[-1]
    assert len(october.documents) == 680 and october.documents["applicable"].all()
    assert 57.5 <= october.verified <= 58.5 and october.claim >= 78.5
    verified = [s.verified for s in scores]
    assert verified == sorted(verified)
    blockers = " ".join(october.documents["blocker"].dropna())
    assert "BPN" in blockers and "Kemendagri" in blockers
    assert set(october.documents["opd"].str.split(";").explode()) <= {o.name for o in pemda.opds}


@pytest.mark.slow
def test_a_province_generated_on_the_2025_framework(tmp_path, capsys):
    from mcp_lib.app.cli import main

    assert main(["sample", "--province", "Bengkulu", "--framework", "2025", "--out", str(tmp_path)]) == 0
    assert "--period 2025-10" in capsys.readouterr().out
    kota = load_pemda("kota-bengkulu", tmp_path)
    kab = load_pemda("kab-lebong", tmp_path)
    fw = load_framework(2025)
    for pemda in (kota, kab):
        assert pemda.framework_year == 2025 and str(pemda.deadline) == "2025-11-30"
        assert "Dinas PUPR" in {o.name for o in pemda.opds}  # the framework's own default OPDs
        history = load_history(pemda, fw)
        assert [f"{s.date:%Y-%m}" for s in history][-1] == "2025-10"
        last = score_snapshot(fw, pemda, history[-1])
        assert int(last.documents["applicable"].sum()) == 680 and 0 < last.verified <= last.claim


def test_a_second_run_writes_the_same_bytes(tmp_path):
    first = write_bundled(tmp_path / "a")
    second = write_bundled(tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in first] == [p.relative_to(tmp_path / "b") for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a


@pytest.fixture(scope="module")
def musi_banyuasin():
    return _sample("kab-musi-banyuasin")


def test_the_2026_sample_kabupaten_scores_by_each_indicators_method(musi_banyuasin):
    pemda, _, history, scores = musi_banyuasin
    assert (pemda.kind, pemda.province, pemda.framework_year) == ("kabupaten", "Sumatera Selatan", 2026)
    assert "ilustratif" in pemda.note and "transkripsi" in pemda.note
    assert [f"{s.date:%Y-%m}" for s in history] == [f"2026-{m:02d}" for m in range(3, 11)]
    october = scores[-1]
    docs = october.documents
    assert len(docs) == 129 and docs["applicable"].all()
    assert 55 <= october.verified <= 62 and october.claim >= october.verified + 15
    verified = [s.verified for s in scores]
    assert verified == sorted(verified) and verified[0] < 5
    assert set(docs["opd"].str.split(";").explode()) <= {o.name for o in pemda.opds}
    by_item = october.by_subindicator.set_index("subindicator_code")["verified"]
    assert by_item["A6.2"] == pytest.approx(75.0) and by_item["A6.3"] == pytest.approx(50.0)  # the realisation


def test_the_2026_sample_realisation_rises_on_the_realisation_items_only(musi_banyuasin):
    _, fw, history, _ = musi_banyuasin
    realisation = {code for code, m in fw.methods.items() if m.name.startswith("AMBANG")}
    assert realisation == {"A6.2", "A6.3"}
    seen = []
    for snap in history:
        docs = snap.documents.assign(item=snap.documents["doc_code"].str.rsplit(".", n=1).str[0])
        filled = docs[docs["realisasi"].notna()]
        assert set(filled["item"]) == realisation  # on every row of those items, nowhere else
        assert (filled.groupby("item")["realisasi"].nunique() == 1).all()
        seen.append(filled.groupby("item")["realisasi"].first().to_dict())
    assert [s["A6.2"] for s in (seen[0], seen[-1])] == [30.0, 75.0]
    assert [s["A6.3"] for s in (seen[0], seen[-1])] == [15.0, 50.0]
    assert [s["A6.2"] for s in seen] == sorted(s["A6.2"] for s in seen)


def test_the_2026_sample_status_rows_of_outside_systems_move_like_documents(musi_banyuasin):
    _, fw, history, scores = musi_banyuasin
    outside = [code for code, m in fw.methods.items() if not m.plannable and not m.name.startswith("AMBANG")]
    rows = [f"{code}.D1" for code in sorted(outside)]
    statuses = {s.date: dict(zip(s.documents["doc_code"], s.documents["status"], strict=True)) for s in history}
    last = statuses[history[-1].date]
    assert len({last[r] for r in rows}) > 1  # some met, some not yet
    assert any(statuses[history[0].date][r] != last[r] for r in rows)  # and they change over the year
    by_item = scores[-1].by_subindicator.set_index("subindicator_code")["verified"]
    assert {by_item[c] for c in outside} <= {0.0, 100.0}
