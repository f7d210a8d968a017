"""The house style of the workbooks (mcp_lib.io.workbook), and the rule that it is the only one:
no other module builds an openpyxl style or names a cell colour."""

import ast
import datetime as dt
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

import mcp_lib
from mcp_lib.io import workbook

PACKAGE = Path(mcp_lib.__file__).parent
STYLE_MODULE = PACKAGE / "io" / "workbook.py"
STYLE_CONSTRUCTORS = {"Font", "PatternFill", "GradientFill", "Fill", "Alignment", "Border", "Side", "NamedStyle"}
CELL_COLOUR = re.compile(r"[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?")
"""A colour as openpyxl takes it (``DDE7F0``, ``FFDDE7F0``); a chart's colour has a ``#``."""


def _saved(wb, tmp_path: Path):
    path = workbook.save(wb, tmp_path / "t.xlsx")
    return load_workbook(path)


def test_a_header_row_is_bold_filled_wrapped_and_frozen_below(tmp_path):
    wb = workbook.new_workbook()
    workbook.header_row(wb.active, ["Kode", "=Nama"], 3, fills=["E6EFD8", workbook.HEADER_FILL], freeze=1)
    ws = _saved(wb, tmp_path).active
    a, b = ws["A3"], ws["B3"]
    assert (a.value, b.value, b.data_type) == ("Kode", "=Nama", "s")  # a label is never a formula
    assert a.font.b and a.font.name == workbook.FONT and a.font.sz == workbook.BODY_PT
    assert (a.fill.fgColor.rgb[-6:], b.fill.fgColor.rgb[-6:]) == ("E6EFD8", workbook.HEADER_FILL)
    assert a.alignment.wrap_text and a.alignment.vertical == "top"
    assert ws.row_dimensions[3].height == workbook.HEADER_HEIGHT
    assert ws.freeze_panes == "B4"


def test_a_header_row_without_height_or_freeze(tmp_path):
    wb = workbook.new_workbook()
    workbook.header_row(wb.active, ["Kode"], height=None, freeze=None)
    ws = _saved(wb, tmp_path).active
    assert ws.freeze_panes is None and ws.row_dimensions[1].height is None
    assert ws["A1"].fill.fgColor.rgb[-6:] == workbook.HEADER_FILL


def test_every_cell_and_the_width_unit_are_in_the_house_font(tmp_path):
    wb = workbook.new_workbook()
    wb.active["A1"] = "tanpa gaya"
    wb.active["A2"] = "judul"
    wb.active["A2"].font = workbook.font("title")
    loaded = _saved(wb, tmp_path)
    plain, title = loaded.active["A1"].font, loaded.active["A2"].font
    assert (plain.name, plain.sz, plain.b) == (workbook.FONT, workbook.BODY_PT, False)
    assert (title.name, title.sz, title.b) == (workbook.FONT, workbook.TITLE_PT, True)
    assert loaded._named_styles["Normal"].font.name == workbook.FONT


def test_the_fonts_by_kind():
    assert workbook.font("bold").b and not workbook.font("body").b
    assert workbook.font("warning").color.rgb[-6:] == workbook.WARNING
    assert workbook.font("code").name == workbook.MONO
    with pytest.raises(KeyError):
        workbook.font("judul")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (float("nan"), None),
        (np.float64("nan"), None),
        (pd.NaT, None),
        (pd.NA, None),
        (np.int64(3), 3),
        (np.float64(2.5), 2.5),
        ("a\x00b\x1fc", "abc"),
        (dt.date(2023, 10, 31), dt.date(2023, 10, 31)),
        (pd.Timestamp("2023-10-31"), pd.Timestamp("2023-10-31")),
        ("=1+1", "=1+1"),
    ],
)
def test_cell_value(value, expected):
    got = workbook.cell_value(value)
    assert got == expected and type(got) is type(expected)


def test_a_frame_as_a_sheet_keeps_text_as_text(tmp_path):
    frame = pd.DataFrame(
        {"kode": ["=HYPERLINK(1)", "A.1"], "nilai": [np.nan, 2.0], "tanggal": [pd.NaT, dt.date(2023, 1, 2)]}
    )
    wb = workbook.new_workbook()
    workbook.frame_sheet(wb.active, frame)
    ws = _saved(wb, tmp_path).active
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["kode", "nilai", "tanggal"],
        ["=HYPERLINK(1)", None, None],
        ["A.1", 2.0, dt.datetime(2023, 1, 2)],
    ]
    assert ws["A2"].data_type == "s" and ws.freeze_panes == "A2" and ws["A1"].font.b


