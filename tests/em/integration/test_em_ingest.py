"""Device data ingest: idempotent, durable, line-numbered rejections, alerts stored with case
events, late fixes evaluated in fix-time order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from probation.adapters.db.tables import CaseEventRow
from probation.em.domain.alerts import needs_attention
from probation.em.services import runtime as em_runtime
from probation.em.services.runtime import reset_runtimes
from probation.em.tables import EmAlertRow, EmDeviceEventRow, EmFixRow
from tests.conftest import NOW
from tests.em.factories import CENTRE, em_case, fix, offset, walk_in

pytestmark = pytest.mark.usefixtures("fresh_em_runtime")  # the EM runtime is per process

Auth = Callable[[str], dict[str, str]]


@pytest.fixture
def case_id(app: Any) -> int:
    with app.state.sessions.begin() as s:
        return em_case(s)


def count(app: Any, table: Any) -> int:
    with app.state.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(table)) or 0)


def kinds(app: Any, case_id: int) -> list[str]:
    with app.state.sessions() as s:
        return list(s.scalars(select(CaseEventRow.kind).where(CaseEventRow.case_id == case_id)
                              .order_by(CaseEventRow.seq)))


def test_a_walk_into_the_zone_raises_approach_and_entry_and_records_the_case_events(
        client: TestClient, auth: Auth, app: Any, case_id: int) -> None:
    start = NOW - timedelta(hours=1)
    r = client.post("/api/em/ingest", json={"positions": walk_in("DEV-1", start)}, headers=auth("em"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["accepted"] == 12 and body["duplicates"] == 0 and body["rejected"] == []
    got = {a["kind"] for a in body["alerts"]}
    assert {"approach", "entry", "exit"} <= got
    with app.state.sessions() as s:
        entry = s.scalar(select(EmAlertRow).where(EmAlertRow.kind == "entry"))
        assert entry is not None and entry.breach and entry.violation and entry.case_id == case_id
        assert entry.status == "raised" and entry.priority == "high"
    k = kinds(app, case_id)
    assert "em_violation_detected" in k and "em_alert_raised" in k
    assert k.count("em_positions_received") == 1  # once per day, not per fix


def test_the_same_batch_sent_twice_is_stored_once_and_raises_nothing_new(
        client: TestClient, auth: Auth, app: Any, case_id: int) -> None:
    batch = {"positions": walk_in("DEV-1", NOW - timedelta(hours=1))}
    first = client.post("/api/em/ingest", json=batch, headers=auth("em")).json()
    events_before = kinds(app, case_id)
    second = client.post("/api/em/ingest", json=batch, headers=auth("em")).json()
    assert second["accepted"] == 0 and second["duplicates"] == 12
    assert second["alerts"] == []
    assert count(app, EmFixRow) == 12
    assert count(app, EmAlertRow) == len(first["alerts"])
    assert kinds(app, case_id) == events_before


def test_a_runtime_that_missed_batches_replays_them_and_raises_each_alert_once(
        client: TestClient, auth: Auth, app: Any, case_id: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process (or a restart) with no checkpoint of the first batches replays them from
    the log, in the transaction of the next batch: the alerts they raised are found already
    stored, so neither the alerts nor their case events are doubled (on PostgreSQL the replayed
    batches' alerts pass through the same temporary table in one transaction)."""
    monkeypatch.setattr(em_runtime, "CHECKPOINT_EVERY_BATCHES", 10**9)
    monkeypatch.setattr(em_runtime, "CHECKPOINT_EVERY_S", 10**9)
    walk = walk_in("DEV-1", NOW - timedelta(hours=1))
    answers = [client.post("/api/em/ingest", json={"positions": walk[a:b]},
                           headers=auth("em")).json() for a, b in ((0, 5), (5, 7))]
    reset_runtimes()  # the next batch meets a runtime that saw none of them
    answers.append(client.post("/api/em/ingest", json={"positions": walk[7:]},
                               headers=auth("em")).json())
    raised = [a for answer in answers for a in answer["alerts"] if a["new"]]
    assert [[a["kind"] for a in answer["alerts"] if a["new"]] for answer in answers] == [
        ["approach"], ["entry"], ["exit"]]
    assert count(app, EmAlertRow) == len(raised)
    attention = [a for a in raised if needs_attention(a["kind"], breach=a["breach"])]
    assert len(attention) >= 2  # approach and entry at least
    assert kinds(app, case_id).count("em_alert_raised") == len(attention)


