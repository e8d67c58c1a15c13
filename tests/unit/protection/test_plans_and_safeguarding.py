"""The plan's coverage of the order, reviews on significant change, and safeguarding records."""

from __future__ import annotations

from datetime import date

import pytest

from probation.domain.errors import InvalidValue
from probation.domain.events import EventKind
from probation.domain.protection import plans
from probation.domain.protection.safeguarding import SafeguardingKind, SafeguardingRecord, validate_date
from probation.domain.requirements import RequirementType as R


def obj(req: R | None = None, need: plans.NeedArea | None = None) -> plans.Objective:
    return plans.Objective(description="d", requirement=req, need_area=need)


def test_a_plan_covering_every_requirement_is_accepted() -> None:
    plans.validate_objectives([obj(R.UNPAID_WORK), obj(R.CURFEW), obj(need=plans.NeedArea.FINANCE)],
                              [R.UNPAID_WORK, R.CURFEW])


def test_a_plan_leaving_a_requirement_without_an_objective_names_it() -> None:
    with pytest.raises(InvalidValue) as err:
        plans.validate_objectives([obj(R.UNPAID_WORK)], [R.UNPAID_WORK, R.CURFEW, R.EXCLUSION])
    assert err.value.value == "curfew,exclusion"
    assert err.value.message == "the plan leaves curfew, exclusion without an objective"


def test_an_objective_links_to_a_requirement_of_the_order_or_a_need_area() -> None:
    with pytest.raises(InvalidValue):
        plans.Objective(description="d")
    with pytest.raises(InvalidValue):
        plans.validate_objectives([obj(R.UNPAID_WORK), obj(R.CURFEW)], [R.UNPAID_WORK])
    with pytest.raises(InvalidValue):
        plans.validate_objectives([], [])


def test_disagreement_needs_the_persons_view() -> None:
    with pytest.raises(InvalidValue):
        plans.Agreement(agreed=False)
    assert plans.Agreement(agreed=False, person_comments="too soon").agreed is False


def test_only_significant_changes_after_the_plan_call_for_a_review() -> None:
    changes = [plans.Change(kind=EventKind.REGISTER_ADDED, seq=3),
               plans.Change(kind=EventKind.ROSH_ASSESSED, seq=6, rosh_changed=False),
               plans.Change(kind=EventKind.APPOINTMENT_ATTENDED, seq=7),
               plans.Change(kind=EventKind.BREACH_INITIATED, seq=8),
               plans.Change(kind=EventKind.ROSH_ASSESSED, seq=9, rosh_changed=True),
               plans.Change(kind=EventKind.BREACH_INITIATED, seq=10)]
    assert plans.reviews_needed(changes, after_seq=5) == (plans.ReviewReason.BREACH, plans.ReviewReason.ROSH_CHANGE)
    assert plans.reviews_needed(changes, after_seq=10) == ()


def test_the_end_of_sentence_review_opens_at_termination_or_the_end_date() -> None:
    assert plans.end_of_sentence_open(terminated=True, end_date=date(2027, 1, 1), as_of=date(2026, 6, 1))
    assert plans.end_of_sentence_open(terminated=False, end_date=date(2027, 1, 1), as_of=date(2027, 1, 1))
    assert not plans.end_of_sentence_open(terminated=False, end_date=date(2027, 1, 1), as_of=date(2026, 12, 31))


def test_each_safeguarding_record_carries_what_its_row_needs() -> None:
    rec = SafeguardingRecord(kind=SafeguardingKind.CHILDREN_SERVICES_CHECK, on=date(2026, 11, 5),
                             agency_code="CSC", outcome="not_known")
    assert rec.rules.event is EventKind.CHILDREN_SERVICES_CHECKED and rec.rules.rows == (9,)
    with pytest.raises(InvalidValue) as err:
        SafeguardingRecord(kind=SafeguardingKind.SAFETY_PLAN_OFFER, on=date(2026, 11, 5), outcome="accepted",
                           topic="vulnerability", agency_code="CSC")
    assert err.value.field == "agency_code"
    with pytest.raises(InvalidValue) as err:
        SafeguardingRecord(kind=SafeguardingKind.HOME_VISIT, on=date(2026, 11, 5), topic="plan", outcome="done")
    assert err.value.field == "outcome"


def test_safeguarding_dates_run_from_the_sentence_date_to_today() -> None:
    validate_date(date(2024, 2, 29), sentence_date=date(2024, 2, 29), as_of=date(2024, 2, 29))
    with pytest.raises(InvalidValue):
        validate_date(date(2024, 2, 28), sentence_date=date(2024, 2, 29), as_of=date(2024, 3, 1))
    with pytest.raises(InvalidValue):
        validate_date(date(2024, 3, 2), sentence_date=date(2024, 2, 29), as_of=date(2024, 3, 1))
