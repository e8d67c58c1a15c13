"""Warning and breach letters produced by enforcement decisions: rendered to HTML (Jinja2 templates
in web/templates/letters/) and PDF (WeasyPrint), sent by email through adapters/email.py when the
person has an email address (otherwise printed for posting), and logged.

Each letter sent and each delivery attempt is stored in the platform's letter log (`letter`,
`letter_delivery` of services/letters.py, the generic letters framework), so the administrators'
delivery log lists warning and breach letters with every other notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session

from probation.adapters.db import repository as repo
from probation.adapters.db.tables import CourtRow, PersonRow, StaffRow, TeamRow
from probation.adapters.db.tables_admin import LetterDeliveryRow, LetterRow
from probation.adapters.db.tables_delivery import AppointmentRow, EnforcementActionRow
from probation.adapters.email import Attachment, Email, Mailer, MailError
from probation.domain.delivery.appointments import AppointmentStatus
from probation.domain.delivery.enforcement import Action
from probation.domain.delivery.times import local_date
from probation.domain.errors import NotFound
from probation.services import access, audit
from probation.services.context import Actor
from probation.services.delivery_common import aware, day_of, visible_case

TEMPLATES = Path(__file__).resolve().parent.parent / "adapters" / "documents" / "templates" / "letters"
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)
_env.filters["long"] = lambda d: d.strftime("%-d %B %Y") if d else ""


class LetterKind(StrEnum):
    WARNING = "warning"
    BREACH = "breach"

    @property
    def heading(self) -> str:
        return {"warning": "Warning letter", "breach": "Breach letter"}[self.value]


def kind_of(action: str) -> LetterKind:
    return LetterKind.WARNING if action == Action.WARNING_LETTER.value else LetterKind.BREACH


@dataclass(frozen=True, kw_only=True)
class Letter:
    action_id: int
    kind: LetterKind
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


def letters(session: Session, actor: Actor, case_id: int) -> list[Letter]:
    """The letters the case's enforcement decisions produce, newest first."""
    visible_case(session, actor, case_id)
    rows = session.scalars(select(EnforcementActionRow).where(EnforcementActionRow.case_id == case_id)
                           .order_by(EnforcementActionRow.id.desc()))
    return [Letter(action_id=r.id, kind=kind_of(r.action), action=r.action, failure_day=r.failure_day,
                   decided_on=r.decided_on) for r in rows]


def _action(session: Session, case_id: int, action_id: int) -> EnforcementActionRow:
    row = session.get(EnforcementActionRow, action_id)
    if row is None or row.case_id != case_id:
        raise NotFound(f"no enforcement action {action_id} on case {case_id}", field="action_id",
                       value=action_id, rule="a letter follows an enforcement decision on this case")
    return row


def _context(session: Session, actor: Actor, case_id: int, action_id: int) -> dict[str, Any]:
    case, row = visible_case(session, actor, case_id)
    action = _action(session, case_id, action_id)
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
    kind = kind_of(action.action)
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
                    "time": aware(failure.starts_at) if failure else None,
                    "what": (failure.contact_type.replace("_", " ") + " appointment") if failure
                    else "instruction",
                    "outcome": (failure.outcome or "").replace("_", " ") if failure else "failure to comply"},
        "officer": {"name": f"{om.first_name} {om.last_name}" if om else "The duty officer",
                    "team": team.name if team else case.team_code},
        "recall": action.action == Action.RECALL_RECOMMENDATION.value,
        "due_by": action.due_by,
    }


def render_html(session: Session, actor: Actor, case_id: int, action_id: int, *, now: datetime) -> str:
    ctx = _context(session, actor, case_id, action_id)
    audit.record(session, actor, "read", ctx["person"]["crn"], f"case {case_id}: {ctx['kind']} letter "
                 f"{action_id}", at=now)
    return _env.get_template(f"{ctx['kind']}.html").render(**ctx)


def _pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported on use: WeasyPrint loads Pango at import

    pdf = HTML(string=html, base_url=str(TEMPLATES)).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def render_pdf(session: Session, actor: Actor, case_id: int, action_id: int, *, now: datetime) -> bytes:
    return _pdf(render_html(session, actor, case_id, action_id, now=now))


def send(session: Session, actor: Actor, case_id: int, action_id: int, mailer: Mailer, *,
         now: datetime) -> Delivery:
    """Email the letter as a PDF when the person has an email address; otherwise log it to be
    printed and posted. The letter and its delivery go in the platform's letter log (the tables of
    services/letters.py), so the administrators' delivery log lists these too. A mail server's
    refusal is logged as failed (and shown), not raised, so the attempt stays on record."""
    access.ensure_can_manage(actor)
    case, row = visible_case(session, actor, case_id)
    action = _action(session, case_id, action_id)
    kind = kind_of(action.action)
    html = render_html(session, actor, case_id, action_id, now=now)
    person = session.get(PersonRow, row.person_id)
    assert person is not None
    subject = f"{kind.heading} for the failure on {action.failure_day:%-d %B %Y} (action {action_id})"
    letter = LetterRow(kind=f"{kind.value}_letter", case_id=case_id, crn=case.crn, subject=subject, html=html,
                       created_at=now, created_by=actor.username)
    session.add(letter)
    session.flush()
    delivery = LetterDeliveryRow(letter_id=letter.id, kind=letter.kind, case_id=case_id, crn=case.crn,
                                 recipient_organisation_code=None, recipient_email=person.email, created_at=now)
    if not person.email:
        delivery.channel, delivery.status = "post", "to_print"
    else:
        delivery.channel = str(getattr(mailer, "channel", "email"))
        email = Email(to=person.email, subject=f"{kind.heading} from the Probation Service ({case.crn})",
                      body=f"Dear {person.first_name} {person.last_name},\n\nPlease read the attached letter "
                           f"from your probation officer, sent on {local_date(now):%-d %B %Y}.\n\n"
                           "Probation Service\n",
                      reference=f"letter-{letter.id}-1",
                      attachments=(Attachment(filename=f"{kind.value}-letter-{action_id}.pdf", content=_pdf(html)),))
        try:
            mailer.send(email)
            delivery.status, delivery.sent_at = "sent", now
        except MailError as exc:
            delivery.status, delivery.error = "failed", str(exc)[:2000]
    session.add(delivery)
    audit.record(session, actor, "write", case.crn, f"letter {letter.id} {letter.kind} ({delivery.status})", at=now)
    session.flush()
    return _delivery(delivery, letter)


def _delivery(d: LetterDeliveryRow, letter: LetterRow) -> Delivery:
    return Delivery(at=aware(d.created_at), by=letter.created_by, letter_id=letter.id, subject=letter.subject,
                    channel=d.channel, status=d.status, to=d.recipient_email, error=d.error)


def delivery_log(session: Session, actor: Actor, case_id: int) -> list[Delivery]:
    """Every recorded attempt to deliver a warning or breach letter on the case, newest first."""
    visible_case(session, actor, case_id)
    rows = session.execute(select(LetterDeliveryRow, LetterRow)
                           .join(LetterRow, LetterRow.id == LetterDeliveryRow.letter_id)
                           .where(LetterDeliveryRow.case_id == case_id,
                                  LetterDeliveryRow.kind.in_([f"{k.value}_letter" for k in LetterKind]))
                           .order_by(LetterDeliveryRow.id.desc())).all()
    return [_delivery(d, letter) for d, letter in rows]
