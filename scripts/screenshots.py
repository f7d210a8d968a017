"""Screenshots for the user guide (docs/panduan.md), made on demand.

Writes small PNGs into ``docs/img/``:

- ``brief-desktop.png``: the top of the monthly brief at desktop width;
- ``brief-ponsel.png``: the same brief at phone width;
- ``brief-tindakan.png``: the start of the brief's action list per OPD;
- ``tracker.png``: the first rows of the "Status" sheet of the Excel tracker, with its dropdowns;
- ``explorer.png``: the explorer (``notebooks/90_explore.ipynb``) in JupyterLab (``--no-lab`` skips it).

Run from the repository root, with the project's virtualenv::

    .venv/bin/python scripts/screenshots.py [--chromium PATH] [--out DIR] [--tracker FILE] [--no-lab]

Everything is generated in a temporary folder: ``mcp brief`` and the tracker commands run as
subprocesses with ``--out`` / ``--data-dir`` pointing there, so nothing is written into the
repository's ``data/`` or ``outputs/``. The brief is the bundled sample's (Kota Lubuklinggau,
October 2023: illustrative data, not KPK data). The tracker comes from ``mcp snapshot export``
(the sample, filled in) or else ``mcp init`` (an empty one); ``--tracker FILE`` renders a given
workbook instead. It is rendered by LibreOffice when ``soffice`` is on PATH, otherwise drawn as a
spreadsheet-like HTML table from what openpyxl reads (values, fills, widths, dropdown lists).
Browser steps use Debian's Chromium through Playwright, like ``tests/test_browser.py``.

Exit status 0 when every picture was written, 1 otherwise (the message names the step).
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import html
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import chromium  # scripts/chromium.py: the flags every browser check uses
from playwright.sync_api import Browser, sync_playwright

REPO = Path(__file__).resolve().parent.parent
IMG_DIR = REPO / "docs" / "img"
SAMPLE_PEMDA = "kota-lubuklinggau"
SAMPLE_PERIOD = "2023-10"
DESKTOP = {"width": 1000, "height": 660}
PHONE = {"width": 390, "height": 720}
MAX_WIDTH = 1000  # pixels; every picture is at most this wide
TRACKER_ROWS = 12  # data rows of the tracker shown under the header
MAX_COLUMNS = 13
# Long reference columns of the tracker folded away in the picture (as Excel shows hidden
# columns), so that the columns the analyst fills in fit in the width.
FOLDED = {"area", "indikator", "sub-indikator"}


class StepFailed(Exception):
    """A step failed; the message says which and why."""


# --- running mcp -----------------------------------------------------------------------------


def mcp(*args: str) -> str:
    """Run ``python -m mcp_lib ARGS`` from the repository root; return its output."""
    run = subprocess.run(
        [sys.executable, "-m", "mcp_lib", *args], cwd=REPO, capture_output=True, text=True, check=False
    )
    if run.returncode != 0:
        raise StepFailed(f"`mcp {' '.join(args)}` exited with {run.returncode}:\n{run.stderr or run.stdout}")
    return run.stdout


def has_command(*words: str) -> bool:
    """Whether ``mcp WORDS --help`` works (the onboarding commands are newer than the rest)."""
    run = subprocess.run(
        [sys.executable, "-m", "mcp_lib", *words, "--help"], cwd=REPO, capture_output=True, check=False
    )
    return run.returncode == 0


def make_brief(tmp: Path) -> Path:
    """The sample's brief, written under ``tmp``; returns the HTML file."""
    out = tmp / "outputs"
    mcp("brief", "--pemda", SAMPLE_PEMDA, "--period", SAMPLE_PERIOD, "--out", str(out))
    path = out / SAMPLE_PEMDA / SAMPLE_PERIOD / "brief.html"
    if not path.is_file():
        raise StepFailed(f"mcp brief did not write {path}")
    return path