def test_a_stamped_save_gives_the_same_bytes_and_dates(tmp_path):
    stamp = dt.datetime(2023, 10, 31)

    def write(name: str) -> Path:
        wb = workbook.new_workbook()
        workbook.frame_sheet(wb.active, pd.DataFrame({"a": [1]}))
        return workbook.save(wb, tmp_path / name, stamp=stamp, backup=False)

    first, second = write("a.xlsx"), write("b.xlsx")
    assert first.read_bytes() == second.read_bytes()
    assert {i.date_time for i in zipfile.ZipFile(first).infolist()} == {(2023, 10, 31, 0, 0, 0)}
    props = load_workbook(first).properties
    assert (props.created, props.modified, props.creator) == (stamp, stamp, "MCP Workbook")


def test_saving_over_a_file_keeps_it_as_a_backup(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"lama")
    workbook.save(workbook.new_workbook(), path)
    backups = [p for p in tmp_path.iterdir() if p != path]
    assert [p.read_bytes() for p in backups] == [b"lama"] and load_workbook(path).active is not None
    assert not list(tmp_path.glob(".*.tmp"))


def test_columns_widths_text_format_and_filter(tmp_path):
    wb = workbook.new_workbook()
    ws = wb.active
    workbook.column_widths(ws, [13, 40.5])
    workbook.text_columns(ws, [2])
    workbook.auto_filter(ws, 4, 2, 4)  # no row below the header yet: the filter still takes one
    ws = _saved(wb, tmp_path).active
    assert (ws.column_dimensions["A"].width, ws.column_dimensions["B"].width) == (13, 40.5)
    assert ws.column_dimensions["B"].number_format == workbook.TEXT_FORMAT == "@"
    assert ws.auto_filter.ref == "A4:B5"


def test_validations(tmp_path):
    wb = workbook.new_workbook()
    ws = wb.active
    workbook.validate_date(ws, "C2:C9", "31/12/2023")
    workbook.validate_between(ws, "D2:D9", 0, "$B2", title="Bagian", error="0 sampai Bagian maks", prompt="isi")
    workbook.validate(ws, "list", "E2:E9", formula1="Daftar!$A$2:$A$7", allow_blank=False, title="Status", error="x")
    date, between, choice = _saved(wb, tmp_path).active.data_validations.dataValidation
    assert (str(date.sqref), date.type, date.formula1, date.formula2) == ("C2:C9", "date", *workbook.DATE_RANGE)
    assert date.error == "Isi tanggal, mis. 31/12/2023." and date.errorStyle == "stop" and date.allow_blank
    assert (between.type, between.operator, between.formula1, between.formula2) == ("decimal", "between", "0", "$B2")
    assert (between.showInputMessage, between.promptTitle, between.prompt) == (True, "Bagian", "isi")
    assert not choice.allow_blank and not choice.showInputMessage and choice.promptTitle is None


def test_print_setup_a4_landscape_one_page_wide_with_the_footer(tmp_path):
    wb = workbook.new_workbook()
    ws = wb.active
    for r in range(1, 8):
        ws.cell(row=r, column=3, value=r)
    workbook.print_setup(ws, 4, 3, "Dinas A & B")
    ws = _saved(wb, tmp_path).active
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == "$4:$4" and ws.print_area == "'Sheet'!$A$1:$C$7"
    assert ws.oddFooter.left.text == "Dinas A && B" and ws.page_margins.left == workbook.MARGINS_IN["left"]


# --- the rule: one owner of the house style -----------------------------------------------------


