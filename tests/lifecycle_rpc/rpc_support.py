"""A real server per test with a movable clock, and builders for records and events."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import grpc

from shixin.client import ClientConfig, ShixinClient
from shixin.grpcapi.server import Running, create_server
from shixin.ids.ric import calc_check_digit
from shixin.settings import Settings
from shixin.v1 import feed_service_pb2 as feed_pb
from shixin.v1 import match_service_pb2 as match_pb
from shixin.v1 import record_service_pb2 as record_pb
from shixin.v1 import types_pb2

COURT = "柳州市城中区人民法院"
OTHER_COURT = "柳州市柳南区人民法院"
UNIT = "pbc-liuzhou"
UNIT_PURPOSE = "credit.grant"
OTHER_UNIT = "customs-liuzhou"
OTHER_PURPOSE = "customs.certification"
START = date(2024, 3, 4)

_SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅玉兰"
_numbers = itertools.count(1)


class Clock:
    """Today's date for the server under test; tests move it forward."""

    def __init__(self, today: date = START) -> None:
        self.today = today

    def __call__(self) -> date:
        return self.today

    def advance(self, days: int = 1) -> date:
        """Move today ``days`` forward and return the new today."""
        self.today += timedelta(days=days)
        return self.today


def resident_id(n: int) -> str:
    """A valid 18-digit resident ID, distinct for each ``n``."""
    born = date(1960, 1, 1) + timedelta(days=(n * 37) % 14000)
    body = f"450202{born:%Y%m%d}{n % 1000:03d}"
    return body + calc_check_digit(body)


def person_name(n: int) -> str:
    """A two- or three-character name, distinct for each ``n`` below a few thousand."""
    a, b = divmod(n, len(_GIVEN))
    b2, c = divmod(a, len(_SURNAMES))
    return _SURNAMES[c] + _GIVEN[b] + (_GIVEN[b2 % len(_GIVEN)] if b2 else "")


@dataclass
class Rec:
    """A record as a court pushes it, and how its events name it."""

    case_number: str
    id_number: str
    name: str
    obj: dict[str, Any]

    def event(self, kind: str, on: date, **extra: str) -> dict[str, Any]:
        """An event about this record (JSON form of list-record.md)."""
        return {"event": kind, "case_number": self.case_number, "id_number": self.id_number,
                "effective_on": on.isoformat(), **extra}

    def event_pb(self, kind: str, on: date, *, reason: str = "",
                 expires_on: str = "") -> types_pb2.LifecycleEvent:
        """The same event as a LifecycleEvent message."""
        return types_pb2.LifecycleEvent(
            event_type=types_pb2.EventType.Value(f"EVENT_TYPE_{kind.upper()}"),
            case_number=self.case_number, id_number=self.id_number,
            effective_on=on.isoformat(), reason=reason, expires_on=expires_on)


def new_record(*, published_on: date, expires_on: date | None = None, public: bool = True,
               court: str = COURT) -> Rec:
    """A fresh person record with its own case number, ID number and name."""
    n = next(_numbers)
    case = f"(2024)桂0202执{n}号"
    ident, name = resident_id(n), person_name(n)
    obj: dict[str, Any] = {
        "case_number": case,
        "debtor": {"kind": "person", "name": name, "id_type": "resident_id",
                   "id_number": ident},
        "court": court, "province": "广西", "published_on": published_on.isoformat(),
        "obligation": "偿还借款本金 50000 元及利息", "performance": "全部未履行",
        "public": public,
    }
    if expires_on is not None:
        obj["expires_on"] = expires_on.isoformat()
    return Rec(case, ident, name, obj)


def message(sequence: int, item: dict[str, Any] | types_pb2.LifecycleEvent
            | types_pb2.ListRecord | str) -> record_pb.PushRecordsRequest:
    """A push message: a dict or str as a JSON line, or a record/event message."""
    if isinstance(item, dict):
        return record_pb.PushRecordsRequest(sequence=sequence,
                                            json_line=json.dumps(item, ensure_ascii=False))
    if isinstance(item, str):
        return record_pb.PushRecordsRequest(sequence=sequence, json_line=item)
    if isinstance(item, types_pb2.LifecycleEvent):
        return record_pb.PushRecordsRequest(sequence=sequence, event=item)
    return record_pb.PushRecordsRequest(sequence=sequence, record=item)


