"""Who is calling: roles and the authenticated principal.

Roles:

* ``court``: a court that publishes records (``court`` names it);
* ``unit``: a 联合惩戒 unit (bank, customs …) applying measures; ``measures``
  are the measure codes it may give as the purpose of a look-up;
* ``public``: an anonymous caller of the public query (``id`` is
  ``"public:<peer>"``);
* ``admin``: operates the service (units, tokens, certificates).
"""

from dataclasses import dataclass, field
from enum import StrEnum

PUBLIC_PREFIX = "public:"


class Role(StrEnum):
    COURT = "court"
    UNIT = "unit"
    PUBLIC = "public"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller. Construction checks the fields fit the role.

    >>> Principal("bank-x", "unit", measures=frozenset({"bank.loan"})).role
    <Role.UNIT: 'unit'>
    """

    id: str
    role: Role
    court: str | None = None
    measures: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", Role(self.role))
        object.__setattr__(self, "measures", frozenset(self.measures))
        if not self.id.strip():
            raise ValueError("principal id must not be empty")
        if self.role is Role.COURT and not (self.court and self.court.strip()):
            raise ValueError(f"court principal {self.id!r} needs the court it pushes for")
        if self.role is not Role.COURT and self.court is not None:
            raise ValueError(f"only court principals have a court, not {self.role} {self.id!r}")
        if (self.role is Role.PUBLIC) != self.id.startswith(PUBLIC_PREFIX):
            raise ValueError(
                f"public principals, and only they, have ids starting {PUBLIC_PREFIX!r}: "
                f"{self.role} {self.id!r}"
            )

    @classmethod
    def public(cls, client_id: str) -> "Principal":
        """The principal of an anonymous public caller (``client_id``: peer or client key)."""
        return cls(PUBLIC_PREFIX + client_id, Role.PUBLIC)

    def describe(self) -> str:
        """``unit 'bank-x'``: how messages name the caller."""
        return f"{self.role} {self.id!r}"
