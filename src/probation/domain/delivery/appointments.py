"""Appointments and instructions: booking rules that honour the person's diverse needs and the
female offender options recorded at allocation (Manage rows 4 and 5), rearranging with history,
and the outcome of each appointment.

Hard rules raise (a booking in the past, a clash, a man interviewing a woman who accepted a
female offender manager, a non-female-only location without a recorded override); soft ones
(availability windows, step-free access, interpreter) are returned as warnings and stored with
the booking, so the practitioner sees them and the record shows they were seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum

from probation.domain.case import FemaleOptions
from probation.domain.delivery.times import local
from probation.domain.errors import Conflict, InvalidValue, require
from probation.domain.people import Sex

MAX_APPOINTMENT = timedelta(hours=8)  # a working day; longer sessions are booked as several


class ContactType(StrEnum):
    OFFICE = "office"
    HOME_VISIT = "home_visit"
    PHONE = "phone"
    VIDEO = "video"

    @property
    def needs_location(self) -> bool:
        """Office appointments are at a named location; a home visit is at the person's address."""
        return self is ContactType.OFFICE


class Outcome(StrEnum):
    ATTENDED_COMPLIED = "attended_complied"
    ATTENDED_FAILED_TO_COMPLY = "attended_failed_to_comply"
    ACCEPTABLE_ABSENCE = "acceptable_absence"
    UNACCEPTABLE_ABSENCE = "unacceptable_absence"
    RESCHEDULED = "rescheduled"

    @property
    def is_failure(self) -> bool:
        """A failure to comply counted for enforcement (CJA 2003 Sch 8 para 5; Sentencing Code
        Sch 10 para 5: a failure "without reasonable excuse")."""
        return self in (Outcome.ATTENDED_FAILED_TO_COMPLY, Outcome.UNACCEPTABLE_ABSENCE)

    @property
    def attended(self) -> bool:
        return self in (Outcome.ATTENDED_COMPLIED, Outcome.ATTENDED_FAILED_TO_COMPLY)


class AppointmentStatus(StrEnum):
    SCHEDULED = "scheduled"
    COMPLETED = "completed"      # an outcome is recorded
    RESCHEDULED = "rescheduled"  # replaced by a later appointment; kept as history
    CANCELLED = "cancelled"


class UnavailableReason(StrEnum):
    WORK = "work"
    CARING = "caring"
    RELIGIOUS_OBSERVANCE = "religious_observance"
    EDUCATION = "education"
    HEALTH = "health"
    OTHER = "other"


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, kw_only=True)
class UnavailableWindow:
    """A weekly time the person cannot attend, in local time (e.g. Friday 12:00-14:00, prayers)."""

    weekday: int  # 0 = Monday
    start: time
    end: time
    reason: UnavailableReason

    def __post_init__(self) -> None:
        require(0 <= self.weekday <= 6, f"weekday {self.weekday} is not 0 (Monday) to 6 (Sunday)",
                field="weekday", value=self.weekday, rule="weekdays are 0 (Monday) to 6 (Sunday)")
        require(self.start < self.end, f"window {self.start:%H:%M}-{self.end:%H:%M} ends before it "
                f"starts", field="end", value=self.end.isoformat(),
                rule="an unavailable window ends after it starts on the same day")

    def overlaps(self, starts_at: datetime, ends_at: datetime) -> bool:
        # Wall-clock comparison in local time, so a window keeps its hours across BST changes.
        start, end = local(starts_at).replace(tzinfo=None), local(ends_at).replace(tzinfo=None)
        day = start.date()
        while day <= end.date():
            if day.weekday() == self.weekday and start < datetime.combine(day, self.end) \
                    and datetime.combine(day, self.start) < end:
                return True
            day += timedelta(days=1)
        return False

    def describe(self) -> str:
        return (f"{WEEKDAYS[self.weekday]} {self.start:%H:%M}-{self.end:%H:%M} "
                f"({self.reason.value.replace('_', ' ')})")


@dataclass(frozen=True, kw_only=True)
class DiverseNeeds:
    """What a booking must honour (Manage: equalities; the person's work, caring and faith)."""

    unavailable: tuple[UnavailableWindow, ...] = field(default_factory=tuple)
    step_free_access: bool = False          # disability: needs a location with step-free access
    interpreter_language: str | None = None  # an interpreter is booked for this language
    notes: str | None = None


@dataclass(frozen=True, kw_only=True)
class Location:
    code: str
    name: str
    female_only: bool = False
    step_free_access: bool = False


@dataclass(frozen=True, kw_only=True)
class Slot:
    starts_at: datetime
    ends_at: datetime

    def overlaps(self, other: Slot) -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at


@dataclass(frozen=True, kw_only=True)
class BookingRequest:
    slot: Slot
    contact_type: ContactType
    location: Location | None
    interviewer_code: str
    interviewer_sex: Sex
    interpreter_booked: bool = False
    override_reason: str | None = None  # why a woman is seen outside a female-only environment


@dataclass(frozen=True, kw_only=True)
class BookingWarning:
    code: str
    message: str


@dataclass(frozen=True, kw_only=True)
class Booked:
    """An existing appointment of the same person, for the clash check."""

    id: int
    slot: Slot


