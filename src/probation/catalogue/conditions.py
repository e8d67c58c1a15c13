"""Which cases a catalogue row applies to, as typed, declarative data.

A condition is an all-of set of any-of clauses, one clause per case fact; a clause left out does
not restrict. Clauses are of two sorts: scope clauses (sentence, requirements, electronic
monitoring, supervision period) say which orders the row is about; the others describe the person
or the case. The single escape hatch is `or_when_flagged`: a case in scope that the practitioner
has flagged meets the non-scope clauses whatever they say (the specifications' "and others where
professional judgement suggests the need"). Each clause maps to one column test, so the same
condition evaluates per case (`matches`) and column-wise over a caseload:
scope AND (other clauses OR flag).

Vocabulary: the platform's own enums where they exist (SentenceType, RequirementType, Sex,
RoshLevel, Ogrs3Band); closed enums for the rest below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, field_validator

from probation.domain.people import Sex
from probation.domain.requirements import RequirementType
from probation.domain.risk.ogrs3 import Ogrs3Band
from probation.domain.risk.rosh import RoshLevel
from probation.domain.sentences import SentenceType


class Register(StrEnum):
    """Registers and case markers that change what a case needs (most are nDelius registrations)."""

    MAPPA = "mappa"
    PPO = "ppo"
    IOM = "iom"
    VISOR = "visor"
    REGISTERED_SEX_OFFENDER = "registered_sex_offender"
    MARAC = "marac"
    CHILD_PROTECTION = "child_protection"  # lives with or has contact with a child on a plan
    RISK_TO_CHILDREN = "risk_to_children"  # assessed as posing a risk of harm to children
    CHILD_CONTACT = "child_contact"  # lives with or has significant contact with a child
    DOMESTIC_ABUSE_PERPETRATOR = "domestic_abuse_perpetrator"
    DOMESTIC_ABUSE_VICTIM = "domestic_abuse_victim"
    VULNERABLE_ADULT = "vulnerable_adult"  # includes risk of victimisation
    CARE_PROGRAMME_APPROACH = "care_programme_approach"
    FOREIGN_NATIONAL_DEPORTATION = "foreign_national_deportation"


class Characteristic(StrEnum):
    """Needs that call for help to communicate (Manage row 7)."""

    NON_ENGLISH_SPEAKING = "non_english_speaking"
    DISABILITY = "disability"
    LEARNING_DIFFICULTY = "learning_difficulty"


class EnhancedContactGroup(StrEnum):
    """Groups the offender manager may deem to need enhanced contact or support."""

    FEMALE = "female"
    YOUNG_ADULT = "young_adult"  # 18 to 24
    VULNERABLE_ADULT = "vulnerable_adult"
    OTHER_VULNERABLE_GROUP = "other_vulnerable_group"


class SupervisionPeriod(StrEnum):
    """The two parts of statutory post-release supervision (CJA 2003 s.256AA, ORA 2014)."""

    LICENCE = "licence"
    POST_SENTENCE_SUPERVISION = "post_sentence_supervision"


class CaseFlag(StrEnum):
    """Practitioner judgements recorded on a case that bring a row into scope."""

    HOME_VISIT_NEEDED = "home_visit_needed"


SCOPE_CLAUSES = frozenset(
    {"sentence_types", "requirement_types_any", "electronically_monitored", "supervision_periods"}
)
_FROZEN = ConfigDict(extra="forbid", frozen=True)


class Condition(BaseModel):
    """All clauses must hold; within a clause any listed value is enough."""

    model_config = _FROZEN

    sentence_types: frozenset[SentenceType] | None = None
    requirement_types_any: frozenset[RequirementType] | None = None
    # With requirement_types_any: true means some matching requirement is electronically monitored,
    # false means some matching requirement is not. Without it: any requirement of the order.
    electronically_monitored: bool | None = None
    sex: Sex | None = None
    registers_any: frozenset[Register] | None = None
    rosh_levels: frozenset[RoshLevel] | None = None
    ogrs3_bands: frozenset[Ogrs3Band] | None = None
    characteristics_any: frozenset[Characteristic] | None = None
    enhanced_contact_groups_any: frozenset[EnhancedContactGroup] | None = None
    supervision_periods: frozenset[SupervisionPeriod] | None = None
    referred_to_nps: bool | None = None  # a contracted provider has referred the case to the NPS
    at_risk_of_enforcement: bool | None = None  # a failure to comply is being dealt with or warned
    or_when_flagged: CaseFlag | None = None

    @field_validator("*", mode="after")
    @classmethod
    def _no_empty_sets(cls, value: object) -> object:
        if isinstance(value, frozenset) and not value:
            raise ValueError(
                "an any-of clause needs at least one value (leave the key out instead)"
            )
        return value

    def clauses(self) -> dict[str, object]:
        """The clauses that restrict, by fact name (the flag is not a clause)."""
        return {
            k: v for k, v in self.model_dump(exclude_none=True).items() if k != "or_when_flagged"
        }

    def merged(self, other: Condition, *, where: str) -> Condition:
        """Both conditions at once; a fact restricted by both is a mistake in the data."""
        mine, theirs = self.model_dump(exclude_none=True), other.model_dump(exclude_none=True)
        both = sorted(set(mine) & set(theirs))
        if both:
            raise ValueError(f"{where}: {', '.join(both)} set twice (spec base condition and row)")
        return Condition.model_validate({**mine, **theirs})

    def describe(self) -> str:
        parts = []
        for key, value in self.clauses().items():
            shown = (
                ", ".join(sorted(str(v) for v in value))
                if isinstance(value, frozenset)
                else str(value)
            )
            parts.append(f"{key}={shown}")
        text = "; ".join(parts) or "all"
        if self.or_when_flagged is not None:
            text += f" (or flagged {self.or_when_flagged})"
        return text

    def matches(self, facts: CaseFacts) -> bool:
        """Reference semantics for engines: does this condition hold for one case?"""
        clauses = self.clauses()
        if not all(_CHECKS[name](self, facts) for name in clauses if name in SCOPE_CLAUSES):
            return False
        if self.or_when_flagged is not None and self.or_when_flagged in facts.flags:
            return True
        return all(_CHECKS[name](self, facts) for name in clauses if name not in SCOPE_CLAUSES)


@dataclass(frozen=True, kw_only=True)
class RequirementFact:
    type: RequirementType
    electronically_monitored: bool = False


@dataclass(frozen=True, kw_only=True)
class CaseFacts:
    """The facts a condition reads, as of one date (engines build this from the case record)."""

    sentence_type: SentenceType
    sex: Sex
    requirements: tuple[RequirementFact, ...] = ()
    registers: frozenset[Register] = field(default_factory=frozenset)
    rosh: RoshLevel | None = None
    ogrs3_band: Ogrs3Band | None = None
    characteristics: frozenset[Characteristic] = field(default_factory=frozenset)
    enhanced_contact_groups: frozenset[EnhancedContactGroup] = field(default_factory=frozenset)
    supervision_period: SupervisionPeriod | None = None
    referred_to_nps: bool = False
    at_risk_of_enforcement: bool = False
    flags: frozenset[CaseFlag] = field(default_factory=frozenset)


def _requirements_in_scope(c: Condition, f: CaseFacts) -> tuple[RequirementFact, ...]:
    wanted = c.requirement_types_any
    return tuple(r for r in f.requirements if wanted is None or r.type in wanted)


def _em(c: Condition, f: CaseFacts) -> bool:
    return any(
        r.electronically_monitored is c.electronically_monitored
        for r in _requirements_in_scope(c, f)
    )


def _in(value: object, allowed: object) -> bool:
    return isinstance(allowed, frozenset) and value in allowed


def _overlaps(values: frozenset[StrEnum], allowed: frozenset[StrEnum] | None) -> bool:
    return allowed is not None and not values.isdisjoint(allowed)


_CHECKS: dict[str, Callable[[Condition, CaseFacts], bool]] = {
    "sentence_types": lambda c, f: _in(f.sentence_type, c.sentence_types),
    "requirement_types_any": lambda c, f: bool(_requirements_in_scope(c, f)),
    "electronically_monitored": _em,
    "sex": lambda c, f: f.sex is c.sex,
    "registers_any": lambda c, f: _overlaps(f.registers, c.registers_any),
    "rosh_levels": lambda c, f: _in(f.rosh, c.rosh_levels),
    "ogrs3_bands": lambda c, f: _in(f.ogrs3_band, c.ogrs3_bands),
    "characteristics_any": lambda c, f: _overlaps(f.characteristics, c.characteristics_any),
    "enhanced_contact_groups_any": lambda c, f: _overlaps(
        f.enhanced_contact_groups, c.enhanced_contact_groups_any
    ),
    "supervision_periods": lambda c, f: _in(f.supervision_period, c.supervision_periods),
    "referred_to_nps": lambda c, f: f.referred_to_nps is c.referred_to_nps,
    "at_risk_of_enforcement": lambda c, f: f.at_risk_of_enforcement is c.at_risk_of_enforcement,
}
