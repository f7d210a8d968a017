"""The locked install: `python -m mcp_lib setup` (and `make`, which calls it) and the lock files."""

import subprocess
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from mcp_lib import install
from mcp_lib.config import REPO_ROOT


def _pins(name: str) -> dict[str, tuple[str, Requirement]]:
    """``{normalised name: (version, requirement)}`` of the lock's entries that apply here."""
    out = {}
    for line in (REPO_ROOT / name).read_text(encoding="utf-8").splitlines():
        if not line[:1].isalnum():
            continue  # hashes, comments, options
        req = Requirement(line.split("\\")[0].strip())
        assert str(req.specifier).startswith("=="), f"{name}: {line} is not pinned"
        if req.marker is None or req.marker.evaluate():
            out[req.name.lower().replace("_", "-")] = (str(req.specifier)[2:], req)
    return out


def _hashed(name: str) -> bool:
    lines = (REPO_ROOT / name).read_text(encoding="utf-8").splitlines()
    entries = [i for i, line in enumerate(lines) if line[:1].isalnum()]
    return all("--hash=sha256:" in lines[i + 1] for i in entries)


def test_this_environment_has_exactly_the_locked_versions():
    """What `make` installed is what requirements-dev.lock pins, package by package."""
    if Path(sys.prefix).resolve() != (REPO_ROOT / ".venv").resolve():
        pytest.skip("not running in the project's .venv (the one make brief installs)")
    wrong = []
    for name, (pinned, _) in _pins(install.DEV_LOCK).items():
        try:
            have = version(name)
        except PackageNotFoundError:
            have = "absent"
        if have != pinned:
            wrong.append(f"{name}: locked {pinned}, installed {have}")
    assert wrong == []


def test_the_locks_agree_and_fit_pyproject():
    """Every dependency pyproject.toml names (ranges, for people installing the package as a
    library) is pinned inside its range, the dev lock pins the runtime lock's versions, and every
    entry carries its hashes."""
    runtime, dev = _pins(install.LOCK), _pins(install.DEV_LOCK)
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    for lock, specs in ((runtime, project["dependencies"] + extras["distributed"]), (dev, extras["dev"])):
        for spec in specs:
            req = Requirement(spec)
            name = req.name.lower().replace("_", "-")
            assert name in lock, f"{name} is in pyproject.toml but not locked: run make lock"
            assert req.specifier.contains(lock[name][0], prereleases=True), f"{name} {lock[name][0]} not in {spec}"
    assert {n: v for n, (v, _) in runtime.items()} == {n: dev[n][0] for n in runtime}
    assert _hashed(install.LOCK) and _hashed(install.DEV_LOCK)


def test_plan_on_windows_and_linux(tmp_path):
    """A new .venv is made with the running Python; pip runs as the venv's own python (on Windows
    `.venv\\Scripts\\python.exe`), from the lock with hashes, then the project without dependencies."""
    root = tmp_path / "proyek"
    root.mkdir()
    for name in (install.LOCK, install.DEV_LOCK, "pyproject.toml"):
        (root / name).write_text(f"{name}\n", encoding="utf-8")
    for windows, py in ((True, Path("Scripts") / "python.exe"), (False, Path("bin") / "python")):
        p = install.plan(root, python="py311", windows=windows)
        cmds = [cmd for _, cmd in p.steps]
        assert cmds[0] == ("py311", "-m", "venv", str(root / ".venv"))
        target = str(root / ".venv" / py)
        assert cmds[2] == (
            target,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--require-hashes",
            "-r",
            str(root / "requirements.lock"),
        )
        assert cmds[3] == (target, "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(root))
        assert p.stamp == root / ".venv" / ".installed"
    assert install.venv_command(Path(".venv"), "mcp", windows=True) == Path(".venv") / "Scripts" / "mcp.exe"
    dev = install.plan(root, dev=True, python="py311", windows=False)
    assert str(root / "requirements-dev.lock") in dev.steps[2][1]
    here = install.plan(root, here=True, python="py311")
    assert [cmd[0] for _, cmd in here.steps] == ["py311"] * 3  # no venv: into this Python
    # The stamp follows the lock and pyproject.toml: a new lock means a new install.
    before = install.lock_digest(root, install.LOCK)
    (root / install.LOCK).write_text("changed\n", encoding="utf-8")
    assert install.lock_digest(root, install.LOCK) != before


def test_setup_runs_on_a_bare_python_and_says_what_is_wrong(tmp_path):
    """`python -m mcp_lib setup` imports nothing but the standard library before installing (the
    package's public names load when first used), and a failing step is told in words."""
    code = (
        "import sys; sys.argv = ['mcp_lib', 'setup', '--help'];"
        "import runpy\ntry: runpy.run_module('mcp_lib', run_name='__main__')\nexcept SystemExit: pass\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'altair', 'papermill') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert "versi terkunci" in out.stdout and out.stdout.strip().endswith("[]")
    # A step that fails (here: a Python that does not exist makes the venv) stops with its words.
    missing = tmp_path / "tidak-ada" / "python"
    code = (
        "import sys; from mcp_lib import install; "
        f"sys.executable = {str(missing)!r}; "
        f"raise SystemExit(install.setup(['--venv', {str(tmp_path / 'venv')!r}]))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True)
    assert done.returncode == 1
    assert "Gagal: membuat lingkungan Python .venv" in done.stderr
    assert "Traceback" not in done.stderr


def test_setup_skips_an_environment_made_from_the_same_lock(tmp_path, capsys):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "Scripts").mkdir()
    p = install.plan(install.ROOT, venv=venv)
    p.stamp.write_text(p.digest + "\n", encoding="utf-8")
    assert install.setup(["--venv", str(venv)]) == 0
    assert "Sudah terpasang sesuai requirements.lock" in capsys.readouterr().out
