"""The evidence pack for a violation (issue 6 item 6; row 17): the timeline, a map of the zones
and the trail around the alert (SVG in British National Grid metres, no tile server), and the
records (alert and its violation record, zones, positions, device events), as HTML and PDF."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from probation.adapters.db.tables import CaseRow, PersonRow
from probation.domain.calendar import LONDON
from probation.domain.errors import NotFound
from probation.em.domain.alerts import ViolationStep
from probation.em.geofence.projection import to_bng
from probation.em.geofence.times import iso, to_ms
from probation.em.geofence.zones import project_geometry
from probation.em.map import MapZone, render_svg, trail_length_m
from probation.em.services.alerts import visible_alerts
from probation.em.services.police import DOCUMENTS, render
from probation.em.services.runtime import case_fixes
from probation.em.tables import (
    EmAlertActionRow,
    EmAlertRow,
    EmDeviceEventRow,
    EmFixRow,
    EmZoneRow,
)
from probation.services import audit
from probation.services.context import Actor

WINDOW = timedelta(minutes=30)  # trail shown either side of the alert
MAX_FIXES = 400


def _local(at: datetime | None) -> str:
    return at.astimezone(LONDON).strftime("%d %b %Y %H:%M:%S %Z") if at else ""


def evidence_pack_html(session: Session, actor: Actor, alert_id: str, *, now: datetime) -> str:
    alert = session.scalar(visible_alerts(session, actor).where(EmAlertRow.id == alert_id))
    if alert is None:
        raise NotFound(f"no alert {alert_id}", field="alert_id", value=alert_id,
                       rule="the alert exists and its case is visible to you")
    case = session.get(CaseRow, alert.case_id)
    assert case is not None
    person = session.get(PersonRow, case.person_id)
    assert person is not None
    at = alert.alert_at
    lo, hi = to_ms(at - WINDOW), to_ms(at + WINDOW)
    fixes = list(session.execute(select(EmFixRow.t_ms, EmFixRow.lat, EmFixRow.lon,
                                        EmFixRow.accuracy_m, EmFixRow.source)
                                 .where(case_fixes(session, [alert.case_id]), EmFixRow.t_ms >= lo,
                                        EmFixRow.t_ms <= hi).order_by(EmFixRow.t_ms)
                                 .limit(MAX_FIXES)))
    events = list(session.execute(select(EmDeviceEventRow.t_ms, EmDeviceEventRow.event)
                                  .where(EmDeviceEventRow.case_id == alert.case_id,
                                         EmDeviceEventRow.t_ms >= lo, EmDeviceEventRow.t_ms <= hi)
                                  .order_by(EmDeviceEventRow.t_ms)))
    zones = list(session.scalars(select(EmZoneRow).where(EmZoneRow.case_id == alert.case_id)
                                 .order_by(EmZoneRow.version.desc(), EmZoneRow.id)))
    latest = zones[0].version if zones else 0
    in_force = [z for z in zones if z.version == latest]
    from shapely.geometry import shape

    map_zones = [MapZone(zone_id=z.zone_id, kind=z.kind, grid=project_geometry(shape(z.geometry)))
                 for z in in_force]
    trail: list[tuple[float, float]] = []
    marks: list[tuple[float, float, str]] = []
    if fixes:
        x, y = to_bng(np.array([f.lon for f in fixes]), np.array([f.lat for f in fixes]))
        trail = list(zip(x.tolist(), y.tolist(), strict=True))
        at_ms = to_ms(at)
        k = int(np.argmin(np.abs(np.array([f.t_ms for f in fixes]) - at_ms)))
        marks.append((trail[k][0], trail[k][1], f"{alert.kind} {_local(at)[12:17]}"))
    svg = render_svg(map_zones, trail, marks=marks, title=f"{person.crn} – {alert.kind}")
    history = list(session.scalars(select(EmAlertActionRow).where(
        EmAlertActionRow.alert_id == alert.id).order_by(EmAlertActionRow.id)))
    timeline = [{"time": _local(at), "what": f"{alert.kind}" + (" (breach)" if alert.breach else ""),
                 "detail": f"zone {alert.zone_id}" if alert.zone_id else alert.detail},
                {"time": _local(alert.raised_at), "what": "alert raised", "detail": alert.priority}]
    timeline += [{"time": _local(e.t_ms and datetime.fromtimestamp(e.t_ms / 1000, LONDON)),
                  "what": f"device event {e.event}", "detail": ""} for e in events]
    timeline += [{"time": _local(h.at), "what": h.action, "detail": f"{h.actor} {h.detail or ''}"}
                 for h in history]
    timeline.sort(key=lambda t: t["time"])
    record = [("Breach time", _local(at))]
    record += [(s.value.removesuffix("_at").replace("_", " ").capitalize(),
                _local(getattr(alert, s.value))) for s in ViolationStep]
    context: dict[str, Any] = {
        "generated": _local(now), "case_id": alert.case_id,
        "order": f"{case.sentence_type.replace('_', ' ')} from {case.sentence_date:%d %b %Y}",
        "person": {"name": f"{person.first_name} {person.last_name}", "crn": person.crn},
        "alert": {"id": alert.id, "kind": alert.kind, "zone": alert.zone_id, "device": alert.device_id,
                  "breach": alert.breach, "inferred": alert.inferred, "status": alert.status,
                  "outcome": alert.outcome, "time_local": _local(at),
                  "raised_local": _local(alert.raised_at)},
        "map_svg": svg, "window_from": _local(at - WINDOW), "window_to": _local(at + WINDOW),
        "trail_km": f"{trail_length_m(trail) / 1000:.2f}",
        "fixes": [{"time": iso(f.t_ms), "lat": f"{f.lat:.6f}", "lon": f"{f.lon:.6f}",
                   "accuracy": "" if f.accuracy_m is None else f"{f.accuracy_m:g}",
                   "source": f.source} for f in fixes],
        "events": [{"time": iso(e.t_ms), "event": e.event} for e in events],
        "timeline": timeline, "violation_record": record,
        "zones": [{"zone_id": z.zone_id, "kind": z.kind, "name": z.name, "version": z.version,
                   "approach_m": z.approach_m, "schedule": z.schedule} for z in in_force],
    }
    audit.record(session, actor, "read", person.crn, f"EM evidence pack {alert_id}", at=now)
    return render("evidence_pack.html", context)


def evidence_pack_pdf(session: Session, actor: Actor, alert_id: str, *, now: datetime) -> bytes:
    return DOCUMENTS.pdf(evidence_pack_html(session, actor, alert_id, now=now))
