"""The records the access-matrix test (tests/integration/test_access_matrix.py) calls every route
against: four cases, each with one record of every kind a route addresses by id, built once per
database through the platform's own API (and its services where no route does the step), with
the clock set back where a record needs history.

- OWN (M100001, Owen Ownteam): team T1 (NPS North East), offender manager Alan Ash (S1, user
  om1). It came from the contracted provider: its risk escalation was referred to the NPS, which
  took responsibility, and T1 accepted the transfer.
- OTHER (M200002, Otto Otherprov): the contracted provider's case (CRC-A, team T3), managed by
  Evan Elm (S5, user provider), with an escalation referred to the NPS and not yet decided.
- RESTRICTED (M300003, Rita Restricted): team T1, taken by the NPS like OWN, allocated to Rhea
  Rowan (S7, a member of T1 with no user account) and then restricted to her alone: none of the
  callers may see it, whatever their role.
- PLAIN (M400004, Paul Plainview): team T1, offender manager S1, without electronic monitoring.
  It is no target of the calls; its CRN is checked in every answer, so an EM operator's list
  that shows a case without monitoring fails.

OWN, OTHER and RESTRICTED each have a community order with a RAR and an electronically
monitored exclusion: zones, a fitted device, an entry alert, visits, a witness request, a court
notification with a query, an enquiry, a commencement notice to a police force, a police
violation report, appointments (one to come, two missed with a warning and a breach, an outcome
recorded by someone other than the offender manager), a warning letter, RoSH (and the risk notice
it sends), OGRS3, a register, safeguarding, a plan with a review, a needs assessment, a referral
with a session and feedback, an option offer, a structured session, the end-of-sentence
comparison, and a court report requested. Each record's free text names its case's CRN, so a
list that shows a record of a case outside the caller's scope shows that CRN.

OWN's and RESTRICTED's notices and reports go to West Yorkshire Police (the police user's force),
OTHER's to North Yorkshire Police, so the police's own-force rule is tested too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from probation.adapters.db.tables import OrganisationRow, StaffRow
from probation.adapters.db.tables_protection import OffenderManagerNoticeRow
from probation.adapters.email_outbox import OutboxMailer
from probation.domain.roles import Role
from probation.services import letters
from probation.services.context import Actor
from tests.delivery_factories import MovableClock
from tests.em.factories import CENTRE, square, walk_in
from tests.factories import PASSWORD, case_body
from tests.interventions_factories import scores

OWN, OTHER, RESTRICTED, PLAIN = "own", "other", "restricted", "plain"
TARGETS = (OWN, OTHER, RESTRICTED)  # the cases every case-scoped route is called against
ADMIN = Actor(username="admin", role=Role.ADMINISTRATOR, display_name="admin")


@dataclass(frozen=True, kw_only=True)
class CaseSpec:
    key: str
    crn: str
    first: str
    last: str
    sex: str
    organisation: str
    team: str
    staff: str          # the offender manager's staff code
    police: str         # the force its notices and reports go to
    em: bool = True
    via_provider: bool = False  # created at the contracted provider and taken by the NPS


SPECS = {
    OWN: CaseSpec(key=OWN, crn="M100001", first="Owen", last="Ownteam", sex="male", organisation="NPS-NE",
                  team="T1", staff="S1", police="POL-WY", via_provider=True),
    OTHER: CaseSpec(key=OTHER, crn="M200002", first="Otto", last="Otherprov", sex="male", organisation="CRC-A",
                    team="T3", staff="S5", police="POL-NY"),
    RESTRICTED: CaseSpec(key=RESTRICTED, crn="M300003", first="Rita", last="Restricted", sex="female",
                         organisation="NPS-NE", team="T1", staff="S7", police="POL-WY", via_provider=True),
    PLAIN: CaseSpec(key=PLAIN, crn="M400004", first="Paul", last="Plainview", sex="male", organisation="NPS-NE",
                    team="T1", staff="S1", police="POL-WY", em=False),
}
RESTRICTED_TO = "S7"

# The callers: one user per role (tests/factories.py seeds them), and the anonymous caller.
USERS = {Role.PRACTITIONER: "om1", Role.TEAM_MANAGER: "tm1", Role.PROVIDER_STAFF: "provider",
         Role.EM_OPERATOR: "em", Role.POLICE_LIAISON: "police", Role.NPS_RISK: "risk",
         Role.COMMISSIONER: "commissioner", Role.ADMINISTRATOR: "admin"}
STAFF_OF = {"om1": "S1", "tm1": "S2", "provider": "S5"}
TEAM_OF = {"om1": "T1", "tm1": "T1", "provider": "T3"}


@dataclass
class Credentials:
    """A caller's bearer token for the API and signed session cookie (with its CSRF token) for pages."""
    token: str | None
    cookie: str
    csrf: str


