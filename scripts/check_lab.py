"""Real-browser check that the ipywidgets explorer works in JupyterLab.

Starts JupyterLab the way ``make lab`` does (``python -m mcp_lib lab``, configured for a headless
run), opens ``notebooks/90_explore.ipynb`` in headless Chromium, runs all cells, waits for the
explorer's headline figures and its plan (computed in the background: "menghitung…" until then),
searches the "Anggap selesai" picker, adds the first match and removes it again, moves the
"Target" slider down with the keyboard and checks that the "Rencana" (plan) figure changes. Fails
when a step times out or a cell fails, when the numbers do not change, or when the browser console
reports a widget error (the ipywidgets front end is broken).

Run from the repository root, with the project's virtualenv::

    .venv/bin/python scripts/check_lab.py [--screenshot PATH] [--chromium PATH]

Exit status 0 on success; otherwise 1, with a message naming the failed step. The server runs on a
free localhost port with throwaway Jupyter settings (autosave off, checkpoints in a temporary
folder), so nothing in the repository is written; the script checks that the notebook is unchanged.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import chromium  # scripts/chromium.py: the flags every browser check uses
from playwright.sync_api import ConsoleMessage, Locator, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = "90_explore.ipynb"
KERNEL_DISPLAY_NAME = "Python (MCP Workbook)"
# Browser console errors that mean the ipywidgets front end is not working: "Error displaying
# widget", "Failed to load model class", "Exception opening new comm" (no widget manager).
WIDGET_ERROR = re.compile(r"widget|model class|\bcomm\b", re.IGNORECASE)
# JupyterLab user settings for the run: never save the notebook, no news or update requests.
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}
SLIDER_PRESSES = 10  # ArrowLeft presses on the Target slider (step 0.5): 90 -> 85 in the sample
PENDING = "menghitung…"  # a figure that needs the plan, while the plan is computed (mcp_lib.app.explore.PENDING)
SEARCH = "pajak"  # typed in the "Anggap selesai" search box: some documents of the sample, not all

# Timeouts in seconds, per step.
SERVER_TIMEOUT = 40
PAGE_TIMEOUT = 30
KERNEL_TIMEOUT = 30
RUN_TIMEOUT = 45
UPDATE_TIMEOUT = 30


class CheckFailed(Exception):
    """A step of the check failed; the message says which and why."""


@contextlib.contextmanager
def step(name: str) -> Iterator[None]:
    """Turn a Playwright error inside the block into a :class:`CheckFailed` naming the step."""
    try:
        yield
    except PlaywrightError as exc:
        what = "timed out" if isinstance(exc, PlaywrightTimeout) else "failed"
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CheckFailed(f"step '{name}' {what} ({first_line})") from exc


# --- the JupyterLab server ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """JupyterLab started exactly as ``make lab`` does (``python -m mcp_lib lab``), for a headless run.

    The headless settings (port, token, no browser) come from a throwaway Jupyter config folder
    (``JUPYTER_CONFIG_DIR``) rather than extra command-line flags: ``mcp_lib lab`` rejects extra
    arguments that start with ``-`` (argparse REMAINDER in a subcommand). The folder also keeps the
    user's own ``~/.jupyter`` settings and workspaces out of the check.
    """

    def __init__(self, scratch: Path) -> None:
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.config = scratch / "jupyter-config"
        self.log_path = scratch / "jupyterlab.log"
        self.process: subprocess.Popen | None = None

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}?token={self.token}"

    def write_config(self) -> None:
        folder = self.config
        server = {
            "ServerApp": {
                "ip": "127.0.0.1",
                "port": self.port,
                "port_retries": 0,
                "open_browser": False,
                # Containers and CI often run as root; JupyterLab refuses to unless told.
                "allow_root": os.geteuid() == 0,
            },
            "IdentityProvider": {"token": self.token},
            # Checkpoints go to the scratch folder, not notebooks/.ipynb_checkpoints.
            "FileCheckpoints": {"checkpoint_dir": str(folder / "checkpoints")},
            "LabApp": {
                "user_settings_dir": str(folder / "lab" / "user-settings"),
                "workspaces_dir": str(folder / "lab" / "workspaces"),
            },
        }
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "jupyter_server_config.json").write_text(json.dumps(server, indent=1), encoding="utf-8")
        for relative, values in LAB_SETTINGS.items():
            path = folder / "lab" / "user-settings" / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")

    def start(self) -> None:
        """Start the server (in its own process group) and wait until ``/lab`` answers."""
        self.write_config()
        env = {**os.environ, "JUPYTER_CONFIG_DIR": str(self.config)}
        with self.log_path.open("w", encoding="utf-8") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "mcp_lib", "lab"],
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + SERVER_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CheckFailed(f"step 'start JupyterLab': the server exited with status {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.url("/lab"), timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        raise CheckFailed(f"step 'start JupyterLab' timed out: /lab did not answer within {SERVER_TIMEOUT} s")

    def stop(self) -> None:
        """Shut the server down through its API, so that it stops its kernels; signals if that fails.

        ``mcp_lib lab`` waits for JupyterLab, so its exit means that JupyterLab has exited.
        """
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            request = urllib.request.Request(
                f"{self.base_url}/api/shutdown",
                method="POST",
                headers={"Authorization": f"token {self.token}"},
            )
            with contextlib.suppress(urllib.error.URLError, OSError):
                urllib.request.urlopen(request, timeout=10).close()
            for sig, grace in ((None, 20), (signal.SIGTERM, 10), (signal.SIGKILL, 5)):
                if sig is not None:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, sig)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=grace)
                    break
        # Anything still in the server's process group was started by it: stop that too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    def log_tail(self, lines: int = 15) -> list[str]:
        if not self.log_path.is_file():
            return []
        return self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]


# --- the browser steps --------------------------------------------------------------------------


def wait_for_kernel(page: Page) -> None:
    """Wait until the project kernel is running and idle, choosing it if JupyterLab asks for a kernel."""
    deadline = time.monotonic() + KERNEL_TIMEOUT
    dialog = page.locator(".jp-Dialog")
    name = page.locator(".jp-NotebookPanel-toolbar .jp-KernelName")
    status = page.locator(".jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator")
    seen = ("?", "?")
    while time.monotonic() < deadline:
        if dialog.is_visible() and "Select Kernel" in dialog.inner_text():
            dialog.locator("select").select_option(label=KERNEL_DISPLAY_NAME)
            dialog.get_by_role("button", name="Select").click()
        if name.count() and status.count():
            seen = (name.first.inner_text().strip(), status.first.get_attribute("data-status") or "?")
            if seen == (KERNEL_DISPLAY_NAME, "idle"):
                return
        page.wait_for_timeout(250)
    raise PlaywrightTimeout(
        f"no idle '{KERNEL_DISPLAY_NAME}' kernel after {KERNEL_TIMEOUT} s (kernel '{seen[0]}', status '{seen[1]}')"
    )


def run_all_cells(page: Page) -> None:
    """Menu Run > Run All Cells, as a user would."""
    page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-content .lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()


def headline_figure(headline: Locator, label: str, value: str | None = None) -> Locator:
    """The bold figure under a small label in the explorer's headline (e.g. "Rencana"); with
    ``value``, only once it reads that."""
    condition = f"[normalize-space()='{value}']" if value is not None else ""
    return headline.locator(f"xpath=.//small[normalize-space()='{label}']/following-sibling::b{condition}")


def percent(value: float) -> str:
    """The headline's Indonesian format for a Target slider value, e.g. 85.0 -> "85,0%"."""
    return f"{value:.1f}".replace(".", ",") + "%"


