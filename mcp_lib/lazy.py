"""Faces of the package's wings: a subpackage's ``__init__`` names its public names and the module
each lives in, and they are imported when first used (PEP 562), not with the subpackage.

Importing one module of a wing (``mcp_lib.plan.optimise``) runs the wing's ``__init__`` first; a
face that imported its modules there would make every import as costly as the whole wing (and
``python -m mcp_lib setup`` runs on a Python without the dependencies).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any

__all__ = ["face"]


def face(package: str, public: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of *package*, whose public names are *public*
    (name → module of the package that defines it, relative to the package)."""
    namespace = import_module(package).__dict__

    def __getattr__(name: str) -> Any:
        module = public.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *public})

    return __getattr__, __dir__
