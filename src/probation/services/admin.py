"""Administrator use cases: users and roles, teams, providers, per-provider contract settings
(commissioned options and timescale overrides) and audit log search. Only administrators may
call them; every change is written to the audit log. Password hashes never leave this module."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from probation.adapters.db.tables import AuditRow, CaseRow, OrganisationRow, StaffRow, TeamRow, UserRow
from probation.adapters.db.tables_admin import ProviderContractRow
from probation.catalogue import NATIONAL_MINIMUM_ONLY, Catalogue, CatalogueError, Contract, load_catalogue
from probation.catalogue.loader import parse
from probation.catalogue.models import ContractFile
from probation.catalogue.timescales import Offset
from probation.domain.calendar import LONDON
from probation.domain.case import CaseStatus
from probation.domain.email_address import check_email
from probation.domain.errors import Conflict, Forbidden, InvalidValue, NotFound, require
from probation.domain.organisations import OrganisationKind
from probation.domain.passwords import check_new_password
from probation.domain.roles import Role
from probation.services import audit, auth_sessions, users
from probation.services.audit import AuditQuery
from probation.services.context import Actor
from probation.services.passwords import hash_password

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,15}$")
PROVIDER_KINDS = (OrganisationKind.NPS_REGION, OrganisationKind.CONTRACTED_PROVIDER)
# Roles that act for an organisation rather than a team: their access is scoped by it.
NEEDS_ORGANISATION = (Role.EM_OPERATOR, Role.POLICE_LIAISON)


def ensure_admin(actor: Actor) -> None:
    if actor.role is not Role.ADMINISTRATOR:
        raise Forbidden(f"the {actor.role.label} role cannot administer the service", field="role",
                        value=actor.role.value, rule="only administrators manage users, teams, providers, "
                        "contracts and the audit log")


# --- users -----------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class UserView:
    """A user as administrators see it: never the password hash."""

    username: str
    display_name: str
    role: Role
    staff_code: str | None
    organisation_code: str | None
    active: bool
    created_at: datetime


def _view(row: UserRow) -> UserView:
    return UserView(username=row.username, display_name=row.display_name, role=Role(row.role),
                    staff_code=row.staff_code, organisation_code=row.organisation_code, active=row.active,
                    created_at=row.created_at)


def list_users(session: Session, actor: Actor, *, q: str | None = None, role: Role | None = None) -> list[UserView]:
    ensure_admin(actor)
    stmt = select(UserRow)
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(UserRow.username).like(like), func.lower(UserRow.display_name).like(like)))
    if role is not None:
        stmt = stmt.where(UserRow.role == role.value)
    return [_view(r) for r in session.scalars(stmt.order_by(UserRow.username).limit(500))]


def _user_row(session: Session, username: str) -> UserRow:
    row = session.scalar(select(UserRow).where(UserRow.username == username))
    if row is None:
        raise NotFound(f"no user {username}", field="username", value=username, rule="the user must exist")
    return row


def get_user(session: Session, actor: Actor, username: str) -> UserView:
    ensure_admin(actor)
    return _view(_user_row(session, username))


def parse_role(value: str, field: str = "role") -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidValue(f"role {value!r} is not a role of the service", field=field, value=value,
                           rule="choose one of " + ", ".join(r.value for r in Role)) from None


def _check_links(session: Session, role: Role, staff_code: str | None, organisation_code: str | None) -> None:
    if staff_code and session.get(StaffRow, staff_code) is None:
        raise InvalidValue(f"no staff member {staff_code}", field="staff_code", value=staff_code,
                           rule="a user's staff record must exist")
    if organisation_code and session.get(OrganisationRow, organisation_code) is None:
        raise InvalidValue(f"no organisation {organisation_code}", field="organisation_code",
                           value=organisation_code, rule="a user's organisation must exist")
    if role in (Role.PRACTITIONER, Role.TEAM_MANAGER):
        require(staff_code is not None, f"a {role.label.lower()} user needs a staff record", field="staff_code",
                value=staff_code, rule="practitioners and team managers are staff in a team")
    if role is Role.PROVIDER_STAFF:
        require(bool(staff_code or organisation_code), "a provider staff user needs a staff record or a provider",
                field="organisation_code", value=organisation_code,
                rule="provider staff see their provider's cases, so the provider must be known")
    if role in NEEDS_ORGANISATION:
        require(organisation_code is not None, f"an {role.label} user needs an organisation"
                if role.label[0] in "AEIOU" else f"a {role.label} user needs an organisation",
                field="organisation_code", value=organisation_code,
                rule="EM operators and police liaison act for an organisation")


def create_user(session: Session, actor: Actor, *, username: str, password: str, role: Role, display_name: str,
                staff_code: str | None = None, organisation_code: str | None = None, now: datetime) -> UserView:
    ensure_admin(actor)
    require(bool(USERNAME.fullmatch(username)), f"username {username!r} is not 2-32 lower-case letters, digits, "
            "dots, dashes or underscores", field="username", value=username,
            rule="usernames are 2-32 characters a-z, 0-9, '.', '-' or '_', starting with a letter or digit")
    require(bool(display_name.strip()), "enter the user's name", field="display_name", value=display_name,
            rule="a user has a display name")
    _check_links(session, role, staff_code, organisation_code)
    row = users.add_user(session, username=username, password=password, role=role, display_name=display_name.strip(),
                         staff_code=staff_code, organisation_code=organisation_code, now=now)
    audit.record(session, actor, "write", f"user:{username}"[:40], f"user added with role {role.value}", at=now)
    return _view(row)


def _active_admins(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(UserRow).where(
        UserRow.role == Role.ADMINISTRATOR.value, UserRow.active)) or 0


def update_user(session: Session, actor: Actor, username: str, *, role: Role, active: bool, display_name: str,
                staff_code: str | None, organisation_code: str | None, now: datetime) -> UserView:
    ensure_admin(actor)
    row = _user_row(session, username)
    require(bool(display_name.strip()), "enter the user's name", field="display_name", value=display_name,
            rule="a user has a display name")
    _check_links(session, role, staff_code, organisation_code)
    was_admin = row.role == Role.ADMINISTRATOR.value and row.active
    if was_admin and (role is not Role.ADMINISTRATOR or not active):
        if username == actor.username:
            raise Conflict("you cannot remove your own administrator access", field="role" if active else "active",
                           value=username, rule="another administrator must change your account")
        if _active_admins(session) <= 1:
            raise Conflict(f"{username} is the last active administrator", field="role", value=username,
                           rule="the service keeps at least one active administrator")
    changes = []
    if row.role != role.value:
        changes.append(f"role {row.role} -> {role.value}")
    if row.active != active:
        changes.append("reactivated" if active else "deactivated")
    if (row.staff_code, row.organisation_code, row.display_name) != (staff_code, organisation_code,
                                                                     display_name.strip()):
        changes.append("details changed")
    if row.active and not active:
        # a deactivated account is signed out at once, not when its sessions expire
        ended = auth_sessions.end_all(session, row.id, now=now, reason="account deactivated")
        changes.append(f"{ended} session(s) ended")
    row.role, row.active, row.display_name = role.value, active, display_name.strip()
    row.staff_code, row.organisation_code = staff_code, organisation_code
    session.flush()
    audit.record(session, actor, "write", f"user:{username}"[:40], "; ".join(changes) or "no change", at=now)
    return _view(row)


def reset_password(session: Session, actor: Actor, username: str, *, password: str, now: datetime) -> None:
    ensure_admin(actor)
    row = _user_row(session, username)
    check_new_password(password)
    row.password_hash = hash_password(password)
    # whoever knew the old password may hold a session or token: end them all
    ended = auth_sessions.end_all(session, row.id, now=now, reason="password reset")
    session.flush()
    audit.record(session, actor, "write", f"user:{username}"[:40], f"password reset; {ended} session(s) ended",
                 at=now)


def sign_out_everywhere(session: Session, actor: Actor, username: str, *, now: datetime) -> int:
    """End every session and API token of a user at once (a lost laptop, a suspected compromise)."""
    ensure_admin(actor)
    row = _user_row(session, username)
    ended = auth_sessions.end_all(session, row.id, now=now, reason="signed out everywhere")
    audit.record(session, actor, "write", f"user:{username}"[:40], f"signed out everywhere; {ended} session(s) "
                 "ended", at=now)
    return ended


def user_sessions(session: Session, actor: Actor, username: str, *, now: datetime) -> auth_sessions.SessionSummary:
    ensure_admin(actor)
    return auth_sessions.summary(session, _user_row(session, username).id, now=now)


# --- providers and teams ---------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class TeamView:
    code: str
    name: str
    organisation_code: str
    organisation_name: str
    staff: int
    open_cases: int


def list_organisations(session: Session, actor: Actor) -> list[OrganisationRow]:
    ensure_admin(actor)
    return list(session.scalars(select(OrganisationRow).order_by(OrganisationRow.kind, OrganisationRow.name)))


def list_providers(session: Session, actor: Actor) -> list[OrganisationRow]:
    """Probation providers: the NPS regions and contracted providers that hold teams and contracts."""
    return [o for o in list_organisations(session, actor) if o.kind in PROVIDER_KINDS]


def _provider(session: Session, code: str, field: str = "organisation_code") -> OrganisationRow:
    org = session.get(OrganisationRow, code)
    if org is None:
        raise InvalidValue(f"no provider {code}", field=field, value=code, rule="choose an existing provider")
    if org.kind not in PROVIDER_KINDS:
        raise InvalidValue(f"{org.name} is a {org.kind.replace('_', ' ')}, not a probation provider", field=field,
                           value=code, rule="teams and contracts belong to an NPS region or a contracted provider")
    return org


def add_organisation(session: Session, actor: Actor, *, code: str, name: str, kind: str, email: str | None,
                     now: datetime) -> OrganisationRow:
    ensure_admin(actor)
    code = code.strip().upper()
    require(bool(CODE.fullmatch(code)), f"code {code!r} is not 1-16 capital letters, digits or dashes", field="code",
            value=code, rule="organisation codes are 1-16 characters A-Z, 0-9 or '-'")
    require(bool(name.strip()), "enter the organisation's name", field="name", value=name,
            rule="an organisation has a name")
    if kind not in {k.value for k in OrganisationKind}:
        raise InvalidValue(f"kind {kind!r} is not a kind of organisation", field="kind", value=kind,
                           rule="choose one of " + ", ".join(k.value for k in OrganisationKind))
    _check_email(email)
    if session.get(OrganisationRow, code) is not None:
        raise Conflict(f"organisation {code} exists", field="code", value=code, rule="organisation codes are unique")
    row = OrganisationRow(code=code, name=name.strip(), kind=kind, email=email or None)
    session.add(row)
    session.flush()
    audit.record(session, actor, "write", f"organisation:{code}", f"{kind} added", at=now)
    return row


def _check_email(email: str | None, field: str = "email") -> None:
    check_email(email, field=field)  # no line break: the address becomes a To header
    if email:
        require(len(email) <= 200, f"the email address is {len(email)} characters, over 200", field=field,
                value=email, rule="an email address of at most 200 characters")


def update_organisation(session: Session, actor: Actor, code: str, *, name: str, email: str | None,
                        now: datetime) -> OrganisationRow:
    ensure_admin(actor)
    row = session.get(OrganisationRow, code)
    if row is None:
        raise NotFound(f"no organisation {code}", field="code", value=code, rule="the organisation must exist")
    require(bool(name.strip()), "enter the organisation's name", field="name", value=name,
            rule="an organisation has a name")
    _check_email(email)
    row.name, row.email = name.strip(), email or None
    session.flush()
    audit.record(session, actor, "write", f"organisation:{code}", "details changed", at=now)
    return row


def _open_cases(session: Session, team_code: str) -> int:
    return session.scalar(select(func.count()).select_from(CaseRow).where(
        CaseRow.team_code == team_code, CaseRow.status != CaseStatus.CLOSED.value)) or 0


def list_teams(session: Session, actor: Actor) -> list[TeamView]:
    ensure_admin(actor)
    staff = {k: n for k, n in session.execute(select(StaffRow.team_code, func.count()).group_by(StaffRow.team_code))}
    cases = {k: n for k, n in session.execute(select(CaseRow.team_code, func.count()).where(
        CaseRow.status != CaseStatus.CLOSED.value).group_by(CaseRow.team_code))}
    rows = session.execute(select(TeamRow, OrganisationRow.name).join(
        OrganisationRow, OrganisationRow.code == TeamRow.organisation_code).order_by(TeamRow.code)).all()
    return [TeamView(code=t.code, name=t.name, organisation_code=t.organisation_code, organisation_name=name,
                     staff=staff.get(t.code, 0), open_cases=cases.get(t.code, 0)) for t, name in rows]


def get_team(session: Session, actor: Actor, code: str) -> TeamView:
    for team in list_teams(session, actor):
        if team.code == code:
            return team
    raise NotFound(f"no team {code}", field="code", value=code, rule="the team must exist")


def add_team(session: Session, actor: Actor, *, code: str, name: str, organisation_code: str,
             now: datetime) -> TeamRow:
    ensure_admin(actor)
    code = code.strip().upper()
    require(bool(CODE.fullmatch(code)), f"code {code!r} is not 1-16 capital letters, digits or dashes", field="code",
            value=code, rule="team codes are 1-16 characters A-Z, 0-9 or '-'")
    require(bool(name.strip()), "enter the team's name", field="name", value=name, rule="a team has a name")
    _provider(session, organisation_code)
    if session.get(TeamRow, code) is not None:
        raise Conflict(f"team {code} exists", field="code", value=code, rule="team codes are unique")
    row = TeamRow(code=code, name=name.strip(), organisation_code=organisation_code)
    session.add(row)
    session.flush()
    audit.record(session, actor, "write", f"team:{code}", f"team added to {organisation_code}", at=now)
    return row


def update_team(session: Session, actor: Actor, code: str, *, name: str, organisation_code: str,
                now: datetime) -> TeamRow:
    ensure_admin(actor)
    row = session.get(TeamRow, code)
    if row is None:
        raise NotFound(f"no team {code}", field="code", value=code, rule="the team must exist")
    require(bool(name.strip()), "enter the team's name", field="name", value=name, rule="a team has a name")
    _provider(session, organisation_code)
    detail = "name changed"
    if organisation_code != row.organisation_code:
        # Each case records its provider; moving a team under open cases would split them from it.
        open_cases = _open_cases(session, code)
        if open_cases:
            raise Conflict(f"team {code} has {open_cases} open case(s)", field="organisation_code",
                           value=organisation_code, rule="transfer a team's open cases before moving the team "
                           "to another provider")
        detail = f"provider {row.organisation_code} -> {organisation_code}"
    row.name, row.organisation_code = name.strip(), organisation_code
    session.flush()
    audit.record(session, actor, "write", f"team:{code}", detail, at=now)
    return row


# --- contract settings -----------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class ContractSettings:
    organisation_code: str
    organisation_name: str
    commissioned_options: tuple[str, ...]
    timescale_overrides: dict[str, Offset]
    updated_at: datetime | None
    updated_by: str | None


def contract_id_for(organisation_code: str) -> str:
    """A catalogue identifier (lower case, underscores) naming the provider's stored contract."""
    return "provider_" + re.sub(r"[^a-z0-9]+", "_", organisation_code.lower()).strip("_")


