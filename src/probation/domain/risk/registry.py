"""The predictors this platform ships, by (name, version)."""

from __future__ import annotations

from functools import cache

from probation.domain.risk.ogrs3 import Ogrs3Predictor
from probation.domain.risk.predictors import PredictorRegistry


@cache
def default_registry() -> PredictorRegistry:
    return PredictorRegistry([Ogrs3Predictor()])
