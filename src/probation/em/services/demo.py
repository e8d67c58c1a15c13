"""Demo monitoring (issue 6 item 8): devices and zones for the seeded EM exclusion cases, and a
simulator that walks each tagged person near and into their zones with GPS jitter, signal gaps
and the odd tamper event, posting the fixes to the ingest API so alerts appear live.

Zones: the seed names places as text ("Leeds town centre", "the school gates on X, Leeds"); the
town is looked up in TOWN_CENTRES (approximate centres, WGS84) and the place is a 150 m square
offset from the centre by a digest of its text, so the same place is always in the same spot."""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from probation.adapters.db.tables import CaseRow, RequirementRow
from probation.em.services import cases as em_cases
from probation.em.tables import EmDeviceRow, EmZoneRow
from probation.services.context import Actor

M_PER_DEG_LAT = 111_320.0
ZONE_HALF_M = 150.0
SPEED = 3.0  # metres a second: a brisk walk or a bicycle, so a demo shows alerts in minutes
# Approximate town centres (lat, lon), for the towns services/seed/places.py uses.
TOWN_CENTRES: dict[str, tuple[float, float]] = {
    "London": (51.5074, -0.1278), "Croydon": (51.3762, -0.0982), "Romford": (51.5768, 0.1801),
    "Liverpool": (53.4084, -2.9916), "Preston": (53.7632, -2.7031), "Blackpool": (53.8175, -3.0357),
    "Chester": (53.1934, -2.8931), "Warrington": (53.3900, -2.5970), "Carlisle": (54.8925, -2.9329),
    "Blackburn": (53.7486, -2.4875), "Manchester": (53.4808, -2.2426), "Salford": (53.4875, -2.2901),
    "Bolton": (53.5769, -2.4282), "Oldham": (53.5409, -2.1114), "Wigan": (53.5450, -2.6325),
    "Stockport": (53.4106, -2.1575), "Rochdale": (53.6097, -2.1561), "Leeds": (53.7997, -1.5492),
    "Bradford": (53.7960, -1.7594), "Sheffield": (53.3811, -1.4701), "Hull": (53.7457, -0.3367),
    "York": (53.9590, -1.0815), "Doncaster": (53.5228, -1.1285), "Wakefield": (53.6833, -1.4977),
    "Newcastle upon Tyne": (54.9783, -1.6178), "Sunderland": (54.9069, -1.3838),
    "Middlesbrough": (54.5742, -1.2350), "Durham": (54.7761, -1.5733), "Gateshead": (54.9527, -1.6034),
    "Hartlepool": (54.6863, -1.2129), "Birmingham": (52.4862, -1.8904), "Coventry": (52.4068, -1.5197),
    "Wolverhampton": (52.5870, -2.1288), "Stoke-on-Trent": (53.0027, -2.1794),
    "Walsall": (52.5862, -1.9829), "Worcester": (52.1920, -2.2200), "Nottingham": (52.9548, -1.1581),
    "Leicester": (52.6369, -1.1398), "Derby": (52.9225, -1.4746), "Lincoln": (53.2307, -0.5406),
    "Northampton": (52.2405, -0.9027), "Norwich": (52.6309, 1.2974), "Ipswich": (52.0567, 1.1482),
    "Peterborough": (52.5695, -0.2405), "Luton": (51.8787, -0.4200), "Chelmsford": (51.7356, 0.4685),
    "Southend-on-Sea": (51.5459, 0.7077), "Cambridge": (52.2053, 0.1218), "Bristol": (51.4545, -2.5879),
    "Plymouth": (50.3755, -4.1427), "Exeter": (50.7184, -3.5339), "Swindon": (51.5558, -1.7797),
    "Bournemouth": (50.7192, -1.8808), "Gloucester": (51.8642, -2.2382), "Reading": (51.4543, -0.9781),
    "Oxford": (51.7520, -1.2577), "Southampton": (50.9097, -1.4044), "Portsmouth": (50.8198, -1.0880),
    "Milton Keynes": (52.0406, -0.7594), "Slough": (51.5105, -0.5950), "Maidstone": (51.2704, 0.5227),
    "Brighton": (50.8225, -0.1372), "Canterbury": (51.2802, 1.0789), "Crawley": (51.1091, -0.1872),
    "Guildford": (51.2362, -0.5704), "Hastings": (50.8543, 0.5735), "Cardiff": (51.4816, -3.1791),
    "Swansea": (51.6214, -3.9436), "Newport": (51.5842, -2.9977), "Wrexham": (53.0462, -2.9930),
    "Bangor": (53.2274, -4.1293),
}


def place_centre(place: str) -> tuple[float, float]:
    """Where a seeded place is: its town's centre moved up to 400 m by a digest of the text."""
    town = max((t for t in TOWN_CENTRES if t in place), key=len, default="London")
    lat, lon = TOWN_CENTRES[town]
    h = hashlib.sha256(place.encode()).digest()
    north = (h[0] / 255 - 0.5) * 800 if "town centre" not in place else 0.0
    east = (h[1] / 255 - 0.5) * 800 if "town centre" not in place else 0.0
    return offset(lat, lon, north, east)


