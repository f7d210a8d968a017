"""TOML settings files (``pemda.toml``, ``framework.toml``) as analysts save them.

Reads the text as the table readers do (any encoding Notepad or Excel writes), explains a syntax
error in Bahasa Indonesia with its line, and finds the line where a key is set so that a bad
value can be named by line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mcp_lib.errors import InputError
from mcp_lib.io.rawfile import decode

_TOML_MESSAGES: tuple[tuple[str, str], ...] = (
    (
        r"Expected newline or end of document after a statement",
        "ada isian lain sesudah nilai di baris yang sama (angka desimal dengan koma? teks tanpa tanda kutip?)",
    ),
    (
        r"Invalid value",
        "nilai tidak sah (teks harus dalam tanda kutip, angka desimal dengan titik, tanggal YYYY-MM-DD)",
    ),
    (r"Invalid statement", "baris tidak dapat dibaca"),
    (r"Cannot declare (.*) twice", r"bagian \1 ditulis dua kali"),
    (r"Cannot overwrite a value", "kunci yang sama ditulis dua kali"),
    (r"Cannot mutate immutable namespace (.*)", r"\1 sudah ditulis sebagai nilai, tidak bisa menjadi bagian"),
    (r"Cannot redefine namespace (.*)", r"bagian \1 ditulis dua kali"),
    (r"Duplicate inline table key (.*)", r"kunci \1 ditulis dua kali"),
    (r"Expected '=' after a key in a key/value pair", "tanda = tidak ada sesudah nama pengaturan"),
    (r"Expected '\]' at the end of a table declaration", "tanda ] penutup bagian tidak ada"),
    (r"Expected '\]\]' at the end of an array declaration", "tanda ]] penutup tidak ada"),
    (r"Invalid initial character for a key part", "nama pengaturan diawali karakter yang tidak boleh"),
    (r"Unclosed array", "daftar [ ... ] tidak ditutup"),
    (r"Unclosed inline table", "tabel { ... } tidak ditutup"),
    (r"Unterminated string", "teks tanpa tanda kutip penutup"),
    (r"Illegal character '\\n'", "teks tanpa tanda kutip penutup (baris berakhir di dalam teks)"),
    (r"Illegal character (.*)", r"karakter yang tidak boleh: \1"),
    (r"Found invalid character (.*)", r"karakter yang tidak boleh: \1"),
    (r"Invalid date or datetime", "tanggal tidak sah (YYYY-MM-DD, mis. 2023-11-30)"),
    (
        r"Unescaped '\\\\' in a string",
        "garis miring terbalik \\ dalam teks: pakai tanda kutip tunggal '...' untuk path",
    ),
)
"""tomllib's messages in Bahasa Indonesia (the line and column are kept)."""


def toml_problem(exc: Exception) -> tuple[str, int | None]:
    """A TOML syntax error in words an analyst understands, and its line."""
    text = str(exc)
    where = re.search(r"\(at line (\d+), column (\d+)\)", text)
    core = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", text).strip()
    for pattern, words in _TOML_MESSAGES:
        if re.fullmatch(pattern, core):
            core = re.sub(pattern, words, core)
            break
    if where:
        return f"format TOML tidak sah: {core} (baris {where.group(1)}, kolom {where.group(2)})", int(where.group(1))
    if "end of document" in text:
        return f"format TOML tidak sah: {core} (di akhir berkas)", None
    return f"format TOML tidak sah: {core}", None


def read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """The text and the settings of a TOML file (``pemda.toml``, ``framework.toml``), read as the
    table readers read text: UTF-8 with or without BOM, UTF-16, or Windows-1252 (Notepad on
    Windows). Raises :class:`InputError` naming the file and line, in Bahasa Indonesia."""
    import tomllib

    text = decode(Path(path).read_bytes())
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message, _line = toml_problem(exc)  # the line and column are in the message
        raise InputError.one(
            str(path),
            message,
            expected="angka desimal dengan titik (0.7, bukan 0,7), teks dalam tanda kutip, tanggal "
            "YYYY-MM-DD; simpan sebagai UTF-8",
        ) from None
    except RecursionError:
        raise InputError.one(str(path), "format TOML tidak sah: daftar atau tabel bersarang terlalu dalam") from None


def toml_line(text: str, table: str, key: str) -> int | None:
    """Line (1-based) where ``key`` is set inside ``[table]`` of a TOML text, if found; also as a
    dotted key (``risiko.pemda_sd = ...``) or in an inline table (``risiko = {pemda_sd = ...}``)."""
    current = None
    pattern = re.compile(r'^\s*"?' + re.escape(key) + r'"?\s*=')
    parts = [re.escape(p) for p in table.split(".")]
    dotted = re.compile(r"^\s*" + r"\s*\.\s*".join([*parts, '"?' + re.escape(key) + '"?']) + r"\s*=")
    inline = re.compile(r"^\s*" + r"\s*\.\s*".join(parts) + r"\s*=\s*\{.*\b" + re.escape(key) + r"\b")
    for i, line in enumerate(text.splitlines(), start=1):
        head = re.match(r"^\s*\[+\s*([^\]]+?)\s*\]+", line)
        if head:
            current = head.group(1).replace('"', "").strip()
            continue
        if (current == table and pattern.match(line)) or dotted.match(line) or inline.match(line):
            return i
    return None


def toml_table_line(text: str, table: str) -> int | None:
    """Line (1-based) of the ``[table]`` header in a TOML text, if found."""
    for i, line in enumerate(text.splitlines(), start=1):
        head = re.match(r"^\s*\[+\s*([^\]]+?)\s*\]+", line)
        if head and head.group(1).replace('"', "").strip() == table:
            return i
    return None


_QUOTED_NUMBER = re.compile(r"\s*[-+]?\d+([.,]\d+)?\s*")


def unquote_hint(value: object) -> str:
    """What to add to the expected value of a numeric TOML setting written as text in quotes
    (``points = "5"``: TOML text, not a number), for ``pemda.toml``'s settings and its
    ``[risiko]`` tables alike; ``""`` for anything else."""
    return (
        "; tulis angkanya tanpa tanda kutip, desimal dengan titik"
        if isinstance(value, str) and _QUOTED_NUMBER.fullmatch(value)
        else ""
    )
