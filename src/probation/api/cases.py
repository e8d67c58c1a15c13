"""JSON API routes under /api."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy import text
from sqlalchemy.orm import Session

from probation.api import schemas, views
from probation.api.deps import bearer, client_address, get_api_actor, get_now, get_session, throttle_policy
from probation.api.instant import Instant
from probation.domain.errors import Forbidden
from probation.domain.offences import Offence
from probation.domain.people import Address, Person
from probation.domain.requirements import Requirement
from probation.domain.roles import Role
from probation.domain.sentences import Sentence
from probation.services import admin, audit, auth_sessions, cases, sign_in
from probation.services.context import Actor

router = APIRouter(prefix="/api")
MAX_ID = 2**53  # ids fit every database integer; larger ones are refused with 422
health_router = APIRouter()


@health_router.get("/health", tags=["platform"], response_model=schemas.HealthAnswer)
def health(session: Session = Depends(get_session)) -> dict[str, str]:
    session.execute(text("SELECT 1"))
    return {"status": "ok", "database": session.get_bind().dialect.name}


@router.post("/token", tags=["auth"], response_model=schemas.TokenAnswer,
             responses={429: {"description": "Too many failed sign-ins: wait for "
                                             "the number of seconds in Retry-After"}})
def token(request: Request, body: schemas.TokenIn, now: datetime = Depends(get_now)) -> dict[str, str]:
    """A bearer token for the API: a session of its own, ended by `POST /api/sign-out`, by an
    administrator's "sign out everywhere" or password reset, or when it expires."""
    signed = sign_in.sign_in(request.app.state.sessions, username=body.username, password=body.password,
                             address=client_address(request), channel="api", now=now,
                             policy=throttle_policy(request), max_age_s=request.app.state.settings.token_max_age_s)
    return {"access_token": signed.identifier, "token_type": "bearer",
            "expires_at": signed.expires_at.isoformat()}


