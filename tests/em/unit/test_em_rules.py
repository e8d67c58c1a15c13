"""Pure EM rules: the alert workflow, the violation record's order, notification checks and
their working-day deadline, reasonable visit times and the female staff rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from probation.domain.errors import Conflict, InvalidValue
from probation.em.domain.alerts import (
    AlertAction,
    AlertStatus,
    Outcome,
    Priority,
    ViolationRecord,
    ViolationStep,
    check_step,
    next_status,
    priority_of,
)
from probation.em.domain.notifications import OrderOnRecord, check_notification, query_due_on
from probation.em.domain.visits import VisitStaff, check_schedule, is_reasonable_time

BREACH = datetime(2026, 3, 6, 21, 0, tzinfo=UTC)


def test_an_entry_into_an_exclusion_zone_is_a_high_priority_violation() -> None:
    assert priority_of("entry", breach=True) is Priority.HIGH
    assert priority_of("approach", breach=False) is Priority.MEDIUM
    assert priority_of("exit", breach=False) is Priority.LOW


def test_a_high_priority_alert_cannot_be_closed_before_it_is_acknowledged() -> None:
    with pytest.raises(Conflict):
        next_status(AlertStatus.RAISED, AlertAction.CLOSE, priority=Priority.HIGH,
                    outcome=Outcome.FALSE_ALERT)
    assert next_status(AlertStatus.RAISED, AlertAction.CLOSE, priority=Priority.LOW,
                       outcome=Outcome.NO_ACTION) is AlertStatus.CLOSED


def test_closing_needs_an_outcome_and_a_closed_alert_takes_no_more_actions() -> None:
    with pytest.raises(InvalidValue):
        next_status(AlertStatus.ACKNOWLEDGED, AlertAction.CLOSE, priority=Priority.HIGH)
    with pytest.raises(Conflict):
        next_status(AlertStatus.CLOSED, AlertAction.ASSIGN, priority=Priority.HIGH)


def test_violation_steps_follow_the_breach_and_their_prerequisites() -> None:
    now = BREACH + timedelta(days=3)
    empty = ViolationRecord(breach_at=BREACH, steps={})
    with pytest.raises(InvalidValue):
        check_step(empty, ViolationStep.IDENTIFIED, BREACH - timedelta(seconds=1), now=now)
    with pytest.raises(Conflict):
        check_step(empty, ViolationStep.BREACH_PACK_SENT, BREACH + timedelta(hours=1), now=now)
    requested = ViolationRecord(breach_at=BREACH, steps={
        ViolationStep.BREACH_PACK_REQUESTED: BREACH + timedelta(hours=5)})
    with pytest.raises(InvalidValue):
        check_step(requested, ViolationStep.BREACH_PACK_SENT, BREACH + timedelta(hours=4), now=now)
    check_step(requested, ViolationStep.BREACH_PACK_SENT, BREACH + timedelta(hours=5), now=now)
    # A hearing may be recorded ahead (its date is set by the court), other steps may not.
    summons = ViolationRecord(breach_at=BREACH, steps={ViolationStep.SUMMONS: now})
    check_step(summons, ViolationStep.HEARING, now + timedelta(days=20), now=now)
    with pytest.raises(InvalidValue):
        check_step(empty, ViolationStep.IDENTIFIED, now + timedelta(hours=1), now=now)


ORDER = OrderOnRecord(court_code="LDSMC", sentence_date=date(2026, 11, 2),
                      requirement_start=date(2026, 11, 2), requirement_end=date(2027, 5, 2),
                      places=("Leeds city centre",), electronically_monitored=True)
GOOD = {"crn": "E100001", "court_code": "LDSMC", "order_date": "2026-11-02",
        "requirement_start": "2026-11-02", "requirement_end": "2027-05-02",
        "exclusion_places": ["Leeds city centre"], "address": "1 High Street, Leeds"}


def test_a_complete_notification_matching_the_record_has_no_problems() -> None:
    assert check_notification(GOOD, ORDER) == []


def test_missing_wrong_and_disagreeing_items_are_each_a_problem() -> None:
    bad = {**GOOD, "address": "", "order_date": "2 Nov", "requirement_end": "2026-10-01",
           "court_code": "BFDCC"}
    fields = sorted(p.field for p in check_notification(bad, ORDER))
    assert fields == ["address", "court_code", "order_date", "requirement_end", "requirement_end"]
    unknown = check_notification({**GOOD, "crn": "Z000000"}, None)
    assert [p.field for p in unknown] == ["crn"]


def test_a_query_raised_on_friday_evening_is_due_on_monday_and_bank_holidays_are_skipped() -> None:
    friday_evening = datetime(2026, 11, 20, 19, 0, tzinfo=UTC)
    assert query_due_on(friday_evening, 1) == date(2026, 11, 23)
    # Thursday 24 December 2026: Friday is Christmas, Monday 28th the Boxing Day substitute.
    assert query_due_on(datetime(2026, 12, 24, 10, tzinfo=UTC), 1) == date(2026, 12, 29)
    # 23:30 UTC on 31 May (BST) is 1 June in London.
    assert query_due_on(datetime(2026, 5, 31, 23, 30, tzinfo=UTC), 1) == date(2026, 6, 2)


def test_reasonable_times_are_judged_in_london_time() -> None:
    # 07:30 UTC in July is 08:30 BST: reasonable; in January it is 07:30 GMT: not.
    assert is_reasonable_time(datetime(2026, 7, 1, 7, 30, tzinfo=UTC), datetime(2026, 7, 1, 8, 30, tzinfo=UTC))
    assert not is_reasonable_time(datetime(2026, 1, 7, 7, 30, tzinfo=UTC),
                                  datetime(2026, 1, 7, 8, 30, tzinfo=UTC))
    assert not is_reasonable_time(datetime(2026, 1, 7, 20, 30, tzinfo=UTC),
                                  datetime(2026, 1, 7, 21, 30, tzinfo=UTC))


def test_a_visit_to_a_woman_without_female_staff_is_refused_and_late_visits_need_a_reason() -> None:
    start = datetime(2026, 1, 7, 10, tzinfo=UTC)
    men = [VisitStaff(name="A", sex="male")]
    with pytest.raises(InvalidValue, match="female"):
        check_schedule(start=start, end=start + timedelta(hours=1), staff=men, offender_sex="female",
                       reason=None)
    check_schedule(start=start, end=start + timedelta(hours=1), staff=men, offender_sex="male",
                   reason=None)
    night = start + timedelta(hours=13)
    with pytest.raises(InvalidValue, match="08:00-21:00"):
        check_schedule(start=night, end=night + timedelta(hours=1), staff=men, offender_sex="male",
                       reason=None)
    check_schedule(start=night, end=night + timedelta(hours=1), staff=men, offender_sex="male",
                   reason="strap tamper alert: urgent")
