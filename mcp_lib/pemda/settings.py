"""``pemda.toml``, the settings of a pemda folder: read and checked (:func:`load_pemda`, every
problem with its line) and written (:func:`pemda_toml`, the one writer: ``mcp init``,
``mcp import-kpk``, the sample generators), so what is read was written one way.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from mcp_lib.config import FRAMEWORK_YEARS, MAX_CAPACITY_DAYS, PEMDA_KINDS
from mcp_lib.errors import InputError, Problems
from mcp_lib.framework.calendar import Calendar, assessment_problem
from mcp_lib.io.rawfile import clean_text
from mcp_lib.io.tomlfile import read_toml, toml_line, unquote_hint
from mcp_lib.pemda.model import Opd, Pemda, Penalty, pemda_dir, percent_problem
from mcp_lib.risk.params import RiskParams, params_from_toml

TomlType = Literal["text", "integer", "number", "date"]
"""The TOML types a setting may have: a boolean is no number, a date-time is no date."""

_IS_TYPE: dict[str, Callable[[object], bool]] = {
    "text": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "date": lambda v: isinstance(v, dt.date) and not isinstance(v, dt.datetime),
}


def _fine(_value: Any) -> str | None:
    return None


def _given(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Setting:
    """One top-level setting of ``pemda.toml``, a row of :data:`SETTINGS`.

    Every problem with it names the file and, as its column, the ``key``, and ends with
    ``expected`` (in Bahasa Indonesia). A value with a problem is read as ``None``.

    Parameters
    ----------
    key
        The TOML key.
    type
        ``text``, ``integer``, ``number`` or ``date`` (see :data:`TomlType`); a value of another
        type is ``invalid`` (a number written in quotes is told to lose them).
    expected
        What to write, e.g. ``nilai target 0–100, mis. 90``.
    required
        Whether leaving it out is a problem (``pengaturan wajib tidak ada``).
    default
        The value when left out, from the settings read before it (rows above it in the table).
    invalid
        The message for a value of another type.
    check
        The message for a value of the right type that is still wrong, or ``None``.
    shows_value
        Whether the ``check`` problem shows the value.
    lined
        Whether a problem names the setting's line.
    convert
        The value kept (e.g. the kind in lower case).
    """

    key: str
    type: TomlType
    expected: str
    required: bool = False
    default: Callable[[Mapping[str, Any]], Any] = lambda _before: None
    invalid: str = "pengaturan tidak sah"
    check: Callable[[Any], str | None] = _fine
    shows_value: bool = True
    lined: bool = False
    convert: Callable[[Any], Any] = _given

    def read(self, meta: Mapping[str, Any], before: Mapping[str, Any], where: _Where) -> Any:
        """Its value in ``meta`` (the default when left out), or ``None`` after adding its problem."""
        value = meta.get(self.key)
        if value is None:
            if self.required:
                where.problems.add(where.path, "pengaturan wajib tidak ada", column=self.key, expected=self.expected)
            return self.default(before)
        row = _line_of(where.text, self.key) if self.lined else None
        if not _IS_TYPE[self.type](value):
            hint = unquote_hint(value) if self.type in ("integer", "number") else ""
            where.problems.add(
                where.path, self.invalid, row=row, column=self.key, value=value, expected=self.expected + hint
            )
            return None
        problem = self.check(value)
        if problem:
            shown = value if self.shows_value else None
            where.problems.add(where.path, problem, row=row, column=self.key, value=shown, expected=self.expected)
            return None
        return self.convert(value)


@dataclass(frozen=True)
class _Where:
    """The file being read: its path, its text (for line numbers) and the problems found so far."""

    path: Path
    text: str
    problems: Problems


def _year_end(before: Mapping[str, Any]) -> dt.date | None:
    year = before.get("framework")
    return None if year is None else dt.date(year, 12, 31)


def _percent(value: float) -> str | None:
    problem = percent_problem(value)
    return f"target {problem}" if problem else None


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "name",
        "text",
        'nama pemda, mis. "Kota Lubuklinggau"',
        required=True,
        check=lambda v: None if clean_text(v) else "nama pemda kosong",
        shows_value=False,
    ),
    Setting(
        "kind",
        "text",
        "kota, kabupaten atau provinsi",
        required=True,
        check=lambda v: None if v.lower() in PEMDA_KINDS else "jenis pemda tidak dikenal",
        convert=str.lower,
    ),
    Setting(
        "framework",
        "integer",
        "tahun kerangka MCP, mis. 2023",
        required=True,
        check=lambda v: None if FRAMEWORK_YEARS[0] <= v <= FRAMEWORK_YEARS[1] else "tahun kerangka MCP tidak sah",
    ),
    Setting("target", "number", "nilai target 0–100, mis. 90", required=True, check=_percent, convert=float),
    Setting(
        "deadline",
        "date",
        "tanggal TOML tanpa tanda kutip, mis. 2023-12-31",
        default=_year_end,
        invalid="tenggat tidak sah",
    ),
    Setting(
        "upload_close",
        "date",
        "tanggal TOML tanpa tanda kutip, mis. 2023-11-30",
        invalid="tanggal tidak sah",
        lined=True,
    ),
    Setting(
        "final_date",
        "date",
        "tanggal TOML tanpa tanda kutip, mis. 2023-11-30",
        invalid="tanggal tidak sah",
        lined=True,
    ),
    Setting("province", "text", "teks dalam tanda kutip", default=lambda _before: ""),
    Setting("note", "text", "teks dalam tanda kutip", default=lambda _before: ""),
)
"""The single-valued settings of ``pemda.toml``, in the order they are read (a default may use
the settings above it). The tables (``[final_scores]``, ``[[opd]]``, ``[risiko]``,
``[penalty.YEAR]``) are read by their own functions."""


def load_pemda(ref: str | Path, data_dir: Path | None = None) -> Pemda:
    """Load ``pemda.toml`` of a pemda folder (slug or path).

    Raises
    ------
    InputError
        When the folder or file is missing or a setting is missing or invalid.
    """
    folder = pemda_dir(ref, data_dir)
    text, meta = read_toml(_settings_file(folder))
    where = _Where(folder / "pemda.toml", text, Problems())
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        values[setting.key] = setting.read(meta, values, where)
    _check_calendar(values, where)
    risk = _risk(meta, where)
    _check_keys(meta, where.path, text, where.problems)
    penalties = _penalties(meta.get("penalty"), where.path, text, where.problems)
    finals = _final_scores(meta.get("final_scores"), where)
    opds = _opds(meta.get("opd"), where)
    _check_opd_names(opds, where.path, text, where.problems)
    where.problems.raise_if_any()
    assert isinstance(values["deadline"], dt.date)  # given or the framework year's end, checked above
    return Pemda(
        slug=folder.name,
        name=values["name"],
        kind=values["kind"],
        province=values["province"],
        framework_year=values["framework"],
        target=values["target"],
        deadline=values["deadline"],
        path=folder,
        final_scores=finals,
        opds=tuple(opds),
        note=values["note"],
        risk=risk,
        upload_close=values["upload_close"],
        final_date=values["final_date"],
        penalties=penalties,
    )


def _settings_file(folder: Path) -> Path:
    """``folder/pemda.toml``; when missing, the error names the pemda that exist beside it."""
    path = folder / "pemda.toml"
    if not path.is_file():
        base = folder.parent
        known = sorted(p.name for p in base.iterdir() if (p / "pemda.toml").is_file()) if base.is_dir() else []
        raise InputError.one(
            path,
            "berkas pengaturan pemda tidak ditemukan",
            expected="salah satu pemda: " + (", ".join(known) or "(tidak ada)"),
        )
    return path


def _check_calendar(values: Mapping[str, Any], where: _Where) -> None:
    """``upload_close`` and ``final_date`` within the framework year's assessment, in that order."""
    year, close, final = values["framework"], values["upload_close"], values["final_date"]
    if year is not None:
        for key in ("upload_close", "final_date"):
            outside = assessment_problem(year, values[key]) if values[key] is not None else None
            if outside:
                row = _line_of(where.text, key)
                where.problems.add(where.path, outside[0], row=row, column=key, value=values[key], expected=outside[1])
    if close and final and final < close:
        where.problems.add(
            where.path,
            "tanggal final sebelum batas unggah",
            row=_line_of(where.text, "final_date"),
            column="final_date",
            value=final,
            expected=f"sama dengan atau sesudah upload_close ({close})",
        )


