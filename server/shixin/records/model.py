"""The court's list record (list-record.md): typed, validated, keyed.

A record arrives as a JSON object (or a CSV row already un-flattened by the
reader). ``parse_record`` checks every field and raises ``RecordProblem``
naming the first field at fault; identity numbers that fail their checks are
*kept* and reported in ``id_problems`` — a court's typo must never make a
debtor disappear from the list.

The key of a record is ``(case_number, debtor.id_number)``, or
``(case_number, debtor.name)`` where the debtor has no ID number; both parts
are normalised first so that full-width brackets or a lower-case ``x`` do not
create a second record.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from shixin.errors import InvalidArgument
from shixin.ids import IdKind, ParsedId, parse
from shixin.names import normalize_org, normalize_person

RELATED_ROLES = (
    "legal_representative",
    "principal",
    "actual_controller",
    "director",
    "supervisor",
    "senior_manager",
    "directly_responsible",
)
_KINDS = {
    "person": "person", "个人": "person", "自然人": "person",
    "organization": "organization", "organisation": "organization", "单位": "organization",
    "法人或其他组织": "organization", "法人": "organization",
}
_ID_KINDS = frozenset(IdKind)
_TRUE = {"true", "1", "yes", "y", "是", "公开"}
_FALSE = {"false", "0", "no", "n", "否", "不公开"}


class RecordProblem(InvalidArgument):
    """A record field is missing or malformed."""


def normalize_case_number(case_number: str) -> str:
    """Fold a case number so that width and spacing variants are one key.

    >>> normalize_case_number("（2019）桂0202执1234号")
    '(2019)桂0202执1234号'
    >>> normalize_case_number(" (2019) 桂0202执 1234号 ")
    '(2019)桂0202执1234号'
    """
    text = case_number
    while True:  # NFKC can expose spaces ("¯" → " ̄") and then compose across them
        folded = "".join(unicodedata.normalize("NFKC", text).split())
        folded = folded.replace("〔", "(").replace("〕", ")")
        if folded == text:
            return folded
        text = folded


def record_key(case_number: str, debtor_kind: str, id_compact: str, name: str) -> str:
    """The record key as one string: case number plus ID number, or plus name.

    >>> record_key("（2019）桂0202执1234号", "person", "", "張 三")
    '(2019)桂0202执1234号|n:张三'
    """
    case = normalize_case_number(case_number)
    if id_compact:
        return f"{case}|i:{id_compact}"
    norm = normalize_person(name) if debtor_kind == "person" else normalize_org(name)
    return f"{case}|n:{norm}"


def record_id_for(key: str) -> str:
    """A short opaque id derived from the key (stable across imports).

    >>> record_id_for("(2019)桂0202执1234号|i:450202198001011232")
    '464095f0251693ff'
    """
    return hashlib.blake2b(key.encode(), digest_size=8).hexdigest()


@dataclass(frozen=True, slots=True)
class Debtor:
    """The listed debtor."""

    kind: str
    name: str
    id_type: str
    id_number: str
    gender: str
    parsed_id: ParsedId | None


@dataclass(frozen=True, slots=True)
class RelatedPerson:
    """A person tied to an organisation debtor, with the role."""

    role: str
    name: str
    id_number: str
    parsed_id: ParsedId | None


@dataclass(frozen=True, slots=True)
class ListRecord:
    """One record: one debtor in one case."""

    case_number: str
    debtor: Debtor
    related_persons: tuple[RelatedPerson, ...]
    court: str
    province: str
    basis_document_number: str
    basis_issuer: str
    filed_on: date | None
    published_on: date
    expires_on: date | None
    obligation: str
    performance: str
    circumstances: str
    public: bool
    id_problems: tuple[str, ...] = field(default=())

    @property
    def key(self) -> str:
        """The record key (see module docstring)."""
        compact = self.debtor.parsed_id.compact if self.debtor.parsed_id else ""
        return record_key(self.case_number, self.debtor.kind, compact, self.debtor.name)

    @property
    def record_id(self) -> str:
        """The opaque record id."""
        return record_id_for(self.key)

    def to_json(self) -> dict[str, Any]:
        """The record in interchange form (field order of the spec)."""
        debtor: dict[str, Any] = {"kind": self.debtor.kind, "name": self.debtor.name}
        if self.debtor.id_type:
            debtor["id_type"] = self.debtor.id_type
        if self.debtor.id_number:
            debtor["id_number"] = self.debtor.id_number
        if self.debtor.gender:
            debtor["gender"] = self.debtor.gender
        out: dict[str, Any] = {"case_number": self.case_number, "debtor": debtor}
        if self.related_persons:
            out["related_persons"] = [
                {"role": p.role, "name": p.name,
                 **({"id_number": p.id_number} if p.id_number else {})}
                for p in self.related_persons
            ]
        out["court"] = self.court
        for name in ("province", "basis_document_number", "basis_issuer"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        if self.filed_on:
            out["filed_on"] = self.filed_on.isoformat()
        out["published_on"] = self.published_on.isoformat()
        if self.expires_on:
            out["expires_on"] = self.expires_on.isoformat()
        for name in ("obligation", "performance", "circumstances"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        out["public"] = self.public
        return out


def _text(obj: Mapping[str, Any], name: str, field_name: str, *, required: bool = False) -> str:
    value = obj.get(name)
    if type(value) is str:  # nearly always: the checks below need not run
        text = value.strip()
    else:
        if value is None:
            value = ""
        if not isinstance(value, str | int):
            raise RecordProblem(f"must be a string, not {type(value).__name__}",
                                field=field_name, reason="FIELD_TYPE")
        text = str(value).strip()
    if required and not text:
        raise RecordProblem("is required", field=field_name, reason="FIELD_REQUIRED")
    return text


def parse_date(value: Any, field_name: str, *, required: bool = False) -> date | None:
    """Parse an ISO date field, with a message that names the field and the value.

    >>> parse_date("2019-06-01", "published_on")
    datetime.date(2019, 6, 1)
    >>> parse_date("2019-13-01", "published_on")
    Traceback (most recent call last):
    ...
    shixin.records.model.RecordProblem: published_on: '2019-13-01' is not an ISO date (YYYY-MM-DD)
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RecordProblem("is required", field=field_name, reason="FIELD_REQUIRED")
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise RecordProblem(f"{value!r} is not an ISO date (YYYY-MM-DD)", field=field_name,
                            reason="BAD_DATE") from None


