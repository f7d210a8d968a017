"""Input problems collected and reported in words an analyst understands."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


def display_path(file: str) -> str:
    """A path as the analyst typed it: relative to the working folder when inside it."""
    try:
        return str(Path(file).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return file


@dataclass(frozen=True)
class Problem:
    """One problem in one input file.

    ``row`` is the row number as Excel shows it (the header is row 1); ``None`` when the
    problem concerns the whole file or a whole column.
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    value: object = None
    expected: str | None = None

    def __str__(self) -> str:
        where = [display_path(self.file)]
        if self.row is not None:
            where.append(f"baris {self.row}")
        if self.column is not None:
            where.append(f"kolom '{self.column}'")
        text = f"{', '.join(where)}: {self.message}"
        if self.value is not None and str(self.value) != "":
            v = self.value
            shown = str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
            shown = shown if len(shown) <= 80 else shown[:77] + "…"
            text += f" (isi: {shown!r})"
        if self.expected:
            text += f"; seharusnya {self.expected}"
        return text


class InputError(Exception):
    """Raised when input files have problems; lists every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]):
        # In the order an analyst walks the file: by file, then row (whole-file problems first).
        self.problems: tuple[Problem, ...] = tuple(
            sorted(problems, key=lambda p: (str(p.file), p.row if p.row is not None else 0))
        )
        super().__init__(self.render())

    @classmethod
    def one(
        cls,
        file: str | Path,
        message: str,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        expected: str | None = None,
    ) -> InputError:
        """The error of a single problem (the arguments of :class:`Problem`):
        ``raise InputError.one(path, "berkas tidak ditemukan", expected="...")``."""
        return cls([Problem(str(file), message, row, column, value, expected)])

    def render(self, limit: int | None = None) -> str:
        problems = self.problems if limit is None else self.problems[:limit]
        n = len(self.problems)
        head = f"Ditemukan {n} masalah pada data masukan:" if n != 1 else "Ditemukan 1 masalah:"
        lines = [head, *(f"  - {p}" for p in problems)]
        if limit is not None and n > limit:
            lines.append(f"  ... dan {n - limit} masalah lain")
        return "\n".join(lines)

    def files(self) -> set[str]:
        return {p.file for p in self.problems}


class Problems:
    """Collector used by the readers and validators: add problems, then raise them together."""

    def __init__(self) -> None:
        self._items: list[Problem] = []

    def add(
        self,
        file: str | Path,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        expected: str | None = None,
    ) -> None:
        self._items.append(Problem(str(file), message, row, column, value, expected))

    def extend(self, other: Iterable[Problem]) -> None:
        self._items.extend(other)

    def __bool__(self) -> bool:
        return bool(self._items)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def items(self) -> tuple[Problem, ...]:
        return tuple(self._items)

    def raise_if_any(self) -> None:
        if self._items:
            raise InputError(self._items)


def _ours(name: str) -> bool:
    """A temporary or backup name this package makes next to a user's file or folder."""
    base = Path(name).name
    return ".tmp" in base or ".bak-" in base


def locked_message(exc: PermissionError) -> str:
    """What to tell an analyst when a file cannot be written because another program holds it
    (on Windows, Excel keeps a workbook it has open locked: it cannot be replaced or renamed, nor
    the folder holding it): the user's file named, never our temporary or backup one."""
    names = [str(n) for n in (exc.filename, exc.filename2) if n]
    name = next((n for n in names if not _ours(n)), names[0] if names else "")
    where = f" {display_path(name)}" if name else ""
    return (
        f"Berkas{where} sedang dipakai program lain atau tidak boleh ditulis ({exc.strerror or exc}): "
        "tutup berkas di Excel lalu ulangi. Tidak ada berkas yang diubah."
    )
