"""Closed vocabularies of the measure catalogue.

Values are the strings used in the TOML data, the records (``related_persons[].role``,
``debtor.kind``) and, upper-cased, the proto enums (``PartyRole``, ``MeasureAction``).
"""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    """What the applying unit does when a measure reaches a subject."""

    PROHIBIT = "prohibit"  # 限制
    STRICT_REVIEW = "strict_review"  # 从严审核、从严审批
    PRUDENTIAL_REFERENCE = "prudential_reference"  # 审慎性参考、参考
    ASSIST_ENFORCEMENT = "assist_enforcement"  # 协助查询、查封、冻结、扣划
    ENHANCED_SUPERVISION = "enhanced_supervision"  # 重点监管、严密监管
    NOTIFY = "notify"  # 反馈、披露、警示


class Role(StrEnum):
    """How a subject is tied to a listed debtor: itself, or a role in a listed organisation."""

    DEBTOR = "debtor"  # 失信被执行人
    LEGAL_REPRESENTATIVE = "legal_representative"  # 法定代表人
    PRINCIPAL = "principal"  # 主要负责人
    ACTUAL_CONTROLLER = "actual_controller"  # 实际控制人
    DIRECTOR = "director"  # 董事
    SUPERVISOR = "supervisor"  # 监事
    SENIOR_MANAGER = "senior_manager"  # 高级管理人员
    DIRECTLY_RESPONSIBLE = "directly_responsible"  # 影响债务履行的直接责任人员


class DebtorKind(StrEnum):
    """Kind of a listed debtor, as in the list record's ``debtor.kind``."""

    PERSON = "person"
    ORGANIZATION = "organization"


class RoleLink(StrEnum):
    """Which way a measure reaches through the non-debtor roles it names."""

    # 限制……失信被执行人的法定代表人: persons in a listed organisation are reached.
    OFFICER_OF_DEBTOR = "officer_of_debtor"
    # 查询机构及其法定代表人……是否为失信被执行人: an organisation is reached via a listed officer.
    DEBTOR_IS_OFFICER = "debtor_is_officer"


class DepartmentScope(StrEnum):
    """How a measure's ``departments`` list is to be read."""

    LISTED = "listed"  # exactly the named units
    LISTED_OPEN = "listed_open"  # the list ends with 等; only the named units are recorded
    ANY_UNIT = "any_unit"  # every registered unit (二、（十一）)
    EXTERNAL = "external"  # applied outside the local units (二、（七）1., SPC platform)


class UnitKind(StrEnum):
    """What sort of body a unit is."""

    PARTY = "party"
    GOVERNMENT = "government"
    PUBLIC_INSTITUTION = "public_institution"
    CENTRAL_BANK = "central_bank"
    BANK_REGULATOR = "bank_regulator"
    CUSTOMS = "customs"
    TAX = "tax"
    MILITARY = "military"
    COURT = "court"
    PROCURATORATE = "procuratorate"
    COLLECTIVE = "collective"  # a class of units named as a whole (各党政机关)