def plan_shown(headline: Locator) -> str:
    """Wait until the headline's "Rencana" is a plan, not "menghitung…"; return it."""
    rencana = headline_figure(headline, "Rencana")
    deadline = time.monotonic() + UPDATE_TIMEOUT
    while time.monotonic() < deadline:
        shown = rencana.inner_text()
        if shown != PENDING:
            return shown
        time.sleep(0.2)
    raise PlaywrightTimeout(f"the plan was still being computed after {UPDATE_TIMEOUT} s")


def move_slider_down(page: Page, slider: Locator, headline: Locator, presses: int) -> tuple[float, float]:
    """Focus the slider's noUiSlider handle and press ArrowLeft; return the headline's Target
    before, and the value expected after (the slider's own label reads it the Indonesian way).

    Each key press commits a value (noUiSlider's "change" event), as a mouse release would, so
    ``continuous_update=False`` does not hold it back; the kernel recomputes for each, the last wins.
    """
    start = float(headline_figure(headline, "Target").inner_text().rstrip("%").replace(",", "."))
    slider.locator(".noUi-handle").focus()
    for _ in range(presses):
        page.keyboard.press("ArrowLeft")
    return start, start - 0.5 * presses


def use_the_picker(page: Page) -> dict:
    """Open "Anggapan (what-if)", search the "Anggap selesai" picker, add the first match, check
    that it is listed with its count and the gain, then remove it with its × button."""
    page.get_by_text("Anggapan (what-if)").click()
    search = page.get_by_placeholder("cari kode, nama dokumen, OPD atau area").first
    search.wait_for(timeout=UPDATE_TIMEOUT * 1000)
    matches = page.locator(".widget-select-multiple select").nth(4)  # after the four filters
    every = matches.locator("option").count()
    search.click()
    page.keyboard.type(SEARCH, delay=40)
    found = page.get_by_text(re.compile(r"^\d+ dari \d+ dokumen cocok$")).first
    found.wait_for(timeout=UPDATE_TIMEOUT * 1000)
    shown = matches.locator("option").count()
    if not 0 < shown < every:
        raise CheckFailed(f"step 'search the picker': '{SEARCH}' left {shown} of {every} documents")
    first = matches.locator("option").first.inner_text()
    matches.select_option(index=0)
    page.get_by_role("button", name="Tambahkan").first.click()
    page.get_by_text("1 dokumen dipilih").wait_for(timeout=UPDATE_TIMEOUT * 1000)
    gain = page.locator(".widget-html", has_text="poin jika 1 dokumen dianggap selesai").first
    gain.wait_for(timeout=UPDATE_TIMEOUT * 1000)
    result = {"search": found.inner_text(), "first": first, "gain": gain.inner_text()}
    page.locator("button.mcp-remove").first.click()
    page.get_by_text("Belum ada dokumen yang dipilih.").first.wait_for(timeout=UPDATE_TIMEOUT * 1000)
    return result


