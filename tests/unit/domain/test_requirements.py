"""Statutory limits of requirements (Sentencing Code Sch 9)."""

from __future__ import annotations

from datetime import date

import pytest

from probation.domain.errors import InvalidValue
from probation.domain.requirements import Requirement
from probation.domain.requirements import RequirementType as T

START = date(2026, 3, 1)


def make(t: T, **kw: object) -> Requirement:
    return Requirement(type=t, start_date=START, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("hours", "ok"), [(39, False), (40, True), (300, True), (301, False)])
def test_unpaid_work_is_40_to_300_hours(hours: int, ok: bool) -> None:
    if ok:
        assert make(T.UNPAID_WORK, hours=hours).hours == hours
    else:
        with pytest.raises(InvalidValue, match="40 to 300") as e:
            make(T.UNPAID_WORK, hours=hours)
        assert e.value.field == "hours" and e.value.value == hours


@pytest.mark.parametrize(("hours", "ok"), [(11, False), (12, True), (36, True), (37, False)])
def test_attendance_centre_is_12_to_36_hours(hours: int, ok: bool) -> None:
    if ok:
        make(T.ATTENDANCE_CENTRE, hours=hours)
    else:
        with pytest.raises(InvalidValue, match="12 to 36"):
            make(T.ATTENDANCE_CENTRE, hours=hours)


@pytest.mark.parametrize(("per_day", "ok"), [(1, False), (2, True), (20, True), (21, False)])
def test_curfew_is_2_to_20_hours_a_day(per_day: int, ok: bool) -> None:
    if ok:
        make(T.CURFEW, hours_per_day=per_day, length_months=6)
    else:
        with pytest.raises(InvalidValue, match="2 to 20"):
            make(T.CURFEW, hours_per_day=per_day, length_months=6)


def test_curfew_period_is_at_most_two_years() -> None:
    make(T.CURFEW, hours_per_day=8, length_months=24)
    with pytest.raises(InvalidValue, match="25 months exceeds the 24-month maximum"):
        make(T.CURFEW, hours_per_day=8, length_months=25)


def test_exclusion_is_at_most_two_years_and_names_a_place() -> None:
    assert make(T.EXCLUSION, length_months=24, places=("Leeds city centre",)).end_date == date(2028, 3, 1)
    with pytest.raises(InvalidValue, match="30 months exceeds") as e:
        make(T.EXCLUSION, length_months=30, places=("Leeds",))
    assert e.value.field == "length_months"
    with pytest.raises(InvalidValue, match="names no place"):
        make(T.EXCLUSION, length_months=6)


def test_foreign_travel_prohibition_is_at_most_twelve_months() -> None:
    make(T.FOREIGN_TRAVEL_PROHIBITION, length_months=12)
    with pytest.raises(InvalidValue, match="12-month"):
        make(T.FOREIGN_TRAVEL_PROHIBITION, length_months=13)


def test_alcohol_abstinence_is_monitored_for_up_to_120_days() -> None:
    assert make(T.ALCOHOL_ABSTINENCE_MONITORING, length_days=120).end_date == date(2026, 6, 29)
    with pytest.raises(InvalidValue, match="120"):
        make(T.ALCOHOL_ABSTINENCE_MONITORING, length_days=121)


def test_rar_needs_the_courts_maximum_days() -> None:
    assert make(T.REHABILITATION_ACTIVITY, max_days=1).max_days == 1
    for bad in (None, 0, -5):
        with pytest.raises(InvalidValue, match="maximum number of days"):
            make(T.REHABILITATION_ACTIVITY, max_days=bad)


def test_residence_prohibited_activity_and_programme_requirements_name_what_they_require() -> None:
    with pytest.raises(InvalidValue, match="residence"):
        make(T.RESIDENCE)
    with pytest.raises(InvalidValue, match="activity"):
        make(T.PROHIBITED_ACTIVITY)
    with pytest.raises(InvalidValue, match="programme"):
        make(T.ACCREDITED_PROGRAMME)


def test_legacy_supervision_is_refused_for_offences_after_the_ora() -> None:
    make(T.SUPERVISION, offence_date=date(2015, 1, 31))
    with pytest.raises(InvalidValue, match="Offender Rehabilitation Act"):
        make(T.SUPERVISION, offence_date=date(2015, 2, 1))


def test_only_curfew_exclusion_and_abstinence_can_be_electronically_monitored() -> None:
    make(T.EXCLUSION, length_months=6, places=("Leeds",), electronically_monitored=True)
    with pytest.raises(InvalidValue, match="cannot be electronically monitored"):
        make(T.UNPAID_WORK, hours=100, electronically_monitored=True)
