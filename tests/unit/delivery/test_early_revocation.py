"""Early revocation criteria: half served, compliance, requirements on track, no new offence."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from probation.domain.delivery.appointments import AppointmentStatus, Outcome
from probation.domain.delivery.early_revocation import EarlyRevocationCriteria, OrderFacts, assess
from probation.domain.delivery.rar import RarActivity, progress
from probation.domain.periods import add_months
from probation.domain.sentences import SentenceType


def facts(start: date, months: int, **overrides: object) -> OrderFacts:
    values: dict[str, object] = dict(sentence_type=SentenceType.COMMUNITY_ORDER, sentence_date=start,
                                     end_date=add_months(start, months), failure_days=(),
                                     breach_in_progress=False, rar=None, rar_start=None)
    values.update(overrides)
    return OrderFacts(**values)  # type: ignore[arg-type]


def by_name(a, name: str):  # type: ignore[no-untyped-def]
    return next(c for c in a.criteria if c.name == name)


def test_a_12_month_order_is_half_served_after_183_of_365_days() -> None:
    f = facts(date(2026, 3, 1), 12)
    assert not assess(f, as_of=date(2026, 8, 30)).met          # 182 days
    a = assess(f, as_of=date(2026, 8, 31))                     # 183 days
    assert a.met and "183 of 365 days" in by_name(a, "served").detail


def test_a_24_month_order_over_a_leap_day_has_731_days_and_is_half_served_on_1_march_2028() -> None:
    f = facts(date(2027, 3, 1), 24)
    assert not by_name(assess(f, as_of=date(2028, 2, 29)), "served").met
    assert "366 of 731" in by_name(assess(f, as_of=date(2028, 3, 1)), "served").detail
    assert assess(f, as_of=date(2028, 3, 1)).met


def test_a_failure_in_the_last_6_months_or_a_breach_in_progress_blocks_early_revocation() -> None:
    f = facts(date(2026, 3, 1), 12, failure_days=(date(2026, 3, 2),))
    assert not assess(f, as_of=date(2026, 9, 1)).met          # 6-month window starts 2 Mar
    assert assess(f, as_of=date(2026, 9, 2)).met              # window starts 3 Mar
    assert not assess(facts(date(2026, 3, 1), 12, breach_in_progress=True), as_of=date(2026, 10, 1)).met


def test_a_rar_behind_its_pace_is_not_on_track() -> None:
    start = date(2026, 3, 1)
    days = [RarActivity(day=start + timedelta(days=7 * i), status=AppointmentStatus.COMPLETED,
                        outcome=Outcome.ATTENDED_COMPLIED) for i in range(9)]
    # Half way (183 of 365 days) through a 20-day RAR, 10 days are expected (183/365*20 = 10.03).
    behind = progress(max_days=20, activities=days, requirement_end=date(2027, 3, 1), as_of=date(2026, 8, 31))
    a = assess(facts(start, 12, rar=behind, rar_start=start), as_of=date(2026, 8, 31))
    assert not by_name(a, "requirements").met and not a.met
    more = [*days, RarActivity(day=date(2026, 8, 1), status=AppointmentStatus.COMPLETED,
                               outcome=Outcome.ATTENDED_COMPLIED),
            RarActivity(day=date(2026, 8, 2), status=AppointmentStatus.COMPLETED,
                        outcome=Outcome.ATTENDED_COMPLIED)]
    on_track = progress(max_days=20, activities=more, requirement_end=date(2027, 3, 1), as_of=date(2026, 8, 31))
    assert assess(facts(start, 12, rar=on_track, rar_start=start), as_of=date(2026, 8, 31)).met


def test_a_new_offence_after_sentence_blocks_and_unrecorded_requirements_are_listed_to_confirm() -> None:
    f = facts(date(2026, 3, 1), 12, new_offence_dates=(date(2026, 5, 1),), other_requirements=("unpaid_work",))
    a = assess(f, as_of=date(2026, 10, 1))
    assert not by_name(a, "no_new_offences").met
    assert a.to_confirm == ("unpaid_work",)


def test_licences_are_not_revoked_early() -> None:
    a = assess(facts(date(2026, 3, 1), 12, sentence_type=SentenceType.CUSTODIAL), as_of=date(2026, 10, 1))
    assert not a.applicable and not a.met


def test_the_criteria_are_configuration() -> None:
    strict = EarlyRevocationCriteria(min_fraction_served=Fraction(2, 3), compliant_months=12)
    f = facts(date(2026, 3, 1), 12)
    assert not assess(f, as_of=date(2026, 8, 31), criteria=strict).met
    assert assess(f, as_of=date(2026, 11, 1), criteria=strict).met  # 245 of 365 >= 243.3
