"""Seeding for the practitioner and NPS risk team browser journeys, written straight into the live
server's SQLite file (tests/browser.py creates it under the session's base temp directory as
e2e<N>/e2e.sqlite3) through the services, with the clock set back where a journey needs history:

- Pat Practice (P100001): an NPS community order with a RAR, allocated to om1 (S1), with an
  appointment two days ago whose outcome the practitioner records in the browser;
- Reg Referral (P200001): a contracted provider's case with a risk escalation the provider
  referred to the NPS, for the risk team to decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from probation.adapters.db.engine import make_engine, make_session_factory
from probation.adapters.db.tables import PersonRow
from probation.adapters.db.tables_delivery import DeliveryLocationRow
from probation.api.cases import to_domain
from probation.api.schemas import CaseIn
from probation.domain.delivery.appointments import ContactType
from probation.domain.roles import Role
from probation.services import cases
from probation.services.context import Actor
from probation.services.delivery import appointments as appts
from probation.services.protection import escalation as protection_escalation
from tests.factories import case_body

LONDON = ZoneInfo("Europe/London")
ADMIN = Actor(username="admin", role=Role.ADMINISTRATOR)
OM1 = Actor(username="om1", role=Role.PRACTITIONER, staff_code="S1", team_code="T1", organisation_code="NPS-NE")
PROVIDER = Actor(username="provider", role=Role.PROVIDER_STAFF, staff_code="S5", team_code="T3",
                 organisation_code="CRC-A")


@dataclass(frozen=True, kw_only=True)
class PracticeData:
    practice_crn: str
    practice_name: str
    missed_at: datetime
    referral_crn: str
    referral_name: str


def live_database(base: Path) -> str:
    found = sorted({p.resolve() for p in base.glob("e2e*/e2e.sqlite3")})  # e2ecurrent is a symlink
    if len(found) != 1:
        raise RuntimeError(f"expected one live server database under {base}, found {found}")
    return f"sqlite:///{found[0]}"


def _case(session, crn: str, first: str, last: str, sex: str, *, org: str, team: str, staff: str,  # type: ignore[no-untyped-def]
          sentenced: datetime, now: datetime) -> int:
    body = case_body(person__crn=crn, person__first_name=first, person__last_name=last, person__sex=sex,
                     sentence__sentence_date=sentenced.date().isoformat(),
                     sentence__offence={"code": "02801", "offence_date": (sentenced - timedelta(days=60)).date()
                                        .isoformat()},
                     sentence__requirements=[{"type": "rehabilitation_activity",
                                              "start_date": sentenced.date().isoformat(), "max_days": 20}],
                     organisation_code=org, team_code=team)
    person, sentence = to_domain(CaseIn.model_validate(body), crn)
    cid = cases.create_case(session, ADMIN, person=person, sentence=sentence, court_code="LDSMC",
                            organisation_code=org, team_code=team, now=now)
    cases.apply(session, ADMIN, cid, "allocate", {"staff_code": staff}, now=now)
    return cid


def seed(database_url: str) -> PracticeData:
    now = datetime.now(UTC)
    earlier = now - timedelta(days=10)
    missed_day = (now - timedelta(days=2)).astimezone(LONDON).date()
    missed_at = datetime.combine(missed_day, time(10, 0), tzinfo=LONDON)
    data = PracticeData(practice_crn="P100001", practice_name="Pat Practice", missed_at=missed_at,
                        referral_crn="P200001", referral_name="Reg Referral")
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine).begin() as session:
            if session.scalar(select(PersonRow.id).where(PersonRow.crn == data.practice_crn)) is not None:
                return data  # seeded already in this session
            if session.get(DeliveryLocationRow, "LDS1") is None:
                session.add(DeliveryLocationRow(code="LDS1", name="Leeds Probation Office", address="1 Park Row",
                                                organisation_code="NPS-NE", female_only=False,
                                                step_free_access=True))
                session.flush()
            cid = _case(session, data.practice_crn, "Pat", "Practice", "male", org="NPS-NE", team="T1", staff="S1",
                        sentenced=now - timedelta(days=30), now=earlier)
            appts.book(session, OM1, cid, appts.BookingIn(
                starts_at=missed_at, ends_at=missed_at + timedelta(hours=1), contact_type=ContactType.OFFICE,
                location_code="LDS1", interviewer_code="S1"), now=missed_at - timedelta(days=1))
            rid = _case(session, data.referral_crn, "Reg", "Referral", "male", org="CRC-A", team="T3",
                        staff="S5", sentenced=now - timedelta(days=40), now=earlier)
            protection_escalation.indicate(session, PROVIDER, rid, concern="Threats made to a former partner",
                                           evidence="Police call-out log and victim liaison contact", refer=True,
                                           now=now - timedelta(hours=3))
    finally:
        engine.dispose()
    return data
