"""Test-session guards for the compiled modules (``python3 tasks.py native``), and the
hypothesis profile CI runs with.

Python prefers a module's C extension to its source, so pytest would otherwise
test stale extensions after a source edit, and fail to collect the doctests of
compiled modules (it imports the extension, not the file it was given). Their
doctests run from the sources in ``tests/test_native.py`` instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

import tasks

# CI draws the same examples on every run (a red CI must mean a change broke something,
# not that a new example turned up); elsewhere property tests keep exploring, and
# hypothesis replays what failed before from .hypothesis/.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_sessionstart(session: pytest.Session) -> None:
    """Refuse to test compiled modules built from other sources than those checked out."""
    why = tasks.native_stale()
    if why:
        pytest.exit(f"{why}: run `python3 tasks.py native` (or `python3 tasks.py pure`)",
                    returncode=3)


def pytest_ignore_collect(collection_path: Path) -> bool | None:
    """Leave compiled modules' sources to tests/test_native.py (see the module docstring)."""
    if collection_path.suffix == ".py" and tasks.compiled(collection_path):
        return True
    return None
