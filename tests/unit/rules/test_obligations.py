"""The per-case obligations engine on worked examples: every status, working days over bank
holidays, month ends, recurring periods, occurrences and rows awaiting evidence."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from probation.catalogue.conditions import Register
from probation.domain.events import EventKind as K
from probation.domain.people import Sex
from probation.domain.requirements import RequirementType
from probation.rules.obligations import Obligation
from probation.rules.statuses import ObligationStatus as S
from tests.obligation_factories import RECORDED, case, engine, event, requirement

ENGINE = engine()


def rows(obligations: list[Obligation], spec: str, row: int) -> list[Obligation]:
    return [o for o in obligations if o.spec_id == spec and o.row == row]


def one(obligations: list[Obligation], spec: str, row: int) -> Obligation:
    found = rows(obligations, spec, row)
    assert len(found) == 1, found
    return found[0]


def test_a_case_record_entered_the_next_working_day_is_met() -> None:
    created = event(K.CASE_CREATED, date(2026, 3, 3))
    o = one(ENGINE.evaluate(case(sentence_date=date(2026, 3, 2)), [created], date(2026, 3, 10)), "manage", 1)
    assert (o.status, o.due, o.met_on) == (S.MET, date(2026, 3, 3), date(2026, 3, 3))
    assert o.evidence is not None and o.evidence.id == created.id and o.evidence.seq == created.seq


def test_a_case_record_entered_two_working_days_after_sentence_is_met_late() -> None:
    obligations = ENGINE.evaluate(case(sentence_date=date(2026, 3, 2)),
                                  [event(K.CASE_CREATED, date(2026, 3, 4))], date(2026, 3, 10))
    assert one(obligations, "manage", 1).status is S.MET_LATE


def test_a_sentence_on_the_last_day_of_a_month_is_due_on_the_first_working_day_of_the_next() -> None:
    # Friday 31 July 2026: the next working day is Monday 3 August (no bank holiday that day).
    o = one(ENGINE.evaluate(case(sentence_date=date(2026, 7, 31)), [], date(2026, 8, 3)), "manage", 1)
    assert (o.status, o.due) == (S.DUE, date(2026, 8, 3))


@pytest.mark.parametrize(("as_of", "status"), [(date(2026, 4, 8), S.DUE), (date(2026, 4, 9), S.OVERDUE)])
def test_allocation_skips_good_friday_and_easter_monday(as_of: date, status: S) -> None:
    # Created Thursday 2 April 2026; Good Friday 3 April and Easter Monday 6 April are bank holidays,
    # so two working days later is Wednesday 8 April.
    created = event(K.CASE_CREATED, date(2026, 4, 2))
    o = one(ENGINE.evaluate(case(sentence_date=date(2026, 4, 2)), [created], as_of), "manage", 3)
    assert (o.status, o.due, o.opens) == (status, date(2026, 4, 8), date(2026, 4, 2))
    assert o.trigger is not None and o.trigger.id == created.id


def test_induction_over_christmas_and_new_year_is_due_on_the_fifth_working_day() -> None:
    # Created Wednesday 23 December 2026: 24 Dec (1), 25 Dec and 28 Dec (Boxing Day substitute) are
    # bank holidays, 29 (2), 30 (3), 31 (4), 1 January 2027 is a bank holiday, Monday 4 January (5).
    created = event(K.CASE_CREATED, date(2026, 12, 23))
    o = one(ENGINE.evaluate(case(sentence_date=date(2026, 12, 23)), [created], date(2026, 12, 30)), "manage", 6)
    assert (o.status, o.due) == (S.DUE, date(2027, 1, 4))


def test_an_event_late_in_the_evening_counts_on_its_london_day() -> None:
    # 23:30 UTC on 3 March 2026 is still 3 March in London (GMT); on 3 July (BST) it is the 4th.
    created = event(K.CASE_CREATED, datetime(2026, 7, 3, 23, 30, tzinfo=UTC))
    o = one(ENGINE.evaluate(case(sentence_date=date(2026, 7, 2)), [created], date(2026, 7, 10)), "manage", 1)
    assert (o.met_on, o.status) == (date(2026, 7, 4), S.MET_LATE)


def test_events_after_as_of_are_not_known_yet() -> None:
    created = event(K.CASE_CREATED, date(2026, 3, 2))
    allocated = event(K.ALLOCATED, date(2026, 3, 5))
    o = one(ENGINE.evaluate(case(), [created, allocated], date(2026, 3, 4)), "manage", 3)
    assert (o.status, o.met_on) == (S.DUE, None)


def test_a_row_whose_trigger_has_not_happened_is_not_yet_due_with_the_reason() -> None:
    o = one(ENGINE.evaluate(case(), [event(K.CASE_CREATED, date(2026, 3, 2))], date(2026, 3, 20)),
            "manage", 36)
    assert o.status is S.NOT_YET_DUE and o.due is None and o.reason == "waiting for terminated"


def test_closure_after_termination_is_due_ten_working_days_later() -> None:
    events = [event(K.CASE_CREATED, date(2026, 3, 2)), event(K.TERMINATED, date(2026, 9, 1))]
    o = one(ENGINE.evaluate(case(terminated_on=date(2026, 9, 1)), events, date(2026, 9, 20)), "manage", 36)
    assert (o.status, o.due) == (S.OVERDUE, date(2026, 9, 15))


def test_a_row_for_women_does_not_apply_to_a_man_and_says_why() -> None:
    o = one(ENGINE.evaluate(case(sex=Sex.MALE), [], date(2026, 3, 20)), "manage", 4)
    assert o.status is S.NOT_APPLICABLE and o.reason == "applies to female people only"


def test_a_row_for_women_applies_to_a_woman() -> None:
    o = one(ENGINE.evaluate(case(sex=Sex.FEMALE), [event(K.CASE_CREATED, date(2026, 3, 2))],
                            date(2026, 3, 3)), "manage", 4)
    assert o.status is S.DUE


def test_an_uncommissioned_option_does_not_apply_and_names_the_option() -> None:
    sup = requirement(RequirementType.SUPERVISION, start=date(2026, 3, 2), end=date(2027, 3, 2))
    o = one(ENGINE.evaluate(case(requirements=(sup,)), [], date(2026, 3, 20)), "supervision", 23)
    assert o.status is S.NOT_APPLICABLE and "supervision.mentoring" in (o.reason or "")


def test_rows_whose_evidence_the_platform_does_not_record_are_awaiting_evidence_never_met() -> None:
    # Manage row 7 needs communication_support_arranged, which no feature records in RECORDED.
    assert K.COMMUNICATION_SUPPORT_ARRANGED not in RECORDED
    c = case(characteristics=frozenset({"non_english_speaking"}))
    events = [event(K.CASE_CREATED, date(2026, 3, 2)),
              event(K.COMMUNICATION_SUPPORT_ARRANGED, date(2026, 3, 3))]
    o = one(ENGINE.evaluate(c, events, date(2026, 6, 1)), "manage", 7)
    assert o.status is S.AWAITING_EVIDENCE and o.met_on is None
    assert "communication_support_arranged" in (o.reason or "")


def test_the_same_row_becomes_live_when_its_kind_is_recorded() -> None:
    live = engine(RECORDED | {K.COMMUNICATION_SUPPORT_ARRANGED})
    c = case(characteristics=frozenset({"non_english_speaking"}))
    events = [event(K.CASE_CREATED, date(2026, 3, 2)),
              event(K.COMMUNICATION_SUPPORT_ARRANGED, date(2026, 3, 3))]
    assert one(live.evaluate(c, events, date(2026, 6, 1)), "manage", 7).status is S.MET


def test_a_row_whose_trigger_kind_is_not_recorded_awaits_evidence() -> None:
    o = one(ENGINE.evaluate(case(), [], date(2026, 3, 20)), "manage", 22)
    assert o.status is S.AWAITING_EVIDENCE and "risk_escalation_indicated" in (o.reason or "")


def test_plan_reviews_recur_every_112_days_from_the_plan_one_obligation_per_period() -> None:
    # Plan 20 March 2026: periods start 20 March, 10 July and 30 October (112 days apart).
    events = [event(K.CASE_CREATED, date(2026, 3, 2)), event(K.PLAN_COMPLETED, date(2026, 3, 20)),
              event(K.PLAN_REVIEWED, date(2026, 6, 1))]
    found = rows(ENGINE.evaluate(case(), events, date(2026, 11, 1)), "manage", 32)
    assert [(o.occurrence, o.opens, o.due, o.status) for o in found] == [
        (1, date(2026, 3, 20), date(2026, 7, 9), S.MET),
        (2, date(2026, 7, 10), date(2026, 10, 29), S.OVERDUE),
        (3, date(2026, 10, 30), date(2027, 2, 18), S.DUE),
    ]


def test_recurring_periods_stop_at_termination() -> None:
    events = [event(K.CASE_CREATED, date(2026, 3, 2)), event(K.PLAN_COMPLETED, date(2026, 3, 20))]
    found = rows(ENGINE.evaluate(case(terminated_on=date(2026, 9, 1)), events, date(2026, 11, 1)),
                 "manage", 32)
    assert [(o.occurrence, o.due) for o in found] == [(1, date(2026, 7, 9)), (2, date(2026, 8, 31))]


def test_the_last_period_ends_with_the_order() -> None:
    events = [event(K.PLAN_COMPLETED, date(2026, 3, 20))]
    found = rows(ENGINE.evaluate(case(order_end=date(2026, 8, 1)), events, date(2026, 12, 1)), "manage", 32)
    assert [(o.opens, o.due) for o in found] == [(date(2026, 3, 20), date(2026, 7, 9)),
                                                 (date(2026, 7, 10), date(2026, 7, 31))]


def test_a_recurring_row_anchored_on_a_future_requirement_start_is_not_yet_due() -> None:
    rar = requirement(start=date(2026, 4, 1), end=date(2027, 3, 2))
    o = one(ENGINE.evaluate(case(requirements=(rar,)), [], date(2026, 3, 10)), "rar", 1)
    assert (o.status, o.opens, o.occurrence) == (S.NOT_YET_DUE, date(2026, 4, 1), 0)


def test_each_register_added_needs_information_shared_within_five_working_days() -> None:
    c = case(registers=frozenset({Register.MAPPA}))
    first, second = event(K.REGISTER_ADDED, date(2026, 3, 2)), event(K.REGISTER_ADDED, date(2026, 3, 16))
    shared = event(K.INTER_AGENCY_INFORMATION_SHARED, date(2026, 3, 6))
    found = rows(ENGINE.evaluate(c, [first, second, shared], date(2026, 3, 31)), "manage", 19)
    assert [(o.occurrence, o.due, o.status) for o in found] == [
        (1, date(2026, 3, 9), S.MET), (2, date(2026, 3, 23), S.OVERDUE)]
    assert found[0].trigger is not None and found[0].trigger.id == first.id
    assert found[0].evidence is not None and found[0].evidence.id == shared.id


def test_evidence_after_an_occurrences_deadline_meets_it_late() -> None:
    c = case(registers=frozenset({Register.MAPPA}))
    events = [event(K.REGISTER_ADDED, date(2026, 3, 2)), event(K.INTER_AGENCY_INFORMATION_SHARED, date(2026, 3, 12))]
    assert one(ENGINE.evaluate(c, events, date(2026, 3, 31)), "manage", 19).status is S.MET_LATE


def test_evidence_data_must_match_police_notice_for_exclusion_row_23() -> None:
    live = engine(RECORDED)
    excl = requirement(RequirementType.EXCLUSION, start=date(2026, 3, 2), end=date(2026, 9, 2), em=False)
    c = case(requirements=(excl,))
    created = event(K.CASE_CREATED, date(2026, 3, 2))
    others = event(K.AGENCIES_NOTIFIED, date(2026, 3, 3), agency_kinds=["partner"])
    police = event(K.AGENCIES_NOTIFIED, date(2026, 3, 5), agency_kinds=["partner", "police"])
    o = one(live.evaluate(c, [created, others, police], date(2026, 3, 31)), "exclusion", 23)
    # Two working days after Monday 2 March is Wednesday 4 March; the police were told on the 5th.
    assert (o.status, o.due, o.met_on) == (S.MET_LATE, date(2026, 3, 4), date(2026, 3, 5))
    assert one(live.evaluate(c, [created, others], date(2026, 3, 31)), "exclusion", 23).status is S.OVERDUE


def test_an_em_exclusion_case_gets_the_em_rows_and_not_the_annex_a_rows() -> None:
    excl = requirement(RequirementType.EXCLUSION, start=date(2026, 3, 2), end=date(2026, 9, 2), em=True)
    obligations = ENGINE.evaluate(case(requirements=(excl,)), [], date(2026, 3, 31))
    assert one(obligations, "exclusion", 1).status is not S.NOT_APPLICABLE
    assert one(obligations, "exclusion", 23).status is S.NOT_APPLICABLE


def test_requirement_end_rows_are_due_on_the_day_the_requirement_ends() -> None:
    live = engine(RECORDED | {K.EM_EQUIPMENT_RECOVERED})
    excl = requirement(RequirementType.EXCLUSION, start=date(2026, 3, 2), end=date(2026, 8, 31), em=True)
    o = one(live.evaluate(case(requirements=(excl,)), [], date(2026, 9, 1)), "exclusion", 19)
    assert (o.status, o.due, o.opens) == (S.OVERDUE, date(2026, 8, 31), date(2026, 3, 2))


def test_the_em_provider_as_responsible_officer_gets_only_the_asterisked_manage_rows() -> None:
    c = replace(case(), em_responsible_officer=True)
    obligations = ENGINE.evaluate(c, [], date(2026, 3, 20))
    assert one(obligations, "manage", 8).status is S.NOT_APPLICABLE
    assert one(obligations, "manage", 1).status is not S.NOT_APPLICABLE


def test_not_applicable_rows_can_be_left_out() -> None:
    obligations = ENGINE.evaluate(case(), [], date(2026, 3, 20), include_not_applicable=False)
    assert obligations and all(o.status is not S.NOT_APPLICABLE for o in obligations)
