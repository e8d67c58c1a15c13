"""Risk of serious harm (RoSH) assessments (Manage row 29): the level to each group at risk, who
assessed it and when. The overall level is the highest to any group, as OASys reports it; the
organisation that manages the case follows from it and MAPPA (domain.risk.rosh)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from probation.domain.errors import InvalidValue, require
from probation.domain.organisations import OrganisationKind
from probation.domain.risk.rosh import RoshLevel, responsible_provider_kind


class RoshTarget(StrEnum):
    """Who the person may seriously harm (the OASys RoSH summary groups)."""

    CHILDREN = "children"
    PUBLIC = "public"
    KNOWN_ADULT = "known_adult"
    STAFF = "staff"
    PRISONERS = "prisoners"


def parse_level(value: str, *, field: str) -> RoshLevel:
    try:
        return RoshLevel(value)
    except ValueError:
        raise InvalidValue(f"RoSH level {value!r} is not low, medium, high or very_high", field=field,
                           value=value, rule="a RoSH level is low, medium, high or very_high") from None


@dataclass(frozen=True, kw_only=True)
class RoshAssessment:
    assessed_on: date
    assessor: str
    levels: Mapping[RoshTarget, RoshLevel]
    summary: str | None = None

    def __post_init__(self) -> None:
        require(bool(self.assessor.strip()), "an assessment names its assessor", field="assessor",
                value=self.assessor, rule="every RoSH assessment records who made it")
        require(bool(self.levels), "no group at risk given", field="levels", value=None,
                rule="a RoSH assessment gives a level for at least one group (children, public, "
                     "known adult, staff, prisoners)")
        object.__setattr__(self, "levels", MappingProxyType(dict(self.levels)))

    @property
    def overall(self) -> RoshLevel:
        """The highest level to any group."""
        return max(self.levels.values(), key=lambda level: level.rank)

    @property
    def groups_at_highest(self) -> tuple[RoshTarget, ...]:
        top = self.overall
        return tuple(t for t in RoshTarget if self.levels.get(t) is top)


def validate_assessment_date(assessed_on: date, *, date_of_birth: date, as_of: date) -> None:
    """An assessment is of something that happened: not in the future, not before birth."""
    require(assessed_on <= as_of, f"assessment date {assessed_on.isoformat()} is after today "
            f"({as_of.isoformat()})", field="assessed_on", value=assessed_on.isoformat(),
            rule="an assessment cannot be dated in the future")
    require(assessed_on >= date_of_birth, f"assessment date {assessed_on.isoformat()} is before the "
            f"date of birth {date_of_birth.isoformat()}", field="assessed_on",
            value=assessed_on.isoformat(), rule="an assessment cannot precede the person's birth")


def latest(assessments: Iterable[RoshAssessment]) -> RoshAssessment | None:
    """The current assessment: the latest by date (a later entry wins a tie, so corrections count)."""
    current: RoshAssessment | None = None
    for a in assessments:
        if current is None or a.assessed_on >= current.assessed_on:
            current = a
    return current


@dataclass(frozen=True, kw_only=True)
class RoshChange:
    previous: RoshLevel | None
    current: RoshLevel
    responsible_before: OrganisationKind | None
    responsible_now: OrganisationKind

    @property
    def changed(self) -> bool:
        return self.previous is not self.current

    @property
    def escalated(self) -> bool:
        return self.previous is not None and self.current.rank > self.previous.rank

    @property
    def now_needs_nps(self) -> bool:
        """The case has become one the NPS must manage (it was not before)."""
        return (self.responsible_now is OrganisationKind.NPS_REGION
                and self.responsible_before is not OrganisationKind.NPS_REGION)


def rosh_change(previous: RoshLevel | None, current: RoshLevel, *, mappa: bool) -> RoshChange:
    return RoshChange(
        previous=previous, current=current,
        responsible_before=None if previous is None else responsible_provider_kind(previous, mappa),
        responsible_now=responsible_provider_kind(current, mappa))
