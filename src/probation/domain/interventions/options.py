"""Commissioned options (Supervision rows 18-23, Post-Release row 12): a contract buys an option,
the cases that qualify are offered it, and the offer, take-up and completion are the evidence.

Option ids are the catalogue's `option_id` values (a unit test checks they match). Who qualifies:
- compliance programme (row 18, "offenders at risk of enforcement proceedings"): a warning letter
  decided in the last 12 months, or a breach in progress;
- victim awareness, racially motivated offending, structured programme (rows 19-21): all cases
  under supervision (the rows' applicable types say "All");
- women's enhanced contact (row 22): women;
- mentoring (row 23, "vulnerable groups"): women, young adults (18-24), or someone the offender
  manager places in the vulnerable adult or another vulnerable group, with the reason;
- post-release enhanced contact (Post-Release row 12): a custodial sentence (licence) and a woman,
  young adult or vulnerable adult."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from probation.domain.errors import Conflict, InvalidValue
from probation.domain.events import EventKind
from probation.domain.people import Sex
from probation.domain.sentences import SentenceType

YOUNG_ADULT_MAX_AGE = 24  # young adults are 18 to 24 (the catalogue's enhanced-contact groups)


class OptionId(StrEnum):
    COMPLIANCE_PROGRAMME = "supervision.compliance_programme"
    VICTIM_AWARENESS = "supervision.victim_awareness"
    RACIALLY_MOTIVATED_OFFENDING = "supervision.racially_motivated_offending"
    STRUCTURED_PROGRAMME = "supervision.structured_programme"
    WOMEN_ENHANCED_CONTACT = "supervision.women_enhanced_contact"
    MENTORING = "supervision.mentoring"
    POST_RELEASE_ENHANCED_CONTACT = "post_release.enhanced_contact"

    @property
    def row(self) -> tuple[str, int]:
        return _ROWS[self]

    @property
    def label(self) -> str:
        return self.value.split(".", 1)[1].replace("_", " ").capitalize()


_ROWS = {
    OptionId.COMPLIANCE_PROGRAMME: ("supervision", 18),
    OptionId.VICTIM_AWARENESS: ("supervision", 19),
    OptionId.RACIALLY_MOTIVATED_OFFENDING: ("supervision", 20),
    OptionId.STRUCTURED_PROGRAMME: ("supervision", 21),
    OptionId.WOMEN_ENHANCED_CONTACT: ("supervision", 22),
    OptionId.MENTORING: ("supervision", 23),
    OptionId.POST_RELEASE_ENHANCED_CONTACT: ("post_release", 12),
}

# The event each row's timescale rule names as its evidence, recorded on take-up. The victim
# awareness and racially motivated rows are evidenced by the structured sessions themselves, and
# the enhanced contact rows by the appointments attended.
TAKE_UP_EVENT: dict[OptionId, EventKind] = {
    OptionId.COMPLIANCE_PROGRAMME: EventKind.COMPLIANCE_PROGRAMME_STARTED,
    OptionId.STRUCTURED_PROGRAMME: EventKind.STRUCTURED_PROGRAMME_STARTED,
    OptionId.MENTORING: EventKind.MENTOR_ASSIGNED,
}


class VulnerableGroup(StrEnum):
    """The catalogue's enhanced-contact groups (catalogue.conditions.EnhancedContactGroup)."""

    FEMALE = "female"
    YOUNG_ADULT = "young_adult"
    VULNERABLE_ADULT = "vulnerable_adult"
    OTHER_VULNERABLE_GROUP = "other_vulnerable_group"


# Groups the offender manager places someone in; the others follow from sex and age.
DECLARED_GROUPS = frozenset({VulnerableGroup.VULNERABLE_ADULT, VulnerableGroup.OTHER_VULNERABLE_GROUP})


class OfferStatus(StrEnum):
    OFFERED = "offered"
    TAKEN_UP = "taken_up"
    DECLINED = "declined"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


NEXT: dict[OfferStatus, frozenset[OfferStatus]] = {
    OfferStatus.OFFERED: frozenset({OfferStatus.TAKEN_UP, OfferStatus.DECLINED}),
    OfferStatus.TAKEN_UP: frozenset({OfferStatus.COMPLETED, OfferStatus.WITHDRAWN}),
    OfferStatus.DECLINED: frozenset(),
    OfferStatus.COMPLETED: frozenset(),
    OfferStatus.WITHDRAWN: frozenset(),
}
OPEN = frozenset({OfferStatus.OFFERED, OfferStatus.TAKEN_UP})


