"""Due rules: offsets in calendar and working days, named defaults and contract overrides."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from probation.catalogue import NATIONAL_MINIMUM_ONLY, load_catalogue, load_contract
from probation.catalogue.loader import DATA_DIR
from probation.catalogue.timescales import CaseDate, DayUnit, Offset, TriggerKind
from probation.domain.calendar import add_working_days, is_working_day
from probation.domain.events import EventKind

CAT = load_catalogue()


def test_working_days_skip_christmas_bank_holidays_and_the_weekend() -> None:
    # Tue 24 Dec 2024: 25 and 26 are bank holidays, Fri 27 counts, 28-29 is the weekend.
    assert Offset(days=2, unit=DayUnit.WORKING).after(date(2024, 12, 24)) == date(2024, 12, 30)


def test_calendar_days_count_every_day() -> None:
    assert Offset(days=2).after(date(2024, 12, 24)) == date(2024, 12, 26)


def test_working_days_before_a_date_step_back_over_holidays() -> None:
    # Back from Mon 30 Dec 2024: Fri 27 (1), then 26, 25 are bank holidays, Tue 24 (2).
    assert Offset(days=2, unit=DayUnit.WORKING).before(date(2024, 12, 30)) == date(2024, 12, 24)


def test_easter_monday_is_not_a_working_day() -> None:
    # Thu 28 Mar 2024 + 1 working day: Good Friday 29th, weekend, Easter Monday 1 Apr -> Tue 2 Apr.
    assert Offset(days=1, unit=DayUnit.WORKING).after(date(2024, 3, 28)) == date(2024, 4, 2)


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)), st.integers(0, 40))
def test_working_days_back_then_forward_return_to_the_same_working_day(
    day: date, days: int
) -> None:
    end = day if is_working_day(day) else add_working_days(day, 1)
    back = Offset(days=days, unit=DayUnit.WORKING).before(end)
    assert is_working_day(back)
    assert add_working_days(back, days) == end


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)), st.integers(0, 400))
def test_calendar_offsets_are_plain_day_arithmetic(day: date, days: int) -> None:
    assert Offset(days=days).after(day) == day + timedelta(days=days)
    assert Offset(days=days).before(day) == day - timedelta(days=days)


def test_a_prescribed_timescale_resolves_to_its_documented_default() -> None:
    rule = CAT.due_rule(("exclusion", 11))
    assert rule.kind is TriggerKind.ONCE_AFTER_EVENT
    assert rule.timescale == "em_installation"
    assert rule.offset == CAT.named_timescales["em_installation"].offset
    assert not rule.overridden


def test_a_contract_overrides_a_named_timescale_and_a_whole_rule() -> None:
    contract = load_contract(DATA_DIR / "contracts" / "default.yaml", CAT)
    installation = CAT.due_rule(("exclusion", 11), contract)
    assert installation.offset == Offset(days=0, unit=DayUnit.CALENDAR) and installation.overridden
    women = CAT.due_rule(("supervision", 22), contract)
    assert women.kind is TriggerKind.RECURRING and women.offset.days == 14 and women.overridden
    untouched = CAT.due_rule(("manage", 3), contract)
    assert untouched == CAT.due_rule(("manage", 3), NATIONAL_MINIMUM_ONLY)


def test_every_rule_kind_is_used_and_described() -> None:
    rules = CAT.due_rules()
    assert {r.kind for r in rules.values()} == set(TriggerKind)
    assert rules[("manage", 3)].describe() == "once, within 2 working days after case_created"
    assert rules[("exclusion", 19)].describe() == "by requirement_end"
    assert (
        rules[("manage", 32)].describe()
        == "every 112 calendar days from plan_completed until order_end"
    )
    assert (
        rules[("manage", 26)].describe()
        == "within 10 working days of each failure_to_comply_recorded"
    )


def test_the_police_notification_rows_need_a_notice_naming_the_police() -> None:
    rule = CAT.due_rule(("exclusion", 23))
    assert rule.evidence == (EventKind.AGENCIES_NOTIFIED,)
    assert rule.evidence_data == (("agency_kinds", "police"),)


def test_by_date_rules_fall_due_on_a_case_date() -> None:
    rule = CAT.due_rule(("exclusion", 19))
    assert (
        rule.trigger is None and rule.due_date is CaseDate.REQUIREMENT_END and rule.offset.days == 0
    )


def test_the_contract_example_buys_options_that_exist(tmp_path: Path) -> None:
    contract = load_contract(DATA_DIR / "contracts" / "default.yaml", CAT)
    assert contract.commissioned_options <= CAT.option_ids
