"""Risk of serious harm (RoSH) and which kind of organisation manages the case.

Transforming Rehabilitation (MoJ, May 2013), as the Manage the Sentence specification's strategic
context states it: the National Probation Service manages MAPPA, high risk of serious harm and
other public interest cases; low and medium RoSH cases may be managed by a contracted provider,
and pass to the NPS when their RoSH becomes high.
"""

from __future__ import annotations

from enum import StrEnum

from probation.domain.organisations import OrganisationKind


class RoshLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very_high"

    @property
    def rank(self) -> int:
        """0 for low up to 3 for very high, for ordering and matrix look-ups."""
        return _RANK[self]

    @property
    def is_high_or_above(self) -> bool:
        return self.rank >= _RANK[RoshLevel.HIGH]


_RANK = {level: rank for rank, level in enumerate(RoshLevel)}


def responsible_provider_kind(rosh: RoshLevel, mappa: bool) -> OrganisationKind:
    """NPS for high or very high RoSH and for every MAPPA case; otherwise the case may be
    allocated to a contracted provider (a public interest case can still be kept by the NPS:
    that is an allocation decision, not this rule)."""
    if mappa or rosh.is_high_or_above:
        return OrganisationKind.NPS_REGION
    return OrganisationKind.CONTRACTED_PROVIDER
