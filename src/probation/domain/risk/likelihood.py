"""Likelihood of reoffending, independent of the predictor that measured it, so a level-of-contact
matrix (likelihood x risk of serious harm) keeps working when OGRS3 gives way to OGRS4 or OGP."""

from __future__ import annotations

from enum import StrEnum


class LikelihoodOfReoffending(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very_high"

    @property
    def rank(self) -> int:
        """0 for low up to 3 for very high, for ordering and matrix look-ups."""
        return _RANK[self]


_RANK = {level: rank for rank, level in enumerate(LikelihoodOfReoffending)}
