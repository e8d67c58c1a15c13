"""Which rows apply to which cases: the condition semantics and the Type A/B/C decision."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from probation.catalogue import OutputLevel, SpecId, load_catalogue, load_contract
from probation.catalogue.conditions import (
    CaseFacts,
    CaseFlag,
    Condition,
    Register,
    RequirementFact,
    SupervisionPeriod,
)
from probation.catalogue.loader import DATA_DIR
from probation.domain.people import Sex
from probation.domain.requirements import RequirementType as R
from probation.domain.risk.rosh import RoshLevel
from probation.domain.sentences import SentenceType

CAT = load_catalogue()
TYPE_C = {
    R.SUPERVISION,
    R.REHABILITATION_ACTIVITY,
    R.ACCREDITED_PROGRAMME,
    R.ALCOHOL_TREATMENT,
    R.DRUG_REHABILITATION,
    R.MENTAL_HEALTH_TREATMENT,
}
TYPE_B_ONLY = {R.ATTENDANCE_CENTRE}
TYPE_A_ONLY = set(R) - TYPE_C - TYPE_B_ONLY


def order(*types: R, em: bool = False, sex: Sex = Sex.MALE, **kw: object) -> CaseFacts:
    reqs = tuple(RequirementFact(type=t, electronically_monitored=em) for t in types)
    return CaseFacts(sentence_type=SentenceType.COMMUNITY_ORDER, sex=sex, requirements=reqs, **kw)  # type: ignore[arg-type]


def manage_levels(facts: CaseFacts) -> set[OutputLevel]:
    return {
        r.output_level
        for r in CAT.applicable_rows(facts)
        if r.spec_id is SpecId.MANAGE and r.output_level is not None
    }


def test_annex_a_decision_gives_c_to_rehabilitative_b_to_attendance_centre_a_to_the_rest() -> None:
    levels = CAT.specs[SpecId.MANAGE].output_levels
    assert levels is not None
    assert {t for t, d in levels.items() if d.level is OutputLevel.C} == TYPE_C
    assert {t for t, d in levels.items() if d.level is OutputLevel.B} == TYPE_B_ONLY
    assert {t for t, d in levels.items() if d.level is OutputLevel.A} == TYPE_A_ONLY


def test_a_stand_alone_unpaid_work_order_gets_type_a_outputs_only() -> None:
    assert manage_levels(order(R.UNPAID_WORK)) == {OutputLevel.A}


def test_a_curfew_and_unpaid_work_order_gets_type_a_outputs_only() -> None:
    assert manage_levels(order(R.UNPAID_WORK, R.CURFEW)) == {OutputLevel.A}


def test_an_attendance_centre_order_adds_type_b_but_not_type_c() -> None:
    assert manage_levels(order(R.ATTENDANCE_CENTRE)) == {OutputLevel.A, OutputLevel.B}


def test_a_rar_order_gets_all_three_levels() -> None:
    assert manage_levels(order(R.REHABILITATION_ACTIVITY)) == {
        OutputLevel.A,
        OutputLevel.B,
        OutputLevel.C,
    }


def test_one_rehabilitative_requirement_lifts_the_whole_order_to_type_c() -> None:
    assert OutputLevel.C in manage_levels(order(R.UNPAID_WORK, R.DRUG_REHABILITATION))


def test_the_level_sets_nest_a_within_b_within_c() -> None:
    b = CAT.row("manage", 8).applies_when.requirement_types_any
    c = CAT.row("manage", 20).applies_when.requirement_types_any
    assert b is not None and c is not None
    assert c < b
    assert CAT.row("manage", 1).applies_when.requirement_types_any is None


@given(st.sets(st.sampled_from(list(R)), min_size=1, max_size=5))
def test_an_order_gets_type_b_exactly_when_a_requirement_needs_engagement_and_a_plan(
    types: set[R],
) -> None:
    levels = manage_levels(order(*types))
    assert OutputLevel.A in levels
    assert (OutputLevel.B in levels) == bool(types & (TYPE_C | TYPE_B_ONLY))
    assert (OutputLevel.C in levels) == bool(types & TYPE_C)


def test_a_suspended_sentence_without_requirements_gets_type_a_only() -> None:
    facts = CaseFacts(sentence_type=SentenceType.SUSPENDED_SENTENCE_ORDER, sex=Sex.MALE)
    assert manage_levels(facts) == {OutputLevel.A}


def test_when_the_em_provider_is_responsible_officer_only_asterisked_manage_rows_apply() -> None:
    rows = CAT.applicable_rows(order(R.CURFEW, em=True), em_responsible_officer=True)
    manage = sorted(r.row for r in rows if r.spec_id is SpecId.MANAGE)
    assert manage == [1, 3, 6, 21, 24, 26, 27, 28, 36]  # 2, 5, 7, 23 need registers, sex or needs


def test_em_exclusion_rows_apply_to_an_em_exclusion_and_annex_a_rows_to_a_non_em_one() -> None:
    em = {
        r.row
        for r in CAT.applicable_rows(order(R.EXCLUSION, em=True))
        if r.spec_id is SpecId.EXCLUSION
    }
    plain = {
        r.row for r in CAT.applicable_rows(order(R.EXCLUSION)) if r.spec_id is SpecId.EXCLUSION
    }
    assert em == {1, 2, 4, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}  # 3, 5-7 service; 20 women
    assert plain == {22, 23, 24, 25, 26, 27}  # 21 is service level


def test_an_em_curfew_does_not_make_a_plain_exclusion_electronically_monitored() -> None:
    facts = CaseFacts(
        sentence_type=SentenceType.COMMUNITY_ORDER,
        sex=Sex.MALE,
        requirements=(
            RequirementFact(type=R.CURFEW, electronically_monitored=True),
            RequirementFact(type=R.EXCLUSION),
        ),
    )
    rows = {r.row for r in CAT.applicable_rows(facts) if r.spec_id is SpecId.EXCLUSION}
    assert 11 not in rows and 23 in rows


def test_female_only_rows_apply_to_women() -> None:
    women = {r.key for r in CAT.applicable_rows(order(R.SUPERVISION, sex=Sex.FEMALE))}
    men = {r.key for r in CAT.applicable_rows(order(R.SUPERVISION))}
    assert women - men == {("manage", 4), ("manage", 5), ("supervision", 3), ("supervision", 4)}


def test_the_home_visit_row_applies_to_high_rosh_or_when_flagged_but_only_within_type_c() -> None:
    row = CAT.row("manage", 11)
    assert row.applies_when.matches(order(R.REHABILITATION_ACTIVITY, rosh=RoshLevel.HIGH))
    assert not row.applies_when.matches(order(R.REHABILITATION_ACTIVITY, rosh=RoshLevel.MEDIUM))
    flagged = order(
        R.REHABILITATION_ACTIVITY, rosh=RoshLevel.LOW, flags=frozenset({CaseFlag.HOME_VISIT_NEEDED})
    )
    assert row.applies_when.matches(flagged)
    flagged_upw = order(R.UNPAID_WORK, flags=frozenset({CaseFlag.HOME_VISIT_NEEDED}))
    assert not row.applies_when.matches(flagged_upw)


def test_registers_bring_in_the_agency_notification_row() -> None:
    row = CAT.row("manage", 2)
    assert not row.applies_when.matches(order(R.UNPAID_WORK))
    assert row.applies_when.matches(
        order(R.UNPAID_WORK, registers=frozenset({Register.REGISTERED_SEX_OFFENDER}))
    )


def test_commissionable_options_apply_only_when_the_contract_buys_them() -> None:
    woman = order(R.SUPERVISION, sex=Sex.FEMALE)
    without = {r.key for r in CAT.applicable_rows(woman)}
    contract = load_contract(DATA_DIR / "contracts" / "default.yaml", CAT)
    with_contract = {r.key for r in CAT.applicable_rows(woman, contract)}
    assert ("supervision", 22) not in without
    assert with_contract - without == {("supervision", 22)}


def test_post_release_rows_apply_on_licence_and_in_post_sentence_supervision_but_not_to_a_co() -> (
    None
):
    for period in SupervisionPeriod:
        facts = CaseFacts(
            sentence_type=SentenceType.CUSTODIAL, sex=Sex.MALE, supervision_period=period
        )
        assert {r.spec_id for r in CAT.applicable_rows(facts)} == {SpecId.POST_RELEASE}
    assert SpecId.POST_RELEASE not in {r.spec_id for r in CAT.applicable_rows(order(R.UNPAID_WORK))}


def test_an_empty_any_of_clause_is_refused() -> None:
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="at least one value"):
        Condition(registers_any=frozenset())