def _risk(meta: Mapping[str, Any], where: _Where) -> RiskParams:
    """The ``[risiko]`` table (the defaults when there is none)."""
    if "risiko" not in meta:
        return RiskParams()
    try:
        return params_from_toml(meta["risiko"], str(where.path), where.text)
    except InputError as exc:
        where.problems.extend(exc.problems)
        return RiskParams()


def _final_scores(table: object, where: _Where) -> dict[int, float]:
    """``[final_scores]``: a final score 0–100 for each year (``2022 = 87``); none when left out
    or empty."""
    if not table:
        return {}
    if not isinstance(table, dict):
        where.problems.add(
            where.path,
            "nilai akhir tahun lalu tidak sah",
            column="final_scores",
            value=table,
            expected="tabel [final_scores] berisi baris seperti 2022 = 87",
        )
        return {}
    finals: dict[int, float] = {}
    for key, value in table.items():
        number = isinstance(value, int | float) and not isinstance(value, bool)
        not_percent = percent_problem(value) if number else None
        if re.fullmatch(r"[0-9]{4}", str(key)) and number and not not_percent:
            finals[int(key)] = float(value)
            continue
        where.problems.add(
            where.path,
            f"nilai akhir tahun lalu {not_percent}" if not_percent else "nilai akhir tahun lalu tidak sah",
            column=f"final_scores.{key}",
            value=value,
            expected="tahun = nilai akhir 0–100, mis. 2022 = 87" + unquote_hint(value),
        )
    return finals