def test_ndjson_bad_lines_are_rejected_by_number_and_the_rest_is_kept(
        client: TestClient, auth: Auth, app: Any, case_id: int) -> None:
    t = NOW - timedelta(minutes=30)
    lat, lon = offset(*CENTRE, -2000, 0)
    lines = [
        orjson.dumps(fix("DEV-1", t, lat, lon)),
        b"{not json",
        orjson.dumps(fix("DEV-1", t + timedelta(seconds=30), 95.0, lon)),
        orjson.dumps(fix("NOPE", t + timedelta(seconds=40), lat, lon)),
        orjson.dumps(fix("DEV-1", NOW + timedelta(hours=2), lat, lon)),
        orjson.dumps({"device": "DEV-1", "time": "yesterday", "lat": lat, "lon": lon}),
        orjson.dumps({"device": "DEV-1", "time": (t + timedelta(seconds=50)).isoformat(),
                      "event": "strap_tamper"}),
        orjson.dumps(fix("DEV-1", t + timedelta(seconds=60), lat, lon, accuracy_m=-3)),
        orjson.dumps(fix("DEV-1", t + timedelta(seconds=90), lat, lon)),
    ]
    r = client.post("/api/em/ingest", content=b"\n".join(lines),
                    headers={**auth("em"), "Content-Type": "application/x-ndjson"})
    assert r.status_code == 200, r.text
    body = r.json()
    rejected = {x["line"]: x["reason"] for x in body["rejected"]}
    assert set(rejected) == {2, 3, 4, 5, 6, 8}
    assert "malformed JSON" in rejected[2]
    assert "95.0" in rejected[3]
    assert "unknown device 'NOPE'" in rejected[4]
    assert "after now" in rejected[5]
    assert "ISO 8601" in rejected[6]
    assert "accuracy_m" in rejected[8]
    assert body["accepted"] == 2 and body["events_accepted"] == 1
    assert count(app, EmFixRow) == 2 and count(app, EmDeviceEventRow) == 1
    assert [a["kind"] for a in body["alerts"]] == ["tamper"]


def test_times_outside_the_years_of_a_record_are_rejected_by_line_not_answered_500(
        client: TestClient, auth: Auth, app: Any, case_id: int) -> None:
    """Year 1 overflowed the conversion to London time (the day of em_positions_received), and
    with an offset east of UTC it overflowed at parsing: a 500 for the whole batch. Now each
    such line is rejected with its number and the rule; the good line is stored."""
    t = NOW - timedelta(minutes=30)
    lat, lon = offset(*CENTRE, -2000, 0)
    good = fix("DEV-1", t, lat, lon)
    lines = [{**good, "time": "0001-01-01T00:00:00Z"},
             {**good, "time": "0001-01-01T00:30:00+01:00"},
             {"device": "DEV-1", "time": "1850-06-01T12:00:00Z", "event": "strap_tamper"},
             {**good, "time": "2200-01-01T00:00:00Z"},
             good]
    r = client.post("/api/em/ingest", content=b"\n".join(orjson.dumps(x) for x in lines),
                    headers={**auth("em"), "Content-Type": "application/x-ndjson"})
    assert r.status_code == 200, r.text
    body = r.json()
    rejected = {x["line"]: x["reason"] for x in body["rejected"]}
    assert set(rejected) == {1, 2, 3, 4}
    assert all("outside the years 1900-2199" in reason for reason in rejected.values())
    assert body["accepted"] == 1 and body["events_accepted"] == 0
    assert count(app, EmFixRow) == 1 and count(app, EmDeviceEventRow) == 0


