"""Three people seen from every side, for the visibility and audit tests: one on a case of team T1
(om1's team, NPS North East), one on a case of another provider (team T3, CRC-A) and one on a
restricted case of team T1 that only S1 (om1) is named on, so tm1 and om2 of the same team, EM
operators and the NPS risk team may not see it.

Each case has an electronically monitored exclusion requirement and an offender manager, and
around it every record a side view lists: an offender manager notice (a RoSH assessment), an
appointment with the offender manager as interviewer, a commencement notice to West Yorkshire
Police, a court notification to the monitoring centre, an enquiry, a police violation report, a
visit on the monitoring centre's schedule, and an exclusion zone with a tag fitted (`device`).
Built through the services as an administrator."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from probation.adapters.db.tables_delivery import OffenderManagerUpdateRow
from probation.adapters.db.tables_interventions import ReferralFeedbackRow
from probation.adapters.email_outbox import OutboxMailer
from probation.domain.delivery.appointments import ContactType, Outcome
from probation.domain.roles import Role
from probation.em.domain.visits import VisitPurpose
from probation.em.services import cases as em_cases
from probation.em.services import centre as em_centre
from probation.em.services import police as em_police
from probation.services import cases, letters
from probation.services.context import Actor
from probation.services.delivery import appointments as appts
from probation.services.interventions import referrals
from probation.services.protection import escalation as protection_escalation
from probation.services.protection import plans as protection_plans
from probation.services.protection import risk as protection
from tests.conftest import NOW
from tests.em.factories import ADMIN, CENTRE, exclusion_order, square
from tests.factories import person

OWN, OTHER, RESTRICTED = "A100001", "C300001", "R100001"
SURNAMES = {OWN: "Owen", OTHER: "Other", RESTRICTED: "Reed"}
PLACES = {OWN: ("NPS-NE", "T1", "S1"), OTHER: ("CRC-A", "T3", "S5"), RESTRICTED: ("NPS-NE", "T1", "S1")}
APPOINTMENT_AT = NOW + timedelta(days=2)
TM1 = Actor(username="tm1", role=Role.TEAM_MANAGER, staff_code="S2", team_code="T1", organisation_code="NPS-NE")


def build(session: Session, *, outbox_dir: str) -> dict[str, int]:
    """The three cases and their records; returns the case id of each CRN."""
    ids: dict[str, int] = {}
    for crn, (organisation, team, om) in PLACES.items():
        cid = cases.create_case(session, ADMIN, person=person(crn=crn, last_name=SURNAMES[crn]),
                                sentence=exclusion_order(), court_code="LDSMC", organisation_code=organisation,
                                team_code=team, now=NOW - timedelta(days=20))
        cases.apply(session, ADMIN, cid, "allocate", {"staff_code": om}, now=NOW - timedelta(days=19))
        ids[crn] = cid
    for crn, cid in ids.items():
        om = PLACES[crn][2]
        protection.assess_rosh(session, ADMIN, cid, assessed_on=date(2026, 11, 20), assessor="Alan Ash",
                               levels={"public": "high"}, summary=None, now=NOW - timedelta(days=3))
        appts.book(session, ADMIN, cid, appts.BookingIn(
            starts_at=APPOINTMENT_AT, ends_at=APPOINTMENT_AT + timedelta(hours=1), contact_type=ContactType.PHONE,
            location_code=None, interviewer_code=om), now=NOW - timedelta(days=3))
        em_police.send_notices(session, ADMIN, cid, kind="commencement", recipients=["POL-WY"],
                               outbox_dir=outbox_dir, now=NOW - timedelta(days=3))
        em_centre.receive_notification(session, ADMIN, {"reference": f"N-{crn}", "crn": crn}, channel="api",
                                       now=NOW - timedelta(days=2))
        em_centre.log_enquiry(session, ADMIN, caller_kind="agency", caller="PC Jones", channel="phone",
                              case_id=cid, subject=f"Curfew question for {SURNAMES[crn]}", details=None,
                              received_at=None, now=NOW - timedelta(days=2))
        em_police.report_violation(session, ADMIN, case_id=cid, police_reference=f"WY-{crn}",
                                   observed_at=NOW - timedelta(days=1), location="Briggate, Leeds",
                                   details="seen in the city centre", police_org_code="POL-WY",
                                   now=NOW - timedelta(days=1))
        em_centre.schedule_visit(session, ADMIN, cid, purpose=VisitPurpose.INSTALLATION, start=APPOINTMENT_AT,
                                 end=APPOINTMENT_AT + timedelta(hours=1),
                                 staff=[{"name": "Field Officer", "sex": "male"}], reason=None, alert_id=None,
                                 now=NOW - timedelta(days=1))
        monitored(session, cid, device=device(crn))
    # Restricted last: administrators are not named on it either, so they no longer see it.
    cases.apply(session, ADMIN, ids[RESTRICTED], "restriction",
                {"restricted": True, "staff_codes": ["S1"], "reason": "a member of staff's relative"},
                now=NOW - timedelta(hours=12))
    session.flush()
    return ids


def om1_told(session: Session, case_id: int) -> None:
    """Someone other than the offender manager (S1) records a contact and moves a referral on the
    case: S1 gets an update and a referral feedback."""
    appts.record_contact(session, TM1, case_id, occurred_at=NOW - timedelta(days=1), minutes=30,
                         contact_type=ContactType.PHONE, outcome_value=Outcome.ATTENDED_COMPLIED,
                         notes="spoke about housing", account=None, indicators=None, location_code=None,
                         now=NOW - timedelta(hours=20))
    referrals.save_service(session, ADMIN, code="HOUSING-1", name="Leeds Housing Advice", provider="Shelter Leeds",
                           kind="specialist_service", need_areas=["accommodation"], location="Leeds", capacity=5,
                           eligibility=None, rar_activity=False, active=True, now=NOW - timedelta(days=10))
    protection_plans.create_plan(session, ADMIN, case_id, completed_on=date(2026, 11, 6), agreed=True,
                                 objectives=[{"description": "Find settled accommodation",
                                              "need_area": "accommodation", "requirement": "exclusion"}],
                                 person_comments=None, now=NOW - timedelta(days=11))
    row = referrals.refer(session, ADMIN, case_id, service_code="HOUSING-1", need_area="accommodation",
                          objective=None, sent_on=date(2026, 11, 10), notes=None, now=NOW - timedelta(days=10))
    referrals.update_referral(session, ADMIN, case_id, row.id, status="accepted", on=date(2026, 11, 12),
                              reason=None, notes=None, outcome=None, now=NOW - timedelta(days=9))
    session.flush()


def letter(session: Session, case_id: int, *, outbox_dir: str) -> None:
    """An exclusion notice letter sent to the police, for the administrators' delivery log."""
    context = letters.exclusion_context(session, ADMIN, case_id)
    letters.send_letter(session, ADMIN, kind=letters.LetterKind.EXCLUSION_START, context=context,
                        recipients=letters.recipients_for(session, ["POL-WY"]), mailer=OutboxMailer(outbox_dir),
                        now=NOW, case_id=case_id, crn=context["person"]["crn"])