def _opds(items: object, where: _Where) -> list[Opd]:
    """The ``[[opd]]`` entries that are right (each wrong one adds its problem); none when left
    out or empty."""
    if not items:
        return []
    if not isinstance(items, list):
        where.problems.add(
            where.path,
            "daftar OPD tidak sah",
            column="opd",
            value=items,
            expected='satu bagian [[opd]] per OPD, mis. [[opd]] name = "Bapenda"',
        )
        return []
    read = (_opd(item, i, where) for i, item in enumerate(items, start=1))
    return [opd for opd in read if opd is not None]


def _opd(item: object, nth: int, where: _Where) -> Opd | None:
    """The ``nth`` ``[[opd]]`` entry: a name, a capacity (optional) and other names (optional);
    ``None`` without a name or with a wrong capacity (a wrong ``aka`` is left out)."""
    path, problems = where.path, where.problems
    if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not clean_text(item["name"]):
        problems.add(path, f"OPD ke-{nth} tanpa nama", column="opd.name", expected='[[opd]] name = "Bapenda"')
        return None
    cap = item.get("capacity_days")
    if cap is not None and (
        not isinstance(cap, int | float) or isinstance(cap, bool) or not 0 <= cap <= MAX_CAPACITY_DAYS
    ):
        problems.add(
            path,
            f"kapasitas OPD {item['name']} tidak sah",
            column="opd.capacity_days",
            value=cap,
            expected=f"angka hari-orang per bulan antara 0 dan {MAX_CAPACITY_DAYS:g}" + unquote_hint(cap),
        )
        return None
    aka = item.get("aka", [])
    if isinstance(aka, str):
        aka = [aka]
    if not isinstance(aka, list) or not all(isinstance(a, str) for a in aka):
        problems.add(
            path,
            f"nama lain OPD {item['name']} tidak sah",
            column="opd.aka",
            value=aka,
            expected='daftar nama, mis. aka = ["Bagian PBJ"]',
        )
        aka = []
    names = tuple(clean_text(a) for a in aka if clean_text(a))
    return Opd(clean_text(item["name"]), None if cap is None else float(cap), names)


