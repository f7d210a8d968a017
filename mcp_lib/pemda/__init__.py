"""A pemda: its settings (``pemda.toml``), its dated snapshots, the monthly tracker workbook, the
dashboard's counts per area, the KPK export importer and the setup of a new pemda folder.

The names below are this wing's face; its modules hold the rest.
"""

from typing import TYPE_CHECKING

from mcp_lib.lazy import face

_PUBLIC = {
    "Opd": "model",
    "Pemda": "model",
    "load_pemda": "settings",
    "province_of": "settings",
    "Snapshot": "snapshot",
    "list_snapshots": "snapshot",
    "load_history": "snapshot",
    "load_period": "snapshot",
    "load_snapshot": "snapshot",
    "snapshot_path_for_period": "snapshot",
    "write_snapshot": "snapshot",
    "export_tracker": "tracker",
    "write_tracker": "tracker",
    "read_tracker": "tracker_import",
    "read_counts": "counts",
    "write_counts_template": "counts",
    "import_kpk_export": "kpk",
    "init_pemda": "onboard",
}

if TYPE_CHECKING:
    from mcp_lib.pemda.counts import read_counts, write_counts_template
    from mcp_lib.pemda.kpk import import_kpk_export
    from mcp_lib.pemda.model import Opd, Pemda
    from mcp_lib.pemda.onboard import init_pemda
    from mcp_lib.pemda.settings import load_pemda, province_of
    from mcp_lib.pemda.snapshot import (
        Snapshot,
        list_snapshots,
        load_history,
        load_period,
        load_snapshot,
        snapshot_path_for_period,
        write_snapshot,
    )
    from mcp_lib.pemda.tracker import export_tracker, write_tracker
    from mcp_lib.pemda.tracker_import import read_tracker

__getattr__, __dir__ = face(__name__, _PUBLIC)

__all__ = [
    "Opd",
    "Pemda",
    "Snapshot",
    "export_tracker",
    "import_kpk_export",
    "init_pemda",
    "list_snapshots",
    "load_history",
    "load_pemda",
    "load_period",
    "load_snapshot",
    "province_of",
    "read_counts",
    "read_tracker",
    "snapshot_path_for_period",
    "write_counts_template",
    "write_snapshot",
    "write_tracker",
]