def validate_contract(raw: dict[str, Any], catalogue: Catalogue, *, source: str) -> Contract:
    """The catalogue's own rules for a contract (as `load_contract` applies to a file): the strict
    ContractFile model, then every option and timescale name checked against the catalogue."""
    data = parse(ContractFile, raw, source)
    for i, option in enumerate(data.commissioned_options):
        if option not in catalogue.option_ids:
            raise CatalogueError(source, f"commissioned_options[{i}]", f"{option!r} is not a commissionable option "
                                 f"(known: {', '.join(sorted(catalogue.option_ids))})")
    for name in data.timescale_overrides:
        if name not in catalogue.named_timescales:
            raise CatalogueError(source, f"timescale_overrides.{name}", f"no named timescale {name!r}")
    return Contract(contract_id=data.contract_id, provider=data.provider,
                    commissioned_options=frozenset(data.commissioned_options),
                    timescale_overrides=dict(data.timescale_overrides), rule_overrides={}, file=None)


def _raw(org: OrganisationRow, options: list[str], overrides: dict[str, Any]) -> dict[str, Any]:
    return {"contract_id": contract_id_for(org.code), "provider": org.name,
            "commissioned_options": list(options), "timescale_overrides": dict(overrides)}


def contract_for(session: Session, organisation_code: str, catalogue: Catalogue | None = None) -> Contract:
    """The provider's contract as a catalogue `Contract` for the obligations engine: the settings
    stored by administrators, or the national minimum where none are stored."""
    row = session.get(ProviderContractRow, organisation_code)
    org = session.get(OrganisationRow, organisation_code)
    if row is None or org is None:
        return NATIONAL_MINIMUM_ONLY
    cat = catalogue or load_catalogue()
    return validate_contract(_raw(org, row.commissioned_options, row.timescale_overrides), cat,
                             source=f"provider_contract {organisation_code}")