def style_breaches(path: Path, root: Path = PACKAGE) -> list[str]:
    """openpyxl style objects built, and cell colours named, in the module at ``path`` (named
    from ``root``)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl.styles"):
            found += [f"imports {a.name}" for a in node.names if a.name in STYLE_CONSTRUCTORS]
        elif isinstance(node, ast.Attribute) and node.attr in STYLE_CONSTRUCTORS:
            found.append(f"uses .{node.attr}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and CELL_COLOUR.fullmatch(node.value):
            found.append(f"names the colour {node.value}")
    return [f"{path.relative_to(root)}:{n}" for n in found]


def test_only_the_house_style_builds_styles_or_names_cell_colours():
    """A writer that makes its own header Font or PatternFill, or keeps its own copy of a colour,
    instead of calling mcp_lib.io.workbook, is listed here."""
    breaches = [b for path in sorted(PACKAGE.rglob("*.py")) if path != STYLE_MODULE for b in style_breaches(path)]
    assert breaches == []


def test_the_rule_sees_a_writer_with_its_own_header_style(tmp_path):
    writer = tmp_path / "writer.py"
    writer.write_text(
        "def header(ws):\n"
        "    from openpyxl.styles import Font, PatternFill\n"
        "    ws['A1'].font = Font(bold=True)\n"
        "    ws['A1'].fill = PatternFill('solid', fgColor='DDE5EE')\n",
        encoding="utf-8",
    )
    found = [b.split(":", 1)[1] for b in style_breaches(writer, tmp_path)]
    assert found == ["imports Font", "imports PatternFill", "names the colour DDE5EE"]
    assert style_breaches(STYLE_MODULE) != []  # the house style itself does all three


def test_styles_by_key_give_the_file_the_setters_give(tmp_path):
    """``Styles`` styles the first cell of a key with the setters and copies that style to the
    later ones: the saved file is byte for byte the one styled cell by cell, across sheets."""
    stamp = dt.datetime(2023, 10, 31)
    styled = []

    def style(cell, centre, late):
        styled.append((centre, late))
        cell.alignment = workbook.wrapped("center" if centre else None)
        if late:
            cell.fill = workbook.fill(workbook.OVERDUE_FILL)
        cell.border = workbook.grid_border()

    def make(path, styles):
        wb = workbook.new_workbook()
        for name in ("A", "B"):
            ws = wb.create_sheet(name)
            for r in range(1, 30):
                for c in range(1, 5):
                    cell = ws.cell(row=r, column=c, value=f"{name}{r}{c}")
                    key = (c == 2, r % 7 == 0)
                    if styles is None:
                        style(cell, *key)
                    else:
                        styles.apply(cell, key, lambda cell, key=key: style(cell, *key))
        return workbook.save(wb, path, stamp=stamp, backup=False).read_bytes()

    by_key = make(tmp_path / "by-key.xlsx", workbook.Styles())
    assert sorted(styled) == sorted({(c, r) for c in (False, True) for r in (False, True)})  # once a key
    assert by_key == make(tmp_path / "each.xlsx", None)
    ws = load_workbook(tmp_path / "by-key.xlsx")["B"]
    assert ws["B14"].fill.fgColor.rgb.endswith(workbook.OVERDUE_FILL) and ws["B14"].alignment.horizontal == "center"
    assert ws["A13"].fill.fill_type is None and ws["A13"].border.left.style == "thin"


def test_styles_by_key_leave_a_date_its_own_format():
    """openpyxl gives a cell holding a date a date format (one per type) as the value is set: such
    a cell takes the style of the first cell of its key holding the same type, never another's."""
    wb = workbook.new_workbook()
    ws = wb.active
    styles = workbook.Styles()
    styled = []
    values = ["teks", dt.date(2023, 10, 31), 5, dt.datetime(2023, 11, 1, 8), dt.date(2023, 12, 1), dt.time(8), None]
    for row, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=1, value=value)
        styles.apply(cell, "same", lambda c: styled.append(c.row) or setattr(c, "alignment", workbook.wrapped()))
    assert styled == [1, 2, 4, 6]  # text (and every other value), a date, a datetime, a time
    assert ws["A2"].is_date and ws["A4"].is_date and ws["A5"].is_date and not ws["A1"].is_date
    assert ws["A2"].number_format != "General" and ws["A3"].number_format == "General"
    assert ws["A5"].number_format == ws["A2"].number_format != ws["A4"].number_format
    assert ws["A6"].number_format not in ("General", ws["A2"].number_format) and ws["A7"].number_format == "General"
    assert all(ws.cell(row=r, column=1).alignment.wrap_text for r in range(1, len(values) + 1))
