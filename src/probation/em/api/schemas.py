"""Request models of the electronic monitoring API. Unknown fields are refused (422)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from probation.api.answers import Answer
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


# Answers -----------------------------------------------------------------------------------------
# Times are ISO 8601 strings in UTC; geometry, schedules and action details are kept as recorded.

class LineAnswer(Answer):
    line: int
    reason: str


class RaisedAlertAnswer(Answer):
    """An alert raised or re-evaluated by a batch or by the watchdogs; `new` when first raised."""

    id: str
    case_id: int
    kind: str
    zone: str | None
    time: str | None
    breach: bool
    new: bool


class IngestAnswer(Answer):
    batch: int
    accepted: int
    duplicates: int
    events_accepted: int
    events_duplicates: int
    rejected: list[LineAnswer]
    not_evaluated: list[LineAnswer]
    rewound_cases: list[int]
    superseded_alerts: list[str]
    alerts: list[RaisedAlertAnswer]


class WatchdogAnswer(Answer):
    alerts: list[RaisedAlertAnswer]


class ZoneAnswer(Answer):
    zone_id: str
    version: int
    effective_from: str | None
    kind: str
    name: str
    geometry: dict[str, Any]
    approach_m: float | int | None
    schedule: Any
    active_from: str | None
    active_to: str | None


class DeviceAnswer(Answer):
    device_id: str
    status: str
    installed_at: str | None
    ended_at: str | None
    recovered_at: str | None


class ViolationRecordAnswer(Answer):
    """When each step of the MoJ violation record was taken (null until it is)."""

    breach_at: str | None
    identified_at: str | None
    authority_notified_at: str | None
    agency_response_at: str | None
    followed_up_at: str | None
    breach_pack_requested_at: str | None
    breach_pack_sent_at: str | None
    warning_letter_at: str | None
    summons_at: str | None
    hearing_at: str | None


class AlertAnswer(Answer):
    id: str
    case_id: int
    device: str
    kind: str
    zone: str | None
    zone_kind: str | None
    breach: bool
    violation: bool
    inferred: bool
    detail: str
    priority: str
    status: str
    time: str | None
    raised_at: str | None
    acknowledged_at: str | None
    acknowledged_by: str | None
    assigned_at: str | None
    assigned_to: str | None
    escalated_at: str | None
    escalated_to: str | None
    closed_at: str | None
    closed_by: str | None
    outcome: str | None
    superseded_at: str | None
    violation_record: ViolationRecordAnswer


class AlertActionAnswer(Answer):
    action: str
    at: str | None
    actor: str | None
    detail: dict[str, Any] | None


class AlertWithHistoryAnswer(AlertAnswer):
    history: list[AlertActionAnswer]


class AlertsAnswer(Answer):
    items: list[AlertAnswer]
    page: int
    size: int


class EmCaseAnswer(Answer):
    case_id: int
    crn: str
    requirement_id: int
    devices: list[DeviceAnswer]
    zones: list[ZoneAnswer]
    alerts: list[AlertAnswer]


class ZonesSetAnswer(Answer):
    case_id: int
    version: int


class IdentityConfirmedAnswer(Answer):
    case_id: int
    identity_confirmed: bool


class InductionGivenAnswer(Answer):
    case_id: int
    induction_information_given: bool


class MonitoringEndedAnswer(Answer):
    case_id: int
    devices_stopped: int


class EquipmentRecoveredAnswer(Answer):
    case_id: int
    devices_recovered: int


class NotificationQueryAnswer(Answer):
    id: int
    field: str
    problem: str
    raised_at: str | None
    due_on: str | None
    resolved_at: str | None
    resolution: str | None


class NotificationAnswer(Answer):
    id: int
    received_at: str | None
    channel: str
    reference: str | None
    crn: str | None
    case_id: int | None
    status: str
    queries: list[NotificationQueryAnswer]


class NotificationsAnswer(Answer):
    items: list[NotificationAnswer]


class UploadedNotificationAnswer(Answer):
    """One record of the file: stored (the notification) or refused (the error)."""

    record: int
    error: str | None = None
    id: int | None = None
    received_at: str | None = None
    channel: str | None = None
    reference: str | None = None
    crn: str | None = None
    case_id: int | None = None
    status: str | None = None
    queries: list[NotificationQueryAnswer] | None = None


class NotificationUploadAnswer(Answer):
    items: list[UploadedNotificationAnswer]
    stopped_before: int | None = Field(default=None, description="The first record not stored when the "
                                                                  "client went away; absent otherwise")


class StaffMemberAnswer(Answer):
    name: str
    sex: str


class VisitAnswer(Answer):
    id: int
    case_id: int
    purpose: str
    alert_id: str | None
    start: str | None
    end: str | None
    staff: list[StaffMemberAnswer]
    status: str
    reason: str | None
    made_at: str | None
    ended_at: str | None
    premises_entered: bool | None
    female_staff_present: bool | None
    equipment_action: str | None
    notes: str | None


class WitnessRequestAnswer(Answer):
    id: int
    case_id: int
    hearing_on: str


class WitnessAttendedAnswer(Answer):
    id: int
    attended_at: str | None


class EnquiryAnswer(Answer):
    id: int
    received_at: str | None
    caller_kind: str
    caller: str
    channel: str
    case_id: int | None
    subject: str
    details: str | None
    response: str | None
    responded_at: str | None
    handled_by: str


class EnquiriesAnswer(Answer):
    items: list[EnquiryAnswer]


class ArrangementAnswer(Answer):
    id: int
    police_org_code: str
    reference: str
    agreed_on: str | None
    review_on: str | None
    summary: str


class ArrangementsAnswer(Answer):
    items: list[ArrangementAnswer]


class NoticeSentAnswer(Answer):
    id: int
    case_id: int
    kind: str
    recipient: str
    recipient_kind: str
    subject: str
    sent_at: str | None


class NoticesSentAnswer(Answer):
    items: list[NoticeSentAnswer]


class PoliceNoticeAnswer(NoticeSentAnswer):
    html: str


class PoliceNoticesAnswer(Answer):
    items: list[PoliceNoticeAnswer]


class PoliceReportAnswer(Answer):
    id: int
    case_id: int
    police_org_code: str
    police_reference: str
    observed_at: str | None
    location: str
    details: str
    received_at: str | None
    decision: str | None
    decided_at: str | None
    outcome_sent_at: str | None
    outcome_notice_id: int | None


class PoliceReportsAnswer(Answer):
    items: list[PoliceReportAnswer]
