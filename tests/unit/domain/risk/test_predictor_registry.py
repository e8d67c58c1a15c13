"""Predictors are versioned models looked up by (name, version)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from probation.domain.errors import Conflict, NotFound
from probation.domain.people import Sex
from probation.domain.risk import (
    OGRS3,
    ModelId,
    Ogrs3Inputs,
    Ogrs3Predictor,
    Ogrs3Result,
    PredictorRegistry,
    default_registry,
)


@dataclass(frozen=True, kw_only=True)
class ConstantResult:
    model: ModelId
    value: int


@dataclass(frozen=True, kw_only=True)
class ConstantPredictor:
    """A stand-in for a later model (an OGRS4 or a new OGRS3 coefficient set)."""

    name: str
    version: str

    @property
    def model(self) -> ModelId:
        return ModelId(name=self.name, version=self.version)

    def predict(self, inputs: int) -> ConstantResult:
        return ConstantResult(model=self.model, value=inputs)


def test_the_default_registry_serves_ogrs3_version_3_0() -> None:
    predictor = default_registry().get("ogrs3", "3.0")
    result = predictor.predict(Ogrs3Inputs(
        sex=Sex.FEMALE, date_of_birth=date(2000, 1, 10), conviction_date=date(2020, 5, 5),
        follow_up_date=date(2020, 5, 5), total_sanctions=1, age_at_first_sanction=20,
        offence_code="03000"))

    assert OGRS3 in default_registry()
    assert isinstance(result, Ogrs3Result)
    assert result.model == ModelId(name="ogrs3", version="3.0")
    assert result.two_year == 22


def test_a_new_version_sits_beside_the_old_one() -> None:
    registry = PredictorRegistry([Ogrs3Predictor(), ConstantPredictor(name="ogrs3", version="9.9")])

    assert registry.versions("ogrs3") == ("3.0", "9.9")
    assert registry.get("ogrs3", "9.9").predict(7).model == ModelId(name="ogrs3", version="9.9")
    assert list(registry) == [OGRS3, ModelId(name="ogrs3", version="9.9")]


def test_an_unknown_model_or_version_is_not_found() -> None:
    with pytest.raises(NotFound) as caught:
        default_registry().get("ogrs3", "2.0")

    assert caught.value.message == "no predictor ogrs3 v2.0 (known: ogrs3 v3.0)"


def test_registering_the_same_name_and_version_twice_is_a_conflict() -> None:
    with pytest.raises(Conflict):
        PredictorRegistry([ConstantPredictor(name="ogp", version="1"),
                           ConstantPredictor(name="ogp", version="1")])
