"""Failures counted per order and the next action from the policy table, on edge dates."""

from __future__ import annotations

from datetime import date

import pytest

from probation.domain.delivery.enforcement import (
    DEFAULT_POLICIES,
    Action,
    BreachRecord,
    CourtOutcome,
    EnforcementPolicy,
    check_decision,
    check_outcome,
    policy_key,
    summarise,
    window_start,
)
from probation.domain.errors import Conflict, InvalidValue
from probation.domain.release import SupervisionPhase
from probation.domain.sentences import SentenceType

SENTENCED = date(2026, 3, 1)


def summary(failures: list[date], *, warned: set[date] | None = None, breaches: list[BreachRecord] | None = None,
            as_of: date | None = None, key: str = "community_order", policies=DEFAULT_POLICIES):  # type: ignore[no-untyped-def]
    return summarise(sentence_date=SENTENCED, failure_days=failures, warned_days=warned or set(),
                     breaches=breaches or [], as_of=as_of or max(failures, default=SENTENCED),
                     policy_for={d: key for d in failures}, policies=policies)


def test_no_failures_means_no_action() -> None:
    s = summary([])
    assert s.next.action is Action.NONE and s.failures == ()


def test_the_first_failure_calls_for_a_warning_due_in_10_working_days() -> None:
    s = summary([date(2026, 6, 1)])  # Monday 1 June 2026; no bank holiday in the next fortnight
    assert s.next.action is Action.WARNING_LETTER
    assert s.next.due_by == date(2026, 6, 15)


def test_the_deadline_skips_christmas_boxing_day_substitute_and_new_year() -> None:
    # Friday 18 Dec 2026: 25 Dec (Fri), 28 Dec (Boxing Day substitute, Mon) and 1 Jan are not counted.
    s = summary([date(2026, 12, 18)])
    assert s.next.due_by == date(2027, 1, 6)


def test_the_deadline_skips_good_friday_and_easter_monday() -> None:
    s = summary([date(2027, 3, 25)])
    assert s.next.due_by == date(2027, 4, 12)


def test_the_second_failure_within_12_months_after_a_warning_is_breached() -> None:
    first, second = date(2026, 4, 2), date(2027, 4, 1)
    s = summary([first, second], warned={first})
    assert s.next.action is Action.BREACH_TO_COURT and s.next.failure_day == second and s.next.number == 2


def test_a_failure_exactly_12_months_after_the_last_gets_a_warning_not_a_breach() -> None:
    first, second = date(2026, 4, 1), date(2027, 4, 1)
    s = summary([first, second], warned={first})
    assert s.next.action is Action.WARNING_LETTER and s.next.number == 1


def test_the_12_month_window_ending_29_february_starts_1_march() -> None:
    assert window_start(date(2028, 2, 29), 12) == date(2027, 3, 1)
    out = summary([date(2027, 2, 28), date(2028, 2, 29)], warned={date(2027, 2, 28)})
    assert out.next.action is Action.WARNING_LETTER
    inside = summary([date(2027, 3, 1), date(2028, 2, 29)], warned={date(2027, 3, 1)})
    assert inside.next.action is Action.BREACH_TO_COURT


def test_the_window_ending_on_a_month_end_starts_the_next_day_a_year_earlier() -> None:
    assert window_start(date(2027, 3, 31), 12) == date(2026, 4, 1)


def test_two_failures_on_one_date_count_once() -> None:
    s = summary([date(2026, 5, 5), date(2026, 5, 5)])
    assert s.failures == (date(2026, 5, 5),) and s.next.action is Action.WARNING_LETTER


def test_failures_before_the_end_of_the_last_breach_are_not_counted() -> None:
    breach = BreachRecord(id=1, action=Action.BREACH_TO_COURT, failure_day=date(2026, 5, 5),
                          initiated_on=date(2026, 5, 6), concluded_on=date(2026, 6, 30),
                          outcome=CourtOutcome.CONTINUE)
    s = summary([date(2026, 4, 1), date(2026, 5, 5), date(2026, 6, 30), date(2026, 7, 1)],
                warned={date(2026, 4, 1)}, breaches=[breach])
    assert s.counted_from == date(2026, 7, 1)
    assert s.failures == (date(2026, 7, 1),)
    assert s.next.action is Action.WARNING_LETTER
    assert s.previous_breaches == 1 and s.failures_last_12_months == 4


