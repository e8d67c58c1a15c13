"""Deterministic synthetic caseload: people, their sentences and the case histories that the
domain's lifecycle functions record. The same seed, size and `as_of` give the same caseload.

Every person, sentence and requirement goes through the domain constructors, so the statutory
limits hold; every event comes from the lifecycle functions in probation.domain.case."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from typing import Generic, TypeVar

from probation.domain.case import (
    INDUCTION_POINTS,
    Case,
    FemaleOptions,
    TerminationReason,
    allocate,
    close,
    create_from_court_outcome,
    notify_agencies,
    record_female_options,
    record_induction,
    set_restriction,
    terminate,
)
from probation.domain.events import CaseEvent
from probation.domain.offences import Offence
from probation.domain.organisations import Organisation, OrganisationKind, Staff
from probation.domain.people import Address, Ethnicity, Person, Sex, age_on
from probation.domain.requirements import Requirement, RequirementType
from probation.domain.sentences import Sentence, SentenceType
from probation.services.seed import mix
from probation.services.seed.names import NAME_POOLS
from probation.services.seed.places import (
    EM_PROVIDER,
    EXCLUSION_PLACES,
    INWARD_LETTERS,
    REGIONS,
    STREETS,
    Region,
)
from probation.services.seed.reference_data import (
    DEMO_ORGANISATION,
    DEMO_REGION,
    NPS_SHARE,
    ReferenceData,
    Staffing,
    nps_code,
)

T = TypeVar("T")
HISTORY_DAYS = 3 * 365  # sentence dates spread over about three years before as_of
SYSTEM_ACTOR = "system"
BLOCK = 1000  # people drawn from one random stream
CRN_SPACE = 26 * 1_000_000
CRN_MULTIPLIER = 7_368_787  # coprime with 26 million (not divisible by 2, 5 or 13)
CRN_OFFSET = 4_711_803


class Weighted(Generic[T]):
    """Draw from a fixed weighted list with one random number."""

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        items = list(pairs)
        self.values = [v for v, _ in items]
        self.cum = list(accumulate(w for _, w in items))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> T:
        return self.values[bisect(self.cum, rng.random() * self.total)]


@dataclass(frozen=True, kw_only=True)
class GeneratedCase:
    person: Person
    case: Case
    events: tuple[CaseEvent, ...]


_REGION = Weighted((r, r.share) for r in REGIONS)
_DEMO_REGION = next(r for r in REGIONS if r.key == DEMO_REGION)
_SENTENCE = Weighted((SentenceType(k), w) for k, w in mix.SENTENCE_MIX)
_AGE_BAND = Weighted(((lo, hi), w) for lo, hi, w in mix.AGE_BANDS)
_ETHNICITY = Weighted(mix.ETHNICITY_MIX)
_DISABILITY = Weighted(mix.DISABILITY_MIX)
_RELIGION = Weighted(mix.RELIGION_MIX)
_GENDER_IDENTITY = Weighted(mix.GENDER_IDENTITY_MIX)
_OFFENCE = Weighted(mix.OFFENCE_MIX)
_RAR_DAYS = Weighted(mix.RAR_DAYS)
_UPW_HOURS = Weighted(mix.UNPAID_WORK_HOURS)
_CO_MONTHS = Weighted(mix.CO_MONTHS)
_SSO_TERM = Weighted(mix.SSO_TERM_MONTHS)
_SSO_OPERATIONAL = Weighted(mix.SSO_OPERATIONAL_MONTHS)
_CUSTODY_TERM = Weighted(mix.CUSTODY_TERM_MONTHS)
_REQUIREMENTS = tuple((RequirementType(k), p) for k, p in mix.REQUIREMENT_CHANCE)
_EM_KINDS = (RequirementType.CURFEW, RequirementType.EXCLUSION,
             RequirementType.ALCOHOL_ABSTINENCE_MONITORING)

# Naming tradition and possible first languages other than English, by ethnicity.
_TRADITION: dict[Ethnicity | None, tuple[tuple[str, float], ...]] = {
    Ethnicity.WHITE_OTHER: (("east_european", 0.6), ("british", 0.4)),
    Ethnicity.WHITE_ROMA: (("east_european", 1.0),),
    Ethnicity.MIXED_WHITE_BLACK_CARIBBEAN: (("british", 0.6), ("african_caribbean", 0.4)),
    Ethnicity.MIXED_WHITE_BLACK_AFRICAN: (("british", 0.6), ("african_caribbean", 0.4)),
    Ethnicity.MIXED_WHITE_ASIAN: (("british", 0.6), ("south_asian", 0.4)),
    Ethnicity.MIXED_OTHER: (("british", 0.7), ("african_caribbean", 0.3)),
    Ethnicity.ASIAN_INDIAN: (("south_asian", 1.0),),
    Ethnicity.ASIAN_PAKISTANI: (("south_asian", 1.0),),
    Ethnicity.ASIAN_BANGLADESHI: (("south_asian", 1.0),),
    Ethnicity.ASIAN_CHINESE: (("east_asian", 1.0),),
    Ethnicity.ASIAN_OTHER: (("south_asian", 0.7), ("east_asian", 0.3)),
    Ethnicity.BLACK_AFRICAN: (("african_caribbean", 1.0),),
    Ethnicity.BLACK_CARIBBEAN: (("african_caribbean", 1.0),),
    Ethnicity.BLACK_OTHER: (("african_caribbean", 1.0),),
    Ethnicity.OTHER_ARAB: (("arab", 1.0),),
    Ethnicity.OTHER_ANY: (("british", 0.4), ("arab", 0.3), ("east_asian", 0.3)),
    Ethnicity.PREFER_NOT_TO_SAY: (("british", 0.8), ("south_asian", 0.1), ("african_caribbean", 0.1)),
    None: (("british", 0.8), ("south_asian", 0.1), ("african_caribbean", 0.1)),
}
_TRADITION_PICK = {k: Weighted(v) for k, v in _TRADITION.items()}
# (chance English is not the first language, the other languages)
_LANGUAGES: dict[str, tuple[float, tuple[str, ...]]] = {
    "british": (0.0, ()),
    "east_european": (0.7, ("Polish", "Romanian", "Lithuanian", "Bulgarian")),
    "south_asian": (0.15, ("Urdu", "Punjabi", "Bengali", "Gujarati")),
    "african_caribbean": (0.1, ("Somali", "French", "Tigrinya")),
    "east_asian": (0.5, ("Mandarin", "Cantonese", "Vietnamese")),
    "arab": (0.6, ("Arabic", "Kurdish")),
}
_RELIGION_BY_TRADITION = {"south_asian": Weighted((("Muslim", 0.6), ("Sikh", 0.15), ("Hindu", 0.15),
                                                   (None, 0.1))),
                          "arab": Weighted((("Muslim", 0.8), (None, 0.2)))}


def _int(rng: random.Random, low: int, high: int) -> int:
    """A whole number from low to high inclusive (faster than Random.randint, equally uniform)."""
    return low + int(rng.random() * (high - low + 1))


def _pick(rng: random.Random, options: Sequence[T]) -> T:
    return options[int(rng.random() * len(options))]


def _utc(day: date, rng: random.Random, first_hour: int = 9, last_hour: int = 17) -> datetime:
    return datetime.combine(day, time(_int(rng, first_hour, last_hour), _int(rng, 0, 59)), UTC)


class CaseloadGenerator:
    """Draws people and case histories one at a time from one seeded random stream."""

    def __init__(self, *, rng: random.Random, as_of: date, reference: ReferenceData) -> None:
        self.rng = rng
        self.as_of = as_of
        self.ref = reference

    # -- people -------------------------------------------------------------------------------

    def _person(self, *, crn: str, sex: Sex, sentence_date: date, region: Region) -> Person:
        rng = self.rng
        lo, hi = _AGE_BAND(rng)
        age = _int(rng, lo, hi)
        dob = sentence_date - timedelta(days=int(age * 365.25) + _int(rng, 1, 360))
        while age_on(dob, sentence_date) < 18:  # leap-year rounding at the edge of the band
            dob -= timedelta(days=7)
        ethnicity = _ETHNICITY(rng)
        pick = _TRADITION_PICK.get(ethnicity)
        tradition = pick(rng) if pick is not None else "british"
        males, females, surnames = NAME_POOLS[tradition]
        first = _pick(rng, females if sex is Sex.FEMALE else males)
        last = _pick(rng, surnames)
        other_chance, others = _LANGUAGES[tradition]
        language: str | None = "English"
        if others and rng.random() < other_chance:
            language = _pick(rng, others)
        elif rng.random() < 0.05:
            language = None  # not recorded
        interpreter = language not in (None, "English") and rng.random() < 0.35
        religion_pick = _RELIGION_BY_TRADITION.get(tradition, _RELIGION)
        ld_roll = rng.random()
        return Person(
            crn=crn, first_name=first, last_name=last, date_of_birth=dob, sex=sex,
            gender_identity=_GENDER_IDENTITY(rng), ethnicity=ethnicity, religion=religion_pick(rng),
            disability=_DISABILITY(rng), first_language=language, interpreter_required=interpreter,
            learning_difficulty=None if ld_roll < 0.3 else ld_roll < 0.4,
            addresses=self._addresses(region, sentence_date),
            phone=f"07700 900{int(rng.random() * 1000):03d}" if rng.random() < 0.9 else None,
            email=f"{first}.{last}{int(rng.random() * 100)}@example.com".lower().replace("'", "")
            if rng.random() < 0.3 else None)

    def _address(self, region: Region, *, main: bool, from_date: date | None) -> Address:
        rng = self.rng
        town = _pick(rng, region.towns)
        district = _pick(rng, town.districts)
        postcode = f"{district} {int(rng.random() * 10)}{_pick(rng, INWARD_LETTERS)}{_pick(rng, INWARD_LETTERS)}"
        flat = rng.random() < 0.25
        return Address(line1=f"{_int(rng, 1, 180)} {_pick(rng, STREETS)}",
                       line2=f"Flat {_int(rng, 1, 40)}" if flat else None, town=town.name,
                       postcode=postcode, main=main, from_date=from_date)

    def _addresses(self, region: Region, sentence_date: date) -> tuple[Address, ...]:
        rng = self.rng
        if rng.random() < 0.05:
            return ()  # no fixed abode
        moved = sentence_date - timedelta(days=_int(rng, 30, 2000))
        main = self._address(region, main=True, from_date=moved if rng.random() < 0.7 else None)
        if rng.random() < 0.1:
            return (main, self._address(region, main=False, from_date=None))
        return (main,)

    # -- sentences ----------------------------------------------------------------------------

    def _requirements(self, start: date, months: int, age: int, region: Region) -> tuple[Requirement, ...]:
        rng = self.rng
        chosen = [kind for kind, chance in _REQUIREMENTS if rng.random() < chance]
        if RequirementType.ATTENDANCE_CENTRE in chosen and age >= 25:
            chosen.remove(RequirementType.ATTENDANCE_CENTRE)  # for offenders under 25 (Sch 9 para 13)
        if not chosen:
            chosen = [_pick(rng, (RequirementType.REHABILITATION_ACTIVITY, RequirementType.UNPAID_WORK))]
        return tuple(self._requirement(kind, start, months, region) for kind in chosen)

    def _requirement(self, kind: RequirementType, start: date, months: int, region: Region) -> Requirement:
        rng = self.rng

        def upto(*options: int) -> int:
            fitting = [m for m in options if m <= months]
            return _pick(rng, fitting) if fitting else months

        match kind:
            case RequirementType.REHABILITATION_ACTIVITY:
                return Requirement(type=kind, start_date=start, max_days=_RAR_DAYS(rng))
            case RequirementType.UNPAID_WORK:
                return Requirement(type=kind, start_date=start, hours=_UPW_HOURS(rng))
            case RequirementType.CURFEW:
                return Requirement(type=kind, start_date=start, length_months=upto(1, 2, 3, 4, 6),
                                   hours_per_day=_pick(rng, (8, 10, 12, 12, 14)),
                                   electronically_monitored=rng.random() < mix.CURFEW_EM_SHARE)
            case RequirementType.EXCLUSION:
                town = _pick(rng, region.towns).name
                places = tuple(sorted({p.format(town=town, street=_pick(rng, STREETS))
                                       for p in rng.sample(EXCLUSION_PLACES, _int(rng, 1, 2))}))
                return Requirement(type=kind, start_date=start, length_months=upto(3, 6, 12, 24),
                                   places=places,
                                   electronically_monitored=rng.random() < mix.EXCLUSION_EM_SHARE)
            case RequirementType.ALCOHOL_ABSTINENCE_MONITORING:
                return Requirement(type=kind, start_date=start, length_days=_pick(rng, (30, 60, 90, 120)),
                                   electronically_monitored=True)
            case RequirementType.ACCREDITED_PROGRAMME:
                return Requirement(type=kind, start_date=start, programme=_pick(rng, mix.PROGRAMMES))
            case RequirementType.PROHIBITED_ACTIVITY:
                return Requirement(type=kind, start_date=start, length_months=upto(3, 6, 12),
                                   activity=_pick(rng, mix.PROHIBITED_ACTIVITIES))
            case RequirementType.RESIDENCE:
                town = _pick(rng, region.towns).name
                return Requirement(type=kind, start_date=start, length_months=upto(6, 12),
                                   places=(f"approved premises in {town}",))
            case RequirementType.ATTENDANCE_CENTRE:
                return Requirement(type=kind, start_date=start, hours=_pick(rng, (12, 18, 24, 36)))
            case RequirementType.FOREIGN_TRAVEL_PROHIBITION:
                return Requirement(type=kind, start_date=start, length_months=upto(3, 6, 12))
            case _:  # treatment requirements run for a period within the order
                return Requirement(type=kind, start_date=start, length_months=upto(6, 12))

    def _sentence_terms(self) -> tuple[SentenceType, dict[str, int], int]:
        """Type, the order's terms and its length in days (for placing the sentence date)."""
        rng = self.rng
        kind = _SENTENCE(rng)
        match kind:
            case SentenceType.COMMUNITY_ORDER:
                months = _CO_MONTHS(rng)
                return kind, {"length_months": months}, int(months * 30.44)
            case SentenceType.SUSPENDED_SENTENCE_ORDER:
                term = min(730, int(_SSO_TERM(rng) * 30.44))
                operational = _SSO_OPERATIONAL(rng)
                supervision = _pick(rng, [m for m in (6, 12, 12, 12, 18, 24) if m <= operational])
                return kind, {"custodial_term_days": term, "operational_period_months": operational,
                              "supervision_period_months": supervision}, int(operational * 30.44)
            case SentenceType.CUSTODIAL:
                days = int(_CUSTODY_TERM(rng) * 30.44)
                return kind, {"custodial_term_days": days}, days

    def _sentence_date(self, length_days: int) -> tuple[date, bool]:
        """A sentence date within about three years, and whether the order has already ended."""
        rng = self.rng
        oldest = min(length_days, HISTORY_DAYS)
        if rng.random() < mix.ENDED_SHARE and length_days + 10 < HISTORY_DAYS:
            return self.as_of - timedelta(days=_int(rng, length_days + 10, HISTORY_DAYS)), True
        return self.as_of - timedelta(days=_int(rng, 1, max(oldest - 1, 1))), False

    # -- one case -----------------------------------------------------------------------------

    def one(self, number: int) -> GeneratedCase:
        """The case of person `number` (its CRN comes from the number)."""
        rng = self.rng
        demo = number % self.ref.demo_every == 0
        region = _DEMO_REGION if demo else _REGION(rng)
        sex = Sex.FEMALE if rng.random() < mix.WOMEN_SHARE else Sex.MALE
        kind, terms, length_days = self._sentence_terms()
        sentence_date, ended = self._sentence_date(length_days)
        person = self._person(crn=crn_for(number), sex=sex, sentence_date=sentence_date, region=region)
        age = age_on(person.date_of_birth, sentence_date)
        requirements: tuple[Requirement, ...] = ()
        if kind is not SentenceType.CUSTODIAL:
            months = terms.get("length_months") or terms["supervision_period_months"]
            requirements = self._requirements(sentence_date, months, age, region)
        offence = Offence(code=_OFFENCE(rng), offence_date=sentence_date - timedelta(days=_int(rng, 21, 300)))
        sentence = Sentence(type=kind, sentence_date=sentence_date, offence=offence,
                            requirements=requirements, **terms)
        case, events = self._history(person, sentence, region, ended, demo=demo)
        return GeneratedCase(person=person, case=case, events=tuple(events))

    def _court_code(self, region: Region, kind: SentenceType) -> str:
        # Magistrates make most community orders; custody mostly comes from the Crown Court.
        rng = self.rng
        crown_first = rng.random() < (0.7 if kind is SentenceType.CUSTODIAL else 0.25)
        prefix = "CC-" if crown_first else "MC-"
        options = [c for c, _ in region.courts if c.startswith(prefix)] or [c for c, _ in region.courts]
        return _pick(rng, options)

    def _pick_staff(self, staffing: Staffing, woman_wants_female_om: bool) -> Staff:
        rng = self.rng
        if woman_wants_female_om:
            pool, cum = staffing.women, staffing.women_cum_weights
        else:
            pool, cum = staffing.practitioners, staffing.cum_weights
        return pool[min(bisect(cum, rng.random() * cum[-1]), len(pool) - 1)]

    def _history(self, person: Person, sentence: Sentence, region: Region, ended: bool, *,
                 demo: bool) -> tuple[Case, list[CaseEvent]]:
        rng = self.rng
        ref = self.ref
        cutoff = self.as_of  # nothing is recorded on or after as_of
        org_code = nps_code(region) if rng.random() < NPS_SHARE else region.contracted_provider
        if demo:
            org_code = DEMO_ORGANISATION
        staffing = ref.staffing[org_code]
        options = None
        if person.sex is Sex.FEMALE:
            options = FemaleOptions(
                female_offender_manager_accepted=rng.random() < mix.FEMALE_OFFENDER_MANAGER_ACCEPTED,
                female_only_environment_accepted=rng.random() < mix.FEMALE_ONLY_ENVIRONMENT_ACCEPTED)
        staff = self._pick_staff(staffing, bool(options and options.female_offender_manager_accepted))
        if demo:  # the demo practitioner is a woman, so she can hold any woman's case
            staff = staffing.practitioners[0]
        team = ref.teams_by_code[staff.team_code]
        manager = ref.manager_of_team[team.code]
        court = ref.courts_by_code[self._court_code(region, sentence.type)]
        created = _utc(sentence.sentence_date, rng, 12, 18)
        case, event = create_from_court_outcome(person=person, sentence=sentence, court=court,
                                                organisation=ref.organisations_by_code[org_code],
                                                team=team, at=created, actor=SYSTEM_ACTOR)
        events = [event]

        def later(lo: int, hi: int) -> datetime | None:
            nxt = _utc(events[-1].occurred_at.date() + timedelta(days=_int(rng, lo, hi)), rng)
            return nxt if nxt.date() < cutoff else None

        if (at := later(1, 2)) is None:
            return case, events
        agencies = [Organisation(code=region.police[0], name=region.police[1], kind=OrganisationKind.POLICE)]
        if any(r.electronically_monitored for r in sentence.requirements):
            agencies.append(Organisation(code=EM_PROVIDER[0], name=EM_PROVIDER[1], kind=OrganisationKind.EM_PROVIDER))
        if rng.random() < 0.2:
            agencies.append(Organisation(code=region.children_services[0], name=region.children_services[1],
                                         kind=OrganisationKind.PARTNER))
        case, event = notify_agencies(case, agencies=agencies, at=at, actor=manager)
        events.append(event)
        if options is not None:
            if (at := later(1, 3)) is None:
                return case, events
            case, event = record_female_options(case, options=options, at=at, actor=manager)
            events.append(event)
        if (at := later(1, 4)) is None:
            return case, events
        case, event = allocate(case, staff=staff, team=team, at=at, actor=manager)
        events.append(event)
        if rng.random() < mix.RESTRICTED_SHARE:
            case, event = set_restriction(case, restricted=True, staff_codes=frozenset(),
                                          at=at + timedelta(minutes=5), actor=manager,
                                          reason="high-profile case: access limited")
            events.append(event)
        if rng.random() >= mix.INDUCTION_MISSED_SHARE or ended:
            if (at := later(2, 8)) is None:
                return case, events
            case, event = record_induction(case, understood=dict.fromkeys(INDUCTION_POINTS, True),
                                           at=at, actor=staff.code)
            events.append(event)
        return self._ending(case, events, ended, staff.code)

    def _ending(self, case: Case, events: list[CaseEvent], ended: bool,
                om: str) -> tuple[Case, list[CaseEvent]]:
        rng = self.rng
        sentence = case.sentence
        last = events[-1].occurred_at.date()
        roll = rng.random()
        if ended:
            reason, on = TerminationReason.COMPLETED, sentence.end_date - timedelta(days=1)
            if sentence.type is not SentenceType.CUSTODIAL and roll < 0.15:
                # Revoked part-way: early for good progress or on breach (Manage rows 25 and 26).
                reason = TerminationReason.REVOKED_EARLY if roll < 0.05 else TerminationReason.REVOKED_ON_BREACH
                on = sentence.sentence_date + timedelta(
                    days=_int(rng, 90, max(91, (sentence.end_date - sentence.sentence_date).days - 30)))
        elif sentence.type is not SentenceType.CUSTODIAL and roll < 0.03:
            reason = TerminationReason.REVOKED_ON_BREACH
            on = last + timedelta(days=_int(rng, 30, 200))
            if on >= sentence.end_date:
                return case, events
        else:
            return case, events
        on = max(on, last)
        at = _utc(on + timedelta(days=_int(rng, 0, 6)), rng)
        if at.date() >= self.as_of:
            return case, events
        case, event = terminate(case, reason=reason, on=on, at=at, actor=om)
        events.append(event)
        if rng.random() < 0.8:
            closed = _utc(at.date() + timedelta(days=_int(rng, 1, 20)), rng)
            if closed.date() < self.as_of:
                case, event = close(case, at=closed, actor=om)
                events.append(event)
        return case, events


