"""Release, licence and post-sentence supervision rules as data: small tables of versions, each in
force from a date and chosen by the date the law keys it to (sentence date, offence date, or the
day the supervision would run). A change in the law is a new row, not a new branch in the code.

Sources: Criminal Justice Act 2003 Part 12 Chapter 6 (s.243A, s.244, s.256AA as inserted by the
Offender Rehabilitation Act 2014), SI 2015/40 (ORA commencement 1 February 2015), SI 2020/158
(SDS+ two-thirds release), SI 2024/844 (SDS40), Sentencing Act 2026 s.34 (repeal of s.256AA),
and ministryofjustice/calculate-release-dates-api (`ImportantDates.kt`, `TusedCalculator.kt`).
See docs/RELEASE_DATES.md for each rule in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from fractions import Fraction
from typing import TypeVar

from probation.domain.errors import InvalidValue
from probation.domain.release.lengths import SentenceLength


class ReleaseTrack(StrEnum):
    """How the release point of a standard determinate sentence is set (the caller decides)."""

    STANDARD = "standard"    # SDS whose offences are not excluded from early release schemes
    EXCLUDED = "excluded"    # SDS with an offence excluded from SDS40 (SI 2024/844 Schedule)
    SDS_PLUS = "sds_plus"    # serious violent or sexual offences released at two-thirds

    @property
    def label(self) -> str:
        return {"standard": "standard determinate sentence",
                "excluded": "standard determinate sentence excluded from SDS40",
                "sds_plus": "SDS+ (two-thirds release)"}[self.value]


class SelectedBy(StrEnum):
    """The date that chooses which version of a rule applies."""

    SENTENCE_DATE = "sentence_date"
    OFFENCE_DATE = "offence_date"
    SUPERVISION_DAY = "supervision_day"  # the day on which the supervision would run


@dataclass(frozen=True, kw_only=True)
class RuleVersion:
    id: str
    in_force_from: date
    selected_by: SelectedBy
    source: str
    summary: str


@dataclass(frozen=True, kw_only=True)
class Tranche:
    """Sentences passed before a change and at least `min_years` long come under it on `from_day`."""

    min_years: int
    from_day: date


@dataclass(frozen=True, kw_only=True)
class ReleaseFractionRule(RuleVersion):
    tracks: frozenset[ReleaseTrack]
    fraction: Fraction
    # Applies also to sentences passed earlier but not yet at their release point on the tranche
    # day, with release no earlier than that day. Empty: only sentences passed from in_force_from.
    tranches: tuple[Tranche, ...] = ()

    def tranche_for(self, sentence_date: date, length_days: int) -> Tranche | None:
        fitting = [t for t in self.tranches
                   if t.min_years == 0
                   or length_days >= SentenceLength(years=t.min_years).days_from(sentence_date)]
        return max(fitting, key=lambda t: t.min_years, default=None)


@dataclass(frozen=True, kw_only=True)
class LicenceRule(RuleVersion):
    """Release is on licence to sentence expiry when the term is longer than `more_than` (or at
    least `at_least`); otherwise release is unconditional."""

    more_than: SentenceLength | None = None
    at_least: SentenceLength | None = None

    def licence_applies(self, sentence_date: date, length_days: int) -> bool:
        if self.at_least is not None and length_days < self.at_least.days_from(sentence_date):
            return False
        return not (self.more_than is not None
                    and length_days <= self.more_than.days_from(sentence_date))


@dataclass(frozen=True, kw_only=True)
class SupervisionRule(RuleVersion):
    """Top-up supervision after sentence expiry (None: the law provides none for this offence)."""

    top_up_months: int | None
    more_than: SentenceLength = SentenceLength(days=1)
    under: SentenceLength = SentenceLength(years=2)
    minimum_age_at_halfway: int = 18


@dataclass(frozen=True, kw_only=True)
class SupervisionInForceRule(RuleVersion):
    """Whether post-sentence supervision requirements have effect on a day (a repeal applies to
    requirements already imposed: Sentencing Act 2026 s.34(4))."""

    pss_in_force: bool


@dataclass(frozen=True, kw_only=True)
class DischargeRule(RuleVersion):
    """A release due on a day the prison does not discharge moves to the last day before it that
    it does: never Sunday or an England and Wales bank holiday (which include Christmas Day and
    Good Friday), nor Saturday when the term is longer than `saturday_allowed_up_to_days`."""

    saturday_allowed_up_to_days: int = 5


R = TypeVar("R", bound=RuleVersion)


def in_force(versions: Sequence[R], on: date, *, what: str, field: str) -> R:
    """The latest version in force on `on`; an error naming the rule if none was yet in force."""
    candidates = [v for v in versions if v.in_force_from <= on]
    if not candidates:
        first = min((v.in_force_from for v in versions), default=None)
        since = f" (the first is in force from {first.isoformat()})" if first else ""
        raise InvalidValue(f"no {what} rule is in force on {on.isoformat()}{since}", field=field,
                           value=on.isoformat(), rule=f"{what} rules are versioned by date")
    return max(candidates, key=lambda v: v.in_force_from)


CJA_2003_RELEASE = date(2005, 4, 4)     # CJA 2003 release provisions (CRDS `CJA_DATE`)
ORA_COMMENCEMENT = date(2015, 2, 1)     # SI 2015/40 art. 2 (CRDS `ORA_DATE`)
SDS_PLUS_COMMENCEMENT = date(2020, 4, 1)
SDS40_COMMENCEMENT = date(2024, 9, 10)  # SI 2024/844 art. 1(2)(a)
SDS40_TRANCHE_TWO = date(2024, 10, 22)  # SI 2024/844 art. 1(2)(b): sentences of 5 years or more
# Sentencing Act 2026 s.34 is commenced by SI 2026/402 reg. 2; the day could not be read from the
# instrument here. 31 March 2026 is the start date legislation.gov.uk gives for s.39, commenced by
# the same regulation. A placeholder: override it with RuleBook.with_pss_repeal().
PSS_REPEAL_PLACEHOLDER = date(2026, 3, 31)

RELEASE_FRACTIONS: tuple[ReleaseFractionRule, ...] = (
    ReleaseFractionRule(
        id="cja2003-half", in_force_from=CJA_2003_RELEASE, selected_by=SelectedBy.SENTENCE_DATE,
        tracks=frozenset({ReleaseTrack.STANDARD, ReleaseTrack.EXCLUDED}), fraction=Fraction(1, 2),
        source="Criminal Justice Act 2003 s.243A(3) and s.244(3)",
        summary="automatic release at the halfway point"),
    ReleaseFractionRule(
        id="sds-plus", in_force_from=SDS_PLUS_COMMENCEMENT, selected_by=SelectedBy.SENTENCE_DATE,
        tracks=frozenset({ReleaseTrack.SDS_PLUS}), fraction=Fraction(2, 3),
        source="SI 2020/158; Criminal Justice Act 2003 s.244ZA",
        summary="release at two-thirds for SDS+ sentences"),
    ReleaseFractionRule(
        id="sds40", in_force_from=SDS40_COMMENCEMENT, selected_by=SelectedBy.SENTENCE_DATE,
        tracks=frozenset({ReleaseTrack.STANDARD}), fraction=Fraction(2, 5),
        tranches=(Tranche(min_years=0, from_day=SDS40_COMMENCEMENT),
                  Tranche(min_years=5, from_day=SDS40_TRANCHE_TWO)),
        source="SI 2024/844 (Criminal Justice Act 2003 (Requisite and Minimum Custodial Periods) "
               "Order 2024) art. 1 and 3",
        summary="release at 40% for sentences not excluded by the Schedule; sentences passed "
                "earlier and not yet released come under it on 10 Sep 2024 (under 5 years) or "
                "22 Oct 2024 (5 years or more)"),
)

LICENCES: tuple[LicenceRule, ...] = (
    LicenceRule(
        id="cja2003-licence", in_force_from=CJA_2003_RELEASE, selected_by=SelectedBy.OFFENCE_DATE,
        at_least=SentenceLength(months=12),
        source="Criminal Justice Act 2003 s.243A (before ORA) and s.244",
        summary="licence to sentence expiry for terms of 12 months or more; shorter terms are "
                "released unconditionally"),
    LicenceRule(
        id="ora-licence", in_force_from=ORA_COMMENCEMENT, selected_by=SelectedBy.OFFENCE_DATE,
        more_than=SentenceLength(days=1),
        source="Offender Rehabilitation Act 2014 s.1 (amending CJA 2003 s.243A); SI 2015/40",
        summary="licence to sentence expiry for every term of more than 1 day"),
)

SUPERVISION: tuple[SupervisionRule, ...] = (
    SupervisionRule(
        id="no-pss", in_force_from=CJA_2003_RELEASE, selected_by=SelectedBy.OFFENCE_DATE,
        top_up_months=None, source="Criminal Justice Act 2003 before ORA",
        summary="no supervision after sentence expiry"),
    SupervisionRule(
        id="ora-pss", in_force_from=ORA_COMMENCEMENT, selected_by=SelectedBy.OFFENCE_DATE,
        top_up_months=12,
        source="Criminal Justice Act 2003 s.256AA (Offender Rehabilitation Act 2014 s.2); "
               "calculate-release-dates TusedCalculator",
        summary="terms of more than 1 day and under 2 years, aged 18 or over at the halfway point: "
                "supervision to 12 months after release (TUSED)"),
)

DISCHARGE = DischargeRule(
    id="discharge-day", in_force_from=CJA_2003_RELEASE, selected_by=SelectedBy.SENTENCE_DATE,
    source="Criminal Justice Act 1961 s.23(3), as Halsbury's Laws of England (Sentencing, "
           "para 746) states it; calculate-release-dates shows the CRD and this adjusted day",
    summary="release falling on a Sunday or bank holiday (or Saturday, for terms over 5 days) "
            "takes place on the last working day before it")

PSS_REPEAL = SupervisionInForceRule(
    id="sa2026-s34-repeal", in_force_from=PSS_REPEAL_PLACEHOLDER,
    selected_by=SelectedBy.SUPERVISION_DAY, pss_in_force=False,
    source="Sentencing Act 2026 s.34 (SI 2026/402 reg. 2); date is a placeholder",
    summary="post-sentence supervision repealed, including requirements already imposed; "
            "failures that began earlier are still dealt with under the old law (s.34(5))")

SUPERVISION_IN_FORCE: tuple[SupervisionInForceRule, ...] = (
    SupervisionInForceRule(
        id="pss-in-force", in_force_from=ORA_COMMENCEMENT, selected_by=SelectedBy.SUPERVISION_DAY,
        pss_in_force=True, source="SI 2015/40", summary="post-sentence supervision has effect"),
    PSS_REPEAL,
)


@dataclass(frozen=True, kw_only=True)
class RuleBook:
    release_fractions: tuple[ReleaseFractionRule, ...] = RELEASE_FRACTIONS
    licences: tuple[LicenceRule, ...] = LICENCES
    supervision: tuple[SupervisionRule, ...] = SUPERVISION
    supervision_in_force: tuple[SupervisionInForceRule, ...] = SUPERVISION_IN_FORCE
    discharge: DischargeRule = DISCHARGE

    def release_fraction(self, track: ReleaseTrack, sentence_date: date) -> ReleaseFractionRule:
        versions = [v for v in self.release_fractions if track in v.tracks]
        return in_force(versions, sentence_date, what=f"release ({track.label})",
                        field="sentence_date")

    def later_release_fractions(self, track: ReleaseTrack,
                                sentence_date: date) -> list[ReleaseFractionRule]:
        """Versions for the track that came into force after the sentence, oldest first."""
        return sorted((v for v in self.release_fractions
                       if track in v.tracks and v.in_force_from > sentence_date),
                      key=lambda v: v.in_force_from)

    def licence(self, offence_date: date) -> LicenceRule:
        return in_force(self.licences, offence_date, what="licence", field="offence_date")

    def supervision_for(self, offence_date: date) -> SupervisionRule:
        return in_force(self.supervision, offence_date, what="post-sentence supervision",
                        field="offence_date")

    def supervision_changes(self) -> list[SupervisionInForceRule]:
        return sorted(self.supervision_in_force, key=lambda v: v.in_force_from)

    def with_pss_repeal(self, repeal_from: date | None) -> RuleBook:
        """The same rules with the repeal of post-sentence supervision on another day (None: no
        repeal), for when the commencement day is confirmed or to see the position without it."""
        kept = tuple(v for v in self.supervision_in_force if v.pss_in_force)
        if repeal_from is None:
            return replace(self, supervision_in_force=kept)
        moved = replace(PSS_REPEAL, in_force_from=repeal_from,
                        source="Sentencing Act 2026 s.34 (SI 2026/402 reg. 2); date set by caller")
        return replace(self, supervision_in_force=(*kept, moved))


DEFAULT_RULES = RuleBook()