def contract_settings(session: Session, actor: Actor, organisation_code: str) -> ContractSettings:
    ensure_admin(actor)
    org = _provider(session, organisation_code, field="provider")
    row = session.get(ProviderContractRow, organisation_code)
    overrides = {k: Offset.model_validate(v) for k, v in (row.timescale_overrides if row else {}).items()}
    return ContractSettings(organisation_code=org.code, organisation_name=org.name,
                            commissioned_options=tuple(row.commissioned_options) if row else (),
                            timescale_overrides=overrides, updated_at=row.updated_at if row else None,
                            updated_by=row.updated_by if row else None)


def _save_contract(session: Session, actor: Actor, org: OrganisationRow, options: list[str],
                   overrides: dict[str, Any], detail: str, now: datetime) -> None:
    try:
        validate_contract(_raw(org, options, overrides), load_catalogue(), source=f"contract for {org.code}")
    except CatalogueError as exc:
        field = "commissioned_options" if exc.key.startswith("commissioned") else "timescale"
        raise InvalidValue(exc.reason, field=field, value=exc.key, rule="contracts name catalogue options and "
                           "named timescales only (docs/CATALOGUE.md)") from None
    row = session.get(ProviderContractRow, org.code)
    if row is None:
        row = ProviderContractRow(organisation_code=org.code)
        session.add(row)
    row.commissioned_options, row.timescale_overrides = sorted(options), dict(sorted(overrides.items()))
    row.updated_at, row.updated_by = now, actor.username
    session.flush()
    audit.record(session, actor, "write", f"contract:{org.code}", detail, at=now)