def test_a_fix_from_a_device_whose_monitoring_ended_is_refused_with_the_reason(
        client: TestClient, auth: Auth, app: Any, case_id: int) -> None:
    r = client.post(f"/api/em/cases/{case_id}/end-monitoring", json={"reason": "revoked"},
                    headers=auth("em"))
    assert r.status_code == 200 and r.json()["devices_stopped"] == 1
    lat, lon = offset(*CENTRE, -2000, 0)
    body = client.post("/api/em/ingest", json=[fix("DEV-1", NOW - timedelta(minutes=1), lat, lon)],
                       headers=auth("em")).json()
    assert body["accepted"] == 0
    assert "no longer monitored" in body["rejected"][0]["reason"]


def test_a_late_fix_is_evaluated_in_fix_time_order(client: TestClient, auth: Auth, app: Any,
                                                    case_id: int) -> None:
    start = NOW - timedelta(hours=2)
    walk = walk_in("DEV-1", start, steps=13, step_s=60)
    inside = walk[6]  # the fix at CENTRE, the only one inside the zone
    others = [f for f in walk if f is not inside]
    # Segments longer than the engine's crossing check so only the point itself shows the entry.
    r1 = client.post("/api/em/ingest", json={"positions": others[:6]}, headers=auth("em")).json()
    assert all(a["kind"] != "entry" for a in r1["alerts"])
    client.post("/api/em/ingest", json={"positions": others[6:]}, headers=auth("em"))
    r3 = client.post("/api/em/ingest", json={"positions": [inside]}, headers=auth("em")).json()
    assert r3["accepted"] == 1 and r3["rewound_cases"] == [case_id] and not r3["not_evaluated"]
    assert [a["kind"] for a in r3["alerts"] if a["new"]] == ["entry"]
    with app.state.sessions() as s:
        stored = set(s.scalars(select(EmAlertRow.kind).where(EmAlertRow.case_id == case_id)))
    assert "entry" in stored


def test_only_the_em_provider_may_send_device_data(client: TestClient, auth: Auth,
                                                   case_id: int) -> None:
    r = client.post("/api/em/ingest", json=[], headers=auth("om1"))
    assert r.status_code == 403


def test_a_body_that_is_not_json_is_refused_and_writes_nothing(client: TestClient, auth: Auth,
                                                               app: Any, case_id: int) -> None:
    r = client.post("/api/em/ingest", content=b"{oops", headers={**auth("em"),
                                                                   "Content-Type": "application/json"})
    assert r.status_code == 422
    assert count(app, EmFixRow) == 0


def test_fixes_without_accuracy_repeats_and_a_gps_and_other_fix_at_one_time_are_stored_once_each(
        client: TestClient, auth: Auth, app: Any, case_id: int) -> None:
    # The column-wise path end to end on each backend (PostgreSQL: COPY and INSERT ... SELECT).
    t = NOW - timedelta(minutes=30)
    lat, lon = offset(*CENTRE, 2_000, 0)
    bare = {k: v for k, v in fix("DEV-1", t, lat, lon).items() if k != "accuracy_m"}
    other = fix("DEV-1", t, lat, lon, source="other")
    later = fix("DEV-1", t + timedelta(seconds=30), lat, lon, accuracy_m=0)
    body = {"positions": [bare, other, bare, later]}
    first = client.post("/api/em/ingest", json=body, headers=auth("em")).json()
    assert (first["accepted"], first["duplicates"], first["rejected"]) == (3, 1, [])
    again = client.post("/api/em/ingest", json=body, headers=auth("em")).json()
    assert (again["accepted"], again["duplicates"], again["alerts"]) == (0, 4, [])
    with app.state.sessions() as s:
        rows = s.execute(select(EmFixRow.source, EmFixRow.accuracy_m).order_by(
            EmFixRow.t_ms, EmFixRow.source)).all()
    assert [tuple(r) for r in rows] == [("gps", None), ("other", 5.0), ("gps", 0.0)]