def crn_for(number: int) -> str:
    """A CRN for person `number` (1, 2, ...): an affine permutation of the 26 million CRNs, so
    different numbers never share a CRN and consecutive people do not get consecutive CRNs."""
    n = (CRN_MULTIPLIER * number + CRN_OFFSET) % CRN_SPACE
    return f"{chr(65 + n // 1_000_000)}{n % 1_000_000:06d}"


def generate_block(*, seed: int, block: int, count: int, first_number: int, as_of: date,
                   reference: ReferenceData) -> list[GeneratedCase]:
    """Block `block` of a caseload: up to BLOCK people drawn from a stream seeded by (seed,
    block), so blocks can be generated in parallel and a smaller seed is a prefix of a larger."""
    gen = CaseloadGenerator(rng=random.Random(f"{seed}:{block}"), as_of=as_of, reference=reference)
    start = first_number + block * BLOCK
    return [gen.one(start + i) for i in range(count)]


def block_sizes(people: int) -> list[int]:
    return [min(BLOCK, people - b * BLOCK) for b in range((people + BLOCK - 1) // BLOCK)]


def generate_caseload(people: int, *, seed: int, as_of: date, reference: ReferenceData,
                      first_number: int = 1) -> Iterator[GeneratedCase]:
    """`people` synthetic cases, the same for the same arguments; person numbers (and so CRNs)
    start at `first_number`."""
    for block, count in enumerate(block_sizes(people)):
        yield from generate_block(seed=seed, block=block, count=count, first_number=first_number,
                                  as_of=as_of, reference=reference)
