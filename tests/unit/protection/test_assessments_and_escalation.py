"""RoSH assessments, the responsible organisation and the escalation steps."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from probation.domain.errors import Conflict, InvalidValue
from probation.domain.organisations import OrganisationKind
from probation.domain.protection import escalation as esc
from probation.domain.protection.assessments import (
    RoshAssessment,
    RoshTarget,
    latest,
    rosh_change,
    validate_assessment_date,
)
from probation.domain.risk.rosh import RoshLevel

AT = datetime(2026, 11, 23, 10, tzinfo=UTC)


def test_the_overall_level_is_the_highest_to_any_group() -> None:
    a = RoshAssessment(assessed_on=date(2026, 11, 1), assessor="A",
                       levels={RoshTarget.PUBLIC: RoshLevel.MEDIUM, RoshTarget.CHILDREN: RoshLevel.HIGH,
                               RoshTarget.STAFF: RoshLevel.LOW})
    assert a.overall is RoshLevel.HIGH and a.groups_at_highest == (RoshTarget.CHILDREN,)


def test_an_assessment_needs_a_group_and_an_assessor() -> None:
    with pytest.raises(InvalidValue):
        RoshAssessment(assessed_on=date(2026, 11, 1), assessor="A", levels={})
    with pytest.raises(InvalidValue):
        RoshAssessment(assessed_on=date(2026, 11, 1), assessor=" ", levels={RoshTarget.PUBLIC: RoshLevel.LOW})


def test_assessment_dates_cannot_be_in_the_future_or_before_birth() -> None:
    validate_assessment_date(date(2026, 11, 23), date_of_birth=date(1990, 1, 1), as_of=date(2026, 11, 23))
    with pytest.raises(InvalidValue):
        validate_assessment_date(date(2026, 11, 24), date_of_birth=date(1990, 1, 1), as_of=date(2026, 11, 23))
    with pytest.raises(InvalidValue):
        validate_assessment_date(date(1989, 12, 31), date_of_birth=date(1990, 1, 1), as_of=date(2026, 11, 23))


def test_the_latest_assessment_wins_and_a_same_day_correction_counts() -> None:
    def a(day: int, level: RoshLevel) -> RoshAssessment:
        return RoshAssessment(assessed_on=date(2026, 11, day), assessor="A", levels={RoshTarget.PUBLIC: level})
    assert latest([]) is None
    current = latest([a(1, RoshLevel.LOW), a(5, RoshLevel.HIGH), a(5, RoshLevel.MEDIUM), a(3, RoshLevel.VERY_HIGH)])
    assert current is not None and current.overall is RoshLevel.MEDIUM


@pytest.mark.parametrize(("before", "after", "mappa", "now_needs_nps"), [
    (RoshLevel.MEDIUM, RoshLevel.HIGH, False, True),
    (RoshLevel.LOW, RoshLevel.MEDIUM, False, False),
    (RoshLevel.HIGH, RoshLevel.VERY_HIGH, False, False),   # already the NPS's
    (RoshLevel.LOW, RoshLevel.LOW, True, False),           # MAPPA: the NPS's before and after
    (None, RoshLevel.HIGH, False, True),
])
def test_a_rise_to_high_makes_the_case_the_npss(before: RoshLevel | None, after: RoshLevel, mappa: bool,
                                                now_needs_nps: bool) -> None:
    change = rosh_change(before, after, mappa=mappa)
    assert change.now_needs_nps is now_needs_nps
    assert change.responsible_now is (OrganisationKind.NPS_REGION if mappa or after.is_high_or_above
                                      else OrganisationKind.CONTRACTED_PROVIDER)


def referred() -> esc.Escalation:
    return esc.refer(esc.indicate(at=AT, actor="p", concern="c", evidence="e"), at=AT, actor="p")


def test_taking_responsibility_needs_high_rosh_and_an_nps_team() -> None:
    with pytest.raises(InvalidValue) as err:
        esc.decide(referred(), at=AT, actor="r", decision=esc.NpsDecision.TAKE_RESPONSIBILITY,
                   assessed_rosh=RoshLevel.MEDIUM, rationale="x", to_team_code="T1", planned_review_date=None)
    assert err.value.field == "assessed_rosh"
    decided = esc.decide(referred(), at=AT, actor="r", decision=esc.NpsDecision.TAKE_RESPONSIBILITY,
                         assessed_rosh=RoshLevel.VERY_HIGH, rationale="x", to_team_code="T1",
                         planned_review_date=None)
    assert decided.status is esc.EscalationStatus.DECIDED and decided.decided_at == AT


def test_keeping_a_case_needs_a_review_date_after_the_decision_day() -> None:
    def keep(review: date | None) -> esc.Escalation:
        return esc.decide(referred(), at=AT, actor="r", decision=esc.NpsDecision.KEEP_WITH_PROVIDER,
                          assessed_rosh=RoshLevel.MEDIUM, rationale="x", to_team_code=None,
                          planned_review_date=review)
    for bad in (None, date(2026, 11, 23)):
        with pytest.raises(InvalidValue) as err:
            keep(bad)
        assert err.value.field == "planned_review_date"
    assert keep(date(2026, 11, 24)).planned_review_date == date(2026, 11, 24)


def test_steps_happen_in_order() -> None:
    indicated = esc.indicate(at=AT, actor="p", concern="c", evidence="e")
    with pytest.raises(Conflict):
        esc.action(indicated, at=AT, actor="p", note="n")
    with pytest.raises(Conflict):
        esc.refer(referred(), at=AT, actor="p")
    with pytest.raises(InvalidValue):
        esc.indicate(at=AT, actor="p", concern="c", evidence="  ")
