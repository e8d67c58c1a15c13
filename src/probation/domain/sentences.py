"""Sentences the probation service manages and the rules of law that shape them.

Sources: Sentencing Act 2020 (the Sentencing Code) s.200-s.209 (community orders), s.264,
s.277 and s.288 (suspended sentence orders); Criminal Justice Act 2003 (licences) and the
Offender Rehabilitation Act 2014 (post-sentence supervision).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from probation.domain.errors import InvalidValue, require
from probation.domain.offences import Offence
from probation.domain.periods import add_months
from probation.domain.requirements import Requirement, RequirementType


class SentenceType(StrEnum):
    COMMUNITY_ORDER = "community_order"
    SUSPENDED_SENTENCE_ORDER = "suspended_sentence_order"
    CUSTODIAL = "custodial"  # determinate custody: licence and, for ORA cases, post-sentence supervision

    @property
    def label(self) -> str:
        return {"community_order": "Community Order", "suspended_sentence_order": "Suspended Sentence Order",
                "custodial": "Custodial sentence (licence)"}[self.value]


CO_MAX_MONTHS = 36                   # s.209(2): end date not more than 3 years after the order
SSO_CUSTODIAL_TERM_DAYS = (14, 730)  # s.277(2): at least 14 days, not more than 2 years
SSO_PERIOD_MONTHS = (6, 24)          # s.288: operational and supervision periods, 6 months to 2 years


@dataclass(frozen=True, kw_only=True)
class Sentence:
    type: SentenceType
    sentence_date: date
    offence: Offence
    requirements: tuple[Requirement, ...] = field(default_factory=tuple)
    length_months: int | None = None               # community order length
    custodial_term_days: int | None = None         # SSO custodial term, or custody length
    operational_period_months: int | None = None   # SSO
    supervision_period_months: int | None = None   # SSO with community requirements

    def __post_init__(self) -> None:
        validate_sentence(self)

    @property
    def end_date(self) -> date:
        """Exclusive end of the order as the court made it (licence dates come from release rules)."""
        match self.type:
            case SentenceType.COMMUNITY_ORDER:
                assert self.length_months is not None
                return add_months(self.sentence_date, self.length_months)
            case SentenceType.SUSPENDED_SENTENCE_ORDER:
                assert self.operational_period_months is not None
                return add_months(self.sentence_date, self.operational_period_months)
            case SentenceType.CUSTODIAL:
                assert self.custodial_term_days is not None
                return self.sentence_date + timedelta(days=self.custodial_term_days)

    @property
    def supervision_end_date(self) -> date | None:
        """End of the SSO supervision period (it may end before the operational period)."""
        if self.type is SentenceType.SUSPENDED_SENTENCE_ORDER and self.supervision_period_months:
            return add_months(self.sentence_date, self.supervision_period_months)
        return None

    @property
    def requirement_end_limit(self) -> date:
        """Requirements must be complete by the CO end or the end of the SSO supervision period."""
        return self.supervision_end_date or self.end_date

    def has_requirement(self, kind: RequirementType) -> bool:
        return any(r.type is kind for r in self.requirements)


def _months_in(value: int | None, bounds: tuple[int, int], *, field_name: str, what: str, rule: str) -> None:
    low, high = bounds
    require(value is not None, f"{what} is missing", field=field_name, value=value, rule=rule)
    assert value is not None
    require(low <= value <= high, f"{what} of {value} months is outside {low} months to {high // 12} years",
            field=field_name, value=value, rule=rule)


def validate_sentence(s: Sentence) -> None:
    if s.offence.offence_date is not None:
        require(s.offence.offence_date <= s.sentence_date,
                f"offence date {s.offence.offence_date.isoformat()} is after the sentence date "
                f"{s.sentence_date.isoformat()}", field="offence.offence_date",
                value=s.offence.offence_date.isoformat(), rule="an offence precedes its sentence")
    match s.type:
        case SentenceType.COMMUNITY_ORDER:
            require(s.length_months is not None and s.length_months >= 1,
                    "community order length is missing or not positive", field="length_months",
                    value=s.length_months, rule="a community order has an end date")
            assert s.length_months is not None
            require(s.length_months <= CO_MAX_MONTHS,
                    f"community order of {s.length_months} months exceeds the 3-year maximum",
                    field="length_months", value=s.length_months,
                    rule="a community order ends no more than 3 years after it is made (Sentencing Code s.209)")
            require(len(s.requirements) >= 1, "community order has no requirement", field="requirements",
                    value=0, rule="a community order imposes at least one requirement (Sentencing Code s.204)")
            _forbid(s, "custodial_term_days", "operational_period_months", "supervision_period_months")
        case SentenceType.SUSPENDED_SENTENCE_ORDER:
            term = s.custodial_term_days
            low, high = SSO_CUSTODIAL_TERM_DAYS
            require(term is not None and low <= term <= high,
                    f"suspended custodial term of {term} days is outside 14 days to 2 years",
                    field="custodial_term_days", value=term,
                    rule="a suspended sentence is of at least 14 days and at most 2 years (Sentencing Code s.277)")
            _months_in(s.operational_period_months, SSO_PERIOD_MONTHS, field_name="operational_period_months",
                       what="operational period",
                       rule="the operational period is 6 months to 2 years (Sentencing Code s.288)")
            if s.requirements:
                _months_in(s.supervision_period_months, SSO_PERIOD_MONTHS, field_name="supervision_period_months",
                           what="supervision period",
                           rule="the supervision period is 6 months to 2 years (Sentencing Code s.288)")
                assert s.supervision_period_months is not None and s.operational_period_months is not None
                require(s.supervision_period_months <= s.operational_period_months,
                        f"supervision period of {s.supervision_period_months} months outlasts the operational "
                        f"period of {s.operational_period_months} months", field="supervision_period_months",
                        value=s.supervision_period_months,
                        rule="the supervision period may not end after the operational period (s.288)")
            else:
                require(s.supervision_period_months is None,
                        "supervision period given for an order with no community requirement",
                        field="supervision_period_months", value=s.supervision_period_months,
                        rule="a supervision period exists only where community requirements are imposed (s.288)")
            _forbid(s, "length_months")
        case SentenceType.CUSTODIAL:
            require(s.custodial_term_days is not None and s.custodial_term_days >= 1,
                    f"custodial term of {s.custodial_term_days} days is not positive",
                    field="custodial_term_days", value=s.custodial_term_days,
                    rule="a custodial sentence has a term of at least one day")
            require(not s.requirements, "community requirements attached to a custodial sentence",
                    field="requirements", value=len(s.requirements),
                    rule="licence conditions, not community requirements, attach to custody")
            _forbid(s, "length_months", "operational_period_months", "supervision_period_months")
    limit = s.requirement_end_limit
    for i, r in enumerate(s.requirements):
        require(r.start_date >= s.sentence_date,
                f"{r.type.label} starts {r.start_date.isoformat()} before the sentence date",
                field=f"requirements[{i}].start_date", value=r.start_date.isoformat(),
                rule="a requirement starts on or after the sentence date")
        if r.end_date is not None:
            require(r.end_date <= limit,
                    f"{r.type.label} runs to {r.end_date.isoformat()}, after the order's end {limit.isoformat()}",
                    field=f"requirements[{i}].length_months", value=r.length_months or r.length_days,
                    rule="a requirement must be complete within the order (or the SSO supervision period)")
        if r.type is RequirementType.SUPERVISION and s.offence.offence_date is not None:
            require(s.offence.offence_date < date(2015, 2, 1),
                    f"supervision requirement for an offence on {s.offence.offence_date.isoformat()}",
                    field=f"requirements[{i}].type", value=r.type.value,
                    rule="offences on or after 1 February 2015 get a rehabilitation activity requirement "
                         "instead of supervision (Offender Rehabilitation Act 2014 s.15)")
    kinds = [r.type for r in s.requirements]
    for once in (RequirementType.REHABILITATION_ACTIVITY, RequirementType.UNPAID_WORK):
        if kinds.count(once) > 1:
            raise InvalidValue(f"{once.label} imposed {kinds.count(once)} times", field="requirements",
                               value=once.value, rule=f"an order carries one {once.label} requirement; "
                               "the court sets its total")


def _forbid(s: Sentence, *names: str) -> None:
    for name in names:
        value = getattr(s, name)
        require(value is None, f"{name.replace('_', ' ')} does not apply to a {s.type.label}", field=name,
                value=value, rule=f"{s.type.label} terms")