PEMDA_KEYS = (
    "name",
    "kind",
    "province",
    "framework",
    "target",
    "deadline",
    "note",
    "upload_close",
    "final_date",
    "final_scores",
    "opd",
    "risiko",
    "penalty",
)
"""The settings of ``pemda.toml`` (anything else is a typo or a line in the wrong place)."""
OPD_KEYS = ("name", "capacity_days", "aka")


def _check_keys(meta: dict[str, Any], path: Path, text: str, problems: Problems) -> None:
    """Unknown settings are refused (with a suggestion): a misspelt ``uplod_close`` would
    otherwise be ignored. A setting written after the last ``[[opd]]`` belongs to that OPD in
    TOML; the message says to move it up."""
    import difflib

    for key in meta:
        if key not in PEMDA_KEYS:
            near = difflib.get_close_matches(str(key), PEMDA_KEYS, n=1)
            problems.add(
                path,
                "pengaturan tidak dikenal" + (f" (maksud Anda {near[0]}?)" if near else ""),
                row=_line_of(text, str(key)),
                column=str(key),
                expected="salah satu dari: " + ", ".join(PEMDA_KEYS),
            )
    opd = meta.get("opd")
    items: list[object] = opd if isinstance(opd, list) else []
    for item in items:
        if not isinstance(item, dict):
            continue
        for key in item:
            if key in OPD_KEYS:
                continue
            where = (
                ""
                if key not in PEMDA_KEYS
                else (
                    f"; {key} adalah pengaturan pemda: tulis di bagian atas berkas, sebelum [[opd]] pertama "
                    "(baris sesudah [[opd]] menjadi milik OPD itu)"
                )
            )
            problems.add(
                path,
                f"pengaturan OPD tidak dikenal di [[opd]] {item.get('name', '')!r}{where}",
                row=_key_line(text, str(key)),
                column=f"opd.{key}",
                expected="name, capacity_days atau aka",
            )


def _key_line(text: str, key: str) -> int | None:
    """The last line setting ``key`` anywhere in a TOML text (dotted and quoted keys too)."""
    found = None
    pattern = re.compile(r'^\s*"?' + re.escape(key) + r'"?\s*[.=]')
    for i, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            found = i
    return found


def _penalties(table: object, path: Path, text: str, problems: Problems) -> dict[int, Penalty]:
    """``[penalty.2025]`` tables: ``points`` (0–100) and ``reason``, each year once."""
    if table is None:
        return {}
    example = '[penalty.2025] dengan points = 5 dan reason = "..."'
    if not isinstance(table, dict):
        problems.add(
            path, "penalti tidak sah", row=_line_of(text, "penalty"), column="penalty", value=table, expected=example
        )
        return {}
    out: dict[int, Penalty] = {}
    for year, item in table.items():
        line = toml_line(text, f"penalty.{year}", "points") or _table_line(text, f"penalty.{year}")
        if not re.fullmatch(r"[0-9]{4}", str(year)) or not isinstance(item, dict):
            problems.add(path, "penalti tidak sah", row=line, column=f"penalty.{year}", value=item, expected=example)
            continue
        points, reason = item.get("points"), item.get("reason", "")
        if isinstance(points, bool) or not isinstance(points, int | float) or not 0 <= points <= 100:
            problems.add(
                path,
                "poin penalti tidak ada" if points is None else "poin penalti di luar 0–100",
                row=line,
                column=f"penalty.{year}.points",
                value=points,
                expected="poin nilai total yang dikurangkan, 0–100, mis. points = 5" + unquote_hint(points),
            )
            continue
        if not isinstance(reason, str):
            problems.add(
                path,
                "alasan penalti tidak sah",
                row=toml_line(text, f"penalty.{year}", "reason") or line,
                column=f"penalty.{year}.reason",
                value=reason,
                expected="teks dalam tanda kutip",
            )
            continue
        unknown = set(item) - {"points", "reason"}
        if unknown:
            problems.add(
                path,
                "pengaturan penalti tidak dikenal",
                row=line,
                column=f"penalty.{year}",
                value=", ".join(sorted(unknown)),
                expected="points dan reason",
            )
            continue
        out[int(year)] = Penalty(float(points), clean_text(reason))
    return out