def set_commissioned_options(session: Session, actor: Actor, organisation_code: str, options: list[str], *,
                             now: datetime) -> None:
    current = contract_settings(session, actor, organisation_code)
    org = _provider(session, organisation_code, field="provider")
    overrides = {k: v.model_dump(mode="json") for k, v in current.timescale_overrides.items()}
    _save_contract(session, actor, org, sorted(set(options)), overrides,
                   "options: " + (", ".join(sorted(set(options))) or "none"), now)


def set_timescale_override(session: Session, actor: Actor, organisation_code: str, *, name: str, days: str,
                           unit: str, now: datetime) -> Offset:
    current = contract_settings(session, actor, organisation_code)
    org = _provider(session, organisation_code, field="provider")
    if name not in load_catalogue().named_timescales:
        raise InvalidValue(f"no named timescale {name!r}", field="timescale", value=name,
                           rule="choose a named timescale from the catalogue")
    try:
        offset = Offset.model_validate({"days": days.strip(), "unit": unit})
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "days"
        message = ("enter the number of days as a whole number from 0 to 3660" if field == "days"
                   else "choose calendar days or working days")
        raise InvalidValue(message, field=field, value=days if field == "days" else unit,
                           rule="a timescale is 0 to 3660 calendar or working days") from None
    overrides = {k: v.model_dump(mode="json") for k, v in current.timescale_overrides.items()}
    overrides[name] = offset.model_dump(mode="json")
    _save_contract(session, actor, org, list(current.commissioned_options), overrides,
                   f"timescale {name} = {offset.describe()}", now)
    return offset