@dataclass
class Prepared:
    ids: dict[str, dict[str, Any]] = field(default_factory=dict)  # case key -> record kind -> id
    callers: dict[str, Credentials] = field(default_factory=dict)  # username or "anonymous"


START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)   # the orders are made
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)   # tests/conftest.py NOW: the calls are made


class Builder:
    def __init__(self, client: TestClient, clock: MovableClock) -> None:
        self.client, self.clock = client, clock
        self.tokens: dict[str, str] = {}

    def headers(self, user: str) -> dict[str, str]:
        if user not in self.tokens:
            r = self.client.post("/api/token", json={"username": user, "password": PASSWORD})
            assert r.status_code == 200, r.text
            self.tokens[user] = r.json()["access_token"]
        return {"Authorization": f"Bearer {self.tokens[user]}"}

    def call(self, method: str, path: str, body: Any = None, *, user: str = "admin", ok: int = 200,
             **kwargs: Any) -> Any:
        r = self.client.request(method, path, json=body, headers=self.headers(user), **kwargs)
        assert r.status_code == ok, f"{method} {path} as {user}: {r.status_code} {r.text[:800]}"
        return r.json() if r.headers.get("content-type", "").startswith("application/json") else r.text

    def at(self, when: datetime) -> None:
        self.clock.now = when


def seed_more_reference(session: Any) -> None:
    """What tests/factories.py's reference data lacks: a second police force, and the member of
    T1 the restricted case is restricted to (she has no user account, so no caller is her)."""
    session.add(OrganisationRow(code="POL-NY", name="North Yorkshire Police", kind="police"))
    session.add(StaffRow(code=RESTRICTED_TO, first_name="Rhea", last_name="Rowan", sex="female", team_code="T1"))
    session.flush()
    for org in session.scalars(select(OrganisationRow).where(OrganisationRow.kind == "police")):
        org.email = f"liaison@{org.code.lower()}.police.example"


def _iso(at: datetime) -> str:
    return at.isoformat()


def build(client: TestClient, clock: MovableClock, outbox: str) -> Prepared:
    b = Builder(client, clock)
    prepared = Prepared()
    b.at(START - timedelta(days=1))
    for code, name in (("LDS1", "Leeds Probation Office"),):
        b.call("POST", "/api/locations", {"code": code, "name": name, "female_only": False,
                                          "step_free_access": True}, ok=201)
    b.call("PUT", "/api/intervention-services/HOUSING-1", {
        "code": "HOUSING-1", "name": "Leeds Housing Advice", "provider": "Shelter Leeds", "kind": "specialist_service",
        "need_areas": ["accommodation", "finance"], "location": "Leeds city centre", "capacity": 20})
    for key, spec in SPECS.items():
        prepared.ids[key] = _case(b, spec, outbox)
    b.at(NOW)
    return prepared


