"""MeasureService: the catalogue, AIP-style list/get with opaque page tokens."""

from __future__ import annotations

import base64

from shixin.errors import InvalidArgument, NotFound
from shixin.grpcapi.calls import Call, CallDeps, unary
from shixin.grpcapi.convert import ACTIONS, KIND_TO_PB, ROLES
from shixin.measures import Catalogue, Measure, Unit
from shixin.v1 import measure_service_pb2 as pb
from shixin.v1 import measure_service_pb2_grpc as pb_grpc


def _page(token: str, size: int, total: int) -> tuple[int, int, str]:
    """(start, end, next token) for an offset-based opaque token."""
    size = max(1, min(200, size or 50))
    start = 0
    if token:
        try:
            start = int(base64.urlsafe_b64decode(token.encode()).decode().removeprefix("o:"))
        except (ValueError, UnicodeDecodeError):
            raise InvalidArgument("not a token from a previous response", field="page_token",
                                  reason="BAD_PAGE_TOKEN") from None
    end = min(total, start + size)
    nxt = base64.urlsafe_b64encode(f"o:{end}".encode()).decode() if end < total else ""
    return start, end, nxt


def measure_to_pb(m: Measure, catalogue: Catalogue) -> pb.Measure:
    """A Measure message."""
    return pb.Measure(
        name=f"measures/{m.code}", code=m.code, clause=m.clause, title_zh=m.title_zh,
        title_en=m.title_en, category_zh=m.category_zh, category_en=m.category_en,
        departments=[f"units/{u}" for u in m.departments],
        applies_to=[ROLES.index(r.value) for r in m.applies_to],
        debtor_kinds=[KIND_TO_PB[k] for k in m.debtor_kinds],
        actions=[ACTIONS.index(a.value) for a in m.actions], text_zh=m.text_zh, note=m.note)


def unit_to_pb(u: Unit, catalogue: Catalogue) -> pb.Unit:
    """A Unit message."""
    return pb.Unit(name=f"units/{u.code}", code=u.code, name_zh=u.name_zh, name_en=u.name_en,
                   kind=u.kind,
                   measures=[f"measures/{m.code}" for m in catalogue.measures_for_unit(u.code)])


def _code(name: str, collection: str) -> str:
    prefix = f"{collection}/"
    if not name.startswith(prefix) or len(name) == len(prefix):
        raise InvalidArgument(f"{name!r} is not '{collection}/{{code}}'", field="name",
                              reason="BAD_NAME")
    return name[len(prefix):]


class MeasureServicer(pb_grpc.MeasureServiceServicer):
    """Catalogue reads."""

    def __init__(self, deps: CallDeps, catalogue: Catalogue) -> None:
        self.deps = deps
        self.catalogue = catalogue

    @unary("list_measures")
    def ListMeasures(self, request: pb.ListMeasuresRequest,  # noqa: N802
                     call: Call) -> pb.ListMeasuresResponse:
        measures = list(self.catalogue.measures)
        if request.unit:
            code = _code(request.unit, "units")
            try:
                measures = list(self.catalogue.measures_for_unit(code))
            except KeyError:
                raise InvalidArgument(f"unknown unit {request.unit!r}", field="unit",
                                      reason="UNKNOWN_UNIT") from None
        start, end, nxt = _page(request.page_token, request.page_size, len(measures))
        return pb.ListMeasuresResponse(
            measures=[measure_to_pb(m, self.catalogue) for m in measures[start:end]],
            next_page_token=nxt, total_size=len(measures))

    @unary("get_measure")
    def GetMeasure(self, request: pb.GetMeasureRequest,  # noqa: N802
                   call: Call) -> pb.GetMeasureResponse:
        code = _code(request.name, "measures")
        try:
            m = self.catalogue.measure(code)
        except KeyError:
            raise NotFound(f"no measure {request.name!r}", reason="MEASURE_NOT_FOUND") from None
        return pb.GetMeasureResponse(measure=measure_to_pb(m, self.catalogue))

    @unary("list_units")
    def ListUnits(self, request: pb.ListUnitsRequest, call: Call) -> pb.ListUnitsResponse:  # noqa: N802
        units = list(self.catalogue.units)
        start, end, nxt = _page(request.page_token, request.page_size, len(units))
        return pb.ListUnitsResponse(units=[unit_to_pb(u, self.catalogue)
                                           for u in units[start:end]],
                                    next_page_token=nxt, total_size=len(units))

    @unary("get_unit")
    def GetUnit(self, request: pb.GetUnitRequest, call: Call) -> pb.GetUnitResponse:  # noqa: N802
        code = _code(request.name, "units")
        try:
            u = self.catalogue.unit(code)
        except KeyError:
            raise NotFound(f"no unit {request.name!r}", reason="UNIT_NOT_FOUND") from None
        return pb.GetUnitResponse(unit=unit_to_pb(u, self.catalogue))
