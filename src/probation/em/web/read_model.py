"""What the monitoring centre's and the police liaison's pages need beyond the EM services: alert
rows with the person's name, the alert map (the evidence pack's SVG for the page), the
installation and de-installation schedule, and the police's own notices and reports.

Access is the EM services' own (em_alerts.visible_alerts, ensure_em_writer, em_police's organisation
filter, access.case_filter); these functions read, shape, and audit the people a list shows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from shapely.geometry import shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from probation.adapters.db.tables import CaseRow, PersonRow
from probation.domain.calendar import LONDON
from probation.domain.errors import NotFound
from probation.domain.roles import Role
from probation.em.domain.visits import VisitPurpose
from probation.em.geofence.projection import to_bng
from probation.em.geofence.times import to_ms
from probation.em.geofence.zones import project_geometry
from probation.em.map import MapZone, render_svg
from probation.em.services.cases import ensure_em_writer
from probation.em.services.police import crns_of
from probation.em.services.runtime import case_fixes
from probation.em.tables import EmAlertRow, EmFixRow, EmNoticeRow, EmVisitRow, EmZoneRow
from probation.services import access, audit
from probation.services.context import Actor

WINDOW = timedelta(minutes=30)  # trail either side of the alert, as in the evidence pack
MAX_FIXES = 400
SCHEDULE_PURPOSES = (VisitPurpose.INSTALLATION.value, VisitPurpose.DE_INSTALLATION.value)


@dataclass(frozen=True, kw_only=True)
class CaseName:
    case_id: int
    crn: str
    name: str


def case_names(session: Session, case_ids: set[int]) -> dict[int, CaseName]:
    if not case_ids:
        return {}
    rows = session.execute(select(CaseRow.id, CaseRow.crn, PersonRow.first_name, PersonRow.last_name)
                           .join(PersonRow, PersonRow.id == CaseRow.person_id)
                           .where(CaseRow.id.in_(case_ids)))
    return {r.id: CaseName(case_id=r.id, crn=r.crn, name=f"{r.first_name} {r.last_name}") for r in rows}


def alert_row(a: EmAlertRow, names: dict[int, CaseName]) -> dict[str, Any]:
    """One line of the alert queue (also the JSON the queue page polls)."""
    who = names.get(a.case_id)
    at = a.alert_at
    return {"id": a.id, "kind": a.kind, "priority": a.priority, "status": a.status,
            "superseded": a.superseded_at is not None,
            "zone": a.zone_id, "violation": a.violation, "time": at.isoformat() if at else None,
            "time_text": at.astimezone(LONDON).strftime("%-d %B %Y at %H:%M") if at else "",
            "crn": who.crn if who else "", "name": who.name if who else "",
            "href": f"/em/alerts/{a.id}"}


def alert_map_svg(session: Session, alert: EmAlertRow) -> tuple[str, int]:
    """The zones in force and the trail 30 minutes either side of the alert, with the alert
    position ringed (em/map.py); returns the SVG and the number of positions drawn.
    The caller has already checked the alert is visible (em_alerts.get_alert)."""
    at = alert.alert_at
    fixes = list(session.execute(select(EmFixRow.t_ms, EmFixRow.lat, EmFixRow.lon)
                                 .where(case_fixes(session, [alert.case_id]),
                                        EmFixRow.t_ms >= to_ms(at - WINDOW),
                                        EmFixRow.t_ms <= to_ms(at + WINDOW))
                                 .order_by(EmFixRow.t_ms).limit(MAX_FIXES)))
    zones = list(session.scalars(select(EmZoneRow).where(EmZoneRow.case_id == alert.case_id)
                                 .order_by(EmZoneRow.version.desc(), EmZoneRow.id)))
    latest = zones[0].version if zones else 0
    map_zones = [MapZone(zone_id=z.zone_id, kind=z.kind, grid=project_geometry(shape(z.geometry)))
                 for z in zones if z.version == latest]
    trail: list[tuple[float, float]] = []
    marks: list[tuple[float, float, str]] = []
    if fixes:
        x, y = to_bng(np.array([f.lon for f in fixes]), np.array([f.lat for f in fixes]))
        trail = list(zip(x.tolist(), y.tolist(), strict=True))
        k = int(np.argmin(np.abs(np.array([f.t_ms for f in fixes]) - to_ms(at))))
        marks.append((trail[k][0], trail[k][1], alert.kind))
    svg = render_svg(map_zones, trail, marks=marks)
    # Inline in the page: an image with a text alternative (the page describes it in words too).
    label = (f"Map of {len(map_zones)} zone(s) and {len(trail)} positions around the alert; "
             "the alert position is ringed")
    # Sized by app.css (.app-em-map): the site's CSP allows no inline style attribute.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="app-em-map" ', 1)
    return svg, len(trail)


def schedule(session: Session, actor: Actor, *, include_made: bool, now: datetime) -> list[EmVisitRow]:
    """Installation and de-installation visits, soonest first (the monitoring centre's diary)."""
    ensure_em_writer(actor)
    stmt = (select(EmVisitRow).join(CaseRow, CaseRow.id == EmVisitRow.case_id)
            .where(EmVisitRow.purpose.in_(SCHEDULE_PURPOSES), access.case_filter(actor))
            .order_by(EmVisitRow.scheduled_start).limit(500))
    if not include_made:
        stmt = stmt.where(EmVisitRow.status == "scheduled")
    visits = list(session.scalars(stmt))
    audit.read(session, actor, crns_of(session, {v.case_id for v in visits}), f"EM schedule ({len(visits)})", at=now)
    return visits


def em_case_options(session: Session, actor: Actor) -> list[CaseName]:
    """Cases with an electronically monitored requirement the actor may see (for form selects)."""
    ensure_em_writer(actor)
    from probation.adapters.db.tables import RequirementRow

    monitored = select(RequirementRow.case_id).where(RequirementRow.electronically_monitored)
    ids = set(session.scalars(select(CaseRow.id).where(CaseRow.id.in_(monitored), access.case_filter(actor))
                              .limit(1000)))
    return sorted(case_names(session, ids).values(), key=lambda c: c.crn)


def em_case_choices(session: Session, actor: Actor, *, now: datetime) -> list[CaseName]:
    """`em_case_options` for a form that lists them by name and CRN: a read of those people."""
    options = em_case_options(session, actor)
    audit.read(session, actor, (c.crn for c in options), f"EM cases to choose from ({len(options)})", at=now)
    return options


def case_by_crn(session: Session, actor: Actor, crn: str) -> int | None:
    """The newest visible EM case of a CRN (enquiries name a person by CRN), or None."""
    ensure_em_writer(actor)
    return next((c.case_id for c in em_case_options(session, actor) if c.crn == crn.strip().upper()),
                None)


# --------------------------------------------------------------------------- police liaison

def ensure_police(actor: Actor) -> str:
    if actor.role is not Role.POLICE_LIAISON or not actor.organisation_code:
        from probation.domain.errors import Forbidden

        raise Forbidden(f"the {actor.role.label} role has no police inbox", field="role",
                        value=actor.role.value, rule="police and partner liaison users only")
    return actor.organisation_code


def own_notice(session: Session, actor: Actor, notice_id: int, *, now: datetime) -> EmNoticeRow:
    org = ensure_police(actor)
    n = session.get(EmNoticeRow, notice_id)
    if n is None or n.recipient_org_code != org:
        raise NotFound(f"no notice {notice_id} to {org}", field="notice_id", value=notice_id,
                       rule="you see the notices sent to your organisation")
    audit.read(session, actor, crns_of(session, {n.case_id}), f"EM notice {notice_id}", at=now)
    return n


def reportable_cases(notices: list[EmNoticeRow]) -> list[tuple[int, str]]:
    """Cases the force was told of at commencement: (case id, notice subject), newest first."""
    seen: dict[int, str] = {}
    for n in notices:
        if n.kind == "commencement" and n.case_id not in seen:
            seen[n.case_id] = n.subject
    return list(seen.items())


_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)


def notice_body(html: str) -> str:
    """The stored notice's body for display inside a page: its headings moved down a level so
    the page keeps one h1 (the stored HTML is our own autoescaped template output)."""
    m = _BODY.search(html)
    body = m.group(1) if m else ""
    body = re.sub(r"<(/?)h2>", r"<\1h3>", body)
    body = re.sub(r"<(/?)h1>", r"<\1h2>", body)
    return body
