"""Helpers for the electronic monitoring tests: an EM exclusion case with zones and a fitted
device, square zones in WGS84 around a point, and fix / event records."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from typing import Any

from probation.domain.offences import Offence
from probation.domain.people import Sex
from probation.domain.requirements import Requirement, RequirementType
from probation.domain.roles import Role
from probation.domain.sentences import Sentence, SentenceType
from probation.em.services import cases as em_cases
from probation.services import cases
from probation.services.context import Actor
from tests.conftest import NOW
from tests.factories import person

ADMIN = Actor(username="admin", role=Role.ADMINISTRATOR)
EM = Actor(username="em", role=Role.EM_OPERATOR, organisation_code="EM-1")
CENTRE = (53.7997, -1.5492)  # Leeds city centre (lat, lon)
M_PER_DEG_LAT = 111_320.0


def square(lat: float, lon: float, half_m: float) -> dict[str, Any]:
    """A GeoJSON square of side 2 x half_m metres centred on (lat, lon)."""
    dlat = half_m / M_PER_DEG_LAT
    dlon = half_m / (M_PER_DEG_LAT * math.cos(math.radians(lat)))
    ring = [[lon - dlon, lat - dlat], [lon + dlon, lat - dlat], [lon + dlon, lat + dlat],
            [lon - dlon, lat + dlat], [lon - dlon, lat - dlat]]
    return {"type": "Polygon", "coordinates": [ring]}


def offset(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    return (lat + north_m / M_PER_DEG_LAT,
            lon + east_m / (M_PER_DEG_LAT * math.cos(math.radians(lat))))


def exclusion_order(*, em: bool = True, start: date = date(2026, 11, 2), months: int = 6) -> Sentence:
    req = Requirement(type=RequirementType.EXCLUSION, start_date=start, length_months=months,
                      places=("Leeds city centre",), electronically_monitored=em)
    return Sentence(type=SentenceType.COMMUNITY_ORDER, sentence_date=start,
                    offence=Offence(code="02801"), requirements=(req,), length_months=12)


def em_case(session: Any, *, crn: str = "E100001", sex: Sex = Sex.MALE, em: bool = True,
            device: str | None = "DEV-1", zone_half_m: float = 100.0, now: datetime = NOW) -> int:
    """A community order with an (EM) exclusion requirement, allocated to S1 in team T1; when
    `device` is set, a 100 m-half-side exclusion zone at CENTRE and the device fitted."""
    case_id = cases.create_case(session, ADMIN, person=person(crn=crn, sex=sex),
                                sentence=exclusion_order(em=em), court_code="LDSMC",
                                organisation_code="NPS-NE", team_code="T1",
                                now=now - timedelta(days=20))
    if sex is Sex.FEMALE:
        cases.apply(session, ADMIN, case_id, "female-options", {
            "female_offender_manager_accepted": False, "female_only_environment_accepted": False},
            now=now - timedelta(days=19, hours=1))
    cases.apply(session, ADMIN, case_id, "allocate", {"staff_code": "S1"},
                now=now - timedelta(days=19))
    if em and device:
        em_cases.set_zones(session, ADMIN, case_id, [{
            "zone_id": "Z1", "kind": "exclusion", "name": "Leeds city centre",
            "geometry": square(*CENTRE, zone_half_m)}], effective_from=None,
            now=now - timedelta(days=18))
        em_cases.confirm_identity(session, ADMIN, case_id, method="photo ID", at=None,
                                  now=now - timedelta(days=18))
        em_cases.install(session, ADMIN, case_id, device_id=device, at=None,
                         now=now - timedelta(days=18))
    session.flush()
    return case_id


def fix(device: str, at: datetime, lat: float, lon: float, accuracy_m: float = 5.0,
        source: str = "gps") -> dict[str, Any]:
    return {"device": device, "time": at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "lat": lat, "lon": lon, "accuracy_m": accuracy_m, "source": source}


def walk_in(device: str, start: datetime, *, steps: int = 12, step_s: int = 30) -> list[dict[str, Any]]:
    """A walk from 600 m south of CENTRE to CENTRE (into the zone) and back out to the north."""
    out = []
    for i in range(steps):
        north = -600 + i * (1200 / (steps - 1))
        lat, lon = offset(*CENTRE, north, 0)
        out.append(fix(device, start + timedelta(seconds=i * step_s), lat, lon))
    return out
