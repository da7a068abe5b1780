"""MeasureService: AIP-style names, paging, filters and errors, against the catalogue."""

from __future__ import annotations

import base64
import math
from collections.abc import Iterator

import grpc
import pytest

from shixin.client import ShixinClient
from shixin.grpcapi.server import Running
from shixin.measures import Unit, load_catalogue
from shixin.v1 import match_service_pb2 as match_pb
from shixin.v1 import measure_service_pb2 as pb
from shixin.v1 import types_pb2
from tests.measures_rpc.conftest import bad_fields, connect, reason

CATALOGUE = load_catalogue()


@pytest.fixture
def client(running: Running) -> Iterator[ShixinClient]:
    """Any authenticated caller may read the catalogue; a unit here."""
    with connect(running, unit="pbc-liuzhou") as c:
        yield c


def _call(client: ShixinClient, method: str, request: object) -> object:
    return getattr(client.measure_stub, method)(request, metadata=client.metadata)


def _error(client: ShixinClient, method: str, request: object) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as info:
        _call(client, method, request)
    return info.value


def _all_measure_pages(client: ShixinClient, size: int,
                       unit: str = "") -> list[pb.ListMeasuresResponse]:
    pages: list[pb.ListMeasuresResponse] = []
    token = ""
    while True:
        page = _call(client, "ListMeasures",
                     pb.ListMeasuresRequest(page_size=size, page_token=token, unit=unit))
        assert isinstance(page, pb.ListMeasuresResponse)
        pages.append(page)
        token = page.next_page_token
        if not token:
            return pages


@pytest.mark.parametrize("size", [1, 7, 40, 0, 1000])
def test_measure_pages_cover_the_catalogue_in_order(client: ShixinClient, size: int) -> None:
    """Pages of any size concatenate to every measure once, in catalogue order."""
    pages = _all_measure_pages(client, size)
    per_page = min(200, size or 50)
    assert len(pages) == math.ceil(len(CATALOGUE.measures) / per_page)
    codes = [m.code for page in pages for m in page.measures]
    assert codes == [m.code for m in CATALOGUE.measures]
    assert {page.total_size for page in pages} == {len(CATALOGUE.measures)}
    assert all(len(page.measures) == per_page for page in pages[:-1])


@pytest.mark.parametrize("unit", CATALOGUE.units, ids=lambda u: u.code)
def test_unit_filter_lists_the_units_measures(client: ShixinClient, unit: Unit) -> None:
    """The unit filter, paged by 3, gives exactly the unit's measures."""
    pages = _all_measure_pages(client, 3, unit=f"units/{unit.code}")
    codes = [m.code for page in pages for m in page.measures]
    assert codes == [m.code for m in CATALOGUE.measures_for_unit(unit.code)]
    assert pages[0].total_size == len(codes)


def test_token_of_a_filtered_listing_is_refused_elsewhere(client: ShixinClient) -> None:
    """A page token is bound to its request: other filter or collection → INVALID_ARGUMENT."""
    token = _all_measure_pages(client, 2, unit="units/finance")[0].next_page_token
    assert token
    for method, request in (
        ("ListMeasures", pb.ListMeasuresRequest(page_size=2, page_token=token)),
        ("ListMeasures", pb.ListMeasuresRequest(page_size=2, page_token=token,
                                                unit="units/pbc-liuzhou")),
        ("ListUnits", pb.ListUnitsRequest(page_size=2, page_token=token)),
    ):
        err = _error(client, method, request)
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert bad_fields(err) == ["page_token"]


@pytest.mark.parametrize("token", ["garbage", "!!!!", base64.urlsafe_b64encode(b"o:5").decode(),
                                   base64.urlsafe_b64encode(b'{"c":"measures","f":"","o":-1}')
                                   .decode(),
                                   base64.urlsafe_b64encode(b'{"c":"measures","f":"","o":99}')
                                   .decode()])
def test_forged_page_tokens_are_invalid_argument(client: ShixinClient, token: str) -> None:
    """Tokens not issued by the server, or pointing outside the list, are refused."""
    err = _error(client, "ListMeasures", pb.ListMeasuresRequest(page_token=token))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad_fields(err) == ["page_token"]
    assert reason(err) == "BAD_PAGE_TOKEN"


@pytest.mark.parametrize("method,request_type", [("ListMeasures", pb.ListMeasuresRequest),
                                                 ("ListUnits", pb.ListUnitsRequest)])
def test_negative_page_size_is_invalid_argument(client: ShixinClient, method: str,
                                                request_type: type) -> None:
    """page_size below zero → INVALID_ARGUMENT naming page_size."""
    err = _error(client, method, request_type(page_size=-1))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad_fields(err) == ["page_size"]


@pytest.mark.parametrize("unit,why", [("pbc-liuzhou", "BAD_NAME"), ("units/", "BAD_NAME"),
                                      ("measures/credit.grant", "BAD_NAME"),
                                      ("units/pbc-liuzhuo", "UNKNOWN_UNIT")])
def test_bad_unit_filter_is_invalid_argument(client: ShixinClient, unit: str, why: str) -> None:
    """A malformed or unknown unit filter → INVALID_ARGUMENT naming unit."""
    err = _error(client, "ListMeasures", pb.ListMeasuresRequest(unit=unit))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad_fields(err) == ["unit"]
    assert reason(err) == why


