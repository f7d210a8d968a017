"""The user guide (docs/panduan.md) cannot drift from the program: every `mcp` command in its code
blocks parses, every `make` target exists, every picture it shows exists, and every error message
it quotes occurs in the package source. Fast; no browser."""

import re
import shlex

import pytest

from mcp_lib.app.cli import build_parser
from mcp_lib.config import PACKAGE_DIR, REPO_ROOT

GUIDE = REPO_ROOT / "docs" / "panduan.md"
TEXT = GUIDE.read_text(encoding="utf-8")
ELLIPSIS = "…"


def _code_lines() -> list[str]:
    """Lines of the fenced shell code blocks (``bash``, ``sh`` or no language), continuations joined."""
    lines = []
    for lang, body in re.findall(r"^```(\w*)\n(.*?)^```", TEXT, re.MULTILINE | re.DOTALL):
        if lang not in ("bash", "sh", "shell", ""):
            continue
        for line in body.replace("\\\n", " ").splitlines():
            if line.strip():
                lines.append(line.strip())
    return lines


def _mcp_commands() -> list[list[str]]:
    """Argument lists of the ``mcp`` / ``.venv/bin/mcp`` command lines in the code blocks."""
    out = []
    for line in _code_lines():
        words = shlex.split(line, comments=True)
        if words and re.fullmatch(r"(\S*/)?mcp", words[0]):
            out.append(words[1:])
    return out


def _inline_mcp_commands() -> list[list[str]]:
    """Inline `.venv/bin/mcp ...` commands in the prose (complete command lines only)."""
    out = []
    for code in re.findall(r"`(\.venv/bin/mcp [^`]+)`", TEXT):
        if "..." not in code and "<" not in code:
            out.append(shlex.split(code)[1:])
    return out


COMMANDS = _mcp_commands() + _inline_mcp_commands()
SUBCOMMANDS = set(build_parser()._subparsers._group_actions[0].choices)


def _subcommand(argv: list[str]) -> str:
    """The subcommand of an argument list (after global options such as ``--data-dir DIR``)."""
    rest = list(argv)
    while rest and rest[0].startswith("-"):
        rest = rest[2:] if rest[0] == "--data-dir" else rest[1:]
    return rest[0] if rest else ""


def test_guide_has_commands():
    assert len(COMMANDS) >= 15
    for needed in ("init", "snapshot", "brief", "batch", "lab", "validate"):
        assert needed in {_subcommand(c) for c in COMMANDS}, needed


@pytest.mark.parametrize("argv", COMMANDS, ids=[" ".join(c)[:60] for c in COMMANDS])
def test_guide_mcp_commands_parse(argv):
    sub = _subcommand(argv)
    assert not sub or sub in SUBCOMMANDS, f"the guide mentions `mcp {sub}`, which does not exist"
    if "--help" in argv:
        return  # argparse prints the help and exits; the subcommand exists
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
    except SystemExit as exc:  # argparse exits on a bad command line
        pytest.fail(f"`mcp {' '.join(argv)}` does not parse (exit {exc.code})")
    assert not extra or args.command == "lab", f"`mcp {' '.join(argv)}`: unknown arguments {extra}"


def test_guide_make_targets_exist():
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, re.MULTILINE))
    found = re.findall(r"\bmake ([a-z-]+)", TEXT)
    assert found
    for target in found:
        assert target in targets, f"the guide mentions `make {target}`"


def test_guide_images_exist():
    images = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", TEXT)
    assert len(images) >= 4
    for image in images:
        path = (GUIDE.parent / image).resolve()
        assert path.is_file(), f"the guide shows {image}, which does not exist (scripts/screenshots.py)"
        assert path.stat().st_size < 300_000, f"{image} is larger than 300 KB"


def _quoted_messages() -> list[str]:
    """First-column messages of the table in section 8 ("Pesan kesalahan")."""
    section = TEXT.split("## 8. Pesan kesalahan", 1)[1]
    return re.findall(r"^\| `([^`]+)` \|", section, re.MULTILINE)


MESSAGES = _quoted_messages()
SOURCE = "\n".join(p.read_text(encoding="utf-8") for p in sorted(PACKAGE_DIR.rglob("*.py")))


def test_guide_quotes_messages():
    assert len(MESSAGES) >= 20
    for needed in (
        "kolom wajib tidak ada",
        "kode dokumen tidak dikenal",
        "OPD tidak terdaftar di pemda.toml",
    ):
        assert needed in MESSAGES


@pytest.mark.parametrize("message", MESSAGES)
def test_guide_messages_occur_in_source(message):
    """``…`` in the guide stands for the varying part (an f-string field in the source)."""
    parts = [p.strip() for p in message.split(ELLIPSIS) if p.strip()]
    pattern = r".{0,80}?".join(re.escape(p) for p in parts)
    assert re.search(pattern, SOURCE), f"the guide quotes {message!r}, which mcp_lib never says"
