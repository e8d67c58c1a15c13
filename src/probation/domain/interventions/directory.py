"""The directory of specialist services and programmes a plan refers to (Manage row 20): the
provider, the need areas a service addresses, who is eligible, where it is, and how many people it
can take at once. A referral is refused when the service does not address the need, the person is
not eligible, or every place is taken."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from probation.domain.errors import Conflict, InvalidValue, require
from probation.domain.people import Sex
from probation.domain.protection.plans import NeedArea
from probation.domain.sentences import SentenceType

CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,31}$")
MAX_CAPACITY = 10_000
ADULT_AGE = 18
MAX_AGE = 120


class ServiceKind(StrEnum):
    SPECIALIST_SERVICE = "specialist_service"  # a community resource (housing, drug service, ...)
    PROGRAMME = "programme"                    # a structured group or one-to-one programme
    MENTORING = "mentoring"


@dataclass(frozen=True, kw_only=True)
class Eligibility:
    """Empty sets mean anyone; ages are inclusive on the referral date."""

    sexes: frozenset[Sex] = frozenset()
    min_age: int | None = None
    max_age: int | None = None
    sentence_types: frozenset[SentenceType] = frozenset()

    def __post_init__(self) -> None:
        for name, age in (("min_age", self.min_age), ("max_age", self.max_age)):
            if age is not None:
                require(ADULT_AGE <= age <= MAX_AGE, f"{name} {age} is outside {ADULT_AGE}-{MAX_AGE}",
                        field=f"eligibility.{name}", value=age,
                        rule="services are for adults on probation (18 and over)")
        if self.min_age is not None and self.max_age is not None:
            require(self.min_age <= self.max_age, f"minimum age {self.min_age} is above the maximum "
                    f"{self.max_age}", field="eligibility.min_age", value=self.min_age,
                    rule="the age range runs from the minimum to the maximum")

    def refusal(self, *, sex: Sex, age: int, sentence_type: SentenceType) -> str | None:
        """Why the person is not eligible, or None."""
        if self.sexes and sex not in self.sexes:
            return f"the service is for {' and '.join(sorted(s.value for s in self.sexes))} people only"
        if self.min_age is not None and age < self.min_age:
            return f"the person is {age}, below the minimum age {self.min_age}"
        if self.max_age is not None and age > self.max_age:
            return f"the person is {age}, above the maximum age {self.max_age}"
        if self.sentence_types and sentence_type not in self.sentence_types:
            return f"the service does not take {sentence_type.label} cases"
        return None


@dataclass(frozen=True, kw_only=True)
class InterventionService:
    code: str
    name: str
    provider: str
    kind: ServiceKind
    need_areas: frozenset[NeedArea]
    location: str
    capacity: int
    eligibility: Eligibility = field(default_factory=Eligibility)
    rar_activity: bool = False  # its sessions can be RAR activities when the order has a RAR
    active: bool = True

    def __post_init__(self) -> None:
        require(bool(CODE.match(self.code)), f"service code {self.code!r} is not valid", field="code",
                value=self.code, rule="2-32 capital letters, digits, '-' or '_'")
        for name in ("name", "provider", "location"):
            value = getattr(self, name)
            require(bool(value.strip()), f"the service has no {name}", field=name, value=value,
                    rule=f"a directory entry names its {name}")
        require(bool(self.need_areas), f"service {self.code} addresses no need area",
                field="need_areas", value=[], rule="a service addresses at least one need area")
        require(1 <= self.capacity <= MAX_CAPACITY, f"capacity {self.capacity} is outside "
                f"1-{MAX_CAPACITY}", field="capacity", value=self.capacity,
                rule="a service takes at least one person at a time")


def check_referral(service: InterventionService, *, need_area: NeedArea, sex: Sex, age: int,
                   sentence_type: SentenceType, places_taken: int) -> None:
    """A referral fits the service: it is open, addresses the need, the person is eligible, and a
    place is free (places are taken by referrals sent, accepted or started)."""
    if not service.active:
        raise Conflict(f"service {service.code} is closed to referrals", field="service_code",
                       value=service.code, rule="referrals go to services in the directory that are open")
    if need_area not in service.need_areas:
        raise InvalidValue(f"service {service.code} does not address {need_area.value} (it addresses "
                           f"{', '.join(sorted(a.value for a in service.need_areas))})",
                           field="need_area", value=need_area.value,
                           rule="a referral goes to a service that addresses the need")
    why = service.eligibility.refusal(sex=sex, age=age, sentence_type=sentence_type)
    if why is not None:
        raise InvalidValue(f"not eligible for {service.code}: {why}", field="service_code",
                           value=service.code, rule="the person meets the service's eligibility")
    if places_taken >= service.capacity:
        raise Conflict(f"service {service.code} is full ({places_taken} of {service.capacity} "
                       "places taken)", field="service_code", value=service.code,
                       rule="a referral needs a free place")
