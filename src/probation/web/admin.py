"""Administrator pages: users and roles, teams, providers, commissioned options and timescales per
provider, audit log search with a reads-per-day chart, and the letter delivery log. Only the
administrator role sees them (others get 403). See docs/ADMIN.md."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from probation.adapters.db.tables import StaffRow
from probation.api.deps import get_now, get_session
from probation.api.security_headers import document
from probation.catalogue import load_catalogue
from probation.catalogue.timescales import DayUnit
from probation.domain.calendar import FIRST_YEAR, LAST_YEAR, LONDON, outside_years
from probation.domain.errors import DomainError, NotFound
from probation.domain.organisations import OrganisationKind
from probation.domain.people import CRN_PATTERN
from probation.domain.roles import Role
from probation.services import admin, letters
from probation.services.audit import AuditQuery
from probation.services.context import Actor
from probation.web.forms import CSRF, flash, take_flash
from probation.web.pages import render
from probation.web.session import web_actor

router = APIRouter(include_in_schema=False)
ADMIN = frozenset({Role.ADMINISTRATOR})
ACTIONS = ("read", "write", "login", "logout", "login_failed", "locked", "throttled", "denied")
PAGE_SIZE = 25


def _admin(request: Request, session: Session) -> Actor:
    actor = web_actor(request, session)
    admin.ensure_admin(actor)
    return actor


def _page(request: Request, name: str, actor: Actor, status: int = 200, **ctx: Any) -> HTMLResponse:
    return render(request, f"admin/{name}", status=status, actor=actor,
                  flash=take_flash(request) if status == 200 else None, **ctx)


def _done(request: Request, message: str, to: str) -> Response:
    flash(request, message)
    return RedirectResponse(to, status_code=303)


def _field_error(exc: DomainError, fields: tuple[str, ...], default: str) -> dict[str, str]:
    """A domain error shown next to the field it names (or the form's main field)."""
    field = exc.field if exc.field in fields else default
    return {field: exc.message[:1].upper() + exc.message[1:]}


def _attempt(action: Callable[[], Any], fields: tuple[str, ...], default: str) -> dict[str, str]:
    try:
        action()
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        return _field_error(exc, fields, default)
    return {}


@router.get("/admin")
def home(request: Request, session: Session = Depends(get_session)) -> Response:
    _admin(request, session)
    return RedirectResponse("/admin/users", status_code=303)


# --- users -----------------------------------------------------------------------------------

USER_FIELDS = ("username", "display_name", "role", "staff_code", "organisation_code", "password", "active")


def _choices(session: Session, actor: Actor) -> dict[str, Any]:
    staff = session.scalars(select(StaffRow).order_by(StaffRow.last_name, StaffRow.first_name)).all()
    return {"roles": list(Role), "organisations": admin.list_organisations(session, actor),
            "staff": [(s.code, f"{s.first_name} {s.last_name} ({s.code}, team {s.team_code})") for s in staff]}


@router.get("/admin/users")
def users_page(request: Request, q: str = Query("", max_length=100), role: str = Query("", max_length=32),
               session: Session = Depends(get_session)) -> HTMLResponse:
    actor = _admin(request, session)
    chosen = Role(role) if role in {r.value for r in Role} else None
    found = admin.list_users(session, actor, q=q or None, role=chosen)
    return _page(request, "users.html", actor, users=found, q=q, role=chosen.value if chosen else "", roles=list(Role))


@router.get("/admin/users/new")
def new_user_page(request: Request, session: Session = Depends(get_session)) -> HTMLResponse:
    actor = _admin(request, session)
    return _page(request, "user_new.html", actor, errors={}, form={}, **_choices(session, actor))


@router.post("/admin/users/new")
def new_user(request: Request, username: str = Form(""), display_name: str = Form(""), role: str = Form(""),
             staff_code: str = Form(""), organisation_code: str = Form(""), password: str = Form(""),
             csrf: None = CSRF, session: Session = Depends(get_session),
             now: datetime = Depends(get_now)) -> Response:
    actor = _admin(request, session)
    form = {"username": username.strip(), "display_name": display_name, "role": role, "staff_code": staff_code,
            "organisation_code": organisation_code}
    errors: dict[str, str] = {}
    if not username.strip():
        errors["username"] = "Enter a username"
    if not display_name.strip():
        errors["display_name"] = "Enter the user's name"
    if not role:
        errors["role"] = "Select a role"
    if not password:
        errors["password"] = "Enter a password"
    if not errors:
        errors = _attempt(lambda: admin.create_user(
            session, actor, username=username.strip(), password=password, role=admin.parse_role(role),
            display_name=display_name, staff_code=staff_code or None, organisation_code=organisation_code or None,
            now=now), USER_FIELDS, "username")
    if errors:
        return _page(request, "user_new.html", actor, status=400, errors=errors, form=form,
                     **_choices(session, actor))
    return _done(request, f"User {username.strip()} added with the role {Role(role).label}",
                 f"/admin/users?q={username.strip()}")


def _user_context(session: Session, actor: Actor, username: str, now: datetime) -> dict[str, Any]:
    return {"sessions": admin.user_sessions(session, actor, username, now=now), **_choices(session, actor)}


@router.get("/admin/users/{username}")
def user_page(username: str, request: Request, session: Session = Depends(get_session),
              now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = _admin(request, session)
    user = admin.get_user(session, actor, username)
    form = {"display_name": user.display_name, "role": user.role.value, "staff_code": user.staff_code or "",
            "organisation_code": user.organisation_code or "", "active": "yes" if user.active else "no"}
    return _page(request, "user_edit.html", actor, user=user, errors={}, form=form,
                 **_user_context(session, actor, username, now))


@router.post("/admin/users/{username}")
def edit_user(username: str, request: Request, display_name: str = Form(""), role: str = Form(""),
              staff_code: str = Form(""), organisation_code: str = Form(""), active: str = Form(""),
              csrf: None = CSRF, session: Session = Depends(get_session),
              now: datetime = Depends(get_now)) -> Response:
    actor = _admin(request, session)
    user = admin.get_user(session, actor, username)
    form = {"display_name": display_name, "role": role, "staff_code": staff_code,
            "organisation_code": organisation_code, "active": active}
    errors: dict[str, str] = {}
    if not display_name.strip():
        errors["display_name"] = "Enter the user's name"
    if not role:
        errors["role"] = "Select a role"
    if active not in ("yes", "no"):
        errors["active"] = "Select whether the account is active"
    if not errors:
        errors = _attempt(lambda: admin.update_user(
            session, actor, username, role=admin.parse_role(role), active=active == "yes",
            display_name=display_name, staff_code=staff_code or None,
            organisation_code=organisation_code or None, now=now), USER_FIELDS, "role")
    if errors:
        return _page(request, "user_edit.html", actor, status=400, user=user, errors=errors, form=form,
                     **_user_context(session, actor, username, now))
    return _done(request, f"User {username} updated", f"/admin/users/{username}")


@router.post("/admin/users/{username}/password")
def reset_password(username: str, request: Request, password: str = Form(""), confirm: str = Form(""),
                   csrf: None = CSRF, session: Session = Depends(get_session),
                   now: datetime = Depends(get_now)) -> Response:
    actor = _admin(request, session)
    user = admin.get_user(session, actor, username)
    errors: dict[str, str] = {}
    if not password:
        errors["password"] = "Enter a new password"
    elif password != confirm:
        errors["confirm"] = "The passwords do not match"
    if not errors:
        errors = _attempt(lambda: admin.reset_password(session, actor, username, password=password, now=now),
                          ("password",), "password")
    if errors:
        form = {"display_name": user.display_name, "role": user.role.value, "staff_code": user.staff_code or "",
                "organisation_code": user.organisation_code or "", "active": "yes" if user.active else "no"}
        return _page(request, "user_edit.html", actor, status=400, user=user, errors=errors, form=form,
                     **_user_context(session, actor, username, now))
    return _done(request, f"Password reset for {username}; they have been signed out everywhere",
                 f"/admin/users/{username}")


@router.post("/admin/users/{username}/sign-out-everywhere")
def sign_out_everywhere(username: str, request: Request, csrf: None = CSRF,
                        session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor = _admin(request, session)
    ended = admin.sign_out_everywhere(session, actor, username, now=now)
    return _done(request, f"{username} has been signed out everywhere ({ended} session{'s' if ended != 1 else ''} "
                 "ended)", f"/admin/users/{username}")


# --- teams and providers ---------------------------------------------------------------------

TEAM_FIELDS = ("code", "name", "organisation_code")


def _teams(request: Request, session: Session, actor: Actor, status: int = 200, **ctx: Any) -> HTMLResponse:
    ctx.setdefault("errors", {})
    ctx.setdefault("form", {})
    return _page(request, "teams.html", actor, status=status, teams=admin.list_teams(session, actor),
                 providers=admin.list_providers(session, actor), **ctx)


@router.get("/admin/teams")
def teams_page(request: Request, session: Session = Depends(get_session)) -> HTMLResponse:
    actor = _admin(request, session)
    return _teams(request, session, actor)


@router.post("/admin/teams")
def add_team(request: Request, code: str = Form(""), name: str = Form(""), organisation_code: str = Form(""),
             csrf: None = CSRF, session: Session = Depends(get_session),
             now: datetime = Depends(get_now)) -> Response:
    actor = _admin(request, session)
    errors: dict[str, str] = {}
    if not code.strip():
        errors["code"] = "Enter a team code"
    if not name.strip():
        errors["name"] = "Enter the team's name"
    if not organisation_code:
        errors["organisation_code"] = "Select the provider"
    if not errors:
        errors = _attempt(lambda: admin.add_team(session, actor, code=code, name=name,
                                                 organisation_code=organisation_code, now=now),
                          TEAM_FIELDS, "code")
    if errors:
        return _teams(request, session, actor, status=400, errors=errors,
                      form={"code": code, "name": name, "organisation_code": organisation_code})
    return _done(request, f"Team {code.strip().upper()} added", "/admin/teams")


@router.get("/admin/teams/{code}")
def team_page(code: str, request: Request, session: Session = Depends(get_session)) -> HTMLResponse:
    actor = _admin(request, session)
    team = admin.get_team(session, actor, code)
    return _page(request, "team_edit.html", actor, team=team, providers=admin.list_providers(session, actor),
                 errors={}, form={"name": team.name, "organisation_code": team.organisation_code})


@router.post("/admin/teams/{code}")
def edit_team(code: str, request: Request, name: str = Form(""), organisation_code: str = Form(""),
              csrf: None = CSRF, session: Session = Depends(get_session),
              now: datetime = Depends(get_now)) -> Response:
    actor = _admin(request, session)
    team = admin.get_team(session, actor, code)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Enter the team's name"
    if not organisation_code:
        errors["organisation_code"] = "Select the provider"
    if not errors:
        errors = _attempt(lambda: admin.update_team(session, actor, code, name=name,
                                                    organisation_code=organisation_code, now=now),
                          TEAM_FIELDS, "organisation_code")
    if errors:
        return _page(request, "team_edit.html", actor, status=400, team=team, errors=errors,
                     providers=admin.list_providers(session, actor),
                     form={"name": name, "organisation_code": organisation_code})
    return _done(request, f"Team {code} updated", "/admin/teams")


ORG_FIELDS = ("code", "name", "kind", "email")


def _providers(request: Request, session: Session, actor: Actor, status: int = 200, **ctx: Any) -> HTMLResponse:
    ctx.setdefault("errors", {})
    ctx.setdefault("form", {})
    return _page(request, "providers.html", actor, status=status,
                 organisations=admin.list_organisations(session, actor), kinds=list(OrganisationKind),
                 provider_kinds=admin.PROVIDER_KINDS, **ctx)


@router.get("/admin/providers")
def providers_page(request: Request, session: Session = Depends(get_session)) -> HTMLResponse:
    actor = _admin(request, session)
    return _providers(request, session, actor)


@router.post("/admin/providers")
def add_provider(request: Request, code: str = Form(""), name: str = Form(""), kind: str = Form(""),
                 email: str = Form(""), csrf: None = CSRF,
                 session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor = _admin(request, session)
    errors: dict[str, str] = {}
    if not code.strip():
        errors["code"] = "Enter a code"
    if not name.strip():
        errors["name"] = "Enter the organisation's name"
    if not kind:
        errors["kind"] = "Select the kind of organisation"
    if not errors:
        errors = _attempt(lambda: admin.add_organisation(session, actor, code=code, name=name, kind=kind,
                                                         email=email.strip() or None, now=now), ORG_FIELDS, "code")
    if errors:
        return _providers(request, session, actor, status=400, errors=errors,
                          form={"code": code, "name": name, "kind": kind, "email": email})
    return _done(request, f"Organisation {code.strip().upper()} added", "/admin/providers")


def _organisation(session: Session, actor: Actor, code: str) -> Any:
    for org in admin.list_organisations(session, actor):
        if org.code == code:
            return org
    raise NotFound(f"no organisation {code}", field="code", value=code, rule="the organisation must exist")


@router.get("/admin/providers/{code}")
def provider_page(code: str, request: Request, session: Session = Depends(get_session)) -> HTMLResponse:
    actor = _admin(request, session)
    org = _organisation(session, actor, code)
    return _page(request, "provider_edit.html", actor, org=org, errors={},
                 form={"name": org.name, "email": org.email or ""})


@router.post("/admin/providers/{code}")
def edit_provider(code: str, request: Request, name: str = Form(""), email: str = Form(""),
                  csrf: None = CSRF, session: Session = Depends(get_session),
                  now: datetime = Depends(get_now)) -> Response:
    actor = _admin(request, session)
    org = _organisation(session, actor, code)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Enter the organisation's name"
    if not errors:
        errors = _attempt(lambda: admin.update_organisation(session, actor, code, name=name,
                                                            email=email.strip() or None, now=now),
                          ("name", "email"), "name")
    if errors:
        return _page(request, "provider_edit.html", actor, status=400, org=org, errors=errors,
                     form={"name": name, "email": email})
    return _done(request, f"Organisation {code} updated", "/admin/providers")


# --- commissioned options and timescales -----------------------------------------------------

def _contract(request: Request, session: Session, actor: Actor, code: str, status: int = 200,
              **ctx: Any) -> HTMLResponse:
    settings = admin.contract_settings(session, actor, code)
    cat = load_catalogue()
    options = sorted(((r.option_id, f"{r.spec_id.value} row {r.row}: {r.output}") for r in cat.rows.values()
                      if r.option_id), key=lambda o: o[0])
    ctx.setdefault("errors", {})
    ctx.setdefault("form", {})
    ctx.setdefault("chosen", set(settings.commissioned_options))
    return _page(request, "contract.html", actor, status=status, settings=settings, options=options,
                 timescales=sorted(cat.named_timescales.items()), units=list(DayUnit), **ctx)


@router.get("/admin/providers/{code}/contract")
def contract_page(code: str, request: Request, session: Session = Depends(get_session)) -> HTMLResponse:
    actor = _admin(request, session)
    return _contract(request, session, actor, code)


@router.post("/admin/providers/{code}/options")
def save_options(code: str, request: Request, options: list[str] = Form(default_factory=list),
                 csrf: None = CSRF, session: Session = Depends(get_session),
                 now: datetime = Depends(get_now)) -> Response:
    actor = _admin(request, session)
    errors = _attempt(lambda: admin.set_commissioned_options(session, actor, code, options, now=now),
                      ("commissioned_options",), "commissioned_options")
    if errors:
        return _contract(request, session, actor, code, status=400, errors=errors, chosen=set(options))
    return _done(request, "Commissioned options saved", f"/admin/providers/{code}/contract")


@router.post("/admin/providers/{code}/timescales")
def save_timescale(code: str, request: Request, timescale: str = Form(""), days: str = Form(""),
                   unit: str = Form(""), csrf: None = CSRF,
                   session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor = _admin(request, session)
    errors: dict[str, str] = {}
    if not timescale:
        errors["timescale"] = "Select the timescale to override"
    if not days.strip():
        errors["days"] = "Enter the number of days"
    if not unit:
        errors["unit"] = "Select calendar days or working days"
    if not errors:
        errors = _attempt(lambda: admin.set_timescale_override(session, actor, code, name=timescale, days=days,
                                                               unit=unit, now=now),
                          ("timescale", "days", "unit"), "timescale")
    if errors:
        return _contract(request, session, actor, code, status=400, errors=errors,
                         form={"timescale": timescale, "days": days, "unit": unit})
    return _done(request, f"Timescale {timescale} overridden", f"/admin/providers/{code}/contract")


@router.post("/admin/providers/{code}/timescales/{name}/clear")
def clear_timescale(code: str, name: str, request: Request, csrf: None = CSRF,
                    session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    actor = _admin(request, session)
    admin.clear_timescale_override(session, actor, code, name=name, now=now)
    return _done(request, f"Timescale {name} is back to the default", f"/admin/providers/{code}/contract")


# --- audit log -------------------------------------------------------------------------------

def _day(value: str, field: str, errors: dict[str, str], label: str) -> date | None:
    if not value.strip():
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        errors[field] = f"{label} must be a real date written as year-month-day, for example 2026-11-23"
        return None
    if outside_years(day):  # 9999-12-31 overflowed the day after it: a 500
        errors[field] = f"{label} must be a date between {FIRST_YEAR} and {LAST_YEAR}"
        return None
    return day


@router.get("/admin/audit")
def audit_page(request: Request, user: str = Query("", max_length=100), crn: str = Query("", max_length=40),
               action: str = Query("", max_length=16), date_from: str = Query("", alias="from", max_length=20),
               date_to: str = Query("", alias="to", max_length=20), page: int = Query(1, ge=1, le=100_000),
               session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = _admin(request, session)
    errors: dict[str, str] = {}
    subject = crn.strip().upper()
    if subject and not CRN_PATTERN.match(subject) and ":" not in subject:
        errors["crn"] = "Enter a case reference as one capital letter then six digits, for example A123456"
    if action and action not in ACTIONS:
        errors["action"] = "Select an action from the list"
    since, until = _day(date_from, "from", errors, "From"), _day(date_to, "to", errors, "To")
    if since and until and until < since:
        errors["to"] = "To must be the same as or after From"
    form = {"user": user, "crn": crn, "action": action, "from": date_from, "to": date_to}
    if errors:
        return _page(request, "audit.html", actor, status=400, errors=errors, form=form, result=None,
                     actions=ACTIONS, chart=None, links={})
    q = AuditQuery(username=user.strip() or None, subject=subject or None, action=action or None,
                   since=datetime.combine(since, time(), LONDON) if since else None,
                   until=datetime.combine(until + timedelta(days=1), time(), LONDON) if until else None)
    result = admin.search_audit(session, actor, q, page=page, size=PAGE_SIZE, now=now)
    base = {k: v for k, v in form.items() if v}
    links = {"prev": f"/admin/audit?{urlencode({**base, 'page': page - 1})}" if page > 1 else None,
             "next": f"/admin/audit?{urlencode({**base, 'page': page + 1})}" if page < result.pages else None}
    return _page(request, "audit.html", actor, errors={}, form=form, result=result, actions=ACTIONS,
                 chart=reads_chart(result.reads_per_day), links=links)


def reads_chart(days: list[tuple[date, int]]) -> dict[str, Any] | None:
    """Bar geometry for the server-rendered SVG: one bar per London day, scaled to the busiest."""
    if not days:
        return None
    top = max(n for _, n in days) or 1
    width, height, left, bottom = 760, 200, 40, 30
    step = (width - left) / len(days)
    bars = []
    for i, (day, n) in enumerate(days):
        h = round((height - bottom - 10) * n / top, 1)
        w = min(max(step * 0.8, 1), 48)  # a few days should not make slabs
        bars.append({"x": round(left + i * step + (step - w) / 2, 1), "w": round(w, 1),
                     "y": round(height - bottom - h, 1), "h": h, "day": day, "n": n,
                     "label": day.strftime("%-d %b") if len(days) <= 14 or i % max(1, len(days) // 10) == 0
                     else None})
    total = sum(n for _, n in days)
    busiest = max(days, key=lambda d: d[1])
    return {"bars": bars, "top": top, "width": width, "height": height, "left": left, "bottom": bottom,
            "total": total, "first": days[0][0], "last": days[-1][0], "busiest": busiest}


# --- letters ---------------------------------------------------------------------------------

@router.get("/admin/letters")
def letters_page(request: Request, status: str = Query("", max_length=16), kind: str = Query("", max_length=40),
                 page: int = Query(1, ge=1, le=100_000), session: Session = Depends(get_session),
                 now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = _admin(request, session)
    errors: dict[str, str] = {}
    if status and status not in letters.STATUSES:
        errors["status"] = "Select a status from the list"
    log = letters.delivery_log(session, actor, status=None if errors else status or None, kind=kind or None,
                               page=page, size=PAGE_SIZE, now=now)
    base = {k: v for k, v in {"status": status, "kind": kind}.items() if v}
    links = {"prev": f"/admin/letters?{urlencode({**base, 'page': page - 1})}" if page > 1 else None,
             "next": f"/admin/letters?{urlencode({**base, 'page': page + 1})}" if page < log.pages else None}
    return _page(request, "letters.html", actor, status=400 if errors else 200, errors=errors, log=log,
                 statuses=letters.STATUSES, kinds=[k.value for k in letters.LetterKind],
                 form={"status": status, "kind": kind}, links=links)


@router.get("/admin/letters/{letter_id}")
def letter_view(letter_id: int, request: Request, session: Session = Depends(get_session),
                now: datetime = Depends(get_now)) -> HTMLResponse:
    actor = _admin(request, session)
    return document(letters.letter_html(session, actor, letter_id, now=now))
