"""Early revocation for good progress (Manage row 25: "the offender manager seeks early revocation
of the order when minimum mandatory criteria and requirements of the order have been met";
Sentencing Code Sch 10 para 13 allows revocation "in the interests of justice" having regard to
good progress).

The specification does not define the minimum criteria; the platform's are configuration
(`EarlyRevocationCriteria`), each shown with whether it is met and why:
- at least half the order served (days since the sentence date over the order's days);
- no failure to comply in the last 6 months, and no breach in progress;
- every requirement complete or on track (RAR: days used at least the share of the maximum the
  elapsed part of the requirement calls for); requirements whose progress this platform does not
  record yet are listed to be confirmed;
- no new offence: no later case for the same person with an offence after this sentence date.
Only community and suspended sentence orders are revoked by a court; licences are not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from probation.domain.delivery.enforcement import window_start
from probation.domain.delivery.rar import RarProgress
from probation.domain.sentences import SentenceType


@dataclass(frozen=True, kw_only=True)
class EarlyRevocationCriteria:
    min_fraction_served: Fraction = Fraction(1, 2)
    compliant_months: int = 6
    requirements_on_track: bool = True
    no_new_offences: bool = True


DEFAULT_CRITERIA = EarlyRevocationCriteria()


@dataclass(frozen=True, kw_only=True)
class OrderFacts:
    sentence_type: SentenceType
    sentence_date: date
    end_date: date  # exclusive
    failure_days: tuple[date, ...]
    breach_in_progress: bool
    rar: RarProgress | None
    rar_start: date | None
    other_requirements: tuple[str, ...] = field(default_factory=tuple)
    new_offence_dates: tuple[date, ...] = field(default_factory=tuple)


@dataclass(frozen=True, kw_only=True)
class Criterion:
    name: str
    met: bool
    detail: str


@dataclass(frozen=True, kw_only=True)
class Assessment:
    applicable: bool
    criteria: tuple[Criterion, ...]
    to_confirm: tuple[str, ...]

    @property
    def met(self) -> bool:
        return self.applicable and all(c.met for c in self.criteria)


def rar_on_track(p: RarProgress, start: date) -> tuple[bool, str]:
    if p.days_remaining == 0:
        return True, f"RAR complete: {p.days_used} of {p.max_days} days used"
    total = (p.requirement_end - start).days
    elapsed = min(max((p.as_of - start).days, 0), total)
    expected = Fraction(p.max_days * elapsed, total) if total else Fraction(p.max_days)
    ok = p.days_used >= expected
    return ok, (f"RAR {p.days_used} of {p.max_days} days used; {float(expected):.1f} expected "
                f"after {elapsed} of {total} days")


def assess(facts: OrderFacts, *, as_of: date,
           criteria: EarlyRevocationCriteria = DEFAULT_CRITERIA) -> Assessment:
    if facts.sentence_type is SentenceType.CUSTODIAL:
        return Assessment(applicable=False, to_confirm=(), criteria=(Criterion(
            name="order_type", met=False,
            detail="licences and post-sentence supervision are not revoked early by a court"),))
    results: list[Criterion] = []
    total = (facts.end_date - facts.sentence_date).days
    served = max((as_of - facts.sentence_date).days, 0)
    needed = criteria.min_fraction_served * total
    results.append(Criterion(
        name="served", met=served >= needed,
        detail=f"{served} of {total} days served; at least {float(needed):g} "
               f"({criteria.min_fraction_served}) needed"))
    since = window_start(as_of, criteria.compliant_months)
    recent = sorted(d for d in facts.failure_days if since <= d <= as_of)
    compliant = not recent and not facts.breach_in_progress
    detail = (f"no failure to comply since {since.isoformat()}" if not recent else
              f"{len(recent)} failure(s) to comply since {since.isoformat()}, last "
              f"{recent[-1].isoformat()}")
    if facts.breach_in_progress:
        detail += "; a breach is in progress"
    results.append(Criterion(name="compliance", met=compliant, detail=detail))
    to_confirm: tuple[str, ...] = ()
    if criteria.requirements_on_track:
        if facts.rar is not None and facts.rar_start is not None:
            ok, why = rar_on_track(facts.rar, facts.rar_start)
        else:
            ok, why = True, "no requirement with recorded progress"
        results.append(Criterion(name="requirements", met=ok, detail=why))
        to_confirm = tuple(facts.other_requirements)
    if criteria.no_new_offences:
        later = sorted(d for d in facts.new_offence_dates if d > facts.sentence_date)
        results.append(Criterion(
            name="no_new_offences", met=not later,
            detail="no new offence recorded" if not later else
            f"new offence on {later[0].isoformat()}"))
    return Assessment(applicable=True, criteria=tuple(results), to_confirm=to_confirm)
