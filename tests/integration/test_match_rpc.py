"""Match RPC against the real server: identities, levels, roles, errors."""

from __future__ import annotations

from typing import Any

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from shixin.client import ShixinClient
from shixin.grpcapi.server import Running
from shixin.v1 import match_service_pb2 as pb
from tests.conftest import DemoList, connect


def _active_person(demo: DemoList, client: ShixinClient) -> dict[str, Any]:
    for t in demo.truths:
        if t["kind"] == "person" and t.get("id_listed"):
            resp = client.match(t["name"], t["id_number"])
            if resp.status == pb.MATCH_STATUS_HIT:
                return t
    raise AssertionError("no active listed person in the demo list")


def test_id_and_name_give_a_definitive_hit(demo_list: DemoList, client: ShixinClient) -> None:
    """ID number equal and name equal → definitive hit with reasons."""
    t = _active_person(demo_list, client)
    resp = client.match(t["name"], t["id_number"])
    top = resp.hits[0]
    assert top.level == pb.MATCH_LEVEL_DEFINITIVE
    assert top.matched_name.replace("·", "") or top.debtor_name
    assert any("id" in r.lower() for r in top.reasons)
    assert resp.id_check.valid


def test_lowercase_and_fullwidth_id_still_definitive(demo_list: DemoList,
                                                     client: ShixinClient) -> None:
    """IDs written with lower-case x, full-width digits and spaces are the same ID."""
    t = _active_person(demo_list, client)
    written = " ".join(t["id_number"][i:i + 6] for i in range(0, 18, 6)).lower()
    written = written.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    resp = client.match(t["name"], written)
    assert resp.status == pb.MATCH_STATUS_HIT


def test_bad_check_digit_gives_candidates_only(demo_list: DemoList,
                                               client: ShixinClient) -> None:
    """A one-digit typo fails the check character: candidates, never definitive."""
    t = _active_person(demo_list, client)
    good = t["id_number"]
    digit = "5" if good[10] != "5" else "6"
    typo = good[:10] + digit + good[11:]
    resp = client.match(t["name"], typo)
    assert not resp.id_check.valid
    assert resp.hits, "the typo should still find the record as a candidate"
    assert all(h.level == pb.MATCH_LEVEL_CANDIDATE for h in resp.hits)
    assert resp.status == pb.MATCH_STATUS_POSSIBLE


def test_conflicting_id_never_definitive_by_name(demo_list: DemoList,
                                                 client: ShixinClient) -> None:
    """Same name, another valid person's ID → no definitive hit."""
    t = _active_person(demo_list, client)
    other = "11010519491231002X"
    resp = client.match(t["name"], other)
    assert all(h.level != pb.MATCH_LEVEL_DEFINITIVE for h in resp.hits)


def test_legal_representative_found_with_role(demo_list: DemoList,
                                              client: ShixinClient) -> None:
    """A person is found through the organisation they represent, with the role."""
    for t in demo_list.truths:
        if t["kind"] != "organization":
            continue
        lr = t["legal_representative"]
        resp = client.match(lr["name"], lr["id_number"])
        roles = {h.role for h in resp.hits}
        if 2 in roles:  # PARTY_ROLE_LEGAL_REPRESENTATIVE
            hit = next(h for h in resp.hits if h.role == 2)
            assert hit.debtor_name != hit.matched_name
            return
    pytest.fail("no legal representative found through any listed organisation")


def test_org_code_meets_uscc(demo_list: DemoList, client: ShixinClient) -> None:
    """A query with only the 9-character organisation code meets the USCC record."""
    for t in demo_list.truths:
        if t["kind"] == "organization" and t["id_listed"] == "uscc":
            code = t["org_code"]
            resp = client.match(t["name"], f"{code[:8]}-{code[8]}")
            if resp.hits:
                assert any(h.level == pb.MATCH_LEVEL_DEFINITIVE for h in resp.hits)
                return
    pytest.fail("no organisation found by its organisation code")


def test_malformed_id_is_invalid_argument_with_field(client: ShixinClient) -> None:
    """A malformed resident ID → INVALID_ARGUMENT naming the field in BadRequest details."""
    with pytest.raises(grpc.RpcError) as info:
        client.match("张三", "45020219800101", kind="person")
    err = info.value
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    status = rpc_status.from_call(err)
    assert status is not None
    fields = []
    for detail in status.details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            fields += [v.field for v in bad.field_violations]
    assert "subject.id_number" in fields


