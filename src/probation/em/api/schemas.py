"""Request models of the electronic monitoring API. Unknown fields are refused (422)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from probation.api.instant import Day, Instant
from probation.api.schemas import Strict
from probation.em.domain.alerts import Outcome, ViolationStep
from probation.em.domain.visits import EquipmentAction, VisitPurpose


class ZoneIn(Strict):
    zone_id: str = Field(min_length=1, max_length=40)
    kind: Literal["exclusion", "inclusion"] = "exclusion"
    name: str = Field(default="", max_length=200)
    geometry: dict[str, Any] = Field(description="GeoJSON Polygon or MultiPolygon, [lon, lat] in WGS84")
    approach_m: float | None = Field(default=None, ge=0, le=10_000)
    schedule: Any = Field(default=None, description='e.g. "19:00-07:00" or {"days": "mon-fri", ...}')
    active_from: str | None = None
    active_to: str | None = None


class ZonesIn(Strict):
    zones: list[ZoneIn] = Field(min_length=1, max_length=50)
    effective_from: Instant | None = Field(default=None, description="Needed for a variation")


class IdentityIn(Strict):
    method: str = Field(min_length=1, max_length=200)
    at: Instant | None = None


class InstallIn(Strict):
    device_id: str = Field(min_length=1, max_length=40)
    at: Instant | None = None


class InductionIn(Strict):
    summary: str = Field(min_length=1, max_length=500)
    at: Instant | None = None


class EndIn(Strict):
    reason: Literal["ended", "revoked"]
    at: Instant | None = None


class AtIn(Strict):
    at: Instant | None = None


class AlertActionIn(Strict):
    action: Literal["acknowledge", "assign", "escalate", "close"]
    to: str | None = Field(default=None, max_length=100, description="assign/escalate: who")
    outcome: Outcome | None = None
    note: str | None = Field(default=None, max_length=1000)


class ViolationStepIn(Strict):
    step: ViolationStep
    at: Instant


class NotificationIn(Strict):
    reference: str | None = Field(default=None, max_length=60)
    crn: str | None = Field(default=None, max_length=7)
    court_code: str | None = Field(default=None, max_length=16)
    order_date: str | None = Field(default=None, max_length=10)
    requirement_start: str | None = Field(default=None, max_length=10)
    requirement_end: str | None = Field(default=None, max_length=10)
    exclusion_places: list[str] | None = Field(default=None, max_length=20)
    address: str | None = Field(default=None, max_length=300)
    name: str | None = Field(default=None, max_length=200)
    notes: str | None = Field(default=None, max_length=2000)


class QueryResolveIn(Strict):
    resolution: str = Field(min_length=1, max_length=2000)
    case_id: int | None = Field(default=None, ge=1, le=2**53)


class StaffIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    sex: Literal["male", "female"]


class VisitIn(Strict):
    purpose: VisitPurpose
    start: Instant
    end: Instant
    staff: list[StaffIn] = Field(min_length=1, max_length=6)
    reason: str | None = Field(default=None, max_length=500, description="Why outside 08:00-21:00")
    alert_id: str | None = Field(default=None, max_length=24)


class VisitMadeIn(Strict):
    made_at: Instant
    ended_at: Instant
    premises_entered: bool
    female_staff_present: bool | None = Field(
        default=None, description="A female member of staff present for the whole visit")
    equipment_action: EquipmentAction | None = None
    notes: str | None = Field(default=None, max_length=2000)


class WitnessIn(Strict):
    hearing_on: Day
    court_code: str | None = Field(default=None, max_length=16)
    alert_id: str | None = Field(default=None, max_length=24)
    at: Instant | None = None


class WitnessAttendedIn(Strict):
    witness: str = Field(min_length=1, max_length=200)
    at: Instant | None = None


class EnquiryIn(Strict):
    caller_kind: Literal["offender", "agency", "field_staff"]
    caller: str = Field(min_length=1, max_length=200)
    channel: Literal["phone", "email", "web", "in_person"] = "phone"
    case_id: int | None = Field(default=None, ge=1, le=2**53)
    subject: str = Field(min_length=1, max_length=200)
    details: str | None = Field(default=None, max_length=4000)
    received_at: Instant | None = None


class EnquiryResponseIn(Strict):
    response: str = Field(min_length=1, max_length=4000)


class ArrangementIn(Strict):
    police_org_code: str = Field(min_length=1, max_length=16)
    reference: str = Field(min_length=1, max_length=60)
    agreed_on: Day
    review_on: Day | None = None
    summary: str = Field(min_length=1, max_length=4000)


class NoticeIn(Strict):
    kind: Literal["commencement", "termination"]
    recipients: list[str] = Field(min_length=1, max_length=20, description="Organisation codes")


class PoliceReportIn(Strict):
    case_id: int = Field(ge=1, le=2**53)
    police_reference: str = Field(min_length=1, max_length=60)
    observed_at: Instant
    location: str = Field(min_length=1, max_length=200)
    details: str = Field(min_length=1, max_length=4000)
    police_org_code: str | None = Field(default=None, max_length=16)


class DecisionIn(Strict):
    decision: Literal["no_action", "warning", "breach"]
    notes: str | None = Field(default=None, max_length=4000)