def told_ids(session: Session) -> dict[str, int]:
    """The ids of the update and the referral feedback `om1_told` made."""
    return {"update": session.scalars(select(OffenderManagerUpdateRow.id)).one(),
            "feedback": session.scalars(select(ReferralFeedbackRow.id)).one()}


def escalation(session: Session, case_id: int) -> int:
    """The contracted provider refers a risk escalation on its case to the NPS; returns its id."""
    provider = Actor(username="provider", role=Role.PROVIDER_STAFF, staff_code="S5", team_code="T3",
                     organisation_code="CRC-A")
    return protection_escalation.indicate(session, provider, case_id, concern="threats to a neighbour",
                                          evidence="police call-out log", refer=True, now=NOW - timedelta(hours=6)).id


def device(crn: str) -> str:
    """The tag each person of the world wears."""
    return f"DEV-{crn}"


def monitored(session: Session, case_id: int, device: str) -> None:
    """The case's exclusion zone around Leeds city centre and its tag fitted (tests/em/factories.em_case)."""
    em_cases.set_zones(session, ADMIN, case_id, [{"zone_id": "Z1", "kind": "exclusion", "name": "Leeds city centre",
                                                  "geometry": square(*CENTRE, 100.0)}],
                       effective_from=None, now=NOW - timedelta(days=18))
    em_cases.confirm_identity(session, ADMIN, case_id, method="photo ID", at=None, now=NOW - timedelta(days=18))
    em_cases.install(session, ADMIN, case_id, device_id=device, at=None, now=NOW - timedelta(days=18))
    session.flush()
