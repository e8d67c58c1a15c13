"""Roles of the platform's users (DESIGN.md: who the users are)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    PRACTITIONER = "practitioner"          # offender manager / responsible officer
    TEAM_MANAGER = "team_manager"
    PROVIDER_STAFF = "provider_staff"      # delivers supervision and RAR activities
    EM_OPERATOR = "em_operator"            # monitoring centre, 24/7
    POLICE_LIAISON = "police_liaison"      # police and partner agencies
    NPS_RISK = "nps_risk"                  # National Probation Service risk team
    COMMISSIONER = "commissioner"          # contract manager: aggregates, never people
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return {"nps_risk": "NPS risk team", "em_operator": "EM monitoring centre operator"}.get(
            self.value, self.value.replace("_", " ").capitalize())

    @property
    def sees_people(self) -> bool:
        return self not in (Role.COMMISSIONER, Role.POLICE_LIAISON)
