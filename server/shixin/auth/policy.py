"""Who may do what: pure checks, no I/O, no gRPC.

Each ``check_*`` returns None or raises :class:`PermissionDenied` whose reason
says who, what and why, so a refused caller (and the audit log) can tell.

Decisions:

* Units look up only for a measure they are assigned (purpose limitation:
  every unit look-up is tied to a legal measure in the audit log).
* Public callers may look up, but only by full name *and* full, valid ID
  number, as the national query platform requires; they see masked IDs.
* Courts may look up with any purpose (or none): as the data controllers of
  the list they must check whether a person is already listed before
  publishing, and they see full IDs and non-public data.
* Admins may not look people up, nor push: operating the service is not a
  purpose (separation of duties). An operator who must look someone up does
  it through a unit credential, so the purpose is on record.
* Only courts push, and only records of their own court.
"""

from shixin.auth.errors import PermissionDenied
from shixin.auth.roles import Principal, Role


def _measures(principal: Principal) -> str:
    return ", ".join(sorted(principal.measures))


def check_match(principal: Principal, purpose: str | None) -> None:
    """May ``principal`` look up a person for ``purpose`` (a measure code)?"""
    purpose = (purpose or "").strip()
    match principal.role:
        case Role.PUBLIC | Role.COURT:
            return
        case Role.ADMIN:
            raise PermissionDenied(
                f"{principal.describe()} may not look people up: administration is not a "
                "purpose; use a unit credential whose measures cover the look-up"
            )
        case Role.UNIT:
            if not principal.measures:
                raise PermissionDenied(
                    f"{principal.describe()} may not look people up: it has no measures assigned"
                )
            if not purpose:
                raise PermissionDenied(
                    f"{principal.describe()} must give the purpose of the look-up: one of its "
                    f"measures ({_measures(principal)})"
                )
            if purpose not in principal.measures:
                raise PermissionDenied(
                    f"{principal.describe()} may not query for purpose {purpose!r}: its "
                    f"measures are {_measures(principal)}"
                )


def check_push(principal: Principal, record_court: str) -> None:
    """May ``principal`` publish, change or withdraw a record of ``record_court``?"""
    if principal.role is not Role.COURT:
        raise PermissionDenied(
            f"{principal.describe()} may not push records: only courts publish to the list"
        )
    record_court = record_court.strip()
    if not record_court:
        raise PermissionDenied("the record names no court, so no court may push it")
    own = (principal.court or "").strip()
    if record_court != own:
        raise PermissionDenied(
            f"{principal.describe()} may push only records of {own!r}, not of {record_court!r}"
        )


def check_public_query(name: str, id_number_is_full_valid: bool) -> None:
    """Refuse a public look-up without full name and full, valid ID number.

    The caller validates the ID number (18 digits/X, checksum, no masking);
    this only decides. Name-only or partial-ID searches would let anyone
    enumerate the list.
    """
    missing = []
    if not name.strip():
        missing.append("the name")
    if not id_number_is_full_valid:
        missing.append("a full, valid 18-digit ID number (partial or masked numbers do not count)")
    if missing:
        raise PermissionDenied(
            "public queries need both the full name and the full ID number, as on the national "
            f"query platform; missing: {' and '.join(missing)}"
        )


def can_see_full_ids(principal: Principal) -> bool:
    """Full ID numbers in answers: courts and units (they identify their own clients)."""
    return principal.role in (Role.COURT, Role.UNIT)


def can_see_nonpublic(principal: Principal, record_court: str | None = None) -> bool:
    """Non-public records (依法不宜公开): the authorised units, and courts.

    list-record.md: such a record "is visible to the authorised units and never
    to public queries". With ``record_court`` given, a court sees only its own.
    """
    if principal.role is Role.UNIT:
        return True
    if principal.role is not Role.COURT:
        return False
    return record_court is None or record_court.strip() == (principal.court or "").strip()