def check(page: Page, lab: Lab, screenshot: Path) -> dict:
    """The browser steps; returns the figures before and after moving the slider, and timings."""
    timings: dict[str, float] = {}
    start = time.monotonic()
    with step("open the notebook"):
        page.goto(lab.url(f"/lab/tree/{NOTEBOOK}"), timeout=PAGE_TIMEOUT * 1000)
        page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=PAGE_TIMEOUT * 1000)
    with step("wait for the kernel"):
        wait_for_kernel(page)
    timings["kernel ready"] = time.monotonic() - start

    with step("run all cells"):
        run_all_cells(page)
        headline = page.locator(".jp-OutputArea-output .widget-html", has_text="Nilai terverifikasi")
        cell_error = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        # Without a working widget manager JupyterLab falls back to the widget's text repr.
        as_text = page.locator(".jp-OutputArea-output[data-mime-type='text/plain']", has_text="VBox(children=")
        headline.or_(cell_error).or_(as_text).first.wait_for(timeout=RUN_TIMEOUT * 1000)
        if cell_error.count():
            raise CheckFailed(f"step 'run all cells': a cell failed:\n{cell_error.first.inner_text()[:1500]}")
        if as_text.count():
            raise CheckFailed("step 'run all cells': the explorer shows as text, not as a widget (no widget manager)")
    timings["widget shown"] = time.monotonic() - start
    with step("wait for the plan"):
        before = plan_shown(headline)
        target_before = headline_figure(headline, "Target").inner_text()
    timings["plan shown"] = time.monotonic() - start

    with step("search the what-if picker"):
        picker = use_the_picker(page)
        plan_shown(headline)
    timings["picker used"] = time.monotonic() - start

    with step("move the Target slider"):
        slider = page.locator(".jp-OutputArea-output .widget-hslider").filter(
            has=page.locator(".widget-label", has_text=re.compile(r"^Target$"))
        )
        slider.scroll_into_view_if_needed()
        _start, value = move_slider_down(page, slider, headline, SLIDER_PRESSES)
        slider_label = page.locator(".jp-OutputArea-output .widget-html", has_text=re.compile(f"^{percent(value)}$"))
        slider_label.first.wait_for(timeout=UPDATE_TIMEOUT * 1000)

    with step("wait for the numbers to change"):
        # The headline's Target follows the slider once the kernel has recomputed everything.
        target_after = percent(value)
        headline_figure(headline, "Target", target_after).wait_for(timeout=UPDATE_TIMEOUT * 1000)
        after = plan_shown(headline)
    timings["numbers changed"] = time.monotonic() - start
    if after == before:
        raise CheckFailed(f"step 'wait for the numbers to change': Rencana is still '{before}' at {value:g}")
    if page.get_by_text("Error displaying widget").count():
        raise CheckFailed("step 'widget rendering': the page shows 'Error displaying widget'")

    with step("screenshot"):
        page.screenshot(path=str(screenshot), full_page=True)
    return {
        "target": (target_before, target_after),
        "rencana": (before, after),
        "slider": value,
        "picker": picker,
        "timings": timings,
    }


