"""The bundled sample data: the reconstructed frameworks (2023 from CSV, 2024 and 2025 built) and
the illustrative sample pemda (not real KPK data).

The names below are this wing's face; its modules hold the rest.
"""

from typing import TYPE_CHECKING

from mcp_lib.lazy import face

_PUBLIC = {
    "generate_pemda_folders": "generate",
    "write_bundled": "generate",
}

if TYPE_CHECKING:
    from mcp_lib.sample.generate import generate_pemda_folders, write_bundled

__getattr__, __dir__ = face(__name__, _PUBLIC)

__all__ = ["generate_pemda_folders", "write_bundled"]