def make_tracker(tmp: Path) -> Path:
    """A tracker workbook: the sample's October snapshot exported for Excel, else a new pemda's."""
    if has_command("snapshot", "export"):
        path = tmp / "tracker-2023.xlsx"
        mcp("snapshot", "export", "--pemda", SAMPLE_PEMDA, "--period", SAMPLE_PERIOD, "--out", str(path))
        if path.is_file():
            return path
        raise StepFailed(f"mcp snapshot export did not write {path}")
    if has_command("init"):
        data = tmp / "data"
        mcp(
            "init",
            "--pemda",
            "kab-contoh",
            "--name",
            "Kabupaten Contoh",
            "--kind",
            "kabupaten",
            "--province",
            "Sumatera Selatan",
            "--framework",
            "2023",
            "--data-dir",
            str(data),
        )
        found = sorted((data / "pemda" / "kab-contoh").glob("tracker-*.xlsx"))
        if found:
            return found[0]
        raise StepFailed(f"mcp init wrote no tracker-*.xlsx in {data / 'pemda' / 'kab-contoh'}")
    raise StepFailed("neither `mcp snapshot export` nor `mcp init` exists yet: no tracker to show")


# --- the tracker as a picture ------------------------------------------------------------------


def _colour(color: object) -> str | None:
    """An openpyxl colour as CSS, when it is a plain RGB one (theme colours are skipped)."""
    rgb = getattr(color, "rgb", None)
    if getattr(color, "type", None) == "rgb" and isinstance(rgb, str) and len(rgb) in (6, 8):
        return "#" + rgb[-6:]
    return None


