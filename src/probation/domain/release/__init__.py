"""Release, licence and top-up supervision dates for custodial sentences (see docs/RELEASE_DATES.md)."""

from probation.domain.release.calculation import (
    EnforcementRoute,
    ReleaseDates,
    ReleaseFacts,
    SupervisionPhase,
    calculate_release_dates,
)
from probation.domain.release.lengths import SentenceLength
from probation.domain.release.rules import DEFAULT_RULES, ReleaseTrack, RuleBook, RuleVersion

__all__ = [
    "DEFAULT_RULES",
    "EnforcementRoute",
    "ReleaseDates",
    "ReleaseFacts",
    "ReleaseTrack",
    "RuleBook",
    "RuleVersion",
    "SentenceLength",
    "SupervisionPhase",
    "calculate_release_dates",
]
