"""List records as courts push them: parsing, validation and record keys."""

from shixin.records.model import (
    RELATED_ROLES,
    Debtor,
    ListRecord,
    RecordProblem,
    RelatedPerson,
    normalize_case_number,
    parse_record,
    record_id_for,
    record_key,
)

__all__ = [
    "RELATED_ROLES",
    "Debtor",
    "ListRecord",
    "RecordProblem",
    "RelatedPerson",
    "normalize_case_number",
    "parse_record",
    "record_id_for",
    "record_key",
]
