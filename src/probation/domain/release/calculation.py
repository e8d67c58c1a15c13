"""Release, licence and top-up supervision dates of one standard determinate custodial sentence.

Dates follow ministryofjustice/calculate-release-dates-api for a single sentence: days to
release = ceiling(sentence days x release fraction); a date N days on from the sentence date is
the sentence date + N - 1; remand and tagged-bail credit comes off both the release date and
the sentence expiry; TUSED = release date + 12 months. Which fraction, licence and supervision
rules apply comes from the versioned tables in `rules.py`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import Any

from probation.domain.calendar import is_bank_holiday
from probation.domain.errors import InvalidValue, require
from probation.domain.people import age_on
from probation.domain.periods import Period, add_months
from probation.domain.release.lengths import SentenceLength
from probation.domain.release.rules import (
    DEFAULT_RULES,
    DischargeRule,
    ReleaseTrack,
    RuleBook,
    RuleVersion,
)

AGE_OF_CRIMINAL_RESPONSIBILITY = 10  # Children and Young Persons Act 1933 s.50


class EnforcementRoute(StrEnum):
    NONE = "none"
    RECALL = "recall"                    # licence breach: recall to custody (CJA 2003 s.254)
    BREACH_TO_COURT = "breach_to_court"  # PSS breach: summons to court (CJA 2003 s.256AC)


class SupervisionPhase(StrEnum):
    CUSTODY = "custody"
    LICENCE = "licence"
    POST_SENTENCE_SUPERVISION = "post_sentence_supervision"
    ENDED = "ended"  # no supervision: after it ended, or released unconditionally

    @property
    def enforcement_route(self) -> EnforcementRoute:
        return {SupervisionPhase.LICENCE: EnforcementRoute.RECALL,
                SupervisionPhase.POST_SENTENCE_SUPERVISION: EnforcementRoute.BREACH_TO_COURT,
                }.get(self, EnforcementRoute.NONE)


@dataclass(frozen=True, kw_only=True)
class ReleaseFacts:
    """What the release calculation needs to know about one sentence and its person."""

    sentence_date: date
    length: SentenceLength
    offence_date: date
    date_of_birth: date
    remand_days: int = 0  # remand and tagged-bail credit (CJA 2003 s.240ZA, s.240A)
    track: ReleaseTrack = ReleaseTrack.STANDARD

    def __post_init__(self) -> None:
        require(self.offence_date <= self.sentence_date,
                f"offence date {self.offence_date.isoformat()} is after the sentence date "
                f"{self.sentence_date.isoformat()}", field="offence_date",
                value=self.offence_date.isoformat(), rule="an offence precedes its sentence")
        require(self.date_of_birth < self.offence_date,
                f"date of birth {self.date_of_birth.isoformat()} is not before the offence date "
                f"{self.offence_date.isoformat()}", field="date_of_birth",
                value=self.date_of_birth.isoformat(), rule="a person is born before they offend")
        age = age_on(self.date_of_birth, self.offence_date)
        require(age >= AGE_OF_CRIMINAL_RESPONSIBILITY,
                f"date of birth {self.date_of_birth.isoformat()} makes the person {age} on the "
                f"offence date", field="date_of_birth", value=self.date_of_birth.isoformat(),
                rule="the age of criminal responsibility is 10 (Children and Young Persons Act "
                     "1933 s.50)")
        require(self.remand_days >= 0, f"remand of {self.remand_days} days is negative",
                field="remand_days", value=self.remand_days, rule="remand credit is 0 days or more")
        length_days = self.length_days
        require(self.remand_days < length_days,
                f"remand of {self.remand_days} days is not shorter than the {length_days}-day "
                f"sentence ({self.length})", field="remand_days", value=self.remand_days,
                rule="remand credit counts towards the sentence, so it must be shorter than it")

    @property
    def length_days(self) -> int:
        return self.length.days_from(self.sentence_date)


@dataclass(frozen=True, kw_only=True)
class ReleaseDates:
    facts: ReleaseFacts
    length_days: int
    release_fraction: Fraction
    half_sentence_date: date         # the halfway day, on which age decides top-up supervision
    conditional_release_date: date   # CRD, after remand credit (the sentence date if immediate)
    immediate_release: bool          # remand credit already covers the custodial part
    release_day: date                # the CRD moved back off days the prison does not discharge
    sentence_expiry: date            # SLED (SED when released unconditionally): its last day
    licence: Period | None
    licence_reason: str
    tused: date | None
    tused_reason: str
    pss: Period | None               # the days post-sentence supervision actually has effect
    pss_reason: str
    rules: tuple[RuleVersion, ...]

    def phase_on(self, day: date) -> SupervisionPhase:
        """Custody, licence, post-sentence supervision or ended on `day`; the phase decides the
        enforcement route for a failure to comply that began that day."""
        if day < self.facts.sentence_date:
            raise InvalidValue(f"{day.isoformat()} is before the sentence date "
                               f"{self.facts.sentence_date.isoformat()}", field="on",
                               value=day.isoformat(), rule="a sentence has no phase before it is "
                               "passed")
        if day < self.release_day:
            return SupervisionPhase.CUSTODY
        if self.licence is not None and self.licence.contains(day):
            return SupervisionPhase.LICENCE
        if self.pss is not None and self.pss.contains(day):
            return SupervisionPhase.POST_SENTENCE_SUPERVISION
        return SupervisionPhase.ENDED

    def enforcement_route_on(self, day: date) -> EnforcementRoute:
        return self.phase_on(day).enforcement_route

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: ISO dates; periods with their first and last day and exclusive end."""
        f = self.facts
        return {
            "sentence_date": f.sentence_date.isoformat(), "length": str(f.length),
            "length_days": self.length_days, "offence_date": f.offence_date.isoformat(),
            "date_of_birth": f.date_of_birth.isoformat(), "remand_days": f.remand_days,
            "track": f.track.value,
            "release_fraction": str(self.release_fraction),
            "half_sentence_date": self.half_sentence_date.isoformat(),
            "conditional_release_date": self.conditional_release_date.isoformat(),
            "immediate_release": self.immediate_release,
            "release_day": self.release_day.isoformat(),
            "sentence_expiry": self.sentence_expiry.isoformat(),
            "licence": _period(self.licence), "licence_reason": self.licence_reason,
            "tused": self.tused.isoformat() if self.tused else None,
            "tused_reason": self.tused_reason,
            "pss": _period(self.pss), "pss_reason": self.pss_reason,
            "rules": [{"id": r.id, "in_force_from": r.in_force_from.isoformat(),
                       "selected_by": r.selected_by.value, "source": r.source} for r in self.rules],
        }


