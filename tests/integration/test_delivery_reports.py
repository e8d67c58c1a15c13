"""Progress and breach reports to court, as HTML and PDF, generated from the record."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.delivery_factories import Auth, MovableClock, add_locations, book, create_case, history, outcome


@pytest.fixture
def clock(app: Any) -> MovableClock:
    c = MovableClock()
    app.state.clock = c
    return c


def test_a_progress_report_shows_the_record_in_html_and_pdf(client: TestClient, auth: Auth,
                                                           clock: MovableClock) -> None:
    add_locations(client, auth)
    cid = create_case(client, auth)
    a = book(client, auth, cid, "2026-11-24T10:00:00+00:00", rar_activity=True)
    clock.set("2026-11-24T12:00:00+00:00")
    outcome(client, auth, cid, a["id"], "attended_complied", notes="Victim awareness <session> 1")
    r = client.get(f"/api/cases/{cid}/reports/progress?format=html", headers=auth("om1"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert "Progress report" in html and "Jo Bloggs" in html and "A123456" in html
    assert "Leeds Magistrates&#39; Court" in html or "Leeds Magistrates' Court" in html
    assert "Victim awareness &lt;session&gt; 1" in html  # escaped, never raw HTML from notes
    assert "<th>Days used</th><td>1</td>" in html.replace("\n", "").replace("  ", "")
    pdf = client.get(f"/api/cases/{cid}/reports/progress?format=pdf", headers=auth("om1"))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_a_breach_report_needs_a_breach_and_lists_the_failures(client: TestClient, auth: Auth,
                                                               clock: MovableClock) -> None:
    add_locations(client, auth)
    cid = create_case(client, auth)
    r = client.get(f"/api/cases/{cid}/reports/breach", headers=auth("om1"))
    assert r.status_code == 409 and "no breach" in r.json()["detail"]
    for start, value in (("2026-11-24", "unacceptable_absence"), ("2026-11-26", "attended_failed_to_comply")):
        appt = book(client, auth, cid, f"{start}T10:00:00+00:00")
        clock.set(f"{start}T12:00:00+00:00")
        outcome(client, auth, cid, appt["id"], value, account="overslept after a night shift")
        action = "warning_letter" if start == "2026-11-24" else "breach_to_court"
        assert client.post(f"/api/cases/{cid}/enforcement", json={"action": action},
                           headers=auth("om1")).status_code == 201
    html = client.get(f"/api/cases/{cid}/reports/breach", headers=auth("om1")).text
    assert "Breach report" in html and "2026-11-24" in html and "2026-11-26" in html
    assert "overslept after a night shift" in html and "Breach to court" in html


def test_requesting_and_submitting_a_report_are_recorded(client: TestClient, auth: Auth, clock: MovableClock) -> None:
    cid = create_case(client, auth)
    h = auth("om1")
    r = client.post(f"/api/cases/{cid}/reports/progress/request", json={"due_by": "2026-12-07"}, headers=h)
    assert r.status_code == 201
    past = client.post(f"/api/cases/{cid}/reports/progress/request", json={"due_by": "2026-11-01"}, headers=h)
    assert past.status_code == 422
    r = client.post(f"/api/cases/{cid}/reports/progress/submit", headers=h)
    assert r.status_code == 201 and len(r.json()["sha256"]) == 64
    tail = history(client, auth)[-2:]
    assert [e["kind"] for e in tail] == ["court_report_requested", "court_report_submitted"]
    assert tail[1]["data"]["report"] == "progress"
    assert client.get(f"/api/cases/{cid}/reports/progress?format=docx", headers=h).status_code == 422
    assert client.get(f"/api/cases/{cid}/reports/progress", headers=auth("om3")).status_code == 404