def _case(b: Builder, spec: CaseSpec, outbox: str) -> dict[str, Any]:
    crn = spec.crn
    ids: dict[str, Any] = {"key": spec.key, "crn": crn, "staff": spec.staff, "police": spec.police}
    b.at(START)
    requirements: list[dict[str, Any]] = [
        {"type": "rehabilitation_activity", "start_date": "2026-11-02", "max_days": 20}]
    if spec.em:
        requirements.append({"type": "exclusion", "start_date": "2026-11-02", "length_months": 6,
                             "places": ["Leeds city centre"], "electronically_monitored": True})
    first_team = ("CRC-A", "T3") if spec.via_provider else (spec.organisation, spec.team)
    body = case_body(person__crn=crn, person__first_name=spec.first, person__last_name=spec.last,
                     person__sex=spec.sex, person__email=f"{spec.first.lower()}@example.org",
                     person__phone="07700900123", person__religion="Quaker", person__ethnicity="white_british",
                     sentence__requirements=requirements, organisation_code=first_team[0], team_code=first_team[1])
    cid = b.call("POST", "/api/cases", body, ok=201)["case_id"]
    ids["case_id"] = cid
    case = f"/api/cases/{cid}"
    if spec.sex == "female":
        b.call("POST", f"{case}/female-options", {"female_offender_manager_accepted": False,
                                                  "female_only_environment_accepted": False})
    b.call("POST", f"{case}/allocate", {"staff_code": "S5" if spec.via_provider else spec.staff})
    if spec.via_provider:
        # The provider refers an escalating risk; the NPS takes the case into T1, which accepts it.
        e = b.call("POST", f"{case}/risk-escalations", {"concern": f"Threats to a neighbour ({crn})",
                                                        "evidence": "Police call-out log", "refer": True}, ok=201)
        ids["escalation_id"] = e["id"]
        b.call("POST", f"/api/risk/escalations/{e['id']}/decision", {
            "decision": "take_responsibility", "assessed_rosh": "high", "rationale": f"RoSH high for {crn}",
            "to_team_code": spec.team})
        b.call("POST", f"{case}/accept-transfer", {"staff_code": spec.staff})
    elif spec.organisation == "CRC-A":
        e = b.call("POST", f"{case}/risk-escalations", {"concern": f"Threats to a neighbour ({crn})",
                                                        "evidence": "Police call-out log", "refer": True}, ok=201)
        ids["escalation_id"] = e["id"]
    b.call("POST", f"{case}/induction", {"understood": {"sentence": True, "obligations": True, "rights": True,
                                                        "consequences": True}})
    # Appointments: two missed (a warning, then a breach), one kept whose outcome someone other
    # than the offender manager records (the offender manager's update), one to come.
    b.at(START + timedelta(days=2))
    past = [b.call("POST", f"{case}/appointments", _booking(spec, START + timedelta(days=d)), ok=201)["id"]
            for d in (7, 9, 11)]
    ids["appointment_id"] = b.call("POST", f"{case}/appointments", _booking(spec, NOW + timedelta(days=2)),
                                   ok=201)["id"]
    b.at(START + timedelta(days=7, hours=3))
    b.call("POST", f"{case}/appointments/{past[0]}/outcome", {"outcome": "unacceptable_absence",
                                                               "notes": f"Did not attend ({crn})"})
    ids["warning_id"] = b.call("POST", f"{case}/enforcement", {"action": "warning_letter",
                                                               "reason": f"First failure ({crn})"}, ok=201)["id"]
    b.at(START + timedelta(days=9, hours=3))
    b.call("POST", f"{case}/appointments/{past[1]}/outcome", {"outcome": "unacceptable_absence",
                                                               "notes": f"Did not attend again ({crn})"})
    ids["breach_id"] = b.call("POST", f"{case}/enforcement", {"action": "breach_to_court",
                                                              "reason": f"Second failure ({crn})"}, ok=201)["id"]
    b.at(START + timedelta(days=11, hours=3))
    b.call("POST", f"{case}/appointments/{past[2]}/outcome", {
        "outcome": "attended_complied", "notes": f"Kept the appointment ({crn})",
        "indicators": {"attendance": "on_time", "behaviour": "appropriate", "response": "engaged"}})
    ids["past_appointment_id"] = past[2]
    ids["update_id"] = _update_id(b, cid)
    b.call("PUT", f"{case}/diverse-needs", {"unavailable": [], "notes": f"Works shifts ({crn})"})
    b.call("POST", f"{case}/reports/progress/request", {"due_by": "2026-12-01", "court_code": "LDSMC"}, ok=201)
    # Risk and protection: RoSH (its change notifies the offender manager), OGRS3, a register,
    # safeguarding, the plan and a review.
    b.at(START + timedelta(days=12))
    b.call("POST", f"{case}/rosh-assessments", {"assessed_on": "2026-11-14", "assessor": "Alan Ash",
                                                "levels": {"public": "high", "known_adult": "medium"},
                                                "summary": f"Risk to the public ({crn})"}, ok=201)
    b.call("POST", f"{case}/ogrs3", {"total_sanctions": 3, "age_at_first_sanction": 19}, ok=201)
    ids["register_id"] = b.call("POST", f"{case}/registers", {"register": "mappa", "start_date": "2026-11-14",
                                                              "category": 2, "level": 1,
                                                              "notes": f"MAPPA ({crn})"}, ok=201)["id"]
    b.call("POST", f"{case}/safeguarding", {"kind": "child_concern", "on": "2026-11-14",
                                            "note": f"A child lives at the address ({crn})"}, ok=201)
    objectives = [{"description": f"Thinking skills ({crn})", "requirement": "rehabilitation_activity"},
                  {"description": "Settled accommodation", "need_area": "accommodation"}]
    if spec.em:
        objectives.append({"description": "Keep out of the city centre", "requirement": "exclusion"})
    b.call("POST", f"{case}/plan", {"completed_on": "2026-11-14", "agreed": True, "objectives": objectives},
           ok=201)
    b.at(START + timedelta(days=14))
    b.call("POST", f"{case}/plan/reviews", {"reviewed_on": "2026-11-15", "reasons": ["rosh_change"],
                                            "agreed": True, "notes": f"Reviewed ({crn})"}, ok=201)
    # Needs and interventions.
    b.call("POST", f"{case}/needs-assessments", {"stage": "start", "assessed_on": "2026-11-14",
                                                 "assessor": "Alan Ash", "scores": scores(2),
                                                 "notes": f"Start ({crn})"}, ok=201)
    ref = b.call("POST", f"{case}/referrals", {"service_code": "HOUSING-1", "need_area": "accommodation",
                                               "sent_on": "2026-11-14", "notes": f"Housing ({crn})"}, ok=201)
    ids["referral_id"] = ref["id"]
    b.call("POST", f"{case}/referrals/{ref['id']}/status", {"status": "accepted", "on": "2026-11-15",
                                                            "notes": f"Accepted ({crn})"})
    ids["session_id"] = b.call("POST", f"{case}/referrals/{ref['id']}/sessions", {
        "starts_at": _iso(NOW + timedelta(days=3)), "ends_at": _iso(NOW + timedelta(days=3, hours=1)),
        "location_code": "LDS1", "interviewer_code": spec.staff}, ok=201)["id"]
    ids["feedback_id"] = _feedback_id(b, cid)
    ids["offer_id"] = b.call("POST", f"{case}/options", {"option_id": "supervision.mentoring",
                                                         "offered_on": "2026-11-15",
                                                         "groups": ["other_vulnerable_group"],
                                                         "reason": f"Mentor ({crn})"}, ok=201)["id"]
    b.call("POST", f"{case}/structured-sessions", {"topic": "problem_solving", "number": 1,
                                                   "delivered_on": "2026-11-15", "covered": ["identifying the problem"],
                                                   "response": "engaged", "notes": f"Session ({crn})"}, ok=201)
    if spec.em:
        _em(b, spec, ids)
    _letter(b, spec, ids, outbox)
    if "escalation_id" in ids:
        ids["escalation_status"] = b.call("GET", f"/api/risk/escalations/{ids['escalation_id']}")["status"]
    if spec.key == RESTRICTED:
        b.at(NOW - timedelta(hours=1))
        b.call("POST", f"{case}/restriction", {"restricted": True, "staff_codes": [RESTRICTED_TO],
                                               "reason": f"Staff member's relative ({crn})"})
    return ids


