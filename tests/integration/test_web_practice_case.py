"""Risk, plan, obligations and transfer on the practitioner's case pages: GOV.UK errors from the
server, the services' rules shown next to the field, and access by role and team."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.delivery_factories import create_case
from tests.integration.test_web_practice import Auth, app, clock, post, sign_in, web  # noqa: F401
from tests.protection_factories import provider_case


def plan_form(**extra: str) -> dict[str, str]:
    return {"plan_date-day": "20", "plan_date-month": "11", "plan_date-year": "2026",
            "objective-1": "Complete thinking skills work", "link-1": "requirement:rehabilitation_activity",
            "objective-2": "Find settled accommodation", "link-2": "need:accommodation", "agreed": "yes", **extra}


def test_a_plan_is_made_then_reviewed_and_both_show_on_the_plan_page(
        client: TestClient, web: TestClient, auth: Auth) -> None:  # noqa: F811
    create_case(client, auth)
    sign_in(web, "om1")
    r = post(web, "/cases/A123456/plan", plan_form())
    assert r.status_code == 303
    page = web.get("/cases/A123456/plan").text
    assert "Plan recorded with 2 objective(s)" in page and "Find settled accommodation" in page
    r = post(web, "/cases/A123456/plan/reviews", {"review_date-day": "23", "review_date-month": "11",
                                                  "review_date-year": "2026", "reasons": "regular",
                                                  "agreed": "yes", "notes": "On track"},
             form_page="/cases/A123456/plan")
    assert r.status_code == 303
    assert "23 Nov 2026: regular – On track" in web.get("/cases/A123456/plan").text


def test_a_plan_that_misses_a_requirement_or_disagrees_without_a_reason_is_refused_next_to_the_fields(
        client: TestClient, web: TestClient, auth: Auth) -> None:  # noqa: F811
    create_case(client, auth)
    sign_in(web, "om1")
    r = post(web, "/cases/A123456/plan", plan_form(agreed="no", **{"link-1": ""}))
    assert r.status_code == 400
    assert 'href="#link-1">Select the requirement or need objective 1 addresses' in r.text
    assert 'href="#person_comments">Enter why the person does not agree' in r.text
    r = post(web, "/cases/A123456/plan", plan_form(**{"link-1": "need:finance"}))
    assert r.status_code == 400
    assert 'href="#objective-1">The plan leaves rehabilitation activity without an objective' in r.text
    r = post(web, "/cases/A123456/plan", plan_form(**{"plan_date-year": "2027"}))
    assert r.status_code == 400 and 'href="#plan_date-day">Date 2027-11-20 is after today' in r.text
    assert "Make a plan" in web.get("/cases/A123456/plan").text  # nothing was written


def test_the_obligations_page_lists_what_is_overdue_and_links_to_the_worklist(
        client: TestClient, web: TestClient, auth: Auth) -> None:  # noqa: F811
    create_case(client, auth)
    sign_in(web, "om1")
    page = web.get("/cases/A123456/obligations").text
    assert "Overdue" in page and 'href="/worklist"' in page and "manage row" in page


def test_a_transfer_is_requested_with_a_reason_and_shown_as_pending(
        client: TestClient, web: TestClient, auth: Auth) -> None:  # noqa: F811
    create_case(client, auth)
    sign_in(web, "om1")
    r = post(web, "/cases/A123456/transfer", {"to_team_code": "", "reason": ""})
    assert r.status_code == 400
    assert 'href="#to_team_code">Select the team' in r.text and 'href="#reason">Enter why' in r.text
    r = post(web, "/cases/A123456/transfer", {"to_team_code": "NOPE", "reason": "Moved"})
    assert r.status_code == 400 and 'href="#to_team_code">No team NOPE' in r.text
    r = post(web, "/cases/A123456/transfer", {"to_team_code": "T2", "reason": "Moved to south Leeds", "version": "1"})
    assert r.status_code == 400 and "has changed since version 1" in r.text  # allocation moved it on
    r = post(web, "/cases/A123456/transfer", {"to_team_code": "T2", "reason": "Moved to south Leeds"})
    assert r.status_code == 303
    page = web.get("/cases/A123456/transfer").text
    assert "A transfer to Leeds South was requested" in page


def test_a_provider_case_is_escalated_and_the_nps_decision_is_actioned_from_the_risk_page(
        client: TestClient, web: TestClient, auth: Auth) -> None:  # noqa: F811
    provider_case(client, auth)
    sign_in(web, "admin")
    r = post(web, "/cases/A123456/risk/escalations", {"concern": "", "evidence": "Threats", "refer": ""},
             form_page="/cases/A123456/risk")
    assert r.status_code == 400 and 'href="#concern">Enter the concern' in r.text and 'href="#refer">' in r.text
    r = post(web, "/cases/A123456/risk/escalations", {"concern": "Threats to ex-partner", "evidence": "Police log",
                                                      "refer": "yes"}, form_page="/cases/A123456/risk")
    assert r.status_code == 303
    page = web.get("/cases/A123456/risk").text
    assert "Risk escalation referred to the NPS risk team" in page and "Referred" in page


def test_an_nps_case_offers_no_escalation_and_the_risk_team_may_read_its_risk_page(
        client: TestClient, web: TestClient, auth: Auth) -> None:  # noqa: F811
    create_case(client, auth)
    sign_in(web, "om1")
    page = web.get("/cases/A123456/risk").text
    assert "Raise a risk escalation" not in page and "the NPS reassesses its own cases" in page
    sign_in(web, "risk")
    assert web.get("/cases/A123456/risk").status_code == 200
    assert web.get("/cases/A123456/plan").status_code == 403
    sign_in(web, "em")
    assert web.get("/cases/A123456/risk").status_code == 403


def test_a_restricted_case_is_hidden_from_colleagues_not_named_on_it(
        client: TestClient, web: TestClient, auth: Auth) -> None:  # noqa: F811
    cid = create_case(client, auth)
    r = client.post(f"/api/cases/{cid}/restriction", json={"restricted": True, "staff_codes": ["S1"],
                                                             "reason": "Staff member's relative"},
                    headers=auth("om1"))
    assert r.status_code == 200, r.text
    sign_in(web, "om2")  # same team, not named
    for path in ("appointments", "compliance", "risk", "plan", "obligations", "transfer"):
        assert web.get(f"/cases/A123456/{path}").status_code == 404, path
    sign_in(web, "om1")
    assert web.get("/cases/A123456/plan").status_code == 200
