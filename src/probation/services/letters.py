"""Written notifications and letters, the one letter pipeline: rendered from the letter templates
(adapters/documents/templates/letters/) to HTML and PDF, sent by email through a `Mailer`
(adapters/email.py; SMTP or the development outbox in adapters/email_outbox.py) or marked for
posting, and logged in the delivery log (`letter`, `letter_delivery`). See docs/LETTERS.md.

The generic API other features call:
- `render_letter(kind, context) -> (html, pdf)`: any kind, any context carrying its required keys;
- `send_letter(session, actor, kind=..., context=..., recipients=..., mailer=..., now=...)`;
- context builders from the record: `exclusion_context`, `csc_context`, `termination_context`.

Warning and breach letters to the person follow an enforcement decision (`enforcement_letters`,
`enforcement_letter_html`/`_pdf`, `send_enforcement_letter`, `enforcement_deliveries`); they go
through the same rendering, delivery and log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from jinja2.exceptions import UndefinedError
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from probation.adapters import documents
from probation.adapters.db import repository as repo
from probation.adapters.db.tables import CourtRow, OrganisationRow, PersonRow, RequirementRow, StaffRow, TeamRow
from probation.adapters.db.tables_admin import LetterDeliveryRow, LetterRow
from probation.adapters.db.tables_delivery import AppointmentRow, EnforcementActionRow
from probation.adapters.documents import long_date
from probation.adapters.email import Attachment, Email, Mailer, MailError
from probation.domain.case import CaseStatus
from probation.domain.delivery.appointments import AppointmentStatus
from probation.domain.delivery.enforcement import Action
from probation.domain.delivery.times import local_date
from probation.domain.errors import Conflict, InvalidValue, NotFound
from probation.domain.events import CaseEvent, EventKind
from probation.domain.periods import add_months
from probation.domain.requirements import RequirementType
from probation.services import access, audit
from probation.services.admin import ensure_admin
from probation.services.context import Actor
from probation.services.delivery.common import day_of, visible_case

# Printing a missing value fails (never a blank in a notice to the police); `{% if %}` may test one.
DOCUMENTS = documents.Renderer(documents.TEMPLATES / "letters", strict=True)


class LetterKind(StrEnum):
    CSC_NOTIFICATION = "csc_notification"
    PARTNER_TERMINATION = "partner_termination"
    EXCLUSION_START = "exclusion_start"
    EXCLUSION_END = "exclusion_end"

    @property
    def heading(self) -> str:
        return {
            "csc_notification": "Notification to Children's Social Care",
            "partner_termination": "Notice that an order has ended",
            "exclusion_start": "Notice of an exclusion requirement",
            "exclusion_end": "Notice that an exclusion requirement has ended",
        }[self.value]

    @property
    def required(self) -> tuple[str, ...]:
        """Context keys the template needs, besides the common ones (reference, sent_on, recipient)."""
        return {
            "csc_notification": ("person", "concern", "manager"),
            "partner_termination": ("person", "order", "termination", "manager"),
            "exclusion_start": ("person", "order", "requirement", "manager"),
            "exclusion_end": ("person", "order", "requirement", "manager"),
        }[self.value]

    @property
    def event(self) -> EventKind | None:
        """The case event that records this notice was sent (None: the caller records its own)."""
        return {"csc_notification": EventKind.CHILDREN_SERVICES_NOTIFIED,
                "partner_termination": EventKind.TERMINATION_NOTIFICATIONS_SENT}.get(self.value)


COMMON = ("reference", "sent_on", "recipient")


@dataclass(frozen=True, kw_only=True)
class Recipient:
    name: str
    email: str | None = None
    organisation_code: str | None = None


def parse_kind(value: str) -> LetterKind:
    try:
        return LetterKind(value)
    except ValueError:
        raise InvalidValue(f"letter kind {value!r} is not known", field="kind", value=value,
                           rule="choose one of " + ", ".join(k.value for k in LetterKind)) from None


def render_html(kind: LetterKind, context: dict[str, Any]) -> str:
    ctx = {"subject": kind.heading, "signed_by": None, **context}
    missing = [k for k in (*COMMON, *kind.required) if k not in ctx]
    if missing:
        raise InvalidValue(f"the {kind.value} letter needs {', '.join(missing)}", field=missing[0], value=None,
                           rule=f"a {kind.value} letter names " + ", ".join((*COMMON, *kind.required)))
    try:
        return DOCUMENTS.html(f"{kind.value}.html", **ctx)
    except UndefinedError as exc:
        raise InvalidValue(f"the {kind.value} letter is missing a value: {exc.message}", field="context",
                           value=None, rule="every value a letter shows must be given") from None


def render_letter(kind: LetterKind | str, context: dict[str, Any]) -> tuple[str, bytes]:
    """The letter as HTML and as a PDF. The context needs `reference`, `sent_on`, `recipient`
    ({name, email}) and the keys of `kind.required`; a missing one is an InvalidValue naming it."""
    k = kind if isinstance(kind, LetterKind) else parse_kind(kind)
    html = render_html(k, context)
    return html, DOCUMENTS.pdf(html)


@dataclass(frozen=True, kw_only=True)
class SentLetter:
    letter_id: int
    deliveries: list[LetterDeliveryRow]


def recipients_for(session: Session, codes: Sequence[str]) -> list[Recipient]:
    """Organisations as recipients (their email from the organisation record)."""
    out = []
    for code in codes:
        org = session.get(OrganisationRow, code)
        if org is None:
            raise InvalidValue(f"no organisation {code}", field="recipients", value=code,
                               rule="letters go to organisations on record")
        out.append(Recipient(name=org.name, email=org.email, organisation_code=org.code))
    return out


def send_letter(session: Session, actor: Actor, *, kind: LetterKind, context: dict[str, Any],
                recipients: Sequence[Recipient], mailer: Mailer, now: datetime, case_id: int | None = None,
                crn: str | None = None, record_event: bool = True) -> SentLetter:
    """Render one copy per recipient and deliver it: email (PDF attached) where the recipient has an
    address, otherwise `to_print` for posting. A mail failure is logged as `failed` with the error,
    not raised, so the attempt stays on record. With a case, the kind's event (if it has one) is
    appended to the case history as evidence that the notice was sent."""
    if not recipients:
        raise InvalidValue("the letter has no recipients", field="recipients", value=None,
                           rule="a letter goes to at least one recipient")
    reference = str(context.get("reference") or f"{crn or 'LETTER'}/{kind.value.upper()}")
    sent_on = context.get("sent_on") or local_date(now).strftime("%-d %B %Y")
    first = {**context, "reference": reference, "sent_on": sent_on,
             "recipient": {"name": recipients[0].name, "email": recipients[0].email}}
    letter = _logged_letter(session, actor, kind=kind.value, case_id=case_id, crn=crn, subject=kind.heading,
                            html=render_html(kind, first), now=now)
    deliveries = []
    for i, r in enumerate(recipients, start=1):
        ctx = {**first, "reference": f"{reference}/{letter.id}-{i}", "recipient": {"name": r.name, "email": r.email}}
        html, pdf = render_letter(kind, ctx)
        row = LetterDeliveryRow(letter_id=letter.id, kind=kind.value, case_id=case_id, crn=crn,
                                recipient_organisation_code=r.organisation_code, recipient_email=r.email,
                                created_at=now)
        email = None if not r.email else Email(
            to=r.email, subject=f"{kind.heading}{f' ({crn})' if crn else ''}",
            body=f"{kind.heading}.\n\nThe notice is attached as a PDF. Reference {ctx['reference']}.\n\n"
                 "The Probation Service\n",
            reference=f"letter-{letter.id}-{i}", html=html,
            attachments=(Attachment(filename=f"{kind.value}-{letter.id}-{i}.pdf", content=pdf),))
        _deliver(row, email, mailer, now=now)
        session.add(row)
        deliveries.append(row)
    session.flush()
    who = ", ".join(r.organisation_code or r.name for r in recipients)
    audit.record(session, actor, "write", crn, f"letter {letter.id} {kind.value} to {who}", at=now)
    if case_id is not None and record_event and kind.event is not None:
        repo.append_events(session, case_id, [CaseEvent(
            kind=kind.event, occurred_at=now, actor=actor.username, reason=f"{kind.heading} (letter {letter.id})",
            data={"letter_id": letter.id, "agencies": [r.organisation_code for r in recipients
                                                       if r.organisation_code]})], now=now)
    return SentLetter(letter_id=letter.id, deliveries=deliveries)


def _logged_letter(session: Session, actor: Actor, *, kind: str, case_id: int | None, crn: str | None,
                   subject: str, html: str, now: datetime) -> LetterRow:
    """The letter as sent, in the letter log (its deliveries are logged against it)."""
    letter = LetterRow(kind=kind, case_id=case_id, crn=crn, subject=subject, html=html, created_at=now,
                       created_by=actor.username)
    session.add(letter)
    session.flush()
    return letter


def _deliver(row: LetterDeliveryRow, email: Email | None, mailer: Mailer, *, now: datetime) -> None:
    """Email the copy, or with no address mark it `to_print` for posting. A mail failure is logged as
    `failed` with the error, not raised, so the attempt stays on record."""
    if email is None:
        row.channel, row.status = "post", "to_print"
        return
    row.channel = str(getattr(mailer, "channel", "email"))
    try:
        mailer.send(email)
        row.status, row.sent_at = "sent", now
    except MailError as exc:
        row.status, row.error = "failed", str(exc)[:2000]


# --- contexts from the record ------------------------------------------------------------------

def _case_parts(session: Session, actor: Actor, case_id: int) -> dict[str, Any]:
    case, row = visible_case(session, actor, case_id)
    person_row = session.get(PersonRow, row.person_id)
    assert person_row is not None
    p = repo.person_from_row(person_row)
    a = p.main_address
    address = ", ".join(x for x in (a.line1, a.line2, a.town, a.postcode) if x) if a else None
    om = session.get(StaffRow, row.offender_manager_code) if row.offender_manager_code else None
    team = session.get(TeamRow, row.team_code)
    provider = session.get(OrganisationRow, row.organisation_code)
    court = session.get(CourtRow, row.court_code)
    return {
        "case": case, "row": row,
        "person": {"name": f"{p.first_name} {p.last_name}", "crn": p.crn, "date_of_birth": long_date(p.date_of_birth),
                   "address": address},
        "order": {"sentence": case.sentence.type.label, "sentence_date": long_date(case.sentence.sentence_date),
                  "court": court.name if court else row.court_code,
                  "requirements": [r.type.label.capitalize() for r in case.sentence.requirements]},
        "manager": {"name": f"{om.first_name} {om.last_name}" if om else "Not yet allocated (contact the team)",
                    "email": om.email if om else None, "team": team.name if team else row.team_code,
                    "provider": provider.name if provider else row.organisation_code},
    }


def exclusion_context(session: Session, actor: Actor, case_id: int, *, requirement_id: int | None = None,
                      ended_on: Any = None, ended_reason: str | None = None) -> dict[str, Any]:
    """Name, address, length, scope (places) of the exclusion requirement and the offender
    manager's contact, for the start and end notices to the police and stakeholders."""
    parts = _case_parts(session, actor, case_id)
    stmt = select(RequirementRow).where(RequirementRow.case_id == case_id,
                                        RequirementRow.type == RequirementType.EXCLUSION.value)
    if requirement_id is not None:
        stmt = stmt.where(RequirementRow.id == requirement_id)
    req = session.scalar(stmt.order_by(RequirementRow.id))
    if req is None:
        which = f" {requirement_id}" if requirement_id else ""
        raise NotFound(f"case {case_id} has no exclusion requirement{which}",
                       field="requirement_id", value=requirement_id, rule="exclusion notices need an exclusion "
                       "requirement on the case")
    end = add_months(req.start_date, req.length_months) if req.length_months else None
    length = f"{req.length_months} month{'s' if req.length_months != 1 else ''}" if req.length_months else "the order"
    return {**{k: v for k, v in parts.items() if k not in ("case", "row")},
            "requirement": {"length": length, "start": long_date(req.start_date),
                            "last_day": long_date(end - timedelta(days=1)) if end else "the end of the order",
                            "places": list(req.places or []), "monitored": req.electronically_monitored,
                            "hours": None, "ended_on": long_date(ended_on) if ended_on else None},
            "ended_reason": ended_reason}