@router.post("/sign-out", status_code=204, tags=["auth"])
def sign_out(actor: Actor = Depends(get_api_actor), creds: HTTPAuthorizationCredentials | None = Depends(bearer),
             session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> Response:
    """End the session of the token this request carries: the token is refused from now on."""
    assert creds is not None  # get_api_actor has checked it
    auth_sessions.end(session, creds.credentials, now=now, reason="signed out")
    audit.record(session, actor, "logout", None, "signed out via api", at=now)
    return Response(status_code=204)


@router.post("/users/{username}/sign-out-everywhere", tags=["auth"],
             response_model=schemas.SignedOutEverywhereAnswer)
def sign_out_everywhere(username: str = Path(..., max_length=100), actor: Actor = Depends(get_api_actor),
                        session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    """Administrators: end every session and API token of a user at once."""
    ended = admin.sign_out_everywhere(session, actor, username, now=now)
    return {"username": username, "sessions_ended": ended}


@router.get("/me", tags=["auth"], response_model=schemas.MeAnswer)
def me(actor: Actor = Depends(get_api_actor)) -> dict[str, Any]:
    return {"username": actor.username, "role": actor.role.value, "display_name": actor.display_name,
            "staff_code": actor.staff_code, "team_code": actor.team_code,
            "organisation_code": actor.organisation_code}


@router.get("/caseload", tags=["cases"], response_model=schemas.CaseloadAnswer)
def caseload(scope: str = Query("mine", pattern="^(mine|all)$"), q: str | None = Query(None, max_length=100),
             status: str | None = Query("active", pattern="^(active|terminated|closed)$"),
             page: int = Query(1, ge=1, le=100_000), size: int = Query(25, ge=1, le=200),
             actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
             now: datetime = Depends(get_now)) -> dict[str, Any]:
    return views.caseload(cases.list_caseload(session, actor, scope=scope, q=q, status=status, page=page,
                                              size=size, now=now))


@router.get("/people/{crn}", tags=["cases"], response_model=schemas.PersonRecordAnswer,
            response_model_exclude_unset=True)  # a withheld detail stays absent
def person(crn: str, actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session),
           now: datetime = Depends(get_now)) -> dict[str, Any]:
    return views.person_record(cases.get_person_record(session, actor, crn, now=now))


def to_domain(body: schemas.CaseIn, crn: str) -> tuple[Person, Sentence]:
    p = body.person
    person = Person(crn=crn, first_name=p.first_name, last_name=p.last_name, date_of_birth=p.date_of_birth,
                    sex=p.sex, gender_identity=p.gender_identity, ethnicity=p.ethnicity, religion=p.religion,
                    disability=p.disability, first_language=p.first_language,
                    interpreter_required=p.interpreter_required, learning_difficulty=p.learning_difficulty,
                    addresses=tuple(Address(line1=a.line1, line2=a.line2, town=a.town, postcode=a.postcode.upper(),
                                            main=a.main) for a in p.addresses),
                    phone=p.phone, email=p.email)
    s = body.sentence
    offence = Offence(code=s.offence.code, description=s.offence.description, offence_date=s.offence.offence_date)
    requirements = tuple(Requirement(**r.model_dump(exclude={"places"}), places=tuple(r.places),
                                     offence_date=offence.offence_date) for r in s.requirements)
    sentence = Sentence(type=s.type, sentence_date=s.sentence_date, offence=offence, requirements=requirements,
                        length_months=s.length_months, custodial_term_days=s.custodial_term_days,
                        operational_period_months=s.operational_period_months,
                        supervision_period_months=s.supervision_period_months)
    return person, sentence


@router.post("/cases", status_code=201, tags=["cases"], response_model=schemas.CaseCreatedAnswer)
def create_case(body: schemas.CaseIn, response: Response, actor: Actor = Depends(get_api_actor),
                session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
    crn = body.person.crn or cases.new_crn(session)
    person, sentence = to_domain(body, crn)
    case_id = cases.create_case(session, actor, person=person, sentence=sentence, court_code=body.court_code,
                                organisation_code=body.organisation_code, team_code=body.team_code, now=now,
                                crn_given=body.person.crn is not None)
    response.headers["Location"] = f"/api/people/{crn}"
    return {"case_id": case_id, "crn": crn}


def _command_route(name: str, model: type[schemas.Versioned]) -> None:
    def handler(case_id: int = Path(..., ge=1, le=MAX_ID), body: Any = Body(...), actor: Actor = Depends(get_api_actor),
                session: Session = Depends(get_session), now: datetime = Depends(get_now)) -> dict[str, Any]:
        updated = cases.apply(session, actor, case_id, name, schemas.command_params(body), now=now,
                              expected_version=body.version)
        return views.case(updated)

    handler.__annotations__["body"] = model
    handler.__name__ = "case_" + name.replace("-", "_")
    router.post(f"/cases/{{case_id}}/{name}", tags=["case lifecycle"], summary=model.__doc__ or name,
                response_model=schemas.CaseAnswer)(handler)


for _name, _model in schemas.COMMAND_MODELS.items():
    _command_route(_name, _model)


AUDIT_ACTIONS = "^(read|write|login|logout|login_failed|locked|throttled|denied)$"


@router.get("/audit", tags=["audit"], response_model=schemas.AuditLogAnswer)
def audit_log(username: str | None = Query(None, max_length=100), subject: str | None = Query(None, max_length=40),
              action: str | None = Query(None, pattern=AUDIT_ACTIONS),
              since: Instant | None = None, until: Instant | None = None,
              page: int = Query(1, ge=1, le=100_000), size: int = Query(50, ge=1, le=200),
              actor: Actor = Depends(get_api_actor), session: Session = Depends(get_session)) -> dict[str, Any]:
    if actor.role is not Role.ADMINISTRATOR:
        raise Forbidden("only administrators query the audit log", field="role", value=actor.role.value,
                        rule="audit is for administrators")
    rows = audit.search(session, audit.AuditQuery(username=username, subject=subject, action=action, since=since,
                                                  until=until, limit=size, offset=(page - 1) * size))
    return {"items": [{"at": r.at.isoformat(), "username": r.username, "role": r.role, "action": r.action,
                       "subject": r.subject, "detail": r.detail, "channel": r.channel} for r in rows],
            "page": page, "size": size}