def test_every_measure_is_got_by_name_with_its_rule(client: ShixinClient) -> None:
    """GetMeasure returns each measure's fields, rule and applying units as the catalogue has."""
    for m in CATALOGUE.measures:
        got = _call(client, "GetMeasure", pb.GetMeasureRequest(name=f"measures/{m.code}"))
        assert isinstance(got, pb.GetMeasureResponse)
        msg = got.measure
        assert msg.name == f"measures/{m.code}" and msg.code == m.code
        assert (msg.clause, msg.title_zh, msg.title_en, msg.text_zh, msg.note) == (
            m.clause, m.title_zh, m.title_en, m.text_zh, m.note)
        assert (msg.category, msg.category_zh) == (m.category.code, m.category_zh)
        assert [types_pb2.PartyRole.Name(r) for r in msg.applies_to] == [
            f"PARTY_ROLE_{r.upper()}" for r in m.applies_to]
        assert [types_pb2.SubjectKind.Name(k) for k in msg.debtor_kinds] == [
            f"SUBJECT_KIND_{k.upper()}" for k in m.debtor_kinds]
        assert [match_pb.MeasureAction.Name(a) for a in msg.actions] == [
            f"MEASURE_ACTION_{a.upper()}" for a in m.actions]
        assert [match_pb.MeasureAction.Name(a) for a in msg.officer_actions] == [
            f"MEASURE_ACTION_{a.upper()}" for a in m.officer_actions or ()]
        assert pb.MeasureRoleLink.Name(msg.role_link) == (
            f"MEASURE_ROLE_LINK_{m.role_link.upper()}" if m.role_link
            else "MEASURE_ROLE_LINK_UNSPECIFIED")
        assert pb.DepartmentScope.Name(msg.department_scope) == (
            f"DEPARTMENT_SCOPE_{m.department_scope.upper()}")
        assert list(msg.departments) == [f"units/{u}" for u in m.departments]
        assert list(msg.applied_by) == [f"units/{u.code}"
                                        for u in CATALOGUE.units_for_measure(m.code)]


def test_unit_pages_and_gets_agree_with_the_catalogue(client: ShixinClient) -> None:
    """ListUnits pages by 10 cover every unit; GetUnit returns each with its purposes."""
    token, names = "", []
    while True:
        page = _call(client, "ListUnits", pb.ListUnitsRequest(page_size=10, page_token=token))
        assert isinstance(page, pb.ListUnitsResponse)
        assert page.total_size == len(CATALOGUE.units) and len(page.units) <= 10
        names += [u.name for u in page.units]
        token = page.next_page_token
        if not token:
            break
    assert names == [f"units/{u.code}" for u in CATALOGUE.units]
    for unit in CATALOGUE.units:
        got = _call(client, "GetUnit", pb.GetUnitRequest(name=f"units/{unit.code}"))
        assert isinstance(got, pb.GetUnitResponse)
        assert (got.unit.code, got.unit.name_zh, got.unit.kind) == (unit.code, unit.name_zh,
                                                                     unit.kind.value)
        assert list(got.unit.measures) == [f"measures/{m.code}"
                                           for m in CATALOGUE.measures_for_unit(unit.code)]
        assert list(got.unit.includes_kinds) == [k.value for k in unit.includes_kinds]


@pytest.mark.parametrize("method,request_,hint", [
    ("GetMeasure", pb.GetMeasureRequest(name="measures/credit.grnat"), '"credit.grant"'),
    ("GetMeasure", pb.GetMeasureRequest(name="measures/no.such"), "no.such"),
    ("GetUnit", pb.GetUnitRequest(name="units/pbc-liuzhuo"), '"pbc-liuzhou"'),
])
def test_unknown_names_are_not_found(client: ShixinClient, method: str, request_: object,
                                     hint: str) -> None:
    """A well-formed name of nothing → NOT_FOUND, suggesting a close code."""
    err = _error(client, method, request_)
    assert err.code() == grpc.StatusCode.NOT_FOUND
    assert hint in (err.details() or "")
    assert reason(err) in ("MEASURE_NOT_FOUND", "UNIT_NOT_FOUND")


@pytest.mark.parametrize("method,request_", [
    ("GetMeasure", pb.GetMeasureRequest(name="credit.grant")),
    ("GetMeasure", pb.GetMeasureRequest(name="measures/")),
    ("GetMeasure", pb.GetMeasureRequest(name="measures/credit.grant/x")),
    ("GetMeasure", pb.GetMeasureRequest(name="measures/Credit.Grant")),
    ("GetMeasure", pb.GetMeasureRequest(name="units/credit.grant")),
    ("GetMeasure", pb.GetMeasureRequest(name="")),
    ("GetUnit", pb.GetUnitRequest(name="pbc-liuzhou")),
    ("GetUnit", pb.GetUnitRequest(name="units/pbc liuzhou")),
    ("GetUnit", pb.GetUnitRequest(name="measures/pbc-liuzhou")),
])
def test_malformed_names_are_invalid_argument(client: ShixinClient, method: str,
                                              request_: object) -> None:
    """A name that cannot be a resource name → INVALID_ARGUMENT naming name."""
    err = _error(client, method, request_)
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad_fields(err) == ["name"]


def test_catalogue_needs_credentials(running: Running) -> None:
    """An anonymous caller may not read the catalogue → UNAUTHENTICATED."""
    with connect(running) as anonymous:
        err = _error(anonymous, "ListUnits", pb.ListUnitsRequest())
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