def csc_context(session: Session, actor: Actor, case_id: int, *, concern: str,
                children: Sequence[str] = (), actions: str | None = None) -> dict[str, Any]:
    if not concern.strip():
        raise InvalidValue("describe the concern for the child", field="concern", value=concern,
                           rule="a notification to Children's Social Care states the concern")
    parts = _case_parts(session, actor, case_id)
    return {**{k: v for k, v in parts.items() if k not in ("case", "row")}, "concern": concern.strip(),
            "children": list(children), "actions": actions}


def termination_context(session: Session, actor: Actor, case_id: int) -> dict[str, Any]:
    parts = _case_parts(session, actor, case_id)
    row = parts["row"]
    if row.status == CaseStatus.ACTIVE.value or row.terminated_on is None:
        raise Conflict(f"case {case_id} has not ended", field="case_id", value=case_id,
                       rule="partner agencies are told at termination, after the order ends")
    return {**{k: v for k, v in parts.items() if k not in ("case", "row")},
            "termination": {"ended_on": long_date(row.terminated_on),
                            "reason": (row.termination_reason or "ended").replace("_", " ")}}


# --- the delivery log ------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class DeliveryLog:
    rows: list[tuple[LetterDeliveryRow, str | None]]  # delivery, recipient organisation name
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


