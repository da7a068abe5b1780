"""Record use cases: push records and events, get a record, its history, overdue actions."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from shixin.auth import (
    AuthError,
    Principal,
    Role,
    can_see_full_ids,
    can_see_nonpublic,
    check_push,
)
from shixin.errors import InvalidArgument, NotFound, PermissionDenied
from shixin.lifecycle import open_deadlines
from shixin.records import parse_record
from shixin.service.clock import Clock
from shixin.service.views import RecordView, record_view, shown_id
from shixin.store import ApplyResult, ReadView, Store, Writer
from shixin.store.layout import day_prefix
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

    @staticmethod
    def check_pusher(principal: Principal) -> None:
        """Only courts push (the policy's separation of duties): refuse anyone else."""
        if principal.role != Role.COURT:
            raise PermissionDenied(
                f"{principal.describe()} may not push records: only courts publish to the list",
                reason="NOT_A_COURT")

    @staticmethod
    def _check_court(principal: Principal, court: str) -> None:
        try:
            check_push(principal, court)
        except AuthError as exc:
            raise PermissionDenied(exc.reason, reason="OTHER_COURT") from None

    def push(self, principal: Principal, obj: Mapping[str, Any]) -> ApplyResult:
        """Apply one record or event in one write transaction; raise a ShixinError when
        rejected, in which case nothing was written."""
        self.check_pusher(principal)
        today = self.clock()
        with self.store.write_txn() as txn:
            writer = Writer(self.store, txn, today=today, principal=principal.id)
            writer.catch_up()
            view = ReadView(self.store, txn)
            if is_event(obj):
                rid = find_record_id(lambda r: view.get(r) is not None,
                                     str(obj.get("case_number") or ""),
                                     str(obj.get("id_number") or ""), str(obj.get("name") or ""))
                rec = view.get(rid) if rid else None
                if rec is not None:
                    self._check_court(principal, rec.record.get("court", ""))
                result = writer.put_event(obj)
            else:
                record = parse_record(obj)
                self._check_court(principal, record.court)
                existing = view.get(record.record_id)
                if existing is not None:
                    self._check_court(principal, existing.record.get("court", ""))
                result = writer.put_record(record)
            feed_added = writer.feed_added
        if feed_added:
            with self.changed:
                self.changed.notify_all()
        return result

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
            entries = view.history(rec.record_id)
        if not whole:
            entries = [{**e, "record": masked_record(e["record"])} if e.get("type") == "version"
                       else e for e in entries]
        return record_view(rec, self.clock(), whole_ids=whole), entries

    def overdue(self, principal: Principal, *, court: str = "",
                as_of: date | None = None) -> list[Overdue]:
        """Court actions past their deadline, by court then deadline.

        Courts see their own; admins (who supervise the courts) see all or one
        court. The report judges the deadlines open on ``as_of`` (default today).
        """
        if principal.role not in (Role.COURT, Role.ADMIN):
            raise PermissionDenied(f"{principal.describe()} may not list overdue court "
                                   "actions: courts see their own, admins all",
                                   reason="NOT_A_SUPERVISOR")
        if principal.role == Role.COURT:
            if court and court != principal.court:
                raise PermissionDenied(f"court {principal.court!r} may not list another "
                                       f"court's overdue actions", reason="OTHER_COURT")
            court = principal.court or ""
        today = as_of or self.clock()
        out: list[Overdue] = []
        limit = day_prefix(today)
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


def masked_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """A stored version of a record with its ID numbers as a caller without whole IDs sees them.

    >>> masked_record({"debtor": {"id_number": "450202198001011232"}})["debtor"]
    {'id_number': '4502021980****1232'}
    """
    body = dict(record)
    debtor = dict(body.get("debtor") or {})
    if debtor.get("id_number"):
        debtor["id_number"] = shown_id(debtor["id_number"], whole=False)
    body["debtor"] = debtor
    if body.get("related_persons"):
        body["related_persons"] = [
            {**p, "id_number": shown_id(p["id_number"], whole=False)} if p.get("id_number")
            else dict(p) for p in body["related_persons"]]
    return body


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
