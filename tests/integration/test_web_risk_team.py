"""The NPS risk team's pages: the queue of referred escalations and the decision, with GOV.UK
errors, and no access for other roles."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.integration.test_web_practice import Auth, app, clock, post, sign_in, web  # noqa: F401
from tests.protection_factories import provider_case


def _referred(client: TestClient, auth: Auth) -> int:
    cid = provider_case(client, auth)
    r = client.post(f"/api/cases/{cid}/risk-escalations", json={"concern": "Threats to ex-partner",
                                                                "evidence": "Police call-out log", "refer": True},
                    headers=auth("provider"))
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def test_the_risk_team_sees_a_referred_escalation_in_the_queue_and_keeps_it_with_the_provider(
        client: TestClient, web: TestClient, auth: Auth) -> None:  # noqa: F811
    eid = _referred(client, auth)
    sign_in(web, "risk")
    queue = web.get("/risk-team/escalations").text
    assert "1 escalation referred" in queue and "Jo Bloggs" in queue and "Contracted Provider A" in queue
    assert 'href="/risk-team/escalations"' in queue  # in the service navigation
    r = post(web, f"/risk-team/escalations/{eid}", {"decision": "keep_with_provider", "assessed_rosh": "medium",
                                                    "rationale": "Protective factors in place",
                                                    "planned_review_date-day": "20", "planned_review_date-month": "2",
                                                    "planned_review_date-year": "2027"})
    assert r.status_code == 303 and r.headers["location"] == "/risk-team/escalations"
    page = web.get("/risk-team/escalations").text
    assert "the case stays with the provider" in page and "0 escalations referred" in page
    assert "Threats to ex-partner" in web.get("/risk-team/escalations?status=decided").text


def test_taking_responsibility_requests_the_transfer_to_an_nps_team(
        client: TestClient, web: TestClient, auth: Auth) -> None:  # noqa: F811
    eid = _referred(client, auth)
    sign_in(web, "risk")
    r = post(web, f"/risk-team/escalations/{eid}", {"decision": "take_responsibility", "assessed_rosh": "high",
                                                    "rationale": "Escalating threats", "to_team_code": "T1"})
    assert r.status_code == 303
    sign_in(web, "admin")
    assert "A transfer to Leeds North was requested" in web.get("/cases/A123456/transfer").text


def test_a_decision_with_missing_or_contradictory_answers_is_refused_next_to_the_fields(
        client: TestClient, web: TestClient, auth: Auth) -> None:  # noqa: F811
    eid = _referred(client, auth)
    sign_in(web, "risk")
    r = post(web, f"/risk-team/escalations/{eid}", {})
    assert r.status_code == 400
    for field in ("decision", "assessed_rosh", "rationale"):
        assert f'href="#{field}"' in r.text and f'id="{field}-error"' in r.text
    r = post(web, f"/risk-team/escalations/{eid}", {"decision": "take_responsibility", "assessed_rosh": "low",
                                                    "rationale": "x", "to_team_code": "T1"})
    assert r.status_code == 400
    assert 'href="#assessed_rosh">The NPS takes responsibility but assessed RoSH as low' in r.text
    r = post(web, f"/risk-team/escalations/{eid}", {"decision": "keep_with_provider", "assessed_rosh": "low",
                                                    "rationale": "x", "planned_review_date-day": "31",
                                                    "planned_review_date-month": "13",
                                                    "planned_review_date-year": "2027"})
    assert r.status_code == 400
    assert 'href="#planned_review_date-day">The date of the planned review of risk must be a real date' in r.text
    r = post(web, f"/risk-team/escalations/{eid}", {"decision": "take_responsibility", "assessed_rosh": "high",
                                                    "rationale": "x", "to_team_code": "T3"})
    assert r.status_code == 400 and "not the NPS" in r.text
    assert "1 escalation referred" in web.get("/risk-team/escalations").text  # nothing was written


def test_other_roles_never_see_the_risk_team_pages(
        client: TestClient, web: TestClient, auth: Auth) -> None:  # noqa: F811
    eid = _referred(client, auth)
    for user in ("om1", "provider", "tm1", "commissioner", "police", "em"):
        sign_in(web, user)
        assert web.get("/risk-team/escalations").status_code == 403, user
        assert web.get(f"/risk-team/escalations/{eid}").status_code == 403, user
        assert 'href="/risk-team/escalations"' not in web.get("/account").text
    sign_in(web, "risk")
    assert web.get(f"/risk-team/escalations/{eid + 50}").status_code == 404
