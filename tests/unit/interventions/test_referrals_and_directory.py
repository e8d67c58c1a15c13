"""The directory's referral checks and the referral status rules."""

from __future__ import annotations

from datetime import date

import pytest

from probation.domain.errors import Conflict, InvalidValue
from probation.domain.interventions.directory import (
    Eligibility,
    InterventionService,
    ServiceKind,
    check_referral,
)
from probation.domain.interventions.referrals import (
    NEXT,
    ReferralStatus,
    WithdrawalReason,
    check_attendance,
    check_transition,
)
from probation.domain.people import Sex
from probation.domain.protection.plans import NeedArea, Outcome
from probation.domain.sentences import SentenceType

TODAY = date(2026, 11, 23)


def svc(**overrides: object) -> InterventionService:
    values: dict[str, object] = dict(code="HOUSING-1", name="Housing", provider="Shelter",
                                     kind=ServiceKind.SPECIALIST_SERVICE,
                                     need_areas=frozenset({NeedArea.ACCOMMODATION}), location="Leeds",
                                     capacity=2)
    values.update(overrides)
    return InterventionService(**values)  # type: ignore[arg-type]


def refer(service: InterventionService, *, need: NeedArea = NeedArea.ACCOMMODATION, sex: Sex = Sex.MALE,
          age: int = 30, taken: int = 0) -> None:
    check_referral(service, need_area=need, sex=sex, age=age, sentence_type=SentenceType.COMMUNITY_ORDER,
                   places_taken=taken)


def test_a_referral_fits_a_service_with_a_free_place() -> None:
    refer(svc(), taken=1)


def test_the_last_place_taken_makes_the_service_full() -> None:
    with pytest.raises(Conflict, match="full \\(2 of 2"):
        refer(svc(), taken=2)


def test_a_service_that_does_not_address_the_need_refuses() -> None:
    with pytest.raises(InvalidValue, match="does not address drug_misuse"):
        refer(svc(), need=NeedArea.DRUG_MISUSE)


@pytest.mark.parametrize(("age", "ok"), [(17 + 1, True), (24, True), (25, False)])
def test_age_limits_are_inclusive(age: int, ok: bool) -> None:
    young = svc(eligibility=Eligibility(min_age=18, max_age=24))
    if ok:
        refer(young, age=age)
    else:
        with pytest.raises(InvalidValue, match="above the maximum age 24"):
            refer(young, age=age)


def test_a_womens_service_refuses_a_man_and_a_closed_service_refuses_everyone() -> None:
    with pytest.raises(InvalidValue, match="female people only"):
        refer(svc(eligibility=Eligibility(sexes=frozenset({Sex.FEMALE}))))
    with pytest.raises(Conflict, match="closed"):
        refer(svc(active=False))


@pytest.mark.parametrize("bad", [{"capacity": 0}, {"need_areas": frozenset()}, {"code": "x"},
                                 {"name": " "}])
def test_a_directory_entry_must_be_complete(bad: dict[str, object]) -> None:
    with pytest.raises(InvalidValue):
        svc(**bad)


def test_ages_in_eligibility_are_adult_and_ordered() -> None:
    with pytest.raises(InvalidValue, match="outside 18-120"):
        Eligibility(min_age=16)
    with pytest.raises(InvalidValue, match="above the maximum"):
        Eligibility(min_age=30, max_age=25)


def move(current: ReferralStatus, new: ReferralStatus, *, on: date = TODAY, reason: WithdrawalReason | None = None,
         notes: str | None = None, outcome: Outcome | None = None) -> None:
    check_transition(7, current, new, on=on, last_change=date(2026, 11, 1), as_of=TODAY, reason=reason,
                     notes=notes, outcome=outcome)


def test_statuses_move_forward_one_step_at_a_time() -> None:
    move(ReferralStatus.SENT, ReferralStatus.ACCEPTED)
    move(ReferralStatus.ACCEPTED, ReferralStatus.STARTED)
    move(ReferralStatus.STARTED, ReferralStatus.COMPLETED, outcome=Outcome.PARTLY_ACHIEVED)
    with pytest.raises(Conflict, match="cannot become started"):
        move(ReferralStatus.SENT, ReferralStatus.STARTED)
    with pytest.raises(Conflict, match="closed"):
        move(ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN, reason=WithdrawalReason.OTHER, notes="x")
    assert all(not NEXT[s] for s in (ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN))


@pytest.mark.parametrize("current", [ReferralStatus.SENT, ReferralStatus.ACCEPTED])
def test_a_referral_that_never_started_has_no_outcome(current: ReferralStatus) -> None:
    with pytest.raises(Conflict, match="never started"):
        move(current, ReferralStatus.COMPLETED, outcome=Outcome.ACHIEVED)
    with pytest.raises(Conflict, match="attendance is recorded for a referral that started"):
        check_attendance(7, current)


def test_withdrawal_needs_a_reason_and_other_needs_notes() -> None:
    with pytest.raises(InvalidValue, match="needs a reason"):
        move(ReferralStatus.SENT, ReferralStatus.WITHDRAWN)
    with pytest.raises(InvalidValue, match="without notes"):
        move(ReferralStatus.SENT, ReferralStatus.WITHDRAWN, reason=WithdrawalReason.OTHER)
    move(ReferralStatus.STARTED, ReferralStatus.WITHDRAWN, reason=WithdrawalReason.NOT_ENGAGING)


def test_completion_needs_an_outcome_and_other_steps_refuse_one() -> None:
    with pytest.raises(InvalidValue, match="without an outcome"):
        move(ReferralStatus.STARTED, ReferralStatus.COMPLETED)
    with pytest.raises(InvalidValue, match="outcome is given for accepted"):
        move(ReferralStatus.SENT, ReferralStatus.ACCEPTED, outcome=Outcome.ACHIEVED)


def test_change_dates_are_in_order_and_not_in_the_future() -> None:
    with pytest.raises(InvalidValue, match="before the referral's last change"):
        move(ReferralStatus.SENT, ReferralStatus.ACCEPTED, on=date(2026, 10, 31))
    move(ReferralStatus.SENT, ReferralStatus.ACCEPTED, on=date(2026, 11, 1))
    with pytest.raises(InvalidValue, match="after today"):
        move(ReferralStatus.SENT, ReferralStatus.ACCEPTED, on=date(2026, 11, 24))