def clear_timescale_override(session: Session, actor: Actor, organisation_code: str, *, name: str,
                             now: datetime) -> None:
    current = contract_settings(session, actor, organisation_code)
    org = _provider(session, organisation_code, field="provider")
    overrides = {k: v.model_dump(mode="json") for k, v in current.timescale_overrides.items() if k != name}
    _save_contract(session, actor, org, list(current.commissioned_options), overrides,
                   f"timescale {name} back to the default", now)


# --- audit log search ------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class AuditPage:
    rows: list[AuditRow]
    total: int
    page: int
    size: int
    reads_per_day: list[tuple[date, int]]  # London days, oldest first, gaps filled with 0

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


CHART_DAYS = 92  # the chart shows at most the last quarter of the filtered reads


def _filters(q: AuditQuery) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if q.username:
        out.append(AuditRow.username == q.username)
    if q.subject:
        # A person's CRN is the subject of reads of their record, and among the subjects of every
        # list that showed it (audit.read), so a CRN search finds both.
        out.append(audit.about(q.subject))
    if q.action:
        out.append(AuditRow.action == q.action)
    if q.since:
        out.append(AuditRow.at >= q.since)
    if q.until:
        out.append(AuditRow.at < q.until)
    return out


def search_audit(session: Session, actor: Actor, q: AuditQuery, *, page: int = 1, size: int = 50,
                 now: datetime) -> AuditPage:
    ensure_admin(actor)
    where = _filters(q)
    total = session.scalar(select(func.count()).select_from(AuditRow).where(*where)) or 0
    rows = list(session.scalars(select(AuditRow).where(*where).order_by(AuditRow.id.desc())
                                .limit(size).offset((page - 1) * size)))
    audit.record(session, actor, "read", None, f"audit search {_describe(q)}: {total} rows", at=now)
    return AuditPage(rows=rows, total=total, page=page, size=size, reads_per_day=_reads_per_day(session, q))