STATUSES = ("sent", "failed", "to_print")


def delivery_log(session: Session, actor: Actor, *, status: str | None = None, kind: str | None = None,
                 crn: str | None = None, page: int = 1, size: int = 50, now: datetime) -> DeliveryLog:
    ensure_admin(actor)
    where = [access.record_visible(actor, LetterDeliveryRow.case_id, LetterDeliveryRow.crn)]
    if status:
        if status not in STATUSES:
            raise InvalidValue(f"status {status!r} is not a delivery status", field="status", value=status,
                               rule="choose one of " + ", ".join(STATUSES))
        where.append(LetterDeliveryRow.status == status)
    if kind:
        where.append(LetterDeliveryRow.kind == kind)
    if crn:
        where.append(LetterDeliveryRow.crn == crn)
    total = session.scalar(select(func.count()).select_from(LetterDeliveryRow).where(*where)) or 0
    rows = session.execute(select(LetterDeliveryRow, OrganisationRow.name).outerjoin(
        OrganisationRow, OrganisationRow.code == LetterDeliveryRow.recipient_organisation_code).where(*where)
        .order_by(LetterDeliveryRow.id.desc()).limit(size).offset((page - 1) * size)).all()
    audit.read(session, actor, (d.crn for d, _ in rows if d.crn), f"letter delivery log ({len(rows)} of {total})",
               at=now)
    return DeliveryLog(rows=list(rows), total=total, page=page, size=size)