def _shown(value: object, number_format: str) -> str:
    """A cell value as Indonesian Excel shows it (decimal comma, day/month/year)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if "%" in number_format:
            value *= 100
        text = f"{value:g}" if float(value).is_integer() else f"{value:.2f}".rstrip("0")
        return text.replace(".", ",") + ("%" if "%" in number_format else "")
    return str(value)


def _list_choices(workbook, validation) -> list[str]:
    """The choices of a list validation: a literal ``"a,b,c"`` or a ``Sheet!$A$1:$A$9`` range."""
    formula = (validation.formula1 or "").strip()
    if formula.startswith('"') and formula.endswith('"'):
        return [c.strip() for c in formula[1:-1].split(",") if c.strip()]
    ref = formula.lstrip("=")
    if ref in workbook.defined_names:
        ref = workbook.defined_names[ref].attr_text
    m = re.fullmatch(r"'?([^'!]+)'?!\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?", ref)
    if not m or m.group(1) not in workbook.sheetnames:
        return []
    ws = workbook[m.group(1)]
    end = f"{m.group(4) or m.group(2)}{m.group(5) or m.group(3)}"
    cells = ws[f"{m.group(2)}{m.group(3)}:{end}"]
    rows = cells if isinstance(cells, tuple) else ((cells,),)
    return [str(c.value) for row in rows for c in (row if isinstance(row, tuple) else (row,)) if c.value]


def tracker_html(path: Path, rows: int = TRACKER_ROWS) -> str:
    """The first ``rows`` data rows of the "Status" sheet as a spreadsheet-like HTML page.

    Shows column letters and row numbers, the cells' fills, bold and widths, a ▾ on every cell
    with a dropdown list, and the Status dropdown of the first row opened with its choices.
    """
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    wb = load_workbook(path)
    if "Status" not in wb.sheetnames:
        raise StepFailed(f"{path.name} has no sheet 'Status' (sheets: {', '.join(wb.sheetnames)})")
    ws = wb["Status"]
    last_row = min(ws.max_row, rows + 1)
    last_col = min(ws.max_column, MAX_COLUMNS)
    dropdowns: list[tuple[object, list[str]]] = []
    for dv in ws.data_validations.dataValidation:
        if dv.type == "list":
            dropdowns.append((dv.sqref, _list_choices(wb, dv)))

    def dropdown_of(row: int, col: int) -> list[str] | None:
        for sqref, choices in dropdowns:
            for rng in sqref.ranges:
                if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
                    return choices
        return None

    headers = {str(ws.cell(1, c).value or "").strip().lower(): c for c in range(1, last_col + 1)}
    open_col = headers.get("status")
    if open_col is None or dropdown_of(2, open_col) is None:
        open_col = next((c for c in range(1, last_col + 1) if dropdown_of(2, c)), None)

    folded = {c for name, c in headers.items() if name in FOLDED}
    widths = []
    for c in range(1, last_col + 1):
        width = ws.column_dimensions[get_column_letter(c)].width or 8.43
        widths.append(4 if c in folded else min(round(width * 7 + 5), 200))
    cols = "".join(f'<col style="width:{w}px">' for w in [36, *widths])
    head = "".join(
        f'<th class="{"fold" if c in folded else ""}">{"" if c in folded else get_column_letter(c)}</th>'
        for c in range(1, last_col + 1)
    )
    body = []
    for r in range(1, last_row + 1):
        cells = [f'<th class="rn">{r}</th>']
        for c in range(1, last_col + 1):
            cell = ws.cell(r, c)
            style = []
            fill = cell.fill
            if fill is not None and fill.fill_type == "solid" and (bg := _colour(fill.fgColor)):
                style.append(f"background:{bg}")
            if cell.font is not None:
                if cell.font.b:
                    style.append("font-weight:bold")
                if (fg := _colour(cell.font.color)) and fg.lower() != "#000000":
                    style.append(f"color:{fg}")
            value = cell.value
            classes = []
            if isinstance(value, int | float) and not isinstance(value, bool):
                classes.append("num")
            if r == 1:
                classes.append("hdr")
            content = html.escape(_shown(value, cell.number_format or ""))
            if c in folded:
                cells.append('<td class="fold"></td>')
                continue
            choices = dropdown_of(r, c) if r > 1 else None
            if choices is not None:
                classes.append("dd")
                content += '<span class="arrow">▾</span>'
                if r == 2 and c == open_col:
                    classes.append("active")
                    items = "".join(
                        f'<li class="{"on" if str(ch) == str(value) else ""}">{html.escape(ch)}</li>' for ch in choices
                    )
                    content += f'<ul class="list">{items}</ul>' if items else ""
            cells.append(f'<td class="{" ".join(classes)}" style="{";".join(style)}"><div>{content}</div></td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    active = f"{get_column_letter(open_col)}2" if open_col else "A1"
    active_value = html.escape(_shown(ws[active].value, ws[active].number_format or ""))
    tabs = "".join(
        f'<span class="tab{" on" if name == "Status" else ""}">{html.escape(name)}</span>'
        for name in wb.sheetnames
        if wb[name].sheet_state == "visible"
    )
    return f"""<!doctype html><html lang="id"><head><meta charset="utf-8"><style>
