"""Organisations that deliver, oversee or are told about a sentence, and their staff."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from probation.domain.people import Sex


class OrganisationKind(StrEnum):
    NPS_REGION = "nps_region"                  # National Probation Service region
    CONTRACTED_PROVIDER = "contracted_provider"  # community rehabilitation company / contracted provider
    EM_PROVIDER = "em_provider"                # electronic monitoring supplier
    POLICE = "police"
    PARTNER = "partner"                        # children's social care, housing, health ...


@dataclass(frozen=True, kw_only=True)
class Organisation:
    code: str
    name: str
    kind: OrganisationKind

    @property
    def is_probation_provider(self) -> bool:
        return self.kind in (OrganisationKind.NPS_REGION, OrganisationKind.CONTRACTED_PROVIDER)


@dataclass(frozen=True, kw_only=True)
class Team:
    code: str
    name: str
    organisation_code: str


@dataclass(frozen=True, kw_only=True)
class Staff:
    code: str
    first_name: str
    last_name: str
    sex: Sex
    team_code: str
    email: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True, kw_only=True)
class Court:
    code: str
    name: str