def letter_html(session: Session, actor: Actor, letter_id: int, *, now: datetime) -> str:
    ensure_admin(actor)
    row = session.get(LetterRow, letter_id)
    if row is None or not session.scalar(select(exists().where(
            LetterRow.id == letter_id, access.record_visible(actor, LetterRow.case_id, LetterRow.crn)))):
        raise NotFound(f"no letter {letter_id}", field="letter_id", value=letter_id, rule="the letter must exist")
    audit.read(session, actor, [row.crn] if row.crn else [], f"letter {letter_id}", at=now)
    return row.html


# --- warning and breach letters to the person, after an enforcement decision -------------------

class EnforcementLetterKind(StrEnum):
    WARNING = "warning"
    BREACH = "breach"

    @property
    def heading(self) -> str:
        return {"warning": "Warning letter", "breach": "Breach letter"}[self.value]


def enforcement_kind(action: str) -> EnforcementLetterKind:
    return EnforcementLetterKind.WARNING if action == Action.WARNING_LETTER.value else EnforcementLetterKind.BREACH


@dataclass(frozen=True, kw_only=True)
class EnforcementLetter:
    action_id: int
    kind: EnforcementLetterKind
    action: str
    failure_day: date
    decided_on: date

    @property
    def filename(self) -> str:
        return f"{self.kind.value}-letter-{self.action_id}.pdf"