body {{ margin: 0; font: 12px 'Liberation Sans', Arial, sans-serif; color: #222; background: #fff; }}
.bar {{ display: flex; gap: 6px; padding: 5px 6px; border-bottom: 1px solid #c8c8c8; background: #f3f3f3; }}
.bar .box {{ border: 1px solid #bbb; background: #fff; padding: 2px 6px; }}
.bar .name {{ width: 60px; }} .bar .fx {{ flex: 1; }}
table {{ border-collapse: collapse; table-layout: fixed; }}
th {{ background: #efefef; color: #555; font-weight: normal; border: 1px solid #d0d0d0; height: 20px; }}
th.rn {{ text-align: center; }}
td {{ border: 1px solid #d9d9d9; height: 20px; padding: 0; vertical-align: middle; }}
td > div {{ position: relative; padding: 2px 4px; white-space: nowrap; overflow: hidden; }}
td {{ overflow: hidden; }}
td.active, td.active > div {{ overflow: visible; }}
td.hdr > div {{ white-space: normal; line-height: 1.2; }}
td.num {{ text-align: right; }}
th.fold, td.fold {{ background: #d0d0d0; border-left: 1px solid #888; border-right: 1px solid #888; padding: 0; }}
td.dd > div {{ padding-right: 16px; }}
td.dd .arrow {{ position: absolute; right: 2px; top: 2px; color: #888; font-size: 10px; }}
td.active {{ outline: 2px solid #1e7145; outline-offset: -2px; overflow: visible; }}
td.active .arrow {{ color: #222; background: #e6e6e6; border: 1px solid #aaa; padding: 0 2px; right: 0; top: 0; }}
.list {{ position: absolute; left: -1px; top: 21px; z-index: 5; margin: 0; padding: 2px 0; list-style: none;
        background: #fff; border: 1px solid #888; box-shadow: 2px 3px 6px rgba(0,0,0,.25); min-width: 100%; }}
.list li {{ padding: 2px 6px; }} .list li.on {{ background: #cfe3f7; }}
.tabs {{ display: flex; gap: 2px; padding: 0 6px; border-top: 1px solid #c8c8c8; background: #f3f3f3; }}
.tab {{ padding: 4px 12px; color: #555; }} .tab.on {{ background: #fff; color: #1e7145; font-weight: bold;
        border-bottom: 2px solid #1e7145; }}
</style></head><body>
<div class="bar"><span class="box name">{active}</span><span class="box fx">{active_value}</span></div>
<table style="width:{36 + sum(widths)}px"><colgroup>{cols}</colgroup>
<thead><tr><th></th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>
<div class="tabs">{tabs}</div>
</body></html>"""


def shoot_tracker_html(browser: Browser, workbook: Path, target: Path) -> None:
    """Draw the tracker with openpyxl + HTML and screenshot it."""
    page = browser.new_page(viewport={"width": MAX_WIDTH, "height": 600}, device_scale_factor=1)
    page.set_content(tracker_html(workbook))
    height = page.evaluate("document.body.scrollHeight")
    page.screenshot(path=str(target), clip={"x": 0, "y": 0, "width": MAX_WIDTH, "height": min(height, 640)})
    page.close()


def shoot_tracker_soffice(browser: Browser, workbook: Path, target: Path, tmp: Path) -> bool:
    """Render the tracker with LibreOffice (first sheet to PNG), then crop it to size in Chromium.

    Returns False (after saying why) when LibreOffice fails, so the HTML drawing is used instead.
    """
    soffice = shutil.which("soffice")
    outdir = tmp / "soffice"
    try:
        subprocess.run(
            [
                soffice,
                "--headless",
                f"-env:UserInstallation=file://{tmp / 'lo-profile'}",
                "--convert-to",
                "png",
                "--outdir",
                str(outdir),
                str(workbook),
            ],
            capture_output=True,
            timeout=120,
            check=True,
        )
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"LibreOffice could not render the tracker ({exc}); drawing it from openpyxl instead")
        return False
    pngs = sorted(outdir.glob("*.png"))
    if not pngs:
        print("LibreOffice wrote no PNG; drawing the tracker from openpyxl instead")
        return False
    fit_image(browser, pngs[0], target, height=640)
    return True


# --- pictures --------------------------------------------------------------------------------


def fit_image(browser: Browser, source: Path, target: Path, height: int) -> None:
    """Scale a PNG down to :data:`MAX_WIDTH` and keep its top ``height`` pixels (done in Chromium,
    so no image library is needed)."""
    data = base64.b64encode(source.read_bytes()).decode()
    page = browser.new_page(viewport={"width": MAX_WIDTH, "height": height}, device_scale_factor=1)
    page.set_content(
        f'<body style="margin:0"><img id="i" src="data:image/png;base64,{data}" '
        f'style="display:block;max-width:{MAX_WIDTH}px"></body>'
    )
    page.wait_for_function("document.getElementById('i').complete")
    box = page.locator("#i").bounding_box()
    page.screenshot(
        path=str(target),
        clip={"x": 0, "y": 0, "width": min(box["width"], MAX_WIDTH), "height": min(box["height"], height)},
    )
    page.close()


def shoot_brief(browser: Browser, brief: Path, out: Path) -> list[Path]:
    """Top of the brief at desktop and phone width, and the start of the action list."""
    written = []
    for name, viewport in (("brief-desktop.png", DESKTOP), ("brief-ponsel.png", PHONE)):
        context = browser.new_context(offline=True, viewport=viewport, device_scale_factor=1)
        page = context.new_page()
        page.goto(brief.as_uri(), wait_until="load")
        page.screenshot(path=str(out / name))
        written.append(out / name)
        if name == "brief-desktop.png":
            heading = page.locator("h3", has_text="Daftar tindakan per OPD")
            heading.scroll_into_view_if_needed()
            box = heading.bounding_box()
            scroll = page.evaluate("window.scrollY")
            page.screenshot(
                path=str(out / "brief-tindakan.png"),
                full_page=True,
                clip={"x": 0, "y": box["y"] + scroll - 8, "width": viewport["width"], "height": 400},
            )
            written.append(out / "brief-tindakan.png")
        context.close()
    return written


def shoot_explorer(browser: Browser, out: Path, chromium: str, tmp: Path) -> Path:
    """The explorer in JupyterLab, by scripts/check_lab.py (which also checks that it works)."""
    raw = tmp / "lab.png"
    run = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "check_lab.py"), "--chromium", chromium, "--screenshot", str(raw)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if run.returncode != 0 or not raw.is_file():
        raise StepFailed(f"scripts/check_lab.py failed:\n{run.stdout}{run.stderr}")
    target = out / "explorer.png"
    fit_image(browser, raw, target, height=600)
    return target


def optimise_png(path: Path) -> None:
    """Recompress a PNG's image data at zlib level 9 (lossless; Chromium writes it fast, not small)."""
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        chunks.append((kind, data[pos + 8 : pos + 8 + length]))
        pos += 12 + length
    idat = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    packed = zlib.compress(idat, 9)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    out, done = [data[:8]], False
    for kind, body in chunks:
        if kind == b"IDAT":
            if not done:
                out.append(chunk(b"IDAT", packed))
                done = True
        elif kind in (b"IHDR", b"PLTE", b"tRNS", b"IEND"):
            out.append(chunk(kind, body))  # other chunks (text, timestamps) are dropped
    new = b"".join(out)
    if len(new) < len(data):
        path.write_bytes(new)


# --- main --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], epilog="Details: see the module docstring of this script."
    )
    parser.add_argument(
        "--chromium",
        default=chromium.find() or "/usr/bin/chromium",
        help="Chromium executable (default: %(default)s)",
    )
    parser.add_argument("--out", type=Path, default=IMG_DIR, help="folder for the PNGs (default: docs/img)")
    parser.add_argument("--tracker", type=Path, help="render this tracker workbook instead of making one")
    parser.add_argument("--no-lab", action="store_true", help="skip the JupyterLab explorer picture")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if not Path(args.chromium).is_file():
        print(f"Chromium not found at {args.chromium} (apt-get install chromium)", file=sys.stderr)
        return 1

    written: list[Path] = []
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="mcp-screenshots-") as scratch:
        tmp = Path(scratch)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=[*chromium.FLAGS, "--disable-lcd-text"])
            try:
                try:
                    print("brief ...", flush=True)
                    written += shoot_brief(browser, make_brief(tmp), args.out)
                except StepFailed as exc:
                    failures.append(f"brief: {exc}")
                try:
                    print("tracker ...", flush=True)
                    workbook = args.tracker or make_tracker(tmp)
                    target = args.out / "tracker.png"
                    if not (shutil.which("soffice") and shoot_tracker_soffice(browser, workbook, target, tmp)):
                        shoot_tracker_html(browser, workbook, target)
                    written.append(target)
                except StepFailed as exc:
                    failures.append(f"tracker: {exc}")
                if not args.no_lab:
                    try:
                        print("explorer in JupyterLab (about 20 s) ...", flush=True)
                        written.append(shoot_explorer(browser, args.out, args.chromium, tmp))
                    except StepFailed as exc:
                        failures.append(f"explorer: {exc}")
            finally:
                browser.close()
    for path in written:
        optimise_png(path)
        print(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}: {path.stat().st_size // 1024} KB")
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