def offset(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    return (lat + north_m / M_PER_DEG_LAT,
            lon + east_m / (M_PER_DEG_LAT * math.cos(math.radians(lat))))


def square(lat: float, lon: float, half_m: float) -> dict[str, Any]:
    n, e = offset(lat, lon, half_m, half_m)
    s, w = offset(lat, lon, -half_m, -half_m)
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


def setup_demo(session: Session, actor: Actor, *, now: datetime, limit: int | None = None) -> list[int]:
    """Devices and zones for every active case with an EM exclusion requirement that has none
    yet (idempotent: a case with any device, active or ended, is left alone). Returns case ids."""
    stmt = (select(CaseRow.id).join(RequirementRow, RequirementRow.case_id == CaseRow.id)
            .where(RequirementRow.type == "exclusion", RequirementRow.electronically_monitored,
                   CaseRow.status == "active",
                   ~exists().where(EmDeviceRow.case_id == CaseRow.id))
            .order_by(CaseRow.id).distinct())
    if limit:
        stmt = stmt.limit(limit)
    done = []
    for case_id in list(session.scalars(stmt)):
        em = em_cases.em_requirement(session, case_id)
        assert em is not None
        has_zones = session.scalar(select(exists().where(EmZoneRow.case_id == case_id)))
        if not has_zones:
            zones = [{"zone_id": f"Z{i + 1}", "kind": "exclusion", "name": place,
                      "geometry": square(*place_centre(place), ZONE_HALF_M)}
                     for i, place in enumerate(em.places or ["London town centre"])]
            em_cases.set_zones(session, actor, case_id, zones, effective_from=None, now=now)
        em_cases.confirm_identity(session, actor, case_id, method="demo: photo ID checked",
                                  at=None, now=now)
        em_cases.install(session, actor, case_id, device_id=f"SIM-{case_id}", at=None, now=now)
        done.append(case_id)
    return done


@dataclass(kw_only=True)
class Walker:
    device: str
    zone: tuple[float, float]  # the centre of the person's first zone
    lat: float
    lon: float
    heading: float
    toward_zone: bool


def walkers(session: Session, seed: int = 7) -> list[Walker]:
    rng = random.Random(seed)
    out = []
    for device, case_id in session.execute(select(EmDeviceRow.device_id, EmDeviceRow.case_id)
                                           .where(EmDeviceRow.status == "active")
                                           .order_by(EmDeviceRow.device_id)):
        z = session.scalar(select(EmZoneRow).where(EmZoneRow.case_id == case_id)
                           .order_by(EmZoneRow.version.desc(), EmZoneRow.id))
        if z is None:
            continue
        ring = z.geometry["coordinates"][0]
        clat = sum(p[1] for p in ring[:-1]) / (len(ring) - 1)
        clon = sum(p[0] for p in ring[:-1]) / (len(ring) - 1)
        start = offset(clat, clon, rng.uniform(-450, 450), rng.uniform(-450, 450))
        out.append(Walker(device=device, zone=(clat, clon), lat=start[0], lon=start[1],
                          heading=rng.uniform(0, 2 * math.pi), toward_zone=rng.random() < 0.5))
    return out


def steps(people: list[Walker], *, start: datetime, rate: float, seed: int = 11
          ) -> Iterator[tuple[datetime, list[dict[str, Any]]]]:
    """Each second from `start`: the fixes (and events) of that second, about `rate` a second in
    all, each person moving about 3 m/s; half head for their zone, GPS jitter of 5-25 m, a
    2% chance a person's signal drops for a few minutes, a rare strap tamper."""
    rng = random.Random(seed)
    if not people:
        return
    every = max(1.0, len(people) / max(rate, 0.001))  # seconds between one person's fixes
    gap_until: dict[str, datetime] = {}
    second = 0
    while True:
        at = start + timedelta(seconds=second)
        records: list[dict[str, Any]] = []
        for i, w in enumerate(people):
            if int(second + i) % max(1, round(every)) != 0:
                continue
            dt = every
            if w.toward_zone:
                dn = (w.zone[0] - w.lat) * M_PER_DEG_LAT
                de = (w.zone[1] - w.lon) * M_PER_DEG_LAT * math.cos(math.radians(w.lat))
                w.heading = math.atan2(de, dn) + rng.uniform(-0.4, 0.4)
                if math.hypot(dn, de) < 30:
                    w.toward_zone = False
            else:
                w.heading += rng.uniform(-0.5, 0.5)
                if rng.random() < 0.002:
                    w.toward_zone = True
            w.lat, w.lon = offset(w.lat, w.lon, SPEED * dt * math.cos(w.heading),
                                  SPEED * dt * math.sin(w.heading))
            if w.device in gap_until and at < gap_until[w.device]:
                continue
            if rng.random() < 0.02 / max(1.0, 60 / dt):
                gap_until[w.device] = at + timedelta(minutes=rng.randint(2, 12))
            acc = rng.uniform(5, 25)
            jlat, jlon = offset(w.lat, w.lon, rng.gauss(0, acc / 2), rng.gauss(0, acc / 2))
            t = at.astimezone(UTC).isoformat().replace("+00:00", "Z")
            records.append({"device": w.device, "time": t, "lat": round(jlat, 6),
                            "lon": round(jlon, 6), "accuracy_m": round(acc, 1), "source": "gps"})
            if rng.random() < 0.0005:
                records.append({"device": w.device, "time": t, "event": "strap_tamper"})
        yield at, records
        second += 1
