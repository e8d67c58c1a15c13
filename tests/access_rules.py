"""Who may call each route: the rules table of the access-matrix test
(tests/integration/test_access_matrix.py), one entry per (method, path template) of the
application, API and pages alike. The test fails for a route without an entry and for an entry
whose route is gone, so a new route cannot ship without saying who may use it.

An entry says the kind of access (see `Access`), the roles that may act, how the route is called
for a case (its path values and a valid example body: FastAPI validates a body before the
handler checks roles, so an invalid body would never reach the check), and whether the answer is
checked for CRNs (every answer a caller receives with 2xx is, unless the entry says why not).

The rules are those of docs/ARCHITECTURE.md ("Visibility") and the roles each act is for (the
services' role sets: access.WRITERS, EM_WRITERS, ...). Where the code differs from them, the
table keeps the rule and the test's KNOWN_HOLES lists the difference.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from enum import Enum
from typing import Any

from probation.domain.roles import Role
from tests.access_data import NOW, PASSWORD, SPECS, STAFF_OF
from tests.interventions_factories import scores

Ids = dict[str, Any]


class Access(Enum):
    PUBLIC = "anyone, signed in or not"
    SIGNED_IN = "any signed-in user"
    ROLES = "the roles listed; 403 for the others"
    CASE = "the roles listed, for the cases they may see (404 otherwise); 403 for the others"
    OWNER = "the roles listed, for records addressed to them (404 otherwise)"
    DIARY = "a staff member's own diary, their team manager's view, administrators"


ALL = frozenset(Role)
PEOPLE = frozenset(r for r in Role if r.sees_people)          # every role that sees person records
WRITERS = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER, Role.ADMINISTRATOR})  # access.WRITERS
DELIVERERS = WRITERS | {Role.PROVIDER_STAFF}                   # delivery.common.DELIVERERS
ASSESSORS = WRITERS | {Role.NPS_RISK}                          # protection.risk.ASSESSORS
EM_WRITERS = frozenset({Role.EM_OPERATOR, Role.ADMINISTRATOR})  # em_cases.EM_WRITERS
NPS_SIDE = frozenset({Role.NPS_RISK, Role.ADMINISTRATOR})
MANAGERS = frozenset({Role.TEAM_MANAGER, Role.ADMINISTRATOR})
POLICE = frozenset({Role.POLICE_LIAISON})
ADMIN = frozenset({Role.ADMINISTRATOR})
ASSURERS = frozenset({Role.COMMISSIONER, Role.ADMINISTRATOR})
OFFENDER_MANAGERS = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER})
RISK_READERS = WRITERS | {Role.NPS_RISK}


@dataclass(frozen=True, kw_only=True)
class Rule:
    access: Access
    roles: frozenset[Role] = frozenset()
    # Path values: a name of the case's records (tests/access_data.py ids) or a fixed value.
    path: dict[str, str] = field(default_factory=dict)
    fixed: dict[str, str] = field(default_factory=dict)
    # The request: JSON body (API) or form fields (pages; the CSRF token is added), query string,
    # or a file to upload. Callables receive the case's record ids and the caller's username.
    body: Callable[[Ids, str], Any] | None = None
    query: Callable[[Ids, str], dict[str, str]] | dict[str, str] | None = None
    upload: Callable[[Ids, str], tuple[str, bytes, str]] | None = None
    per_case: bool | None = None     # called once per target case (default: when the path names one)
    owner: str = "staff"             # OWNER: "staff" (the case's offender manager) or "team" (and team managers)
    refused: frozenset[int] = frozenset()  # further statuses a refused call may answer (and still write nothing)
    crns: str | None = "checked"    # why answers are not checked for CRNs outside the caller's scope
    isolate: bool = False            # each allowed call on its own copy of the database
    missing: str | None = None      # why allowed callers answer 404 too (the record cannot exist here)


def case(roles: frozenset[Role], **kw: Any) -> Rule:
    return Rule(access=Access.CASE, roles=roles, **kw)


def roles(allowed: frozenset[Role], **kw: Any) -> Rule:
    return Rule(access=Access.ROLES, roles=allowed, **kw)


def signed_in(**kw: Any) -> Rule:
    return Rule(access=Access.SIGNED_IN, roles=ALL, **kw)


def public(**kw: Any) -> Rule:
    return Rule(access=Access.PUBLIC, roles=ALL, **kw)


def owner(allowed: frozenset[Role], **kw: Any) -> Rule:
    return Rule(access=Access.OWNER, roles=allowed, **kw)


def _at(hours: float) -> str:
    return (NOW + timedelta(hours=hours)).isoformat()


def _booking(r: Ids, u: str) -> dict[str, Any]:
    return {"starts_at": _at(100), "ends_at": _at(101), "contact_type": "office", "location_code": "LDS1",
            "interviewer_code": STAFF_OF.get(u, r["staff"])}


def _day_form(prefix: str, day: int = 30, month: int = 11) -> dict[str, str]:
    return {f"{prefix}-day": str(day), f"{prefix}-month": str(month), f"{prefix}-year": "2026"}


LIFECYCLE = {
    "notify-agencies": lambda r, u: {"agencies": ["POL-WY"]},
    "female-options": lambda r, u: {"female_offender_manager_accepted": True, "female_only_environment_accepted": True},
    "allocate": lambda r, u: {"staff_code": r["staff"], "reason": "reallocated"},
    "induction": lambda r, u: {"understood": {"sentence": True, "obligations": True, "rights": True,
                                              "consequences": True}},
    "transfer": lambda r, u: {"to_team_code": "T2", "reason": "moved house"},
    "accept-transfer": lambda r, u: {"staff_code": "S3"},
    "reject-transfer": lambda r, u: {"reason": "not ours"},
    "change-jurisdiction": lambda r, u: {"court_code": "BFDCC", "reason": "moved court"},
    "restriction": lambda r, u: {"restricted": True, "staff_codes": ["S4"], "reason": "a relative works here"},
    "terminate": lambda r, u: {"reason": "revoked_early", "on": "2026-11-23", "note": "good progress"},
    "close": lambda r, u: {},
}

API: dict[tuple[str, str], Rule] = {
    ("GET", "/health"): public(),
    ("POST", "/api/token"): public(body=lambda r, u: {"username": "om2", "password": PASSWORD}),
    ("GET", "/api/me"): signed_in(),
    ("GET", "/api/caseload"): roles(PEOPLE, query={"scope": "all"}),
    ("GET", "/api/people/{crn}"): case(PEOPLE),
    # Subject access: the whole record, for the administrator answering the person's request
    ("GET", "/api/people/{crn}/subject-access"): case(ADMIN),
    ("GET", "/api/people/{crn}/subject-access.pdf"): case(ADMIN),
    # Sessions: the caller's own token ends; an administrator ends all of a user's sessions
    ("POST", "/api/sign-out"): signed_in(),
    ("POST", "/api/users/{username}/sign-out-everywhere"): roles(ADMIN, fixed={"username": "om2"}),
    # A new case for the person of the target case, in that case's team: a practitioner may add
    # one for a person they may see in their own team; any other is refused without a trace (403
    # for another team, checked before the person is looked up; 409 for an administrator naming a
    # CRN held by a person they may not see, whatever name came with it).
    ("POST", "/api/cases"): case(WRITERS, per_case=True, refused=frozenset({403, 409, 422}), body=lambda r, u: {
        "person": {"crn": r["crn"], "first_name": SPECS[r["key"]].first, "last_name": SPECS[r["key"]].last,
                   "date_of_birth": "1990-05-17", "sex": SPECS[r["key"]].sex},
        "sentence": {"type": "community_order", "sentence_date": "2026-11-20", "length_months": 12,
                     "offence": {"code": "02801", "offence_date": "2026-10-01"},
                     "requirements": [{"type": "rehabilitation_activity", "start_date": "2026-11-20",
                                       "max_days": 10}]},
        "court_code": "LDSMC", "organisation_code": SPECS[r["key"]].organisation, "team_code": SPECS[r["key"]].team}),
    **{("POST", f"/api/cases/{{case_id}}/{name}"): case(WRITERS, body=body, isolate=name == "restriction")
       for name, body in LIFECYCLE.items()},
    ("GET", "/api/audit"): roles(ADMIN, crns="the audit log names every record read: it is the oversight of reads"),
    ("GET", "/api/cases/{case_id}/contact-level"): case(PEOPLE),
    ("POST", "/api/locations"): roles(MANAGERS, body=lambda r, u: {"code": "LDS9", "name": "Leeds East",
                                                                    "female_only": False}),
    ("GET", "/api/locations"): signed_in(),
    ("PUT", "/api/cases/{case_id}/diverse-needs"): case(DELIVERERS, body=lambda r, u: {
        "unavailable": [{"weekday": 0, "start": "09:00", "end": "12:00", "reason": "work"}], "notes": "shifts"}),
    ("GET", "/api/cases/{case_id}/diverse-needs"): case(PEOPLE),
    ("POST", "/api/cases/{case_id}/appointments"): case(DELIVERERS, body=_booking),
    ("GET", "/api/cases/{case_id}/appointments"): case(PEOPLE),
    ("POST", "/api/cases/{case_id}/appointments/{appointment_id}/rearrange"): case(
        DELIVERERS, body=lambda r, u: {**_booking(r, u), "reason": "clash"}),
    ("POST", "/api/cases/{case_id}/appointments/{appointment_id}/cancel"): case(
        DELIVERERS, body=lambda r, u: {"reason": "office closed"}),
    ("POST", "/api/cases/{case_id}/appointments/{appointment_id}/outcome"): case(
        DELIVERERS, path={"appointment_id": "past_appointment_id"},
        body=lambda r, u: {"outcome": "attended_complied", "notes": "fine"}),
    ("POST", "/api/cases/{case_id}/contacts"): case(DELIVERERS, body=lambda r, u: {
        "occurred_at": _at(-1), "minutes": 10, "contact_type": "phone", "outcome": "attended_complied"}),
    ("GET", "/api/offender-manager/updates"): roles(PEOPLE, query={"include_acknowledged": "true"}),
    ("POST", "/api/offender-manager/updates/{update_id}/acknowledge"): owner(DELIVERERS - ADMIN),
    ("GET", "/api/cases/{case_id}/rar"): case(PEOPLE),
    ("POST", "/api/appointments/reminders"): roles(WRITERS, query={"hours": "72"}),
    ("GET", "/api/people/{crn}/appointments.ics"): case(PEOPLE),
    ("GET", "/api/staff/{staff_code}/appointments.ics"): Rule(access=Access.DIARY, roles=PEOPLE,
                                                              path={"staff_code": "staff"}),
    ("GET", "/api/cases/{case_id}/compliance"): case(PEOPLE),
    ("POST", "/api/cases/{case_id}/enforcement"): case(WRITERS, body=lambda r, u: {"action": "warning_letter"}),
    ("POST", "/api/cases/{case_id}/enforcement/{action_id}/outcome"): case(
        WRITERS, path={"action_id": "breach_id"}, body=lambda r, u: {"outcome": "continue", "on": "2026-11-23"}),
    ("GET", "/api/cases/{case_id}/early-revocation"): case(PEOPLE),
    ("POST", "/api/early-revocation/flags"): roles(WRITERS),
    # The PDF for the own-team case, the HTML for the others: both formats pass the same checks,
    # and a report (which names its reader) is rendered for each caller.
    ("GET", "/api/cases/{case_id}/reports/{kind}"): case(PEOPLE, fixed={"kind": "progress"}, query=lambda r, u: {
        "format": "pdf" if r["key"] == "own" else "html"}),
    ("POST", "/api/cases/{case_id}/reports/{kind}/request"): case(WRITERS, fixed={"kind": "breach"},
                                                                   body=lambda r, u: {"due_by": "2026-12-04"}),
    ("POST", "/api/cases/{case_id}/reports/{kind}/submit"): case(WRITERS, fixed={"kind": "progress"}),
    # Electronic monitoring
    ("POST", "/api/em/ingest"): roles(EM_WRITERS, per_case=True, body=lambda r, u: {"positions": [
        {"device": r["device"], "time": _at(-0.5).replace("+00:00", "Z"), "lat": 53.80, "lon": -1.60,
         "accuracy_m": 5.0, "source": "gps"}]}),
    ("POST", "/api/em/watchdog"): roles(EM_WRITERS),
    ("GET", "/api/em/cases/{case_id}"): case(PEOPLE),
    ("PUT", "/api/em/cases/{case_id}/zones"): case(EM_WRITERS, body=lambda r, u: {
        "effective_from": _at(-0.1), "zones": [{"zone_id": "Z2", "kind": "exclusion", "name": "Headingley",
                                                "geometry": {"type": "Polygon", "coordinates": [[
                                                    [-1.58, 53.81], [-1.57, 53.81], [-1.57, 53.82],
                                                    [-1.58, 53.82], [-1.58, 53.81]]]}}]}),
    ("POST", "/api/em/cases/{case_id}/identity"): case(EM_WRITERS, body=lambda r, u: {"method": "passport"}),
    ("POST", "/api/em/cases/{case_id}/installation"): case(EM_WRITERS, body=lambda r, u: {"device_id": "DEV-NEW"}),
    ("POST", "/api/em/cases/{case_id}/induction"): case(EM_WRITERS, body=lambda r, u: {"summary": "explained"}),
    ("POST", "/api/em/cases/{case_id}/end-monitoring"): case(EM_WRITERS, body=lambda r, u: {"reason": "revoked"}),
    ("POST", "/api/em/cases/{case_id}/equipment-recovered"): case(EM_WRITERS, body=lambda r, u: {}),
    ("GET", "/api/em/alerts"): roles(PEOPLE),
    ("GET", "/api/em/alerts/{alert_id}"): case(PEOPLE),
    ("POST", "/api/em/alerts/{alert_id}/actions"): case(EM_WRITERS, body=lambda r, u: {"action": "acknowledge"}),
    ("POST", "/api/em/alerts/{alert_id}/violation"): case(EM_WRITERS, body=lambda r, u: {
        "step": "authority_notified_at", "at": _at(-0.2)}),
    ("GET", "/api/em/alerts/{alert_id}/evidence.pdf"): case(PEOPLE),
    ("GET", "/api/em/alerts/{alert_id}/evidence.html"): case(PEOPLE),
    # A court notification names a CRN: the monitoring centre receives it whoever the person is,
    # and the answer repeats the CRN the court sent.
    ("POST", "/api/em/notifications"): roles(EM_WRITERS, per_case=True, crns="the answer repeats the CRN sent",
                                             body=lambda r, u: {"reference": "CN-2", "crn": r["crn"],
                                                                "court_code": "LDSMC"}),
    ("POST", "/api/em/notifications/upload"): roles(EM_WRITERS, per_case=True, crns="the answer repeats the CRNs sent",
                                                    upload=lambda r, u: ("notifications.csv", (
                                                        f"reference,crn,court_code\nCN-3,{r['crn']},LDSMC\n").encode(),
                                                        "text/csv")),
    ("GET", "/api/em/notifications"): roles(EM_WRITERS),
    ("POST", "/api/em/notification-queries/{query_id}/resolve"): case(EM_WRITERS, body=lambda r, u: {
        "resolution": "the court confirmed"}),
    ("POST", "/api/em/cases/{case_id}/visits"): case(EM_WRITERS, body=lambda r, u: {
        "purpose": "routine", "start": _at(30), "end": _at(31), "staff": [{"name": "Fay Field", "sex": "female"}]}),
    ("POST", "/api/em/visits/{visit_id}/made"): case(EM_WRITERS, body=lambda r, u: {
        "made_at": _at(-1), "ended_at": _at(-0.5), "premises_entered": False}),
    ("POST", "/api/em/cases/{case_id}/witness-requests"): case(EM_WRITERS, body=lambda r, u: {
        "hearing_on": "2026-12-14", "court_code": "LDSMC"}),
    ("POST", "/api/em/witness-requests/{request_id}/attended"): case(
        EM_WRITERS, path={"request_id": "witness_id"}, body=lambda r, u: {
        "witness": "Fay Field", "at": _at(-1)}),
    ("POST", "/api/em/enquiries"): case(EM_WRITERS, per_case=True, body=lambda r, u: {
        "caller_kind": "agency", "caller": "Leeds court", "case_id": r["case_id"], "subject": "curfew"}),
    ("POST", "/api/em/enquiries/{enquiry_id}/response"): case(EM_WRITERS, body=lambda r, u: {"response": "told"}),
    ("GET", "/api/em/enquiries"): roles(EM_WRITERS),
    ("POST", "/api/em/police/arrangements"): roles(MANAGERS, body=lambda r, u: {
        "police_org_code": "POL-WY", "reference": "ARR-9", "agreed_on": "2026-11-01", "summary": "protocol"}),
    ("GET", "/api/em/police/arrangements"): signed_in(),
    ("POST", "/api/em/cases/{case_id}/notices"): case(WRITERS, body=lambda r, u: {
        "kind": "commencement", "recipients": [r["police"]]}),
    # The police see the notices and reports addressed to their own force (tests/access_data.py
    # addresses OWN's and RESTRICTED's to the police user's force), managers those of their cases.
    ("GET", "/api/em/police/notices"): roles(WRITERS | POLICE),
    ("GET", "/api/em/notices/{notice_id}.pdf"): case(WRITERS | POLICE, path={"notice_id": "em_notice_id"}),
    ("POST", "/api/em/police/violation-reports"): case(WRITERS | POLICE, per_case=True, body=lambda r, u: {
        "case_id": r["case_id"], "police_reference": "PR-9", "observed_at": _at(-2), "location": "Briggate",
        "details": "seen", "police_org_code": r["police"]}),
    ("GET", "/api/em/police/violation-reports"): roles(PEOPLE | POLICE),
    ("POST", "/api/em/police/violation-reports/{report_id}/decision"): case(WRITERS, body=lambda r, u: {
        "decision": "warning"}),
    # Needs, interventions and outcomes
    ("POST", "/api/cases/{case_id}/needs-assessments"): case(WRITERS, body=lambda r, u: {
        "stage": "review", "assessed_on": "2026-11-20", "assessor": "Alan Ash", "scores": scores(1)}),
    ("GET", "/api/cases/{case_id}/needs"): case(PEOPLE),
    ("GET", "/api/interventions/needs-summary"): roles(frozenset({Role.COMMISSIONER, Role.ADMINISTRATOR,
                                                                  Role.TEAM_MANAGER, Role.NPS_RISK})),
    ("PUT", "/api/intervention-services/{code}"): roles(ADMIN, fixed={"code": "EDU-1"}, body=lambda r, u: {
        "code": "EDU-1", "name": "Leeds College", "provider": "Leeds College", "kind": "specialist_service",
        "need_areas": ["education_training_employability"], "location": "Leeds", "capacity": 5}),
    ("GET", "/api/intervention-services"): signed_in(),
    ("POST", "/api/cases/{case_id}/referrals"): case(WRITERS, body=lambda r, u: {
        "service_code": "HOUSING-1", "need_area": "accommodation", "sent_on": "2026-11-20"}),
    ("GET", "/api/cases/{case_id}/referrals"): case(PEOPLE),
    ("POST", "/api/cases/{case_id}/referrals/{referral_id}/status"): case(DELIVERERS, body=lambda r, u: {
        "status": "started", "on": "2026-11-20"}),
    ("POST", "/api/cases/{case_id}/referrals/{referral_id}/sessions"): case(DELIVERERS, body=lambda r, u: {
        "starts_at": _at(120), "ends_at": _at(121), "location_code": "LDS1",
        "interviewer_code": STAFF_OF.get(u, r["staff"])}),
    ("POST", "/api/cases/{case_id}/referrals/{referral_id}/sessions/{appointment_id}/attendance"): case(
        DELIVERERS, path={"appointment_id": "session_id"}, body=lambda r, u: {"outcome": "attended_complied"}),
    ("GET", "/api/me/referral-feedback"): roles(PEOPLE, query={"include_acknowledged": "true"}),
    ("POST", "/api/me/referral-feedback/{feedback_id}/acknowledge"): owner(DELIVERERS - ADMIN),
    ("GET", "/api/cases/{case_id}/options"): case(PEOPLE),
    ("POST", "/api/cases/{case_id}/options"): case(WRITERS, body=lambda r, u: {
        "option_id": "supervision.compliance_programme", "offered_on": "2026-11-20"}),
    ("POST", "/api/cases/{case_id}/options/{offer_id}/status"): case(DELIVERERS, body=lambda r, u: {
        "status": "taken_up", "on": "2026-11-20"}),
    ("GET", "/api/structured-session-plans"): signed_in(),
    ("POST", "/api/cases/{case_id}/structured-sessions"): case(DELIVERERS, body=lambda r, u: {
        "topic": "problem_solving", "number": 1, "delivered_on": "2026-11-20",
        "covered": ["identifying the problem"], "response": "engaged"}),
    ("GET", "/api/cases/{case_id}/structured-sessions"): case(PEOPLE),
    ("POST", "/api/cases/{case_id}/outcome-comparison"): case(WRITERS, body=lambda r, u: {
        "reviewed_on": "2026-11-20"}),
    ("GET", "/api/cases/{case_id}/outcome-comparison"): case(
        PEOPLE, missing="the comparison follows the end-of-sentence review, which an active order cannot have"),
    ("GET", "/api/rar-information"): signed_in(),
    ("POST", "/api/rar-information/recipients"): roles(DELIVERERS, body=lambda r, u: {
        "name": "Ann Court", "role": "sentencer", "sent_on": "2026-11-20"}),
    ("GET", "/api/rar-information/recipients"): roles(DELIVERERS | {Role.COMMISSIONER}),
    # Obligations, worklists and assurance
    ("GET", "/api/cases/{case_id}/obligations"): case(PEOPLE),
    ("GET", "/api/people/{crn}/obligations"): case(PEOPLE),
    ("GET", "/api/worklist"): roles(PEOPLE, query={"scope": "team"}),
    ("GET", "/api/assurance"): roles(ASSURERS),
    # Risk and public protection
    ("POST", "/api/cases/{case_id}/rosh-assessments"): case(ASSESSORS, body=lambda r, u: {
        "assessed_on": "2026-11-20", "assessor": "Alan Ash", "levels": {"public": "medium"}}),
    ("POST", "/api/cases/{case_id}/ogrs3"): case(ASSESSORS, body=lambda r, u: {
        "total_sanctions": 4, "age_at_first_sanction": 18}),
    ("GET", "/api/cases/{case_id}/risk"): case(PEOPLE),
    ("POST", "/api/cases/{case_id}/registers"): case(WRITERS, body=lambda r, u: {
        "register": "child_protection", "start_date": "2026-11-20"}),
    ("POST", "/api/cases/{case_id}/registers/{register_id}/end"): case(WRITERS, body=lambda r, u: {
        "end_date": "2026-11-21", "reason": "deregistered"}),
    ("POST", "/api/cases/{case_id}/registers/{register_id}/review"): case(WRITERS, body=lambda r, u: {
        "reviewed_on": "2026-11-21"}),
    ("POST", "/api/cases/{case_id}/scheme-checks"): case(WRITERS, body=lambda r, u: {
        "checked_on": "2026-11-21", "schemes_checked": ["mappa"]}),
    ("POST", "/api/cases/{case_id}/risk-escalations"): case(DELIVERERS, body=lambda r, u: {
        "concern": "threats", "evidence": "call log", "refer": True}),
    ("GET", "/api/risk/escalations"): roles(NPS_SIDE, per_case=True,
                                            query=lambda r, u: {"status": r["escalation_status"]}),
    ("GET", "/api/risk/escalations/{escalation_id}"): case(PEOPLE),
    ("POST", "/api/risk/escalations/{escalation_id}/refer"): case(DELIVERERS, body=lambda r, u: {}),
    ("POST", "/api/risk/escalations/{escalation_id}/decision"): case(NPS_SIDE, body=lambda r, u: {
        "decision": "keep_with_provider", "assessed_rosh": "medium", "rationale": "manageable",
        "planned_review_date": "2027-01-10"}),
    ("POST", "/api/risk/escalations/{escalation_id}/action"): case(DELIVERERS, body=lambda r, u: {"note": "done"}),
    ("POST", "/api/cases/{case_id}/safeguarding"): case(WRITERS, body=lambda r, u: {
        "kind": "domestic_abuse_check", "on": "2026-11-20", "agency_code": "POL-WY", "outcome": "no_information"}),
    ("GET", "/api/cases/{case_id}/safeguarding"): case(PEOPLE),
    ("POST", "/api/cases/{case_id}/plan"): case(WRITERS, body=lambda r, u: {
        "completed_on": "2026-11-20", "agreed": True,
        "objectives": [{"description": "work", "requirement": "rehabilitation_activity"}]}),
    ("GET", "/api/cases/{case_id}/plan"): case(PEOPLE),
    ("POST", "/api/cases/{case_id}/plan/reviews"): case(WRITERS, body=lambda r, u: {
        "reviewed_on": "2026-11-20", "reasons": ["rosh_change"], "agreed": True}),
    ("POST", "/api/cases/{case_id}/plan/end-of-sentence-review"): case(WRITERS, body=lambda r, u: {
        "reviewed_on": "2026-11-20", "outcomes": ["achieved"]}),
    ("GET", "/api/me/notices"): roles(OFFENDER_MANAGERS),
    ("POST", "/api/me/notices/{notice_id}/read"): owner(
        OFFENDER_MANAGERS, owner="team", path={"notice_id": "risk_notice_id"}, body=lambda r, u: {}),
}


def _form(**fields: Any) -> Callable[[Ids, str], dict[str, Any]]:
    return lambda r, u: dict(fields)


PRACTICE_PAGES = WRITERS  # web_practice.PRACTICE_ROLES
ALLOCATORS = MANAGERS
PAGES: dict[tuple[str, str], Rule] = {
    ("GET", "/openapi.json"): public(),
    ("GET", "/docs"): public(),
    ("GET", "/"): public(),
    ("GET", "/sign-in"): public(),
    ("POST", "/sign-in"): public(body=_form(username="om2", password=PASSWORD)),
    ("POST", "/sign-out"): public(),
    ("GET", "/account"): signed_in(),
    ("GET", "/caseload"): roles(PEOPLE, query={"scope": "all"}),
    ("GET", "/cases/{crn}"): case(PEOPLE),
    # Administration
    ("GET", "/admin"): roles(ADMIN),
    ("GET", "/admin/users"): roles(ADMIN),
    ("GET", "/admin/users/new"): roles(ADMIN),
    ("POST", "/admin/users/new"): roles(ADMIN, body=_form(
        username="om9", display_name="Nine", role="practitioner", staff_code="S3",
        password="correct horse battery staple")),
    ("GET", "/admin/users/{username}"): roles(ADMIN, fixed={"username": "om2"}),
    ("POST", "/admin/users/{username}"): roles(ADMIN, fixed={"username": "om2"}, body=_form(
        display_name="Beth Birch", role="practitioner", staff_code="S2", active="yes")),
    ("POST", "/admin/users/{username}/password"): roles(ADMIN, fixed={"username": "om2"}, body=_form(
        password="correct horse battery staple", confirm="correct horse battery staple")),
    ("POST", "/admin/users/{username}/sign-out-everywhere"): roles(ADMIN, fixed={"username": "om2"}, body=_form()),
    ("GET", "/admin/subject-access"): roles(ADMIN),
    ("GET", "/admin/teams"): roles(ADMIN),
    ("POST", "/admin/teams"): roles(ADMIN, body=_form(code="T9", name="Leeds West", organisation_code="NPS-NE")),
    ("GET", "/admin/teams/{code}"): roles(ADMIN, fixed={"code": "T2"}),
    ("POST", "/admin/teams/{code}"): roles(ADMIN, fixed={"code": "T2"}, body=_form(
        name="Leeds South and West", organisation_code="NPS-NE")),
    ("GET", "/admin/providers"): roles(ADMIN),
    ("POST", "/admin/providers"): roles(ADMIN, body=_form(code="CRC-B", name="Provider B",
                                                          kind="contracted_provider")),
    ("GET", "/admin/providers/{code}"): roles(ADMIN, fixed={"code": "CRC-A"}),
    ("POST", "/admin/providers/{code}"): roles(ADMIN, fixed={"code": "CRC-A"}, body=_form(
        name="Contracted Provider A", email="a@provider.example")),
    ("GET", "/admin/providers/{code}/contract"): roles(ADMIN, fixed={"code": "CRC-A"}),
    ("POST", "/admin/providers/{code}/options"): roles(ADMIN, fixed={"code": "CRC-A"}, body=_form(
        options="supervision.mentoring")),
    ("POST", "/admin/providers/{code}/timescales"): roles(ADMIN, fixed={"code": "CRC-A"}, body=_form(
        timescale="court_report", days="12", unit="working")),
    ("POST", "/admin/providers/{code}/timescales/{name}/clear"): roles(ADMIN, fixed={
        "code": "CRC-A", "name": "court_report"}),
    ("GET", "/admin/audit"): roles(ADMIN, crns="the audit log names every record read: it is the oversight of reads"),
    ("GET", "/admin/letters"): roles(ADMIN),
    ("GET", "/admin/letters/{letter_id}"): case(ADMIN),
    # Assurance
    ("GET", "/assurance"): roles(ASSURERS),
    ("GET", "/assurance.csv"): roles(ASSURERS),
    # Provider staff's deliveries
    ("GET", "/deliveries"): roles(frozenset({Role.PROVIDER_STAFF, Role.ADMINISTRATOR})),
    ("GET", "/deliveries/{appointment_id}"): case(frozenset({Role.PROVIDER_STAFF, Role.ADMINISTRATOR}),
                                                  path={"appointment_id": "past_appointment_id"}),
    ("POST", "/deliveries/{appointment_id}"): case(frozenset({Role.PROVIDER_STAFF, Role.ADMINISTRATOR}),
                                                   path={"appointment_id": "past_appointment_id"}, body=_form(
        outcome="attended_complied", attendance="on_time", behaviour="appropriate", response="engaged",
        risk="no_change")),
    # The monitoring centre
    ("GET", "/em/alerts"): roles(EM_WRITERS, query={"show": "all"}),
    ("GET", "/em/queue.json"): roles(EM_WRITERS, query={"show": "all"}),
    ("GET", "/em/alerts/{alert_id}"): case(EM_WRITERS),
    ("POST", "/em/alerts/{alert_id}"): case(EM_WRITERS, body=_form(action="acknowledge")),
    ("GET", "/em/schedule"): roles(EM_WRITERS, query={"show": "all"}),
    ("GET", "/em/schedule/new"): roles(EM_WRITERS),
    # A form that names the case in a field answers 400 with the field's error, as for an unknown case.
    ("POST", "/em/schedule/new"): case(EM_WRITERS, per_case=True, refused=frozenset({400}), body=lambda r, u: {
        "case_id": str(r["case_id"]), "purpose": "de_installation", **_day_form("visit_date", 1, 12),
        "start_time": "10:00", "end_time": "11:00", "staff_name": "Fay Field", "staff_sex": "female"}),
    ("GET", "/em/notifications"): roles(EM_WRITERS, query={"show": "all"}),
    ("POST", "/em/notification-queries/{query_id}"): case(EM_WRITERS, body=lambda r, u: {
        f"resolution-{r['query_id']}": "the court confirmed"}),
    ("GET", "/em/enquiries"): roles(EM_WRITERS),
    ("POST", "/em/enquiries"): case(EM_WRITERS, per_case=True, refused=frozenset({400}), body=lambda r, u: {
        "caller_kind": "agency", "caller": "Leeds court", "channel": "phone", "subject": "curfew",
        "crn": r["crn"]}),
    ("POST", "/em/enquiries/{enquiry_id}/response"): case(EM_WRITERS, body=lambda r, u: {
        f"response-{r['enquiry_id']}": "told"}),
    # RAR information
    ("GET", "/rar-information"): signed_in(),
    ("GET", "/rar-information.pdf"): signed_in(),
    # Case lifecycle pages
    ("GET", "/cases/{crn}/female-options"): case(ALLOCATORS),
    ("POST", "/cases/{crn}/female-options"): case(ALLOCATORS, body=_form(
        female_offender_manager_accepted="yes", female_only_environment_accepted="no")),
    ("GET", "/cases/{crn}/allocate"): case(ALLOCATORS),
    ("POST", "/cases/{crn}/allocate"): case(ALLOCATORS, body=lambda r, u: {
        "staff_code": "S2" if SPECS[r["key"]].team == "T1" else r["staff"], "reason": "leave"}),
    ("GET", "/cases/{crn}/induction"): case(PRACTICE_PAGES),
    ("POST", "/cases/{crn}/induction"): case(PRACTICE_PAGES, body=_form(
        understood=["sentence", "obligations", "rights", "consequences"])),
    ("GET", "/cases/{crn}/terminate"): case(PRACTICE_PAGES),
    ("POST", "/cases/{crn}/terminate"): case(PRACTICE_PAGES, body=lambda r, u: {
        "reason": "revoked_early", **_day_form("on", 23)}),
    ("GET", "/cases/{crn}/close"): case(PRACTICE_PAGES),
    ("POST", "/cases/{crn}/close"): case(PRACTICE_PAGES, body=_form()),
    # Police liaison
    ("GET", "/police/notices"): roles(POLICE),
    ("GET", "/police/notices/{notice_id}"): case(POLICE, path={"notice_id": "em_notice_id"}),
    ("GET", "/police/reports"): roles(POLICE),
    ("GET", "/police/reports/new"): roles(POLICE),
    ("POST", "/police/reports/new"): case(POLICE, per_case=True, refused=frozenset({400}), body=lambda r, u: {
        "case_id": str(r["case_id"]), "police_reference": "PR-10", **_day_form("observed_date", 22),
        "observed_time": "21:00", "location": "Briggate", "details": "seen in the zone"}),
    ("GET", "/police-reports"): roles(WRITERS),
    ("POST", "/police-reports/{report_id}"): case(WRITERS, body=lambda r, u: {
        f"decision-{r['report_id']}": "warning"}),
    # The practitioner's case pages
    ("GET", "/cases/{crn}/appointments"): case(PRACTICE_PAGES),
    ("POST", "/cases/{crn}/appointments"): case(PRACTICE_PAGES, body=lambda r, u: {
        **_day_form("date", 30), "start": "10:00", "minutes": "60", "contact_type": "office",
        "location_code": "LDS1", "interviewer_code": STAFF_OF.get(u, r["staff"])}),
    ("GET", "/cases/{crn}/appointments/{appointment_id}/rearrange"): case(PRACTICE_PAGES),
    ("POST", "/cases/{crn}/appointments/{appointment_id}/rearrange"): case(PRACTICE_PAGES, body=lambda r, u: {
        **_day_form("date", 1, 12), "start": "11:00", "minutes": "60", "contact_type": "office",
        "location_code": "LDS1", "interviewer_code": STAFF_OF.get(u, r["staff"]), "reason": "clash"}),
    ("GET", "/cases/{crn}/appointments/{appointment_id}/outcome"): case(
        PRACTICE_PAGES, path={"appointment_id": "past_appointment_id"}),
    ("POST", "/cases/{crn}/appointments/{appointment_id}/outcome"): case(
        PRACTICE_PAGES, path={"appointment_id": "past_appointment_id"}, body=_form(outcome="attended_complied")),
    ("GET", "/cases/{crn}/risk"): case(RISK_READERS),
    ("POST", "/cases/{crn}/risk/escalations"): case(PRACTICE_PAGES, body=_form(
        concern="threats", evidence="call log", refer="yes")),
    ("POST", "/cases/{crn}/risk/escalations/{escalation_id}/{step}"): case(
        PRACTICE_PAGES, fixed={"step": "action"}, body=_form(note="done")),
    ("GET", "/cases/{crn}/plan"): case(PRACTICE_PAGES),
    ("POST", "/cases/{crn}/plan"): case(PRACTICE_PAGES, body=lambda r, u: {
        **_day_form("plan_date", 20), "objective-1": "work", "link-1": "requirement:rehabilitation_activity",
        "agreed": "yes"}),
    ("POST", "/cases/{crn}/plan/reviews"): case(PRACTICE_PAGES, body=lambda r, u: {
        **_day_form("review_date", 20), "reasons": "rosh_change", "agreed": "yes"}),
    ("GET", "/cases/{crn}/obligations"): case(PRACTICE_PAGES),
    ("GET", "/cases/{crn}/transfer"): case(PRACTICE_PAGES),
    ("POST", "/cases/{crn}/transfer"): case(PRACTICE_PAGES, body=_form(to_team_code="T2", reason="moved house")),
    ("GET", "/cases/{crn}/compliance"): case(PRACTICE_PAGES),
    ("POST", "/cases/{crn}/enforcement"): case(PRACTICE_PAGES, body=_form(action="warning_letter")),
    ("GET", "/cases/{crn}/letters/{action_id}.pdf"): case(PRACTICE_PAGES, path={"action_id": "warning_id"}),
    ("GET", "/cases/{crn}/letters/{action_id}"): case(PRACTICE_PAGES, path={"action_id": "warning_id"}),
    ("POST", "/cases/{crn}/letters/{action_id}/send"): case(PRACTICE_PAGES, path={"action_id": "warning_id"},
                                                            body=_form()),
    # The NPS risk team
    ("GET", "/risk-team/escalations"): roles(NPS_SIDE, per_case=True,
                                             query=lambda r, u: {"status": r["escalation_status"]}),
    ("GET", "/risk-team/escalations/{escalation_id}"): case(NPS_SIDE),
    ("POST", "/risk-team/escalations/{escalation_id}"): case(NPS_SIDE, body=lambda r, u: {
        "decision": "keep_with_provider", "assessed_rosh": "medium", "rationale": "manageable",
        **_day_form("planned_review_date", 10, 12)}),
    # The offender manager's updates and the worklist
    ("GET", "/updates"): roles(OFFENDER_MANAGERS),
    ("POST", "/updates/{update_id}/acknowledge"): owner(OFFENDER_MANAGERS, body=_form()),
    ("GET", "/worklist"): roles(PEOPLE, query={"scope": "team"}),
}

RULES: dict[tuple[str, str], Rule] = {**API, **PAGES}