@dataclass(frozen=True, kw_only=True)
class Delivery:
    at: datetime
    by: str
    letter_id: int
    subject: str
    channel: str       # outbox | smtp (email) | post
    status: str        # sent | failed | to_print
    to: str | None
    error: str | None = None

    @property
    def emailed(self) -> bool:
        return self.channel != "post"


def enforcement_letters(session: Session, actor: Actor, case_id: int) -> list[EnforcementLetter]:
    """The letters the case's enforcement decisions produce, newest first."""
    visible_case(session, actor, case_id)
    rows = session.scalars(select(EnforcementActionRow).where(EnforcementActionRow.case_id == case_id)
                           .order_by(EnforcementActionRow.id.desc()))
    return [EnforcementLetter(action_id=r.id, kind=enforcement_kind(r.action), action=r.action,
                              failure_day=r.failure_day, decided_on=r.decided_on) for r in rows]


def _enforcement_action(session: Session, case_id: int, action_id: int) -> EnforcementActionRow:
    row = session.get(EnforcementActionRow, action_id)
    if row is None or row.case_id != case_id:
        raise NotFound(f"no enforcement action {action_id} on case {case_id}", field="action_id",
                       value=action_id, rule="a letter follows an enforcement decision on this case")
    return row


def _enforcement_context(session: Session, actor: Actor, case_id: int, action_id: int) -> dict[str, Any]:
    case, row = visible_case(session, actor, case_id)
    action = _enforcement_action(session, case_id, action_id)
    person = session.get(PersonRow, row.person_id)
    assert person is not None
    p = repo.person_from_row(person)
    om = session.get(StaffRow, case.offender_manager_code) if case.offender_manager_code else None
    team = session.get(TeamRow, case.team_code)
    court = session.get(CourtRow, case.court_code)
    missed = [a for a in session.scalars(select(AppointmentRow).where(
        AppointmentRow.case_id == case_id, AppointmentRow.status == AppointmentStatus.COMPLETED.value))
        if day_of(a) == action.failure_day and a.outcome]
    failure = missed[0] if missed else None
    kind = enforcement_kind(action.action)
    address = p.main_address
    return {
        "kind": kind.value, "title": kind.heading, "action": action.action, "number": action.number,
        "letter_date": action.decided_on, "reference": f"{p.crn}/{kind.value.upper()}/{action.id}",
        "person": {"name": f"{p.first_name} {p.last_name}", "crn": p.crn,
                   "address": [address.line1, address.town, address.postcode] if address else []},
        "order": {"label": case.sentence.type.label, "sentence_date": case.sentence.sentence_date,
                  "court": court.name if court else case.court_code,
                  "last_day": case.sentence.end_date - timedelta(days=1)},
        "failure": {"day": action.failure_day,
                    "time": failure.starts_at if failure else None,
                    "what": (failure.contact_type.replace("_", " ") + " appointment") if failure
                    else "instruction",
                    "outcome": (failure.outcome or "").replace("_", " ") if failure else "failure to comply"},
        "officer": {"name": f"{om.first_name} {om.last_name}" if om else "The duty officer",
                    "team": team.name if team else case.team_code},
        "recall": action.action == Action.RECALL_RECOMMENDATION.value,
        "due_by": action.due_by,
    }


