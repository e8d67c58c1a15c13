"""Risk: actuarial predictors of reoffending (OGRS3 first, as versioned models) and risk of
serious harm with the rule of which organisation manages a case."""

from probation.domain.risk.likelihood import LikelihoodOfReoffending
from probation.domain.risk.ogrs3 import (
    OGRS3,
    ConvictionStatus,
    Ogrs3Band,
    Ogrs3Inputs,
    Ogrs3Predictor,
    Ogrs3Result,
    ogrs3,
)
from probation.domain.risk.predictors import ModelId, Predictor, PredictorRegistry, PredictorResult
from probation.domain.risk.registry import default_registry
from probation.domain.risk.rosh import RoshLevel, responsible_provider_kind

__all__ = [
    "OGRS3",
    "ConvictionStatus",
    "LikelihoodOfReoffending",
    "ModelId",
    "Ogrs3Band",
    "Ogrs3Inputs",
    "Ogrs3Predictor",
    "Ogrs3Result",
    "Predictor",
    "PredictorRegistry",
    "PredictorResult",
    "RoshLevel",
    "default_registry",
    "ogrs3",
    "responsible_provider_kind",
]