def test_a_breach_in_progress_awaits_its_outcome() -> None:
    breach = BreachRecord(id=1, action=Action.BREACH_TO_COURT, failure_day=date(2026, 5, 5),
                          initiated_on=date(2026, 5, 6))
    s = summary([date(2026, 4, 1), date(2026, 5, 5)], warned={date(2026, 4, 1)}, breaches=[breach])
    assert s.next.action is Action.AWAIT_OUTCOME and s.breach_in_progress == breach
    with pytest.raises(Conflict, match="no enforcement action is due"):
        check_decision(s, Action.BREACH_TO_COURT)


def test_the_decision_must_be_the_one_the_policy_calls_for() -> None:
    s = summary([date(2026, 6, 1)])
    with pytest.raises(Conflict, match="calls for warning letter"):
        check_decision(s, Action.BREACH_TO_COURT)
    assert check_decision(s, Action.WARNING_LETTER).failure_day == date(2026, 6, 1)


def test_a_licence_escalates_to_a_recall_recommendation_and_pss_to_court() -> None:
    first, second = date(2026, 6, 1), date(2026, 7, 1)
    assert summary([first, second], warned={first}, key="licence").next.action is Action.RECALL_RECOMMENDATION
    assert summary([first, second], warned={first},
                   key="post_sentence_supervision").next.action is Action.BREACH_TO_COURT


def test_policy_rows_are_chosen_by_order_type_and_supervision_phase() -> None:
    assert policy_key(SentenceType.COMMUNITY_ORDER, None) == "community_order"
    assert policy_key(SentenceType.CUSTODIAL, SupervisionPhase.LICENCE) == "licence"
    assert policy_key(SentenceType.CUSTODIAL, SupervisionPhase.POST_SENTENCE_SUPERVISION) == \
        "post_sentence_supervision"
    assert policy_key(SentenceType.CUSTODIAL, SupervisionPhase.ENDED) is None


def test_a_failure_when_not_under_supervision_calls_for_nothing() -> None:
    s = summarise(sentence_date=SENTENCED, failure_days=[date(2026, 6, 1)], warned_days=set(), breaches=[],
                  as_of=date(2026, 6, 1), policy_for={date(2026, 6, 1): None})
    assert s.next.action is Action.NONE and "not under supervision" in s.next.reason


def test_the_limit_is_configuration_two_warnings_then_breach() -> None:
    policies = {"community_order": EnforcementPolicy(key="community_order", warnings_before_escalation=2,
                                                     window_months=12, escalation=Action.BREACH_TO_COURT,
                                                     deadline_working_days=5, source="test")}
    a, b, c = date(2026, 6, 1), date(2026, 7, 1), date(2026, 8, 3)
    assert summary([a, b], warned={a}, policies=policies).next.action is Action.WARNING_LETTER
    s = summary([a, b, c], warned={a, b}, policies=policies)
    assert s.next.action is Action.BREACH_TO_COURT and s.next.due_by == date(2026, 8, 10)


def test_a_policy_cannot_escalate_to_a_warning() -> None:
    with pytest.raises(InvalidValue):
        EnforcementPolicy(key="x", warnings_before_escalation=1, window_months=12,
                          escalation=Action.WARNING_LETTER, deadline_working_days=10, source="x")


def test_court_outcomes_match_the_route_and_are_recorded_once() -> None:
    open_breach = BreachRecord(id=4, action=Action.BREACH_TO_COURT, failure_day=date(2026, 6, 1),
                               initiated_on=date(2026, 6, 2))
    check_outcome(open_breach, CourtOutcome.REVOKE_AND_RESENTENCE, on=date(2026, 7, 1))
    with pytest.raises(InvalidValue, match="not an outcome"):
        check_outcome(open_breach, CourtOutcome.RECALLED, on=date(2026, 7, 1))
    with pytest.raises(InvalidValue, match="precedes"):
        check_outcome(open_breach, CourtOutcome.CONTINUE, on=date(2026, 6, 1))
    done = BreachRecord(id=4, action=Action.BREACH_TO_COURT, failure_day=date(2026, 6, 1),
                        initiated_on=date(2026, 6, 2), concluded_on=date(2026, 7, 1))
    with pytest.raises(Conflict, match="already concluded"):
        check_outcome(done, CourtOutcome.CONTINUE, on=date(2026, 7, 2))


def test_failures_in_the_last_12_months_are_counted_to_the_summary_date() -> None:
    s = summary([date(2025, 11, 23), date(2025, 11, 24), date(2026, 11, 23)], as_of=date(2026, 11, 23))
    assert s.failures_last_12_months == 2