def _period(p: Period | None) -> dict[str, str] | None:
    if p is None:
        return None
    return {"start": p.start.isoformat(), "last_day": p.last_day.isoformat(),
            "end": p.end.isoformat()}


def days_on(start: date, days: int) -> date:
    """The day on which the `days`-th day counted from `start` (as day 1) falls."""
    return start + timedelta(days=days - 1)


def release_point(start: date, length_days: int, fraction: Fraction) -> date:
    return days_on(start, math.ceil(length_days * fraction))


def discharge_day(release: date, *, length_days: int, not_before: date,
                  rule: DischargeRule) -> date:
    """`release`, or the last day before it on which the prison discharges (never before
    `not_before`, the sentence date)."""
    day = release
    while day > not_before and _no_discharge(day, length_days, rule):
        day -= timedelta(days=1)
    return day


def _no_discharge(day: date, length_days: int, rule: DischargeRule) -> bool:
    saturday = day.weekday() == 5 and length_days > rule.saturday_allowed_up_to_days
    return day.weekday() == 6 or saturday or is_bank_holiday(day)


def calculate_release_dates(facts: ReleaseFacts, rules: RuleBook = DEFAULT_RULES) -> ReleaseDates:
    start, length_days, remand = facts.sentence_date, facts.length_days, facts.remand_days
    credit = timedelta(days=remand)
    applied: list[RuleVersion] = []

    fraction_rule = rules.release_fraction(facts.track, start)
    crd = release_point(start, length_days, fraction_rule.fraction) - credit
    for later in rules.later_release_fractions(facts.track, start):
        tranche = later.tranche_for(start, length_days)
        if tranche is not None and crd >= tranche.from_day:  # not yet released when it came in
            applied.append(fraction_rule)
            fraction_rule = later
            crd = max(release_point(start, length_days, later.fraction) - credit,
                      tranche.from_day)
    applied.append(fraction_rule)
    immediate = crd < start
    crd = max(crd, start)
    expiry = days_on(start, length_days) - credit
    release = discharge_day(crd, length_days=length_days, not_before=start, rule=rules.discharge)
    applied.append(rules.discharge)

    licence_rule = rules.licence(facts.offence_date)
    applied.append(licence_rule)
    licence: Period | None = None
    if licence_rule.licence_applies(start, length_days):
        licence = Period(start=release, end=expiry + timedelta(days=1))
        licence_reason = f"on licence from release to sentence expiry ({licence_rule.id})"
    else:
        licence_reason = (f"a term of {length_days} days is released unconditionally for an "
                          f"offence on {facts.offence_date.isoformat()} ({licence_rule.id})")

    half = release_point(start, length_days, Fraction(1, 2))
    tused, tused_reason = _tused(facts, rules, licence=licence, crd=crd, expiry=expiry,
                                 half=half, applied=applied)
    pss, pss_reason = (None, tused_reason)
    if tused is not None:
        pss, pss_reason = _pss(rules, expiry=expiry, tused=tused, applied=applied)
        if pss is None:
            tused, tused_reason = None, pss_reason

    return ReleaseDates(
        facts=facts, length_days=length_days, release_fraction=fraction_rule.fraction,
        half_sentence_date=half, conditional_release_date=crd, immediate_release=immediate,
        release_day=release, sentence_expiry=expiry, licence=licence,
        licence_reason=licence_reason, tused=tused, tused_reason=tused_reason, pss=pss,
        pss_reason=pss_reason, rules=tuple(applied))


