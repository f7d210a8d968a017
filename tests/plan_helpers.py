"""Helpers shared by the planner's tests: a plan without verification risk, a plan's document
codes, and a random small pemda for property tests."""

import numpy as np

from mcp_lib.pemda.snapshot import load_period
from mcp_lib.plan.planner import PlanOptions, plan_path
from mcp_lib.risk.params import CERTAIN
from mcp_lib.scoring import score_documents


def certain_plan(tiny_fw, kota, snap, target, **options):
    """``plan_path`` with every document accepted (no verification risk) unless ``risk`` is given, and
    the exact least-effort plan (``confidence`` 0) unless a confidence is given; ``options`` are
    :class:`PlanOptions`' fields."""
    return plan_path(tiny_fw, kota, snap, target, PlanOptions(**{"risk": CERTAIN, "confidence": 0, **options}))


def plan_codes(plan):
    """The document codes of a plan."""
    return set(plan.documents["doc_code"])


AREAS = ("Pajak Daerah", "Perencanaan dan Penganggaran", "Manajemen Aset", "Pengadaan Barang dan Jasa")


def write_small_framework(root, fw_rows, ev_rows):
    """A 2023 framework folder under ``root/frameworks/mcp-2023`` from rows of ``framework.csv``
    (area, indicator and sub-indicator code, name and weight, applies_to, default_opd) and of
    ``evidence.csv`` (sub-indicator, document code, name, points), two bands, the 2023 calendar."""
    import pandas as pd

    fw_dir = root / "frameworks" / "mcp-2023"
    fw_dir.mkdir(parents=True)
    columns = ["area_code", "area_name", "area_weight", "indicator_code", "indicator_name", "indicator_weight"]
    columns += ["subindicator_code", "subindicator_name", "subindicator_weight", "applies_to", "default_opd"]
    pd.DataFrame(fw_rows, columns=columns).to_csv(fw_dir / "framework.csv", index=False)
    pd.DataFrame(ev_rows, columns=["subindicator_code", "doc_code", "doc_name", "points"]).to_csv(
        fw_dir / "evidence.csv", index=False
    )
    (fw_dir / "bands.csv").write_text("band,lower_bound,colour\nRendah,0,#d7301f\nTinggi,50,#1a9850\n")
    (fw_dir / "framework.toml").write_text("year = 2023\nupload_close = 2023-11-30\nfinal_date = 2024-01-15\n")
    return fw_dir


def small_world(seed: int, root):
    """A random small pemda in ``root``: 2–8 documents in 2–4 sub-indicators, random statuses,
    efforts and OPD capacities, and a target between the current score and all that is open."""
    import pandas as pd

    from mcp_lib.framework.folder import load_framework
    from mcp_lib.pemda.settings import load_pemda

    rng = np.random.default_rng(seed)
    n_sub = int(rng.integers(2, 5))
    fw_rows, ev_rows, codes = [], [], []
    for s in range(n_sub):
        area = AREAS[s % len(AREAS)]
        fw_rows.append((f"A{s}", area, 100 / n_sub, f"A{s}.1", "Ind", 100, f"A{s}.1.1", "Sub", 100, "semua", "X"))
        k = int(rng.integers(1, 3))
        split = [100 // k + (1 if j < 100 % k else 0) for j in range(k)]
        for j in range(k):
            code = f"A{s}.1.1.D{j + 1}"
            codes.append(code)
            ev_rows.append((f"A{s}.1.1", code, f"Dok {code}", split[j]))
    fw_dir = write_small_framework(root, fw_rows, ev_rows)
    folder = root / "pemda" / "kota-uji"
    (folder / "status").mkdir(parents=True)
    caps = [None if rng.random() < 0.5 else int(rng.integers(2, 12)) for _ in range(2)]
    opds = "".join(
        f'\n[[opd]]\nname = "OPD{j}"\n' + (f"capacity_days = {c}\n" if c is not None else "")
        for j, c in enumerate(caps)
    )
    (folder / "pemda.toml").write_text(
        'name = "Kota Uji"\nkind = "kota"\nprovince = "Uji"\nframework = 2023\ntarget = 90\n' + opds
    )
    points = dict(zip([r[1] for r in ev_rows], [r[3] for r in ev_rows], strict=True))
    rows = []
    for code in codes:
        status = rng.choice(["belum", "disiapkan", "diunggah", "perlu_perbaikan", "diverifikasi", "diverifikasi"])
        verified = ""
        if status == "diverifikasi":
            verified = points[code] if rng.random() < 0.6 else int(points[code] * rng.uniform(0.3, 0.8))
        due = "" if rng.random() < 0.4 else f"2023-11-{int(rng.integers(1, 30)):02d}"
        rows.append(
            (
                code,
                f"OPD{int(rng.integers(0, 2))}",
                status,
                verified,
                int(rng.integers(0, 8)),
                due,
                "menunggu BPN" if rng.random() < 0.15 else "",
                "",
            )
        )
    pd.DataFrame(
        rows, columns=["doc_code", "opd", "status", "verified_points", "effort_days", "due_date", "blocker", "note"]
    ).to_csv(folder / "status" / "2023-10-15.csv", index=False)
    fw = load_framework(fw_dir)
    pemda = load_pemda(folder)
    snap = load_period(pemda, fw, "2023-10")
    docs = score_documents(fw, pemda.kind, snap)
    current = float(docs.loc[docs["applicable"], "earned"].sum())
    open_pts = float(docs.loc[docs["applicable"], "open"].sum())
    target = current + open_pts * float(rng.uniform(0.1, 0.9))
    return fw, pemda, snap, docs, round(target, 3)