def _public(value: Any) -> bool:
    if value is None or value == "":
        return True
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise RecordProblem(f"{value!r} is not true or false", field="public", reason="BAD_BOOL")


PARSE_CACHE_SIZE = 1 << 16


@lru_cache(maxsize=PARSE_CACHE_SIZE)
def _parse_cached(raw: str, id_type: str) -> ParsedId:
    """``ids.parse``, memoised: a list repeats a debtor's number in each of their cases
    (and an officer's in each of the organisation's), and an import parses every row.
    ``ParsedId`` is frozen, so records may share one."""
    return parse(raw, id_type or None)


def _parse_id(raw: str, id_type: str, field_name: str, problems: list[str]) -> ParsedId | None:
    if not raw:
        return None
    parsed = _parse_cached(raw, id_type)
    if not parsed.valid:
        problems.append(f"{field_name} {raw!r}: {parsed.problem}")
    return parsed


def parse_record(obj: Mapping[str, Any]) -> ListRecord:
    """Validate one record object; raise RecordProblem naming the field at fault."""
    if not isinstance(obj, Mapping):
        raise RecordProblem("a record must be a JSON object", reason="NOT_AN_OBJECT")
    problems: list[str] = []
    case_number = _text(obj, "case_number", "case_number", required=True)
    raw_debtor = obj.get("debtor")
    if not isinstance(raw_debtor, Mapping):
        raise RecordProblem("is required and must be an object", field="debtor",
                            reason="FIELD_REQUIRED")
    kind_text = _text(raw_debtor, "kind", "debtor.kind", required=True)
    kind = _KINDS.get(kind_text.lower())
    if kind is None:
        raise RecordProblem(f"{kind_text!r} is not 'person' or 'organization'",
                            field="debtor.kind", reason="BAD_KIND")
    name = _text(raw_debtor, "name", "debtor.name", required=True)
    id_type = _text(raw_debtor, "id_type", "debtor.id_type").lower()
    if id_type and id_type not in _ID_KINDS:
        raise RecordProblem(
            f"{id_type!r} is not one of {', '.join(k.value for k in IdKind)}",
            field="debtor.id_type", reason="BAD_ID_TYPE")
    id_number = _text(raw_debtor, "id_number", "debtor.id_number")
    debtor = Debtor(
        kind=kind, name=name, id_type=id_type, id_number=id_number,
        gender=_text(raw_debtor, "gender", "debtor.gender") if kind == "person" else "",
        parsed_id=_parse_id(id_number, id_type, "debtor.id_number", problems),
    )
    related = _parse_related(obj.get("related_persons"), problems)
    published_on = parse_date(obj.get("published_on"), "published_on", required=True)
    assert published_on is not None
    expires_on = parse_date(obj.get("expires_on"), "expires_on")
    if expires_on is not None and expires_on < published_on:
        raise RecordProblem(f"{expires_on} is before published_on {published_on}",
                            field="expires_on", reason="BAD_DATE_ORDER")
    return ListRecord(
        case_number=case_number,
        debtor=debtor,
        related_persons=related,
        court=_text(obj, "court", "court", required=True),
        province=_text(obj, "province", "province"),
        basis_document_number=_text(obj, "basis_document_number", "basis_document_number"),
        basis_issuer=_text(obj, "basis_issuer", "basis_issuer"),
        filed_on=parse_date(obj.get("filed_on"), "filed_on"),
        published_on=published_on,
        expires_on=expires_on,
        obligation=_text(obj, "obligation", "obligation"),
        performance=_text(obj, "performance", "performance"),
        circumstances=_text(obj, "circumstances", "circumstances"),
        public=_public(obj.get("public")),
        id_problems=tuple(problems),
    )


def _parse_related(value: Any, problems: list[str]) -> tuple[RelatedPerson, ...]:
    if value is None or value == "" or value == []:
        return ()
    if not isinstance(value, list):
        raise RecordProblem("must be a list of {role, name, id_number}",
                            field="related_persons", reason="FIELD_TYPE")
    out = []
    for i, item in enumerate(value):
        where = f"related_persons[{i}]"
        if not isinstance(item, Mapping):
            raise RecordProblem("must be an object", field=where, reason="FIELD_TYPE")
        role = _text(item, "role", f"{where}.role", required=True).lower()
        if role not in RELATED_ROLES:
            raise RecordProblem(f"{role!r} is not one of {', '.join(RELATED_ROLES)}",
                                field=f"{where}.role", reason="BAD_ROLE")
        id_number = _text(item, "id_number", f"{where}.id_number")
        out.append(RelatedPerson(
            role=role,
            name=_text(item, "name", f"{where}.name", required=True),
            id_number=id_number,
            parsed_id=_parse_id(id_number, "",
                                f"{where}.id_number", problems),
        ))
    return tuple(out)