def _booking(spec: CaseSpec, at: datetime) -> dict[str, Any]:
    return {"starts_at": _iso(at), "ends_at": _iso(at + timedelta(hours=1)), "contact_type": "office",
            "location_code": "LDS1", "interviewer_code": spec.staff}


def _update_id(b: Builder, case_id: int) -> int:
    from probation.adapters.db.tables_delivery import OffenderManagerUpdateRow

    with b.client.app.state.sessions() as session:  # type: ignore[attr-defined]
        return int(session.scalar(select(OffenderManagerUpdateRow.id).where(
            OffenderManagerUpdateRow.case_id == case_id).order_by(OffenderManagerUpdateRow.id.desc()).limit(1)))


def _feedback_id(b: Builder, case_id: int) -> int:
    from probation.adapters.db.tables_interventions import ReferralFeedbackRow

    with b.client.app.state.sessions() as session:  # type: ignore[attr-defined]
        return int(session.scalar(select(ReferralFeedbackRow.id).where(
            ReferralFeedbackRow.case_id == case_id).order_by(ReferralFeedbackRow.id.desc()).limit(1)))


def risk_notice_id(session: Any, case_id: int) -> int:
    return int(session.scalar(select(OffenderManagerNoticeRow.id).where(
        OffenderManagerNoticeRow.case_id == case_id).order_by(OffenderManagerNoticeRow.id.desc()).limit(1)))


