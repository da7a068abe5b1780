"""docs/lifecycle.md stays in step with the code it describes."""

from __future__ import annotations

from pathlib import Path

from shixin.lifecycle import mermaid
from shixin.lifecycle.memory import CODES

DOC = Path(__file__).resolve().parents[2] / "docs" / "lifecycle.md"


def test_state_diagram_in_the_doc_is_the_generated_one() -> None:
    """The Mermaid block between the diagram markers is exactly shixin.lifecycle.mermaid()."""
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- diagram:start -->\n", 1)[1].split("<!-- diagram:end -->", 1)[0]
    assert block == f"```mermaid\n{mermaid()}```\n"


def test_rejection_reasons_in_the_doc_exist() -> None:
    """Every lifecycle reason the push table names is a real TransitionError code."""
    text = DOC.read_text(encoding="utf-8")
    named = {c for c in (code.upper() for code in CODES) if f"`{c}`" in text}
    assert {"CORRECTION_TOO_LATE", "NOT_ACTIVE", "TERMINAL", "NOT_SHIELDED",
            "NO_PENDING_REQUEST", "FUTURE_EVENT", "OUT_OF_ORDER"} <= named
