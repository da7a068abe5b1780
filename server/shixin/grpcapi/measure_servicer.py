"""MeasureService: the catalogue, AIP-style list/get with opaque page tokens.

Resource names are ``measures/{code}`` and ``units/{code}``; a name whose code cannot
be a code (wrong collection, empty, a slash, upper case …) is INVALID_ARGUMENT, a
well-formed name that names nothing is NOT_FOUND. Page tokens carry the collection,
the filter and the offset, so a token is refused when replayed against another request
(AIP-158); the catalogue is fixed for the life of the process, so offsets are stable.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Sequence
from typing import TypeVar

from shixin.errors import InvalidArgument
from shixin.grpcapi.calls import Call, CallDeps, unary
from shixin.grpcapi.convert import measure_to_pb, unit_to_pb
from shixin.measures import Catalogue
from shixin.measures.model import MEASURE_CODE, SLUG
from shixin.v1 import measure_service_pb2 as pb
from shixin.v1 import measure_service_pb2_grpc as pb_grpc

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
T = TypeVar("T")


def _token(collection: str, filter_: str, offset: int) -> str:
    raw = json.dumps({"c": collection, "f": filter_, "o": offset}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _offset(token: str, collection: str, filter_: str, total: int) -> int:
    """The offset a page token stands for; INVALID_ARGUMENT unless it fits this request."""
    if not token:
        return 0
    bad = InvalidArgument("not a page token from a previous response to this request",
                          field="page_token", reason="BAD_PAGE_TOKEN")
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad from None
    if not isinstance(data, dict) or data.get("c") != collection or data.get("f") != filter_:
        raise bad
    offset = data.get("o")
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 < offset < total:
        raise bad
    return offset


def _page(items: Sequence[T], request_size: int, token: str, collection: str,
          filter_: str = "") -> tuple[Sequence[T], str]:
    """One page of ``items`` and the token of the next (empty on the last page)."""
    if request_size < 0:
        raise InvalidArgument(f"must not be negative, got {request_size}", field="page_size",
                              reason="BAD_PAGE_SIZE")
    size = min(MAX_PAGE_SIZE, request_size or DEFAULT_PAGE_SIZE)
    start = _offset(token, collection, filter_, len(items))
    end = min(len(items), start + size)
    return items[start:end], _token(collection, filter_, end) if end < len(items) else ""


def _code(name: str, collection: str, pattern: re.Pattern[str], field: str = "name") -> str:
    """The code in ``{collection}/{code}``, or INVALID_ARGUMENT naming ``field``."""
    prefix = f"{collection}/"
    code = name[len(prefix):] if name.startswith(prefix) else ""
    if not pattern.fullmatch(code):
        example = "measures/credit.grant" if collection == "measures" else "units/pbc-liuzhou"
        raise InvalidArgument(f"{name!r} is not a resource name like {example!r}", field=field,
                              reason="BAD_NAME")
    return code


class MeasureServicer(pb_grpc.MeasureServiceServicer):
    """Catalogue reads."""

    def __init__(self, deps: CallDeps, catalogue: Catalogue) -> None:
        self.deps = deps
        self.catalogue = catalogue

    @unary("list_measures")
    def ListMeasures(self, request: pb.ListMeasuresRequest,  # noqa: N802
                     call: Call) -> pb.ListMeasuresResponse:
        measures = self.catalogue.measures
        if request.unit:
            code = _code(request.unit, "units", SLUG, field="unit")
            try:
                measures = self.catalogue.measures_for_unit(code)
            except KeyError as exc:
                raise InvalidArgument(str(exc), field="unit", reason="UNKNOWN_UNIT") from None
        page, nxt = _page(measures, request.page_size, request.page_token, "measures",
                          request.unit)
        return pb.ListMeasuresResponse(
            measures=[measure_to_pb(m, self.catalogue) for m in page],
            next_page_token=nxt, total_size=len(measures))

    @unary("get_measure")
    def GetMeasure(self, request: pb.GetMeasureRequest,  # noqa: N802
                   call: Call) -> pb.GetMeasureResponse:
        measure = self.catalogue.measure(_code(request.name, "measures", MEASURE_CODE))
        return pb.GetMeasureResponse(measure=measure_to_pb(measure, self.catalogue))

    @unary("list_units")
    def ListUnits(self, request: pb.ListUnitsRequest, call: Call) -> pb.ListUnitsResponse:  # noqa: N802
        units = self.catalogue.units
        page, nxt = _page(units, request.page_size, request.page_token, "units")
        return pb.ListUnitsResponse(units=[unit_to_pb(u, self.catalogue) for u in page],
                                    next_page_token=nxt, total_size=len(units))

    @unary("get_unit")
    def GetUnit(self, request: pb.GetUnitRequest, call: Call) -> pb.GetUnitResponse:  # noqa: N802
        unit = self.catalogue.unit(_code(request.name, "units", SLUG))
        return pb.GetUnitResponse(unit=unit_to_pb(unit, self.catalogue))
