"""Registers and flags (Manage rows 2, 12 and 19): multi-agency and special schemes the person is
covered by, each with start, end and review dates. They change which catalogue rows apply.

`Register` has the same string values as `probation.catalogue.conditions.Register` (the catalogue
sits above the domain, so the domain cannot import it; a unit test keeps the two identical).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from probation.domain.errors import Conflict, InvalidValue, require


class Register(StrEnum):
    MAPPA = "mappa"
    PPO = "ppo"                                # prolific and other priority offender
    IOM = "iom"                                # integrated offender management
    VISOR = "visor"
    REGISTERED_SEX_OFFENDER = "registered_sex_offender"
    MARAC = "marac"
    CHILD_PROTECTION = "child_protection"      # lives with or has contact with a child on a plan
    RISK_TO_CHILDREN = "risk_to_children"      # assessed as posing a risk of harm to children
    CHILD_CONTACT = "child_contact"            # lives with or has significant contact with a child
    DOMESTIC_ABUSE_PERPETRATOR = "domestic_abuse_perpetrator"
    DOMESTIC_ABUSE_VICTIM = "domestic_abuse_victim"
    VULNERABLE_ADULT = "vulnerable_adult"      # includes risk of victimisation
    CARE_PROGRAMME_APPROACH = "care_programme_approach"
    FOREIGN_NATIONAL_DEPORTATION = "foreign_national_deportation"

    @property
    def label(self) -> str:
        return _LABELS.get(self, self.value.replace("_", " "))


_LABELS = {Register.MAPPA: "MAPPA", Register.PPO: "prolific and other priority offender",
           Register.IOM: "integrated offender management", Register.VISOR: "ViSOR",
           Register.MARAC: "MARAC", Register.CARE_PROGRAMME_APPROACH: "Care Programme Approach"}

# MAPPA: three categories of offender (CJA 2003 s.325-327: 1 registered sexual offenders,
# 2 violent and other sexual offenders, 3 other dangerous offenders) and three levels of
# management (MAPPA Guidance 2012: 1 ordinary agency management, 2 and 3 multi-agency meetings).
CATEGORISED = frozenset({Register.MAPPA})
MAPPA_CATEGORIES = (1, 2, 3)
MAPPA_LEVELS = (1, 2, 3)


class Agency(StrEnum):
    """Agencies told of the case's commencement because of a register (Manage row 2)."""

    CHILDRENS_SOCIAL_CARE = "childrens_social_care"
    POLICE = "police"
    IMMIGRATION = "immigration"


NOTIFY_ON_COMMENCEMENT = {
    Register.RISK_TO_CHILDREN: Agency.CHILDRENS_SOCIAL_CARE,
    Register.CHILD_PROTECTION: Agency.CHILDRENS_SOCIAL_CARE,
    Register.REGISTERED_SEX_OFFENDER: Agency.POLICE,
    Register.DOMESTIC_ABUSE_PERPETRATOR: Agency.POLICE,
    Register.FOREIGN_NATIONAL_DEPORTATION: Agency.IMMIGRATION,
}


@dataclass(frozen=True, kw_only=True)
class RegisterEntry:
    """One registration. `end_date` is exclusive (the first day it no longer applies)."""

    register: Register
    start_date: date
    review_date: date | None = None
    end_date: date | None = None
    category: int | None = None
    level: int | None = None
    notes: str | None = None

    def __post_init__(self) -> None:
        name = self.register.label
        if self.register in CATEGORISED:
            require(self.category is not None, f"{name} registration has no category",
                    field="category", value=None,
                    rule=f"a {name} registration needs a category ({_span(MAPPA_CATEGORIES)})")
            require(self.level is not None, f"{name} registration has no level", field="level",
                    value=None, rule=f"a {name} registration needs a level ({_span(MAPPA_LEVELS)})")
            require(self.category in MAPPA_CATEGORIES, f"{name} category {self.category} is not "
                    f"{_span(MAPPA_CATEGORIES)}", field="category", value=self.category,
                    rule="MAPPA categories are 1, 2 and 3 (CJA 2003 s.325-327)")
            require(self.level in MAPPA_LEVELS, f"{name} level {self.level} is not "
                    f"{_span(MAPPA_LEVELS)}", field="level", value=self.level,
                    rule="MAPPA management levels are 1, 2 and 3 (MAPPA Guidance 2012)")
        else:
            for attr in ("category", "level"):
                value = getattr(self, attr)
                require(value is None, f"{name} registration has a {attr} ({value})", field=attr,
                        value=value, rule=f"only MAPPA registrations have a {attr}")
        if self.review_date is not None:
            require(self.review_date >= self.start_date,
                    f"review date {self.review_date.isoformat()} is before the start date "
                    f"{self.start_date.isoformat()}", field="review_date",
                    value=self.review_date.isoformat(), rule="a review cannot precede the start")
        if self.end_date is not None:
            require(self.end_date > self.start_date,
                    f"end date {self.end_date.isoformat()} is not after the start date "
                    f"{self.start_date.isoformat()}", field="end_date",
                    value=self.end_date.isoformat(), rule="a registration ends after it starts")

    def active_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day < self.end_date)

    def review_overdue_on(self, day: date) -> bool:
        return self.active_on(day) and self.review_date is not None and self.review_date < day


