"""Paths and defaults, anchored on the installed package, never on the working directory."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
DATA_DIR = REPO_ROOT / "data"
"""The bundled data root: ``frameworks/`` and ``pemda/`` (illustrative sample data)."""
BUNDLED_FRAMEWORKS_DIR = DATA_DIR / "frameworks"
REFERENCE_DIR = DATA_DIR / "reference"
OUTPUTS_DIR = REPO_ROOT / "outputs"

FRAMEWORK_YEARS = (2000, 2100)
"""The framework years accepted anywhere: ``framework = 2023`` in ``pemda.toml``, ``year`` in
``framework.toml`` and the framework workbook, and the command line's years."""

DEFAULT_TARGET = 90.0
"""Score the pemda aims for, percent (0–100)."""
DEFAULT_CONFIDENCE = 0.8
"""*Keyakinan*: the chance of reaching the target the plan is sized for (``--confidence``). A
setting the meeting chooses, never an estimate; 0.8 matches the brief's "8 dari 10" bands."""

MAX_EFFORT_DAYS = 365.0
"""Most person-days one evidence document may take (a year of one person's work): a larger value
is a typing or pasting mistake (an employee number in the effort column), refused with its row."""
MAX_CAPACITY_DAYS = 5000.0
"""Most person-days per month an OPD may put into MCP evidence (250 staff full time)."""

PEMDA_KINDS: tuple[str, ...] = ("provinsi", "kabupaten", "kota")
APPLIES_TO: tuple[str, ...] = ("semua", *PEMDA_KINDS)


def inside(path: Path, root: Path) -> bool:
    """Whether ``path``, with every symlink followed, stays inside ``root`` (data folders are
    never followed out of through a symlink)."""
    try:
        Path(path).resolve().relative_to(Path(root).resolve())
        return True
    except (ValueError, OSError):
        return False


def frameworks_dirs(data_dir: Path | None = None) -> list[Path]:
    """Folders searched for ``mcp-<year>`` frameworks: the data root's, then the bundled one."""
    dirs = []
    if data_dir is not None:
        dirs.append(Path(data_dir) / "frameworks")
    if BUNDLED_FRAMEWORKS_DIR not in dirs:
        dirs.append(BUNDLED_FRAMEWORKS_DIR)
    return dirs