def _em(b: Builder, spec: CaseSpec, ids: dict[str, Any]) -> None:
    crn, cid = spec.crn, ids["case_id"]
    em = f"/api/em/cases/{cid}"
    device = f"DEV-{crn}"
    ids["device"] = device
    b.at(NOW - timedelta(days=5))
    b.call("PUT", f"{em}/zones", {"zones": [{"zone_id": "Z1", "kind": "exclusion", "name": "Leeds city centre",
                                             "geometry": square(*CENTRE, 100)}]}, ok=201)
    b.call("POST", f"{em}/identity", {"method": "photo ID"})
    b.call("POST", f"{em}/installation", {"device_id": device}, ok=201)
    b.call("POST", f"{em}/induction", {"summary": f"Explained the tag ({crn})"})
    b.at(NOW - timedelta(hours=2))
    result = b.call("POST", "/api/em/ingest", {"positions": walk_in(device, NOW - timedelta(hours=3))})
    ids["alert_id"] = next(a["id"] for a in result["alerts"] if a["kind"] == "entry")
    ids["visit_id"] = b.call("POST", f"{em}/visits", {
        "purpose": "installation", "start": _iso(NOW + timedelta(days=1)),
        "end": _iso(NOW + timedelta(days=1, hours=1)), "staff": [{"name": "Fay Field", "sex": "female"}],
        "reason": None}, ok=201)["id"]
    ids["witness_id"] = b.call("POST", f"{em}/witness-requests", {"hearing_on": "2026-12-10",
                                                                  "court_code": "LDSMC"}, ok=201)["id"]
    notification = b.call("POST", "/api/em/notifications", {
        "reference": f"CN-{crn}", "crn": crn, "court_code": "BFDCC", "order_date": "2026-11-02",
        "requirement_start": "2026-11-02", "requirement_end": "2027-05-02",
        "exclusion_places": ["Leeds city centre"], "name": f"{spec.first} {spec.last}",
        "notes": f"Court notification for {crn}"}, ok=201)
    ids["query_id"] = notification["queries"][0]["id"]
    ids["enquiry_id"] = b.call("POST", "/api/em/enquiries", {
        "caller_kind": "offender", "caller": f"{spec.first} {spec.last}", "case_id": cid,
        "subject": f"Charging the tag ({crn})", "details": f"Asked about charging ({crn})"}, ok=201)["id"]
    notices = b.call("POST", f"{em}/notices", {"kind": "commencement", "recipients": [spec.police]}, ok=201)
    ids["em_notice_id"] = notices["items"][0]["id"]
    ids["report_id"] = b.call("POST", "/api/em/police/violation-reports", {
        "case_id": cid, "police_reference": f"PR-{crn}", "observed_at": _iso(NOW - timedelta(hours=4)),
        "location": "Briggate, Leeds", "details": f"Seen in the zone ({crn})", "police_org_code": spec.police},
        ok=201)["id"]


def _letter(b: Builder, spec: CaseSpec, ids: dict[str, Any], outbox: str) -> None:
    """The warning letter sent (the admin letter log's row) through the letters service."""
    from pathlib import Path

    b.at(START + timedelta(days=12, hours=1))
    with b.client.app.state.sessions.begin() as session:  # type: ignore[attr-defined]
        d = letters.send_enforcement_letter(session, ADMIN, ids["case_id"], ids["warning_id"],
                                            OutboxMailer(Path(outbox)), now=b.clock.now)
        ids["letter_id"] = d.letter_id
        ids["risk_notice_id"] = risk_notice_id(session, ids["case_id"])


def sign_in(client: TestClient, username: str | None) -> Credentials:
    """A signed-in web session (or an anonymous one) with its CSRF token, and a bearer token."""
    client.cookies.clear()
    page = client.get("/sign-in").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    token = None
    if username is not None:
        r = client.post("/sign-in", data={"username": username, "password": PASSWORD, "csrf_token": csrf},
                        follow_redirects=False)
        assert r.status_code == 303, r.text
        client.get("/account")
        csrf_page = client.get("/account").text
        found = re.search(r'name="csrf_token" value="([^"]+)"', csrf_page)
        csrf = found.group(1) if found else csrf
        r = client.post("/api/token", json={"username": username, "password": PASSWORD})
        assert r.status_code == 200, r.text
        token = r.json()["access_token"]
    cookie = client.cookies.get("probation_session")
    assert cookie, "no session cookie"
    client.cookies.clear()
    return Credentials(token=token, cookie=cookie, csrf=csrf)
