"""Record use cases: push records and events, get a record, its history, overdue actions."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from shixin.auth import Principal, Role, can_see_full_ids, can_see_nonpublic, check_push
from shixin.errors import InvalidArgument, NotFound, PermissionDenied
from shixin.lifecycle import open_deadlines
from shixin.records import parse_record
from shixin.service.clock import Clock
from shixin.service.guard import guarded
from shixin.service.views import RecordView, record_view
from shixin.store import ApplyResult, ReadView, Store, Writer
from shixin.store.lookup import find_record_id


@dataclass(frozen=True, slots=True)
class Overdue:
    """A court action past its legal deadline."""

    record_id: str
    case_number: str
    court: str
    kind: str
    since: date
    due_on: date
    days_overdue: int
    description: str


def is_event(obj: Mapping[str, Any]) -> bool:
    """Events carry an 'event' field; records carry a debtor."""
    return "event" in obj


class RecordService:
    """Pushes (one atomic write each), reads and reports."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self.changed = threading.Condition()

    def push(self, principal: Principal, obj: Mapping[str, Any]) -> ApplyResult:
        """Apply one record or event atomically; raise a ShixinError when rejected."""
        if principal.role not in (Role.COURT, Role.ADMIN):
            raise PermissionDenied(f"{principal.role.value} callers may not push records",
                                   reason="NOT_A_COURT")
        today = self.clock()
        with self.store.write_txn() as txn:
            writer = Writer(self.store, txn, today=today, principal=principal.id)
            writer.catch_up_expiries()
            if is_event(obj):
                self._check_event_court(principal, ReadView(self.store, txn), obj)
                result = writer.put_event(obj)
            else:
                record = parse_record(obj)
                guarded(check_push, principal, record.court)
                existing = ReadView(self.store, txn).get(record.record_id)
                if existing is not None:
                    guarded(check_push, principal, existing.record.get("court", ""))
                result = writer.put_record(record)
            feed_added = writer.feed_added
        if feed_added:
            with self.changed:
                self.changed.notify_all()
        return result

    def _check_event_court(self, principal: Principal, view: ReadView,
                           obj: Mapping[str, Any]) -> None:
        rid = find_record_id(lambda r: view.get(r) is not None,
                             str(obj.get("case_number") or ""), str(obj.get("id_number") or ""),
                             str(obj.get("name") or ""))
        rec = view.get(rid) if rid else None
        if rec is not None:
            guarded(check_push, principal, rec.record.get("court", ""))

    def _find(self, view: ReadView, principal: Principal, record_id: str, case_number: str,
              id_number: str, name: str) -> Any:
        if record_id:
            rec = view.get(record_id)
        elif case_number and (id_number or name):
            rec = view.find(case_number, id_number, name)
        else:
            raise InvalidArgument("give record_id, or case_number with debtor_id_number or "
                                  "debtor_name", field="record_id", reason="NO_KEY")
        if rec is None or (not rec.public and not can_see_nonpublic(principal)):
            raise NotFound("no such record", reason="RECORD_NOT_FOUND")
        if principal.role == Role.PUBLIC and not rec.status(self.clock()).active:
            raise NotFound("no such record", reason="RECORD_NOT_FOUND")
        return rec

    def get(self, principal: Principal, *, record_id: str = "", case_number: str = "",
            id_number: str = "", name: str = "") -> RecordView:
        """One record with its state as of today."""
        with self.store.read_txn() as txn:
            view = ReadView(self.store, txn)
            rec = self._find(view, principal, record_id, case_number, id_number, name)
            return record_view(rec, self.clock(), whole_ids=can_see_full_ids(principal))

    def history(self, principal: Principal, *, record_id: str = "", case_number: str = "",
                id_number: str = "", name: str = "") -> tuple[RecordView, list[dict[str, Any]]]:
        """A record and every version and event ever accepted for it, oldest first."""
        if principal.role == Role.PUBLIC:
            raise PermissionDenied("public callers may not read record histories",
                                   reason="PUBLIC_NO_HISTORY")
        with self.store.read_txn() as txn:
            view = ReadView(self.store, txn)
            rec = self._find(view, principal, record_id, case_number, id_number, name)
            whole = can_see_full_ids(principal)
            return record_view(rec, self.clock(), whole_ids=whole), view.history(rec.record_id)

    def overdue(self, principal: Principal, *, court: str = "",
                as_of: date | None = None) -> list[Overdue]:
        """Court actions past their deadline, by court then deadline."""
        if principal.role == Role.PUBLIC:
            raise PermissionDenied("public callers may not list overdue actions",
                                   reason="PUBLIC_NO_REPORTS")
        if principal.role == Role.COURT:
            if court and court != principal.court:
                raise PermissionDenied(f"court {principal.court!r} may not list another "
                                       f"court's overdue actions", reason="OTHER_COURT")
            court = principal.court or ""
        today = as_of or self.clock()
        out: list[Overdue] = []
        limit = f"{today:%Y%m%d}".encode()
        with self.store.read_txn() as txn:
            view = ReadView(self.store, txn)
            seen: set[str] = set()
            with txn.cursor(db=self.store.dbs["due"]) as cur:
                for key in cur.iternext(keys=True, values=False):
                    if bytes(key[:8]) >= limit:
                        break
                    rid = bytes(key[8:]).decode()
                    if rid in seen:
                        continue
                    seen.add(rid)
                    rec = view.get(rid)
                    if rec is None or (court and rec.record.get("court") != court):
                        continue
                    for d in open_deadlines(rec.published_on, rec.expires_on, rec.events,
                                            today):
                        if d.due_on < today:
                            out.append(Overdue(rid, rec.record["case_number"],
                                               rec.record.get("court", ""), d.kind, d.since,
                                               d.due_on, (today - d.due_on).days,
                                               d.description))
        out.sort(key=lambda o: (o.court, o.due_on, o.case_number))
        return out


def parse_json_line(line: str) -> dict[str, Any]:
    """One interchange-format line (record or event) as an object, with a precise error."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InvalidArgument(f"not valid JSON: {exc.msg} at column {exc.colno}",
                              field="json_line", reason="BAD_JSON") from None
    if not isinstance(obj, dict):
        raise InvalidArgument("a line must be a JSON object", field="json_line",
                              reason="NOT_AN_OBJECT")
    return obj