def enforcement_letter_html(session: Session, actor: Actor, case_id: int, action_id: int, *, now: datetime) -> str:
    ctx = _enforcement_context(session, actor, case_id, action_id)
    audit.record(session, actor, "read", ctx["person"]["crn"], f"case {case_id}: {ctx['kind']} letter "
                 f"{action_id}", at=now)
    return DOCUMENTS.html(f"{ctx['kind']}.html", **ctx)


def enforcement_letter_pdf(session: Session, actor: Actor, case_id: int, action_id: int, *, now: datetime) -> bytes:
    return DOCUMENTS.pdf(enforcement_letter_html(session, actor, case_id, action_id, now=now))


def send_enforcement_letter(session: Session, actor: Actor, case_id: int, action_id: int, mailer: Mailer, *,
                            now: datetime) -> Delivery:
    """Email the letter as a PDF when the person has an email address; otherwise log it to be
    printed and posted. The letter and its delivery go in the letter log, so the administrators'
    delivery log lists these with every other notice; a mail server's refusal is logged as failed
    (and shown), not raised."""
    access.ensure_can_manage(actor)
    case, row = visible_case(session, actor, case_id)
    action = _enforcement_action(session, case_id, action_id)
    kind = enforcement_kind(action.action)
    html = enforcement_letter_html(session, actor, case_id, action_id, now=now)
    person = session.get(PersonRow, row.person_id)
    assert person is not None
    subject = f"{kind.heading} for the failure on {action.failure_day:%-d %B %Y} (action {action_id})"
    letter = _logged_letter(session, actor, kind=f"{kind.value}_letter", case_id=case_id, crn=case.crn,
                            subject=subject, html=html, now=now)
    delivery = LetterDeliveryRow(letter_id=letter.id, kind=letter.kind, case_id=case_id, crn=case.crn,
                                 recipient_organisation_code=None, recipient_email=person.email, created_at=now)
    email = None if not person.email else Email(
        to=person.email, subject=f"{kind.heading} from the Probation Service ({case.crn})",
        body=f"Dear {person.first_name} {person.last_name},\n\nPlease read the attached letter "
             f"from your probation officer, sent on {local_date(now):%-d %B %Y}.\n\n"
             "Probation Service\n",
        reference=f"letter-{letter.id}-1",
        attachments=(Attachment(filename=f"{kind.value}-letter-{action_id}.pdf", content=DOCUMENTS.pdf(html)),))
    _deliver(delivery, email, mailer, now=now)
    session.add(delivery)
    audit.record(session, actor, "write", case.crn, f"letter {letter.id} {letter.kind} ({delivery.status})", at=now)
    session.flush()
    return _delivery_view(delivery, letter)


def _delivery_view(d: LetterDeliveryRow, letter: LetterRow) -> Delivery:
    return Delivery(at=d.created_at, by=letter.created_by, letter_id=letter.id, subject=letter.subject,
                    channel=d.channel, status=d.status, to=d.recipient_email, error=d.error)


def enforcement_deliveries(session: Session, actor: Actor, case_id: int) -> list[Delivery]:
    """Every recorded attempt to deliver a warning or breach letter on the case, newest first."""
    visible_case(session, actor, case_id)
    rows = session.execute(select(LetterDeliveryRow, LetterRow)
                           .join(LetterRow, LetterRow.id == LetterDeliveryRow.letter_id)
                           .where(LetterDeliveryRow.case_id == case_id,
                                  LetterDeliveryRow.kind.in_([f"{k.value}_letter" for k in EnforcementLetterKind]))
                           .order_by(LetterDeliveryRow.id.desc())).all()
    return [_delivery_view(d, letter) for d, letter in rows]