@dataclass(frozen=True, kw_only=True)
class QualifyingFacts:
    sex: Sex
    age: int
    sentence_type: SentenceType
    warnings_last_12_months: int = 0
    breach_in_progress: bool = False
    declared_groups: frozenset[VulnerableGroup] = frozenset()

    @property
    def groups(self) -> frozenset[VulnerableGroup]:
        found = set(self.declared_groups & DECLARED_GROUPS)
        if self.sex is Sex.FEMALE:
            found.add(VulnerableGroup.FEMALE)
        if self.age <= YOUNG_ADULT_MAX_AGE:
            found.add(VulnerableGroup.YOUNG_ADULT)
        return frozenset(found)


@dataclass(frozen=True, kw_only=True)
class Qualification:
    option: OptionId
    qualifies: bool
    reason: str


def qualifies(option: OptionId, facts: QualifyingFacts) -> Qualification:
    def result(ok: bool, reason: str) -> Qualification:
        return Qualification(option=option, qualifies=ok, reason=reason)

    groups = facts.groups
    match option:
        case OptionId.COMPLIANCE_PROGRAMME:
            if facts.breach_in_progress:
                return result(True, "a breach is in progress")
            if facts.warnings_last_12_months:
                return result(True, f"{facts.warnings_last_12_months} warning(s) in the last 12 months")
            return result(False, "not at risk of enforcement: no warning in the last 12 months "
                                 "and no breach in progress")
        case OptionId.WOMEN_ENHANCED_CONTACT:
            ok = facts.sex is Sex.FEMALE
            return result(ok, "a woman" if ok else "the option is for women")
        case OptionId.MENTORING:
            if groups:
                return result(True, "in " + ", ".join(sorted(g.value for g in groups)))
            return result(False, "not in a vulnerable group (women, young adults 18-24, or a group "
                                 "the offender manager records)")
        case OptionId.POST_RELEASE_ENHANCED_CONTACT:
            if facts.sentence_type is not SentenceType.CUSTODIAL:
                return result(False, "the option is for people on licence after custody")
            chosen = groups - {VulnerableGroup.OTHER_VULNERABLE_GROUP}
            if chosen:
                return result(True, "in " + ", ".join(sorted(g.value for g in chosen)))
            return result(False, "not a woman, young adult or vulnerable adult")
        case _:
            return result(True, "offered to all cases under supervision")


def parse_option(raw: str) -> OptionId:
    try:
        return OptionId(raw)
    except ValueError:
        raise InvalidValue(f"option {raw!r} is not known", field="option_id", value=raw,
                           rule="one of " + ", ".join(o.value for o in OptionId)) from None


def parse_groups(raw: list[str]) -> frozenset[VulnerableGroup]:
    out = set()
    for g in raw:
        try:
            group = VulnerableGroup(g)
        except ValueError:
            raise InvalidValue(f"group {g!r} is not known", field="groups", value=g,
                               rule="one of " + ", ".join(x.value for x in DECLARED_GROUPS)) from None
        if group not in DECLARED_GROUPS:
            raise InvalidValue(f"group {g!r} follows from sex and age and is not declared",
                               field="groups", value=g,
                               rule="declare only " + ", ".join(sorted(DECLARED_GROUPS)))
        out.add(group)
    return frozenset(out)


def check_transition(offer_id: int, current: OfferStatus, new: OfferStatus, *,
                     reason: str | None) -> None:
    if new not in NEXT[current]:
        allowed = ", ".join(sorted(s.value for s in NEXT[current])) or "nothing (it is closed)"
        raise Conflict(f"offer {offer_id} is {current.value}; it cannot become {new.value}",
                       field="status", value=new.value, rule=f"a {current.value} offer becomes {allowed}")
    if new in (OfferStatus.DECLINED, OfferStatus.WITHDRAWN) and not (reason or "").strip():
        raise InvalidValue(f"{new.value} without a reason", field="reason", value=reason,
                           rule="a declined or withdrawn offer records why")