def _tused(facts: ReleaseFacts, rules: RuleBook, *, licence: Period | None, crd: date,
           expiry: date, half: date, applied: list[RuleVersion]) -> tuple[date | None, str]:
    """TUSED, or None with the reason there is no top-up supervision."""
    rule = rules.supervision_for(facts.offence_date)
    applied.append(rule)
    start, length_days = facts.sentence_date, facts.length_days
    if rule.top_up_months is None:
        return None, (f"no post-sentence supervision for an offence on "
                      f"{facts.offence_date.isoformat()} ({rule.id})")
    if length_days <= rule.more_than.days_from(start):
        return None, f"a term of {length_days} days is not more than {rule.more_than} ({rule.id})"
    if length_days >= rule.under.days_from(start):
        return None, f"a term of {facts.length} is not under {rule.under} ({rule.id})"
    if licence is None:
        return None, "released unconditionally, so no top-up supervision"
    age = age_on(facts.date_of_birth, half)
    if age < rule.minimum_age_at_halfway:
        return None, (f"aged {age} at the halfway point {half.isoformat()}: top-up supervision "
                      f"needs {rule.minimum_age_at_halfway} or over ({rule.id})")
    tused = add_months(crd, rule.top_up_months)
    if tused <= expiry:
        return None, (f"the licence runs to {expiry.isoformat()}, not before the end of "
                      f"{rule.top_up_months} months from release {tused.isoformat()}: no top-up "
                      f"needed ({rule.id})")
    return tused, f"supervised to {rule.top_up_months} months after release ({rule.id})"


def _pss(rules: RuleBook, *, expiry: date, tused: date,
         applied: list[RuleVersion]) -> tuple[Period | None, str]:
    """The days from the day after sentence expiry to TUSED on which PSS has effect."""
    start, end = expiry + timedelta(days=1), tused + timedelta(days=1)
    changes = rules.supervision_changes()
    in_force_at_start = [c for c in changes if c.in_force_from <= start]
    if in_force_at_start and not in_force_at_start[-1].pss_in_force:
        ended = in_force_at_start[-1]
        applied.append(ended)
        return None, (f"post-sentence supervision was repealed from "
                      f"{ended.in_force_from.isoformat()}, before it would begin on "
                      f"{start.isoformat()} ({ended.id})")
    for change in changes:
        if start < change.in_force_from < end and not change.pss_in_force:
            applied.append(change)
            return Period(start=start, end=change.in_force_from), (
                f"post-sentence supervision ends early on its repeal from "
                f"{change.in_force_from.isoformat()} ({change.id})")
    return Period(start=start, end=end), "post-sentence supervision from sentence expiry to TUSED"
