"""Seeding for the team manager and provider staff browser journeys, written into the live server's
SQLite file (found by practice_data.live_database) through the services, with the clock set back
where a journey needs history:

- Fran Female (L100001): a woman's NPS community order in team T1, not yet allocated, for tm1 to
  record the female offender options and allocate to a woman; om2 (Beth Birch) then inducts her;
- Terry Term (L100002): an NPS order allocated to om1, who terminates it and closes the case;
- Ray Rar (L200001): the contracted provider's order with a RAR, managed by Fay Fir (user crcom,
  a practitioner of the provider seeded here), with a RAR activity two days ago delivered by
  provider staff (user provider, Evan Elm), who records its outcome; Fay Fir sees the update.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from probation.adapters.db.engine import make_engine, make_session_factory
from probation.adapters.db.tables import PersonRow, StaffRow, UserRow
from probation.adapters.db.tables_delivery import DeliveryLocationRow
from probation.api.cases import to_domain
from probation.api.schemas import CaseIn
from probation.domain.delivery.appointments import ContactType
from probation.domain.roles import Role
from probation.services import cases
from probation.services.context import Actor
from probation.services.delivery import appointments as appts
from tests.e2e.practice_data import live_database
from tests.factories import case_body, password_hash

__all__ = ["LifecycleData", "live_database", "seed"]

LONDON = ZoneInfo("Europe/London")
ADMIN = Actor(username="admin", role=Role.ADMINISTRATOR)
PROVIDER = Actor(username="provider", role=Role.PROVIDER_STAFF, staff_code="S5", team_code="T3",
                 organisation_code="CRC-A")
PROVIDER_OM = ("SL1", "Fay", "Fir", "crcom")  # staff code, names, username


@dataclass(frozen=True, kw_only=True)
class LifecycleData:
    woman_crn: str
    woman_name: str
    ending_crn: str
    ending_name: str
    rar_crn: str
    rar_name: str
    rar_activity_at: datetime
    provider_om_username: str
    provider_om_name: str


def _case(session, crn: str, first: str, last: str, sex: str, *, org: str, team: str,  # type: ignore[no-untyped-def]
          staff: str | None, sentenced: datetime, now: datetime) -> int:
    body = case_body(person__crn=crn, person__first_name=first, person__last_name=last, person__sex=sex,
                     sentence__sentence_date=sentenced.date().isoformat(),
                     sentence__offence={"code": "02801",
                                        "offence_date": (sentenced - timedelta(days=60)).date().isoformat()},
                     sentence__requirements=[{"type": "rehabilitation_activity",
                                              "start_date": sentenced.date().isoformat(), "max_days": 20}],
                     organisation_code=org, team_code=team)
    person, sentence = to_domain(CaseIn.model_validate(body), crn)
    cid = cases.create_case(session, ADMIN, person=person, sentence=sentence, court_code="LDSMC",
                            organisation_code=org, team_code=team, now=now)
    if staff is not None:
        cases.apply(session, ADMIN, cid, "allocate", {"staff_code": staff}, now=now)
    return cid


def seed(database_url: str) -> LifecycleData:
    now = datetime.now(UTC)
    earlier = now - timedelta(days=10)
    activity_day = (now - timedelta(days=2)).astimezone(LONDON).date()
    activity_at = datetime.combine(activity_day, time(14, 0), tzinfo=LONDON)
    code, first, last, username = PROVIDER_OM
    data = LifecycleData(woman_crn="L100001", woman_name="Fran Female", ending_crn="L100002",
                         ending_name="Terry Term", rar_crn="L200001", rar_name="Ray Rar",
                         rar_activity_at=activity_at, provider_om_username=username,
                         provider_om_name=f"{first} {last}")
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine).begin() as session:
            if session.scalar(select(PersonRow.id).where(PersonRow.crn == data.woman_crn)) is not None:
                return data  # seeded already in this session
            session.add(StaffRow(code=code, first_name=first, last_name=last, sex="female", team_code="T3"))
            session.flush()
            session.add(UserRow(username=username, password_hash=password_hash(), role=Role.PRACTITIONER.value,
                                staff_code=code, organisation_code=None, display_name=f"{first} {last}",
                                active=True, created_at=now))
            if session.get(DeliveryLocationRow, "LDS1") is None:
                session.add(DeliveryLocationRow(code="LDS1", name="Leeds Probation Office", address="1 Park Row",
                                                organisation_code="NPS-NE", female_only=False,
                                                step_free_access=True))
            session.flush()
            _case(session, data.woman_crn, "Fran", "Female", "female", org="NPS-NE", team="T1", staff=None,
                  sentenced=earlier, now=earlier)
            _case(session, data.ending_crn, "Terry", "Term", "male", org="NPS-NE", team="T1", staff="S1",
                  sentenced=now - timedelta(days=60), now=earlier)
            rid = _case(session, data.rar_crn, "Ray", "Rar", "male", org="CRC-A", team="T3", staff=code,
                        sentenced=earlier, now=earlier)
            appts.book(session, PROVIDER, rid, appts.BookingIn(
                starts_at=activity_at, ends_at=activity_at + timedelta(hours=2), contact_type=ContactType.OFFICE,
                location_code="LDS1", interviewer_code="S5", rar_activity=True),
                now=activity_at - timedelta(days=3))
    finally:
        engine.dispose()
    return data