def test_empty_subject_is_invalid_argument(client: ShixinClient) -> None:
    """Neither name nor ID → INVALID_ARGUMENT."""
    with pytest.raises(grpc.RpcError) as info:
        client.match("", "")
    assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_purpose_outside_unit_measures_is_denied(client: ShixinClient) -> None:
    """The bank regulator may not query for the customs measure."""
    with pytest.raises(grpc.RpcError) as info:
        client.match("张三", purpose="customs.certification")
    assert info.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "customs.certification" in (info.value.details() or "")


def test_purpose_measure_reported_on_hits(demo_list: DemoList, client: ShixinClient) -> None:
    """With a purpose, each hit says whether the measure applies and what to do."""
    t = _active_person(demo_list, client)
    resp = client.match(t["name"], t["id_number"], purpose="credit.grant")
    m = next(h for h in resp.hits if h.role == 1).measure
    assert m.measure_code == "credit.grant"
    assert m.applies and m.actions


def test_inactive_records_are_not_live_hits(demo_list: DemoList, client: ShixinClient) -> None:
    """Shielded, revoked and expired records are not returned unless asked for."""
    checked = 0
    for t in demo_list.truths:
        if t["kind"] != "person" or not t.get("id_listed"):
            continue
        everything = client.match(t["name"], t["id_number"], include_inactive=True)
        live = client.match(t["name"], t["id_number"])
        inactive = {h.record_id for h in everything.hits if not h.active}
        assert not inactive & {h.record_id for h in live.hits}
        checked += bool(inactive)
        if checked >= 3:
            return
    pytest.fail("the demo list has no inactive records to check")


def test_deadline_is_honoured(client: ShixinClient) -> None:
    """A following feed stream ends with DEADLINE_EXCEEDED when the call's deadline passes."""
    with pytest.raises(grpc.RpcError) as info:
        for _ in client.watch(0, follow=True, timeout=0.5):
            pass
    assert info.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED


def test_health_and_reflection(served: Running) -> None:
    """grpc.health.v1 answers SERVING; reflection lists the match service."""
    from grpc_health.v1 import health_pb2, health_pb2_grpc
    from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

    with grpc.insecure_channel(f"127.0.0.1:{served.port}") as ch:
        health = health_pb2_grpc.HealthStub(ch).Check(
            health_pb2.HealthCheckRequest(service="shixin.v1.MatchService"), timeout=5)
        assert health.status == health_pb2.HealthCheckResponse.SERVING
        stub = reflection_pb2_grpc.ServerReflectionStub(ch)
        req = reflection_pb2.ServerReflectionRequest(list_services="")
        resp = next(iter(stub.ServerReflectionInfo(iter([req]), timeout=5)))
        names = {s.name for s in resp.list_services_response.service}
        assert "shixin.v1.MatchService" in names


def test_get_record_by_key_and_id(demo_list: DemoList, client: ShixinClient) -> None:
    """GetRecord by record_id and by case number + debtor ID give the same record."""
    t = _active_person(demo_list, client)
    hit = next(h for h in client.match(t["name"], t["id_number"]).hits if h.role == 1)
    by_id = client.get_record(record_id=hit.record_id).record
    by_key = client.get_record(case_number=hit.case_number,
                               debtor_id_number=t["id_number"]).record
    assert by_id.record_id == by_key.record_id == hit.record_id
    with pytest.raises(grpc.RpcError) as info:
        client.get_record(record_id="0000000000000000")
    assert info.value.code() == grpc.StatusCode.NOT_FOUND


def test_public_caller_sees_masked_ids(demo_list: DemoList, served: Running) -> None:
    """A caller without credentials is public: name AND full ID required, IDs masked."""
    public = connect(served)
    t = next(x for x in demo_list.truths if x["kind"] == "person" and x.get("id_listed"))
    with pytest.raises(grpc.RpcError) as info:
        public.match(t["name"], "")
    assert info.value.code() == grpc.StatusCode.PERMISSION_DENIED
    resp = public.match(t["name"], t["id_number"])
    assert resp.hits
    for h in resp.hits:
        if h.debtor_kind == 1:  # persons: resident IDs masked
            assert "****" in h.id_number
        if h.matched_id_number and h.role != 1:
            assert "****" in h.matched_id_number
    public.close()
