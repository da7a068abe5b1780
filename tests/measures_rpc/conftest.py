"""The real server (development auth) over a real LMDB holding the factory's list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from shixin.client import ClientConfig, ShixinClient
from shixin.grpcapi.server import Running, create_server
from shixin.measures import Measure, load_catalogue
from shixin.service.clock import fixed
from shixin.service.importer import import_files
from shixin.settings import Settings
from shixin.store import Store
from tests.measures_rpc.factory import write_list

TODAY = date(2026, 11, 24)
COURT_PRINCIPAL = "court:liuzhou-chengzhong"  # metadata must be ASCII


@pytest.fixture(scope="package")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """The server, started once for the package, on a loopback port."""
    data = tmp_path_factory.mktemp("measures-index")
    source = write_list(tmp_path_factory.mktemp("measures-list"))
    store = Store(data)
    report = import_files(store, [Path(source)], clock=fixed(TODAY))
    store.close()
    assert report.records_added == 3, report.problems
    server = create_server(Settings(data=data, listen="127.0.0.1:0", dev_auth=True,
                                    today=TODAY))
    yield server
    server.stop(0)


def connect(running: Running, *, unit: str = "", purpose: str = "",
            principal: str = "") -> ShixinClient:
    """A client of ``running`` acting for a unit or principal (development auth)."""
    return ShixinClient(ClientConfig(server=f"127.0.0.1:{running.port}", unit=unit,
                                     purpose=purpose, principal=principal))


def asker_config(measure: Measure) -> dict[str, str]:
    """Credentials that may ask with ``measure`` as purpose: a unit holding it, else a court.

    An external measure (applied outside Liuzhou's units) has no unit; courts may use
    any purpose.
    """
    units = load_catalogue().units_for_measure(measure.code)
    if units:
        return {"unit": units[0].code, "purpose": measure.code}
    return {"principal": COURT_PRINCIPAL, "purpose": measure.code}


def bad_fields(err: grpc.RpcError) -> list[str]:
    """Fields named by the error's google.rpc.BadRequest details."""
    status = rpc_status.from_call(err)
    fields: list[str] = []
    for detail in status.details if status is not None else ():
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            fields += [v.field for v in bad.field_violations]
    return fields


def reason(err: grpc.RpcError) -> str:
    """The ErrorInfo reason of the error ("" when none)."""
    status = rpc_status.from_call(err)
    for detail in status.details if status is not None else ():
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return str(info.reason)
    return ""
