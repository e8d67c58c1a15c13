"""Seeding for the EM operator and police liaison browser journeys, through the live server's own
HTTP API with bearer tokens (so its ingest runtime sees the device and zones it evaluates):

- Ezra Monitored (M100001): an electronically monitored exclusion from Leeds city centre, a
  device fitted two hours ago, and a walk into the zone an hour ago that raises an entry alert;
- Nina Notified (M200001): a non-EM exclusion whose commencement notice the offender manager
  (om1) sent to West Yorkshire Police, on which the police report a violation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.em.factories import CENTRE, square, walk_in
from tests.factories import PASSWORD, case_body

LONDON = ZoneInfo("Europe/London")
DEVICE = "E2E-DEV-1"


@dataclass(frozen=True, kw_only=True)
class EmData:
    em_crn: str
    em_name: str
    alert_id: str
    police_crn: str
    police_name: str
    police_case_id: int
    notice_subject: str


class Api:
    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30)
        self.tokens: dict[str, str] = {}

    def _headers(self, user: str) -> dict[str, str]:
        if user not in self.tokens:
            r = self.http.post("/api/token", json={"username": user, "password": PASSWORD})
            r.raise_for_status()
            self.tokens[user] = r.json()["access_token"]
        return {"Authorization": f"Bearer {self.tokens[user]}"}

    def call(self, method: str, path: str, user: str, body: Any) -> Any:
        r = self.http.request(method, path, json=body, headers=self._headers(user))
        if r.status_code >= 300:
            raise RuntimeError(f"{method} {path} as {user}: {r.status_code} {r.text}")
        return r.json()


def _exclusion_case(api: Api, crn: str, first: str, last: str, *, em: bool, today: Any) -> int:
    start = (today - timedelta(days=10)).isoformat()
    body = case_body(person__crn=crn, person__first_name=first, person__last_name=last,
                     sentence__sentence_date=start,
                     sentence__offence={"code": "02801", "offence_date": (today - timedelta(days=90)).isoformat()},
                     sentence__requirements=[{"type": "exclusion", "start_date": start, "length_months": 6,
                                              "places": ["Leeds city centre"], "electronically_monitored": em}])
    return int(api.call("POST", "/api/cases", "admin", body)["case_id"])


_SEEDED: dict[str, EmData] = {}


def seed(base_url: str) -> EmData:
    """Once per live server: both journeys' modules call it."""
    if base_url not in _SEEDED:
        _SEEDED[base_url] = _seed(base_url)
    return _SEEDED[base_url]


def _seed(base_url: str) -> EmData:
    now = datetime.now(UTC)
    today = now.astimezone(LONDON).date()
    api = Api(base_url)
    try:
        em_id = _exclusion_case(api, "M100001", "Ezra", "Monitored", em=True, today=today)
        api.call("PUT", f"/api/em/cases/{em_id}/zones", "em", {"zones": [
            {"zone_id": "Z1", "kind": "exclusion", "name": "Leeds city centre", "geometry": square(*CENTRE, 100)}]})
        api.call("POST", f"/api/em/cases/{em_id}/identity", "em",
                 {"method": "photo ID", "at": (now - timedelta(hours=3)).isoformat()})
        api.call("POST", f"/api/em/cases/{em_id}/installation", "em",
                 {"device_id": DEVICE, "at": (now - timedelta(hours=2)).isoformat()})
        result = api.call("POST", "/api/em/ingest", "em",
                          {"positions": walk_in(DEVICE, now - timedelta(hours=1))})
        alert_id = next(a["id"] for a in result["alerts"] if a["kind"] == "entry")

        police_id = _exclusion_case(api, "M200001", "Nina", "Notified", em=False, today=today)
        notices = api.call("POST", f"/api/em/cases/{police_id}/notices", "om1",
                           {"kind": "commencement", "recipients": ["POL-WY"]})
        subject = notices["items"][0]["subject"]
    finally:
        api.http.close()
    return EmData(em_crn="M100001", em_name="Ezra Monitored", alert_id=alert_id, police_crn="M200001",
                  police_name="Nina Notified", police_case_id=police_id, notice_subject=subject)


def decide_latest_report(base_url: str, decision: str) -> None:
    """The offender manager (om1) decides the newest police violation report through the API."""
    api = Api(base_url)
    try:
        rid = api.call("GET", "/api/em/police/violation-reports", "om1", None)["items"][0]["id"]
        api.call("POST", f"/api/em/police/violation-reports/{rid}/decision", "om1", {"decision": decision})
    finally:
        api.http.close()