def _table_line(text: str, table: str) -> int | None:
    for i, line in enumerate(text.splitlines(), start=1):
        head = re.match(r"^\s*\[+\s*([^\]]+?)\s*\]+", line)
        if head and head.group(1).replace('"', "").replace(" ", "") == table:
            return i
    return None


def _opd_key(name: str) -> str:
    return " ".join(str(name).casefold().split())


def _check_opd_names(opds: list[Opd], path: Path, text: str, problems: Problems) -> None:
    """Every name an OPD goes by (its name and its ``aka``) must be its own: two ``[[opd]]``
    entries with the same name in another case or spacing, or an alias that is another OPD's
    name or alias, would let one capacity silently win."""
    seen: dict[str, int] = {}  # name or alias key -> index of the OPD that has it
    nth: dict[str, int] = {}  # name key -> how many entries so far carry that name
    for i, opd in enumerate(opds):
        nth[_opd_key(opd.name)] = nth.get(_opd_key(opd.name), 0) + 1
        row = _opd_line(text, opd.name, nth[_opd_key(opd.name)])
        for alias in dict.fromkeys([opd.name, *opd.aka]):
            key = _opd_key(alias)
            if key in seen and seen[key] != i:
                other = opds[seen[key]].name
                own = alias == opd.name
                message = (
                    f"OPD {opd.name!r} ditulis dua kali" + ("" if other == opd.name else f" (juga sebagai {other!r})")
                    if own and _opd_key(other) == key
                    else f"OPD ganda: {'nama' if own else f'nama lain (aka) {alias!r}'} dari OPD {opd.name!r} "
                    f"sama dengan OPD {other!r}"
                )
                problems.add(
                    path,
                    message,
                    row=row,
                    column="opd.name" if own else "opd.aka",
                    value=alias,
                    expected="satu bagian [[opd]] per OPD; nama lama cukup ditulis di aka OPD yang sama",
                )
            else:
                seen.setdefault(key, i)


def _opd_line(text: str, name: str, nth: int = 1) -> int | None:
    """The line of the ``nth`` ``name = "<name>"`` (any case and spacing) in a TOML text."""
    count = 0
    for i, line in enumerate(text.splitlines(), start=1):
        m = re.match(r"\s*name\s*=\s*[\"'](.*)[\"']", line)
        if m and _opd_key(m.group(1)) == _opd_key(name):
            count += 1
            if count == nth:
                return i
    return None


def _line_of(text: str, key: str) -> int | None:
    """The line (1-based) of a top-level ``key = ...`` in a TOML text, if found."""
    for i, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("["):
            return None
        if re.match(r"\s*" + re.escape(key) + r"\s*=", line):
            return i
    return None


# --- writing pemda.toml -------------------------------------------------------------------------

