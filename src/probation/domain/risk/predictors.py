"""Actuarial predictors as versioned models. Each predictor is named and versioned (OGRS3 today;
OGRS4, OGP, OVP and RSR later), so a stored score always says which model and which coefficients
produced it, and a new version sits beside the old one instead of replacing it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from probation.domain.errors import Conflict, NotFound


@dataclass(frozen=True, kw_only=True, order=True)
class ModelId:
    """A predictor's name and the version of its coefficients, weights and rounding."""

    name: str
    version: str

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class PredictorResult(Protocol):
    """What every predictor returns: at least which model produced it."""

    @property
    def model(self) -> ModelId: ...


InputsT_contra = TypeVar("InputsT_contra", contravariant=True)
ResultT_co = TypeVar("ResultT_co", bound=PredictorResult, covariant=True)


class Predictor(Protocol[InputsT_contra, ResultT_co]):
    """A pure scoring function with a model identity. Invalid inputs raise InvalidValue."""

    @property
    def model(self) -> ModelId: ...

    def predict(self, inputs: InputsT_contra) -> ResultT_co: ...


class PredictorRegistry:
    """Predictors keyed by (name, version). Immutable once built: a registry is configuration."""

    def __init__(self, predictors: Iterable[Predictor[Any, PredictorResult]]) -> None:
        by_key: dict[ModelId, Predictor[Any, PredictorResult]] = {}
        for predictor in predictors:
            if predictor.model in by_key:
                raise Conflict(f"predictor {predictor.model} is registered twice",
                               field="model", value=str(predictor.model),
                               rule="one predictor per name and version")
            by_key[predictor.model] = predictor
        self._by_key = by_key

    def get(self, name: str, version: str) -> Predictor[Any, PredictorResult]:
        key = ModelId(name=name, version=version)
        try:
            return self._by_key[key]
        except KeyError:
            known = ", ".join(str(k) for k in sorted(self._by_key)) or "none"
            raise NotFound(f"no predictor {key} (known: {known})", field="model", value=str(key),
                           rule="predictor must be registered") from None

    def versions(self, name: str) -> tuple[str, ...]:
        return tuple(sorted(k.version for k in self._by_key if k.name == name))

    def __iter__(self) -> Iterator[ModelId]:
        return iter(sorted(self._by_key))

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __len__(self) -> int:
        return len(self._by_key)
