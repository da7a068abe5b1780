"""Ground truth of the demo list: who each debtor really is.

The records carry names and numbers as courts write them (traditional
characters, full-width digits, legacy 15-digit IDs, …). A matching-quality
test needs the identity behind them, to build query variants and to know which
answers are right; these objects give it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

__all__ = ["Listing", "Org", "Person"]


@dataclass(frozen=True, slots=True)
class Person:
    """A natural person, in canonical form."""

    kind: ClassVar[str] = "person"
    name: str
    """Simplified characters, no spaces, standard middle dot ``·`` in minority names."""
    id_number: str
    """The 18-digit resident ID, upper-case ``X``; the records may carry it as 15 digits."""
    gender: str
    """``男`` or ``女``, consistent with the ID's 17th digit."""
    birth_date: dt.date
    id_listed: bool
    """Whether the court gave the ID on the records (on related-person entries it may not)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "id_number": self.id_number,
            "gender": self.gender,
            "birth_date": self.birth_date.isoformat(),
            "id_listed": self.id_listed,
        }


@dataclass(frozen=True, slots=True)
class Org:
    """An organisation, in canonical form."""

    kind: ClassVar[str] = "organization"
    name: str
    """Simplified characters, full-width brackets as in ``鑫达（柳州）贸易有限公司``."""
    uscc: str
    org_code: str
    """The 9-character organisation code embedded in the USCC, without hyphen."""
    id_listed: str
    """What the records carry: ``uscc``, ``org_code`` (the legacy code only) or ``""``."""
    legal_representative: Person

    @property
    def id_number(self) -> str:
        """The canonical form of the number the records carry, ``""`` if none."""
        if self.id_listed == "uscc":
            return self.uscc
        if self.id_listed == "org_code":
            return self.org_code
        return ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "uscc": self.uscc,
            "org_code": self.org_code,
            "id_listed": self.id_listed,
            "legal_representative": self.legal_representative.as_dict(),
        }


@dataclass(slots=True)
class Listing:
    """One debtor with all of its records and their lifecycle events."""

    truth: Person | Org
    records: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
