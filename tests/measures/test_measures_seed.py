"""The catalogue against section 二 of the plan, parsed independently from the seed text."""

from __future__ import annotations

from collections import Counter

from shixin.measures import Catalogue, DebtorKind, DepartmentScope, Role, RoleLink
from tests.measures.seed_plan import SeedClause

ROLE_TERMS = {
    Role.LEGAL_REPRESENTATIVE: "法定代表人",
    Role.PRINCIPAL: "主要负责人",
    Role.ACTUAL_CONTROLLER: "实际控制人",
    Role.DIRECTOR: "董事",
    Role.SUPERVISOR: "监事",
    Role.SENIOR_MANAGER: "高级管理人员",
    Role.DIRECTLY_RESPONSIBLE: "影响债务履行的直接责任人员",
}
# How the plan words each direction of reach-through.
OFFICER_OF_DEBTOR_WORDING = "失信被执行人及失信被执行人的法定代表人"
DEBTOR_IS_OFFICER_WORDING = (
    "机构及其法定代表人",
    "拟授信对象及其法定代表人",
    "以失信被执行人为法定代表人",
    "失信被执行人担任法定代表人",
)


def test_every_clause_appears_exactly_once(
    catalogue: Catalogue, seed_clauses: dict[str, SeedClause]
) -> None:
    """Each numbered clause of 二 is one measure, none twice, in document order."""
    clauses = [m.clause for m in catalogue.measures]
    assert [c for c, n in Counter(clauses).items() if n > 1] == []
    assert clauses == list(seed_clauses)


def test_text_is_verbatim(catalogue: Catalogue, seed_clauses: dict[str, SeedClause]) -> None:
    """text_zh is the clause as printed, line breaks of the seed joined back."""
    for m in catalogue.measures:
        assert m.text_zh == seed_clauses[m.clause].text, m.clause


def test_titles_come_from_the_plan(
    catalogue: Catalogue, seed_clauses: dict[str, SeedClause]
) -> None:
    """The title is the heading or the clause's title sentence; otherwise a note says it is ours."""
    for m in catalogue.measures:
        seed = seed_clauses[m.clause]
        sentences = [s for s in seed.text.split("。") if s]
        if seed.heading is not None:
            assert m.title_zh == seed.heading == m.category.name_zh, m.clause
        elif len(sentences) > 1:
            assert m.title_zh == sentences[0], m.clause
        else:
            assert "editorial" in m.note, m.clause


def test_departments_are_the_listed_units_in_order(
    catalogue: Catalogue, seed_clauses: dict[str, SeedClause]
) -> None:
    """departments name the 责任部门 of the clause, in the plan's order."""
    for m in catalogue.measures:
        seed = seed_clauses[m.clause]
        names = tuple(catalogue.unit(code).name_zh for code in m.departments)
        assert names == (seed.departments or ()), m.clause


def test_scope_follows_the_wording(
    catalogue: Catalogue, seed_clauses: dict[str, SeedClause]
) -> None:
    """等 makes the list open, 注 an external measure, no list at all any unit's."""
    for m in catalogue.measures:
        seed = seed_clauses[m.clause]
        if seed.remark is not None:
            expected = DepartmentScope.EXTERNAL
            assert seed.remark in m.note, m.clause
        elif seed.departments is None:
            expected = DepartmentScope.ANY_UNIT
        elif seed.open_ended:
            expected = DepartmentScope.LISTED_OPEN
        else:
            expected = DepartmentScope.LISTED
        assert m.department_scope is expected, m.clause


def test_every_named_unit_is_registered_and_no_other(
    catalogue: Catalogue, seed_clauses: dict[str, SeedClause]
) -> None:
    """Every unit a 责任部门 list names is in units.toml, and units.toml has nothing else."""
    named = {name for seed in seed_clauses.values() for name in seed.departments or ()}
    assert named == {u.name_zh for u in catalogue.units}


def test_roles_are_named_in_the_clause(catalogue: Catalogue) -> None:
    """Every role beyond the debtor is spelt out in the clause text."""
    for m in catalogue.measures:
        for role in m.officer_roles:
            assert ROLE_TERMS[role] in m.text_zh, (m.clause, role)


def test_role_link_follows_the_wording(catalogue: Catalogue) -> None:
    """Reach-through wording decides the link; clauses without it reach the debtor only."""
    for m in catalogue.measures:
        if OFFICER_OF_DEBTOR_WORDING in m.text_zh:
            assert m.role_link is RoleLink.OFFICER_OF_DEBTOR, m.clause
        elif any(wording in m.text_zh for wording in DEBTOR_IS_OFFICER_WORDING):
            assert m.role_link is RoleLink.DEBTOR_IS_OFFICER, m.clause
        else:
            assert m.applies_to == (Role.DEBTOR,), m.clause


def test_person_only_clauses(catalogue: Catalogue) -> None:
    """A clause that opens with 失信被执行人为个人的 reaches persons only."""
    for m in catalogue.measures:
        body = m.text_zh.split("。", 1)[1]
        if body.startswith("失信被执行人为个人的"):
            assert m.debtor_kinds == (DebtorKind.PERSON,), m.clause