@dataclass
class Harness:
    """One running server over a fresh LMDB, its clock, and clients that close with it."""

    running: Running
    clock: Clock
    data: Path
    clients: list[ShixinClient] = field(default_factory=list)

    @property
    def address(self) -> str:
        """Where the server listens."""
        return f"127.0.0.1:{self.running.port}"

    def client(self, **config: Any) -> ShixinClient:
        """A client with these credentials (closed at teardown)."""
        c = ShixinClient(ClientConfig(server=self.address, **config))
        self.clients.append(c)
        return c

    def court(self, name: str = COURT) -> ShixinClient:
        """A court client (development auth)."""
        return self.client(principal=f"court:{name}")

    def unit(self, code: str = UNIT, purpose: str = UNIT_PURPOSE) -> ShixinClient:
        """A unit client (development auth)."""
        return self.client(unit=code, purpose=purpose)

    def push(self, *items: Any, client: ShixinClient | None = None
             ) -> list[record_pb.PushRecordsResponse]:
        """Push items on one stream (sequences 1, 2, …); the acknowledgements."""
        pusher = client or self.court()
        return list(pusher.push(message(i, item) for i, item in enumerate(items, start=1)))

    def accept(self, *items: Any, client: ShixinClient | None = None
               ) -> list[record_pb.PushRecordsResponse]:
        """Push items that must all be accepted."""
        acks = self.push(*items, client=client)
        bad = [(a.sequence, a.error_reason, a.error) for a in acks if not a.accepted]
        assert not bad, f"rejected: {bad}"
        return acks

    def record(self, rec: Rec, *, client: ShixinClient | None = None) -> types_pb2.ListRecord:
        """The record as a court sees it now."""
        c = client or self.court()
        return c.get_record(case_number=rec.case_number, debtor_id_number=rec.id_number).record

    def changes(self, client: ShixinClient, after: int = 0,
                page_size: int = 100) -> list[feed_pb.Change]:
        """Every change the client may see after ``after`` (no follow)."""
        return [c for page in client.watch(after, page_size=page_size) for c in page.changes]

    def live_hit(self, client: ShixinClient, rec: Rec) -> bool:
        """Whether a Match by ID and name returns the record as a live hit."""
        resp = client.match(rec.name, rec.id_number, "person")
        return any(h.case_number == rec.case_number and h.active for h in resp.hits) and \
            resp.status == match_pb.MATCH_STATUS_HIT

    def txnid(self) -> int:
        """LMDB's last committed write transaction."""
        return int(self.running.store.env.info()["last_txnid"])

    def close(self) -> None:
        """Close clients and stop the server."""
        for c in self.clients:
            c.close()
        self.running.stop(0)


def start(data: Path, clock: Clock, *, audit: bool = True) -> Harness:
    """A server on a loopback port over a fresh index in ``data``.

    ``audit=False`` only where a test counts LMDB transactions: the audit
    anchor writes its own, asynchronously.
    """
    running = create_server(Settings(data=data, listen="127.0.0.1:0", dev_auth=True,
                                     workers=32, audit=audit), clock=clock)
    return Harness(running, clock, data)


def kinds_of(changes: Iterable[feed_pb.Change], rec: Rec) -> list[str]:
    """The change kinds of one record, in feed order."""
    names = {feed_pb.CHANGE_KIND_ACTIVATED: "activated",
             feed_pb.CHANGE_KIND_DEACTIVATED: "deactivated"}
    return [names[c.kind] for c in changes if c.record.case_number == rec.case_number]


def cancel(call: Iterator[Any]) -> None:
    """Cancel a streaming call (the client's watch returns the gRPC call object)."""
    assert isinstance(call, grpc.Future)
    call.cancel()


def rpc_code(call: Iterator[Any] | Any) -> grpc.StatusCode:
    """The status code an RPC failed with (drains a stream)."""
    try:
        if hasattr(call, "__next__"):
            for _ in call:
                pass
    except grpc.RpcError as exc:
        return exc.code()
    raise AssertionError("the call did not fail")
