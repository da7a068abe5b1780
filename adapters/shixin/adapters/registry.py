"""Adapters looked up by name (the factory, one place to register a new system)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from shixin.adapters.base import UnitAdapter
from shixin.adapters.journal import JournalAdapter

_FACTORIES: dict[str, Callable[..., UnitAdapter]] = {
    "journal": lambda unit, purpose, path, **_: JournalAdapter(unit, purpose, Path(path)),
}


def available() -> list[str]:
    """Names of the registered adapters."""
    return sorted(_FACTORIES)


def create(name: str, **options: Any) -> UnitAdapter:
    """Build an adapter by name; ValueError naming the choices when unknown."""
    try:
        factory = _FACTORIES[name]
    except KeyError:
        raise ValueError(f"unknown adapter {name!r}; available: {', '.join(available())}") \
            from None
    return factory(**options)
