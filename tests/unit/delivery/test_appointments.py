"""Booking rules: time, clashes, female offender options and diverse-needs warnings."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from probation.domain.case import FemaleOptions
from probation.domain.delivery.appointments import (
    AppointmentStatus,
    Booked,
    BookingRequest,
    ContactType,
    DiverseNeeds,
    Location,
    Outcome,
    Slot,
    UnavailableReason,
    UnavailableWindow,
    check_booking,
    check_outcome,
)
from probation.domain.delivery.times import local_date
from probation.domain.errors import Conflict, InvalidValue
from probation.domain.people import Sex

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
OFFICE = Location(code="L1", name="Leeds office", female_only=False, step_free_access=False)
WOMENS = Location(code="L2", name="Women's centre", female_only=True, step_free_access=True)


def slot(start: str, end: str) -> Slot:
    return Slot(starts_at=datetime.fromisoformat(start), ends_at=datetime.fromisoformat(end))


def request(s: Slot | None = None, **overrides: object) -> BookingRequest:
    values: dict[str, object] = dict(slot=s or slot("2026-12-01T10:00:00+00:00", "2026-12-01T11:00:00+00:00"),
                                     contact_type=ContactType.OFFICE, location=OFFICE,
                                     interviewer_code="S1", interviewer_sex=Sex.MALE)
    values.update(overrides)
    return BookingRequest(**values)  # type: ignore[arg-type]


def book(req: BookingRequest, *, sex: Sex = Sex.MALE, options: FemaleOptions | None = None,
         needs: DiverseNeeds | None = None, existing: list[Booked] | None = None) -> list[str]:
    warnings = check_booking(req, person_sex=sex, female_options=options, needs=needs, at=NOW,
                             existing=existing or [])
    return [w.code for w in warnings]


def test_a_plain_booking_in_the_future_has_no_warnings() -> None:
    assert book(request()) == []


def test_a_booking_in_the_past_is_refused_naming_the_rule() -> None:
    with pytest.raises(InvalidValue, match="in the past"):
        book(request(slot("2026-11-23T09:00:00+00:00", "2026-11-23T09:30:00+00:00")))


def test_a_booking_that_starts_now_is_refused() -> None:
    with pytest.raises(InvalidValue):
        book(request(slot("2026-11-23T10:00:00+00:00", "2026-11-23T10:30:00+00:00")))


def test_an_appointment_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidValue, match="ends"):
        book(request(slot("2026-12-01T10:00:00+00:00", "2026-12-01T09:00:00+00:00")))


def test_an_overlapping_appointment_for_the_same_person_clashes() -> None:
    existing = [Booked(id=7, slot=slot("2026-12-01T10:30:00+00:00", "2026-12-01T11:30:00+00:00"))]
    with pytest.raises(Conflict, match="appointment 7"):
        book(request(), existing=existing)


def test_back_to_back_appointments_do_not_clash() -> None:
    existing = [Booked(id=7, slot=slot("2026-12-01T11:00:00+00:00", "2026-12-01T12:00:00+00:00"))]
    assert book(request(), existing=existing) == []


def test_a_woman_who_accepted_a_female_offender_manager_is_not_seen_by_a_man() -> None:
    options = FemaleOptions(female_offender_manager_accepted=True, female_only_environment_accepted=False)
    with pytest.raises(InvalidValue, match="female interviewer"):
        book(request(), sex=Sex.FEMALE, options=options)
    assert book(request(interviewer_sex=Sex.FEMALE), sex=Sex.FEMALE, options=options) == []


def test_a_woman_who_declined_a_female_offender_manager_may_be_seen_by_a_man() -> None:
    options = FemaleOptions(female_offender_manager_accepted=False, female_only_environment_accepted=False)
    assert book(request(), sex=Sex.FEMALE, options=options) == []


def test_a_female_only_environment_needs_a_female_only_location_or_an_override_reason() -> None:
    options = FemaleOptions(female_offender_manager_accepted=False, female_only_environment_accepted=True)
    with pytest.raises(InvalidValue, match="not a female-only environment"):
        book(request(), sex=Sex.FEMALE, options=options)
    with pytest.raises(InvalidValue):
        book(request(override_reason="   "), sex=Sex.FEMALE, options=options)
    assert book(request(location=WOMENS), sex=Sex.FEMALE, options=options) == []
    assert book(request(override_reason="women's centre closed for refurbishment"), sex=Sex.FEMALE,
                options=options) == []


def test_the_female_only_rule_does_not_apply_to_men() -> None:
    options = FemaleOptions(female_offender_manager_accepted=True, female_only_environment_accepted=True)
    assert book(request(), sex=Sex.MALE, options=options) == []


def test_an_office_appointment_needs_a_location_but_a_phone_call_does_not() -> None:
    with pytest.raises(InvalidValue, match="location"):
        book(request(location=None))
    assert book(request(location=None, contact_type=ContactType.PHONE)) == []


def test_an_appointment_in_a_religious_observance_window_is_warned_in_local_time() -> None:
    # Friday 12:00-14:00 local; 4 Dec 2026 is a Friday in GMT, so 12:30Z is 12:30 local.
    needs = DiverseNeeds(unavailable=(UnavailableWindow(weekday=4, start=time(12), end=time(14),
                                                        reason=UnavailableReason.RELIGIOUS_OBSERVANCE),))
    inside = request(slot("2026-12-04T12:30:00+00:00", "2026-12-04T13:00:00+00:00"))
    assert book(inside, needs=needs) == ["unavailable_window"]
    after = request(slot("2026-12-04T14:00:00+00:00", "2026-12-04T15:00:00+00:00"))
    assert book(after, needs=needs) == []


def test_a_window_keeps_its_local_hours_in_british_summer_time() -> None:
    # Friday 4 June 2027 is in BST: 11:30Z is 12:30 local, inside a 12:00-14:00 window.
    needs = DiverseNeeds(unavailable=(UnavailableWindow(weekday=4, start=time(12), end=time(14),
                                                        reason=UnavailableReason.WORK),))
    bst = Slot(starts_at=datetime(2027, 6, 4, 11, 30, tzinfo=UTC), ends_at=datetime(2027, 6, 4, 12, 0, tzinfo=UTC))
    assert book(request(bst), needs=needs) == ["unavailable_window"]


def test_step_free_access_and_interpreter_needs_are_warned_when_not_met() -> None:
    needs = DiverseNeeds(step_free_access=True, interpreter_language="Polish")
    assert book(request(), needs=needs) == ["step_free_access", "interpreter"]
    assert book(request(location=WOMENS, interpreter_booked=True), needs=needs) == []


def test_an_unavailable_window_must_end_after_it_starts() -> None:
    with pytest.raises(InvalidValue):
        UnavailableWindow(weekday=1, start=time(14), end=time(12), reason=UnavailableReason.CARING)
    with pytest.raises(InvalidValue):
        UnavailableWindow(weekday=7, start=time(9), end=time(12), reason=UnavailableReason.CARING)


def test_the_local_date_of_a_late_summer_evening_appointment_is_the_next_day() -> None:
    assert local_date(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)).isoformat() == "2026-07-01"
    assert local_date(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)).isoformat() == "2026-12-31"


@pytest.mark.parametrize(("status", "message"), [
    (AppointmentStatus.CANCELLED, "cancelled"), (AppointmentStatus.COMPLETED, "already has an outcome"),
    (AppointmentStatus.RESCHEDULED, "rearranged")])
def test_an_outcome_is_refused_for_a_closed_appointment(status: AppointmentStatus, message: str) -> None:
    with pytest.raises(Conflict, match=message):
        check_outcome(appointment_id=3, status=status, starts_at=NOW, outcome=Outcome.ATTENDED_COMPLIED, at=NOW)


def test_an_outcome_is_refused_before_the_appointment_begins_and_rescheduled_is_not_an_outcome() -> None:
    later = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    with pytest.raises(InvalidValue, match="after now"):
        check_outcome(appointment_id=3, status=AppointmentStatus.SCHEDULED, starts_at=later,
                      outcome=Outcome.ATTENDED_COMPLIED, at=NOW)
    with pytest.raises(InvalidValue, match="rearrang"):
        check_outcome(appointment_id=3, status=AppointmentStatus.SCHEDULED, starts_at=NOW,
                      outcome=Outcome.RESCHEDULED, at=NOW)


def test_failures_to_comply_are_the_two_non_compliant_outcomes() -> None:
    assert {o for o in Outcome if o.is_failure} == {Outcome.ATTENDED_FAILED_TO_COMPLY,
                                                    Outcome.UNACCEPTABLE_ABSENCE}