def _describe(q: AuditQuery) -> str:
    parts = [f"{k}={v}" for k, v in (("user", q.username), ("subject", q.subject), ("action", q.action),
                                     ("from", q.since), ("to", q.until)) if v]
    return " ".join(str(p) for p in parts) or "all"


def _reads_per_day(session: Session, q: AuditQuery) -> list[tuple[date, int]]:
    """Reads of the filtered result per London day. Grouped by UTC hour in the database (London's
    offset is a whole number of hours), then each hour is placed on its London day."""
    if q.action and q.action != "read":
        return []
    where = [*_filters(q), AuditRow.action == "read"]
    dialect = session.get_bind().dialect.name
    hour = (func.strftime("%Y-%m-%d %H", AuditRow.at) if dialect == "sqlite"
            else func.to_char(func.timezone("UTC", AuditRow.at), "YYYY-MM-DD HH24"))
    counts: Counter[date] = Counter()
    for bucket, n in session.execute(select(hour, func.count()).where(*where).group_by(hour)).all():
        utc = datetime.strptime(str(bucket), "%Y-%m-%d %H").replace(tzinfo=UTC)
        counts[utc.astimezone(LONDON).date()] += int(n)
    if not counts:
        return []
    last = max(counts)
    first = max(min(counts), last - timedelta(days=CHART_DAYS - 1))
    return [(first + timedelta(days=i), counts.get(first + timedelta(days=i), 0))
            for i in range((last - first).days + 1)]