def _span(values: tuple[int, ...]) -> str:
    return f"{values[0]} to {values[-1]}"


def parse_register(value: str) -> Register:
    try:
        return Register(value)
    except ValueError:
        raise InvalidValue(f"register {value!r} is not known", field="register", value=value,
                           rule="one of " + ", ".join(r.value for r in Register)) from None


def validate_new(entry: RegisterEntry, *, existing: Iterable[RegisterEntry], as_of: date,
                 sentence_date: date) -> None:
    """A new registration starts by today and does not overlap one of the same register."""
    require(entry.start_date <= as_of, f"start date {entry.start_date.isoformat()} is after today "
            f"({as_of.isoformat()})", field="start_date", value=entry.start_date.isoformat(),
            rule="a registration is recorded once it has started")
    require(entry.end_date is None or entry.end_date > sentence_date,
            f"end date {entry.end_date.isoformat() if entry.end_date else ''} is not after the "
            f"sentence date {sentence_date.isoformat()}", field="end_date",
            value=entry.end_date.isoformat() if entry.end_date else None,
            rule="a registration recorded on a case applies during it")
    for other in existing:
        if other.register is entry.register and _overlap(other, entry):
            raise Conflict(f"{entry.register.label} registration from {other.start_date.isoformat()}"
                           " is still current", field="register", value=entry.register.value,
                           rule="one registration of a kind at a time; end or review the current one")


def _overlap(a: RegisterEntry, b: RegisterEntry) -> bool:
    a_end = a.end_date or date.max
    b_end = b.end_date or date.max
    return a.start_date < b_end and b.start_date < a_end


def end(entry: RegisterEntry, *, on: date) -> RegisterEntry:
    if entry.end_date is not None:
        raise Conflict(f"{entry.register.label} registration already ended on "
                       f"{entry.end_date.isoformat()}", field="end_date",
                       value=entry.end_date.isoformat(), rule="a registration ends once")
    return replace(entry, end_date=on)  # __post_init__ checks end after start


def review(entry: RegisterEntry, *, reviewed_on: date, next_review: date | None,
           level: int | None = None) -> RegisterEntry:
    """A review keeps the registration and sets the next review (and a MAPPA level change)."""
    require(reviewed_on >= entry.start_date, f"review on {reviewed_on.isoformat()} is before the "
            f"start date {entry.start_date.isoformat()}", field="reviewed_on",
            value=reviewed_on.isoformat(), rule="a review cannot precede the start")
    if entry.end_date is not None:
        raise Conflict(f"{entry.register.label} registration ended on {entry.end_date.isoformat()}",
                       field="end_date", value=entry.end_date.isoformat(),
                       rule="only a current registration is reviewed")
    if next_review is not None:
        require(next_review > reviewed_on, f"next review {next_review.isoformat()} is not after the "
                f"review on {reviewed_on.isoformat()}", field="next_review_date",
                value=next_review.isoformat(), rule="the next review comes after this one")
    return replace(entry, review_date=next_review,
                   level=entry.level if level is None else level)


def active(entries: Iterable[RegisterEntry], on: date) -> frozenset[Register]:
    return frozenset(e.register for e in entries if e.active_on(on))


def agencies_to_notify(registers: Iterable[Register]) -> frozenset[Agency]:
    """Which agencies Manage row 2 says are told of the case's commencement."""
    return frozenset(NOTIFY_ON_COMMENCEMENT[r] for r in registers if r in NOTIFY_ON_COMMENCEMENT)


def is_mappa(entries: Iterable[RegisterEntry], on: date) -> bool:
    return Register.MAPPA in active(entries, on)
