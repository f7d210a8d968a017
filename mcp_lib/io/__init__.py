"""Reading and writing the files analysts make: workbooks and CSV (raw cells, typed tables
with their schemas), TOML settings, and results as open files (one JSON plus CSVs).

The names below are this wing's face; its modules hold the rest.
"""

from typing import TYPE_CHECKING

from mcp_lib.lazy import face

_PUBLIC = {
    "check_xlsx": "rawfile",
    "read_raw": "rawfile",
    "sheet_rows": "rawfile",
    "Column": "readers",
    "Schema": "readers",
    "read_table": "readers",
    "write_table": "readers",
    "parse_date": "readers",
    "parse_number": "readers",
    "read_toml": "tomlfile",
    "read_record": "records",
    "write_record": "records",
}

if TYPE_CHECKING:
    from mcp_lib.io.rawfile import check_xlsx, read_raw, sheet_rows
    from mcp_lib.io.readers import Column, Schema, parse_date, parse_number, read_table, write_table
    from mcp_lib.io.records import read_record, write_record
    from mcp_lib.io.tomlfile import read_toml

__getattr__, __dir__ = face(__name__, _PUBLIC)

__all__ = [
    "Column",
    "Schema",
    "check_xlsx",
    "parse_date",
    "parse_number",
    "read_raw",
    "read_record",
    "read_table",
    "read_toml",
    "sheet_rows",
    "write_record",
    "write_table",
]