def check_slot(slot: Slot, *, at: datetime) -> None:
    require(slot.starts_at.tzinfo is not None and slot.ends_at.tzinfo is not None,
            "appointment times need a time zone", field="starts_at", value=slot.starts_at.isoformat(),
            rule="times are sent with a UTC offset, e.g. 2026-12-01T10:00:00Z")
    require(slot.starts_at > at, f"appointment at {slot.starts_at.isoformat()} is in the past "
            f"(now {at.isoformat()})", field="starts_at", value=slot.starts_at.isoformat(),
            rule="appointments are booked for a future time; record past contact as a contact")
    require(slot.ends_at > slot.starts_at, f"appointment ends {slot.ends_at.isoformat()} before it "
            f"starts", field="ends_at", value=slot.ends_at.isoformat(),
            rule="an appointment ends after it starts")
    length = slot.ends_at - slot.starts_at
    require(length <= MAX_APPOINTMENT, f"appointment of {length} is longer than 8 hours",
            field="ends_at", value=slot.ends_at.isoformat(),
            rule="an appointment lasts at most 8 hours")


def check_clash(slot: Slot, existing: list[Booked]) -> None:
    for other in existing:
        if slot.overlaps(other.slot):
            raise Conflict(f"the person already has appointment {other.id} from "
                           f"{other.slot.starts_at.isoformat()} to {other.slot.ends_at.isoformat()}",
                           field="starts_at", value=slot.starts_at.isoformat(),
                           rule="a person has one appointment at a time")


def check_booking(request: BookingRequest, *, person_sex: Sex, female_options: FemaleOptions | None,
                  needs: DiverseNeeds | None, at: datetime,
                  existing: list[Booked]) -> list[BookingWarning]:
    """Refuse what a booking may not do; return the warnings for what it does not honour."""
    check_slot(request.slot, at=at)
    if request.contact_type.needs_location:
        require(request.location is not None, "an office appointment names its location",
                field="location_code", value=None, rule="office appointments are at a location")
    if person_sex is Sex.FEMALE and female_options is not None:
        if female_options.female_offender_manager_accepted and request.interviewer_sex is not Sex.FEMALE:
            raise InvalidValue(f"interviewer {request.interviewer_code} is not a woman, and a female "
                               "offender manager was accepted", field="interviewer_code",
                               value=request.interviewer_code,
                               rule="a woman who accepted a female offender manager is seen by a "
                                    "female interviewer (Manage row 4)")
        location = request.location
        if (female_options.female_only_environment_accepted and location is not None
                and not location.female_only):
            override = (request.override_reason or "").strip()
            if not override:
                raise InvalidValue(f"{location.name} is not a female-only environment, which she "
                                   "accepted", field="location_code", value=location.code,
                                   rule="a woman who accepted a female-only environment is seen in "
                                        "one unless an override reason is recorded (Manage row 5)")
    check_clash(request.slot, existing)
    return diverse_needs_warnings(request, needs)


def diverse_needs_warnings(request: BookingRequest, needs: DiverseNeeds | None) -> list[BookingWarning]:
    if needs is None:
        return []
    warnings = [BookingWarning(code="unavailable_window",
                               message=f"the appointment falls in a time the person cannot attend: "
                                       f"{w.describe()}")
                for w in needs.unavailable if w.overlaps(request.slot.starts_at, request.slot.ends_at)]
    if (needs.step_free_access and request.location is not None
            and not request.location.step_free_access):
        warnings.append(BookingWarning(code="step_free_access",
                                       message=f"{request.location.name} has no step-free access, "
                                               "which the person needs"))
    if needs.interpreter_language and not request.interpreter_booked:
        warnings.append(BookingWarning(code="interpreter",
                                       message=f"no {needs.interpreter_language} interpreter is "
                                               "booked for this appointment"))
    return warnings


def check_outcome(*, appointment_id: int, status: AppointmentStatus, starts_at: datetime,
                  outcome: Outcome, at: datetime) -> None:
    """An outcome is recorded once, for an appointment that was not cancelled or moved, after it
    began; rearranging is its own command so the new time is recorded with the reason."""
    if status is AppointmentStatus.CANCELLED:
        raise Conflict(f"appointment {appointment_id} was cancelled", field="appointment_id",
                       value=appointment_id, rule="no outcome is recorded for a cancelled appointment")
    if status is AppointmentStatus.RESCHEDULED:
        raise Conflict(f"appointment {appointment_id} was rearranged", field="appointment_id",
                       value=appointment_id,
                       rule="record the outcome on the appointment that replaced it")
    if status is AppointmentStatus.COMPLETED:
        raise Conflict(f"appointment {appointment_id} already has an outcome",
                       field="appointment_id", value=appointment_id,
                       rule="an appointment's outcome is recorded once")
    require(outcome is not Outcome.RESCHEDULED, "an appointment is rescheduled by rearranging it",
            field="outcome", value=outcome.value,
            rule="use rearrange, which records the new time and the reason")
    require(starts_at <= at, f"appointment {appointment_id} starts {starts_at.isoformat()}, after now "
            f"{at.isoformat()}", field="outcome", value=outcome.value,
            rule="an outcome is recorded once the appointment has begun")


def check_open(*, appointment_id: int, status: AppointmentStatus, action: str) -> None:
    if status is not AppointmentStatus.SCHEDULED:
        raise Conflict(f"appointment {appointment_id} is {status.value}", field="appointment_id",
                       value=appointment_id, rule=f"only a scheduled appointment can be {action}")