# --- main ---------------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def indented(lines: list[str]) -> str:
    """Distinct lines in order of first appearance, with a repeat count, indented for the report."""
    counts = Counter(lines)
    return "\n".join(f"  {line}" + (f" (x{counts[line]})" if counts[line] > 1 else "") for line in counts)


def run(args: argparse.Namespace) -> dict:
    """Start JupyterLab, run the browser steps, always stop the server; raise CheckFailed on failure."""
    console_errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            console_errors.append(message.text)

    with tempfile.TemporaryDirectory(prefix="check-lab-") as scratch:
        lab = Lab(Path(scratch))
        try:
            lab.start()
            with sync_playwright() as p:
                with step("launch Chromium"):
                    browser = p.chromium.launch(executable_path=args.chromium, args=chromium.FLAGS)
                try:
                    page = browser.new_page(viewport={"width": 1400, "height": 1000})
                    page.on("console", on_console)
                    page.on("pageerror", lambda error: console_errors.append(f"uncaught: {error}"))
                    try:
                        result = check(page, lab, args.screenshot)
                    except CheckFailed:
                        with contextlib.suppress(PlaywrightError):
                            page.screenshot(path=str(args.screenshot), full_page=True)
                        raise
                finally:
                    browser.close()
        except CheckFailed as exc:
            widget_errors = [e for e in console_errors if WIDGET_ERROR.search(e)]
            details = [str(exc)]
            if widget_errors:
                details.append(
                    "Widget errors in the browser console (ipywidgets front end):\n" + indented(widget_errors)
                )
            elif console_errors:
                details.append("Browser console errors:\n" + indented(console_errors))
            if args.screenshot.is_file():
                details.append(f"Screenshot: {args.screenshot}")
            details.append("JupyterLab log (last lines):\n" + indented(lab.log_tail()))
            raise CheckFailed("\n".join(details)) from exc
        finally:
            lab.stop()

    widget_errors = [e for e in console_errors if WIDGET_ERROR.search(e)]
    if widget_errors:
        raise CheckFailed("widget errors in the browser console:\n" + indented(widget_errors))
    result["other console errors"] = console_errors
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], epilog="Details: see the module docstring of this script."
    )
    parser.add_argument(
        "--screenshot",
        type=Path,
        default=Path(tempfile.gettempdir()) / "lab-explorer.png",
        help="where to write the full-page screenshot (default: %(default)s)",
    )
    parser.add_argument(
        "--chromium", default=chromium.find() or "/usr/bin/chromium", help="Chromium executable (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    args.screenshot = args.screenshot.resolve()
    args.screenshot.unlink(missing_ok=True)  # so a failure never leaves an old screenshot looking current
    notebook = REPO / "notebooks" / NOTEBOOK
    notebook_hash = sha256(notebook)

    started = time.monotonic()
    try:
        result = run(args)
        if sha256(notebook) != notebook_hash:
            raise CheckFailed(f"{notebook} was modified during the check")
    except CheckFailed as exc:
        print(f"FAILED after {time.monotonic() - started:.1f} s: {exc}", file=sys.stderr)
        return 1

    timings = ", ".join(f"{k} {v:.1f} s" for k, v in result["timings"].items())
    print(f"OK in {time.monotonic() - started:.1f} s ({timings})")
    print(f"Target slider moved to {result['slider']:g}: headline Target {' -> '.join(result['target'])}")
    print(f"Rencana: '{result['rencana'][0]}' -> '{result['rencana'][1]}'")
    picker = result["picker"]
    print(f"Picker: '{SEARCH}' -> {picker['search']}; added '{picker['first']}': {picker['gain']}; removed")
    if result["other console errors"]:
        print("Other browser console errors (not about widgets):\n" + indented(result["other console errors"]))
    print(f"Screenshot: {args.screenshot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