_OPD_GUIDE = (
    "# OPD penanggung jawab (dari kerangka MCP). Sesuaikan nama dengan nama OPD di daerah Anda;",
    "# capacity_days = hari-orang per bulan yang dapat dipakai OPD untuk MCP (boleh dihapus bila",
    "# tidak diketahui: rencana lalu tidak dibatasi kapasitas). Bila nama OPD diganti, tulis nama",
    '# lama di aka, mis. aka = ["Bagian PBJ"]: snapshot dan tracker lama tetap terbaca.',
)
_RISK_GUIDE = (
    "# Risiko verifikasi (pilihan): parameter model peluang dan proyeksi, bawaan dari data MCP 2020-21",
    "# (daftar lengkap dan sumbernya: docs/panduan.md, bagian 'Peluang dan proyeksi'). Contoh:",
    "# [risiko]",
    "# pemda_sd = 0.7          # sebaran efek pemda",
    "# [risiko.hambatan]",
    '# "BPN" = 0.3             # peluang hambatan yang teksnya memuat BPN teratasi sebelum batas unggah',
)


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def pemda_toml(
    name: str,
    kind: str,
    province: str,
    framework: int,
    target: float,
    deadline: dt.date,
    *,
    note: str = "",
    final_scores: Mapping[int, float] | None = None,
    opds: Sequence[Opd] = (),
    header: Sequence[str] = (),
    guide: Calendar | None = None,
) -> str:
    """The text of a ``pemda.toml``: the settings in the order :func:`load_pemda` documents them,
    then ``[final_scores]`` (years and scores in percent, when given) and one ``[[opd]]`` per OPD
    (its ``capacity_days`` in person-days per month and its ``aka``, when known).

    ``header`` lines open the file as comments. With ``guide`` (the calendar of the framework
    year) the text is the commented template ``mcp init`` gives a new pemda, in Bahasa Indonesia:
    what each setting means, the year's upload close and final date as settings to uncomment, an
    empty ``[final_scores]`` table, a ``capacity_days`` to fill in for each OPD, and an example
    ``[risiko]`` table.
    """

    def setting(key: str, value: str, comment: str) -> str:
        return f"{key} = {value}" + (f"  # {comment}" if guide and comment else "")

    lines = [f"# {line}" for line in header]
    lines += [
        setting("name", _toml_str(name), ""),
        setting("kind", _toml_str(kind), "kota, kabupaten atau provinsi"),
        setting("province", _toml_str(province), ""),
        setting("framework", f"{framework}", f"tahun kerangka MCP (folder frameworks/mcp-{framework})"),
        setting("target", f"{target:g}", "nilai yang dituju (0-100)"),
        setting("deadline", f"{deadline:%Y-%m-%d}", "tenggat rencana (paling lambat batas unggah KPK)"),
    ]
    if note:
        lines.append(setting("note", _toml_str(note), ""))
    if guide:
        lines += [
            f"# batas unggah dan nilai final tahun ini: {guide.close:%Y-%m-%d} dan {guide.final:%Y-%m-%d}"
            f" ({guide.source}); bila berbeda untuk pemda ini:",
            f"# upload_close = {guide.close:%Y-%m-%d}",
            f"# final_date = {guide.final:%Y-%m-%d}",
        ]
    if final_scores or guide:
        lines.append("")
        if guide:
            lines.append("# Nilai akhir tahun-tahun sebelumnya (dari KPK), mis. 2022 = 87")
        lines.append("[final_scores]")
        lines += [f"{year} = {score:g}" for year, score in (final_scores or {}).items()]
    if guide:
        lines += ["", *_OPD_GUIDE]
    for opd in opds:
        lines += ["", "[[opd]]", f"name = {_toml_str(opd.name)}"]
        if opd.capacity_days is not None:
            lines.append(f"capacity_days = {opd.capacity_days:g}")
        elif guide:
            lines.append("# capacity_days = 10")
        if opd.aka:
            lines.append("aka = [" + ", ".join(_toml_str(a) for a in opd.aka) + "]")
    if guide:
        lines += ["", *_RISK_GUIDE]
    return "\n".join(lines) + "\n"


def province_of(folder: Path) -> str | None:
    """The province a pemda folder's ``pemda.toml`` names, read as :func:`load_pemda` reads the
    file (UTF-8 with or without BOM, UTF-16, Windows-1252); ``None`` when the file cannot be read
    or names none (the batch then runs it, and its brief says what is wrong). What ``mcp batch
    --province`` selects by, and how it names the provincial overview."""
    try:
        _text, meta = read_toml(Path(folder) / "pemda.toml")
    except (InputError, OSError):
        return None
    province = meta.get("province")
    return province if isinstance(province, str) else None
