"""Letters framework: templates rendered to HTML and PDF, sending by SMTP or the development outbox,
the delivery log, context builders from the record, and the case events a notice records."""

from __future__ import annotations

import email
import smtplib
from collections.abc import Callable
from email import policy
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from probation.adapters.db.tables import CaseEventRow, OrganisationRow
from probation.adapters.db.tables_admin import LetterDeliveryRow, LetterRow
from probation.adapters.email import Email, MailError
from probation.adapters.email_outbox import (
    EmailNotifier,
    OutboxMailer,
    SmtpMailer,
    SmtpSettings,
    mailer_for,
    to_mime,
)
from probation.adapters.notifications import Channel, Message
from probation.domain.errors import Conflict, Forbidden, InvalidValue, NotFound
from probation.domain.roles import Role
from probation.services import letters
from probation.services.context import Actor
from probation.services.letters import LetterKind, Recipient
from tests.conftest import NOW
from tests.factories import case_body

ADMIN = Actor(username="admin", role=Role.ADMINISTRATOR)
OM = Actor(username="om1", role=Role.PRACTITIONER, staff_code="S1", team_code="T1", organisation_code="NPS-NE")
EXCLUSION = {"type": "exclusion", "start_date": "2026-11-02", "length_months": 6,
             "places": ["Leeds city centre (inside the ring road)", "Roundhay Park"]}


def exclusion_context() -> dict[str, Any]:
    return {"reference": "A123456/EXCL", "sent_on": "23 November 2026",
            "recipient": {"name": "West Yorkshire Police", "email": "liaison@police.example"},
            "person": {"name": "Jo Bloggs", "crn": "A123456", "date_of_birth": "17 May 1990",
                       "address": "1 High Street, Leeds, LS1 1AA"},
            "order": {"sentence": "Community Order", "sentence_date": "2 November 2026",
                      "court": "Leeds Magistrates' Court"},
            "requirement": {"length": "6 months", "start": "2 November 2026", "last_day": "1 May 2027",
                            "places": ["Leeds city centre", "Roundhay Park"], "monitored": False, "hours": None,
                            "ended_on": None},
            "manager": {"name": "Alan Ash", "team": "Leeds North", "provider": "NPS North East",
                        "email": "alan.ash@probation.example"}}


class FailingMailer:
    channel = "smtp"

    def send(self, message: Email) -> str:
        raise MailError("SMTP mail.example:587 did not accept the message: 550 mailbox unavailable")


def test_an_exclusion_start_notice_names_the_person_address_length_scope_and_offender_manager() -> None:
    html, pdf = letters.render_letter("exclusion_start", exclusion_context())
    for text in ("Jo Bloggs", "A123456", "1 High Street, Leeds, LS1 1AA", "6 months", "1 May 2027",
                 "Leeds city centre", "Roundhay Park", "Alan Ash", "alan.ash@probation.example", "Leeds North",
                 "Notice of an exclusion requirement", "West Yorkshire Police"):
        assert text in html.replace("&#39;", "'"), text
    assert pdf.startswith(b"%PDF-")


def test_every_letter_kind_renders_to_html_and_pdf() -> None:
    base = exclusion_context()
    extra = {"concern": "A child lives at the address.", "children": ["Child A (aged 4)"], "actions": None,
             "termination": {"ended_on": "1 May 2027", "reason": "completed"}}
    for kind in LetterKind:
        html, pdf = letters.render_letter(kind, {**base, **extra})
        assert kind.heading.replace("'", "&#39;") in html and pdf[:5] == b"%PDF-"
    end, _ = letters.render_letter(LetterKind.EXCLUSION_END, {**base, "requirement": {
        **base["requirement"], "ended_on": "20 February 2027"}, "ended_reason": "revoked early"})
    assert "has ended (revoked early)" in end and "20 February 2027" in end


def test_a_letter_without_a_required_value_is_refused_naming_it() -> None:
    context = exclusion_context()
    del context["manager"]
    with pytest.raises(InvalidValue, match="exclusion_start letter needs manager") as exc:
        letters.render_letter(LetterKind.EXCLUSION_START, context)
    assert exc.value.field == "manager"
    context = exclusion_context()
    del context["requirement"]["length"]
    with pytest.raises(InvalidValue, match="missing a value"):
        letters.render_letter(LetterKind.EXCLUSION_START, context)
    with pytest.raises(InvalidValue, match="letter kind 'ransom' is not known"):
        letters.render_letter("ransom", context)


def test_user_values_are_escaped_in_letters() -> None:
    context = exclusion_context()
    context["person"]["name"] = "<script>alert(1)</script>"
    html, _ = letters.render_letter(LetterKind.EXCLUSION_START, context)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_outbox_writes_an_eml_with_the_pdf_attached(tmp_path: Path) -> None:
    mailer = OutboxMailer(tmp_path / "outbox", sender="notices@probation.example")
    path = mailer.send(Email(to="liaison@police.example", subject="Notice", body="See attached.",
                             reference="letter 7/1", html="<p>See attached.</p>",
                             attachments=(letters_attachment(),)))
    assert Path(path).name == "letter_7_1.eml"
    msg = email.message_from_bytes(Path(path).read_bytes(), policy=policy.default)
    assert msg["To"] == "liaison@police.example" and msg["From"] == "notices@probation.example"
    parts = {p.get_content_type(): p for p in msg.walk()}
    assert "text/plain" in parts and "text/html" in parts
    assert parts["application/pdf"].get_filename() == "notice.pdf"
    assert parts["application/pdf"].get_content() == b"%PDF-1.7 test"
    mailer.send(Email(to="x@y.example", subject="Again", body="b", reference="letter 7/1"))
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1  # the same reference replaces its file


def letters_attachment():  # type: ignore[no-untyped-def]
    from probation.adapters.email import Attachment

    return Attachment(filename="notice.pdf", content=b"%PDF-1.7 test")


def test_smtp_uses_starttls_login_and_reports_refusals_as_mail_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []

    class FakeSmtp:
        def __init__(self, host: str, port: int, timeout: float) -> None:
            calls.append(("connect", host, port))

        def __enter__(self) -> FakeSmtp:
            return self

        def __exit__(self, *exc: object) -> None:
            calls.append(("quit",))

        def starttls(self) -> None:
            calls.append(("starttls",))

        def login(self, user: str, password: str) -> None:
            calls.append(("login", user, password))

        def send_message(self, msg: Any) -> dict[str, Any]:
            calls.append(("send", msg["To"]))
            if msg["To"] == "refused@example.org":
                raise smtplib.SMTPRecipientsRefused({"refused@example.org": (550, b"no such user")})
            return {}

    monkeypatch.setattr(smtplib, "SMTP", FakeSmtp)
    settings = SmtpSettings.model_validate({"host": "mail.example", "port": 2525, "user": "probation",
                                            "password": "s3cret", "PROBATION_SMTP_FROM": "n@probation.example"})
    mailer = SmtpMailer(settings)
    ref = mailer.send(Email(to="police@example.org", subject="S", body="B", reference="r1"))
    assert ref.startswith("<") and calls == [("connect", "mail.example", 2525), ("starttls",),
                                             ("login", "probation", "s3cret"), ("send", "police@example.org"),
                                             ("quit",)]
    with pytest.raises(MailError, match="did not accept"):
        mailer.send(Email(to="refused@example.org", subject="S", body="B", reference="r2"))
    assert "s3cret" not in repr(settings)


def test_smtp_settings_come_from_the_environment_and_choose_the_mailer(monkeypatch: pytest.MonkeyPatch,
                                                                      tmp_path: Path) -> None:
    monkeypatch.setenv("PROBATION_SMTP_HOST", "smtp.probation.example")
    monkeypatch.setenv("PROBATION_SMTP_PORT", "465")
    monkeypatch.setenv("PROBATION_SMTP_FROM", "notices@probation.example")
    settings = SmtpSettings()  # type: ignore[call-arg]
    assert (settings.host, settings.port, settings.sender) == ("smtp.probation.example", 465,
                                                               "notices@probation.example")
    assert isinstance(mailer_for(tmp_path, env="production", smtp=settings), SmtpMailer)
    assert isinstance(mailer_for(tmp_path, env="development", smtp=settings), OutboxMailer)  # never in dev
    assert isinstance(mailer_for(tmp_path, env="production", smtp=SmtpSettings.model_validate({"host": ""})),
                      OutboxMailer)  # not configured


def test_appointment_reminders_can_go_out_through_the_same_mailers(tmp_path: Path) -> None:
    notifier = EmailNotifier(OutboxMailer(tmp_path))
    notifier.send(Message(channel=Channel.EMAIL, to="jo@example.org", subject="Your appointment",
                          body="Tomorrow at 10:00", reference="appointment-1-reminder", created_at=NOW))
    assert (tmp_path / "appointment-1-reminder.eml").exists()
    with pytest.raises(MailError, match="not email"):
        notifier.send(Message(channel=Channel.SMS, to="07700900000", subject="", body="x",
                              reference="sms-1", created_at=NOW))
    assert "Subject: Your appointment" in str(to_mime(Email(to="a@b.example", subject="Your appointment",
                                                            body="x", reference="r"), "n@p.example"))


def _case_with_exclusion(client: TestClient, auth: Callable[[str], dict[str, str]]) -> int:
    body = case_body()
    body["sentence"]["requirements"].append(EXCLUSION)
    r = client.post("/api/cases", json=body, headers=auth("admin"))
    assert r.status_code == 201, r.text
    return int(r.json()["case_id"])


def test_exclusion_notices_are_built_from_the_record_and_sent_to_police_and_stakeholders(
        client: TestClient, auth: Callable[[str], dict[str, str]], app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    case_id = _case_with_exclusion(client, auth)
    with app.state.sessions.begin() as s:
        s.get(OrganisationRow, "POL-WY").email = "liaison@westyorkshire.police.example"
        context = letters.exclusion_context(s, OM, case_id)
        assert context["person"]["address"] == "1 High Street, Leeds, LS1 1AA"
        assert context["requirement"]["length"] == "6 months"
        assert context["requirement"]["last_day"] == "1 May 2027"  # 6 months from 2 Nov 2026, exclusive end
        assert context["requirement"]["places"] == EXCLUSION["places"]
        sent = letters.send_letter(s, OM, kind=LetterKind.EXCLUSION_START, context=context,
                                   recipients=letters.recipients_for(s, ["POL-WY", "CSC-LDS"]),
                                   mailer=OutboxMailer(tmp_path), now=NOW, case_id=case_id, crn="A123456")
    assert [(d.recipient_organisation_code, d.channel, d.status) for d in sent.deliveries] == [
        ("POL-WY", "outbox", "sent"), ("CSC-LDS", "post", "to_print")]  # no email on record: printed
    eml = email.message_from_bytes((tmp_path / f"letter-{sent.letter_id}-1.eml").read_bytes(), policy=policy.default)
    assert eml["To"] == "liaison@westyorkshire.police.example" and "(A123456)" in eml["Subject"]
    pdf = next(p for p in eml.walk() if p.get_content_type() == "application/pdf").get_content()
    assert pdf.startswith(b"%PDF-")
    with app.state.sessions() as s:
        letter = s.get(LetterRow, sent.letter_id)
        assert letter is not None and "Roundhay Park" in letter.html and letter.case_id == case_id
        # The exclusion notices' evidence events are the caller's (EM/police notices record their own).
        kinds = s.scalars(select(CaseEventRow.kind).where(CaseEventRow.case_id == case_id)).all()
        assert kinds == ["case_created"]


def test_a_mail_failure_is_logged_with_its_error_and_shown_on_the_delivery_log_page(
        client: TestClient, auth: Callable[[str], dict[str, str]], app) -> None:  # type: ignore[no-untyped-def]
    case_id = _case_with_exclusion(client, auth)
    with app.state.sessions.begin() as s:
        sent = letters.send_letter(s, OM, kind=LetterKind.EXCLUSION_START,
                                   context=letters.exclusion_context(s, OM, case_id),
                                   recipients=[Recipient(name="Neighbourhood team", email="nt@council.example")],
                                   mailer=FailingMailer(), now=NOW, case_id=case_id, crn="A123456")
    [delivery] = sent.deliveries
    assert delivery.status == "failed" and "550 mailbox unavailable" in (delivery.error or "")
    assert delivery.sent_at is None
    from tests.integration.test_web_admin import sign_in

    sign_in(client, "admin")
    page = client.get("/admin/letters")
    assert page.status_code == 200
    assert "Failed" in page.text and "550 mailbox unavailable" in page.text and "nt@council.example" in page.text
    assert "No letters match" in client.get("/admin/letters?status=sent").text
    assert client.get("/admin/letters?status=lost").status_code == 400
    view = client.get(f"/admin/letters/{sent.letter_id}")
    assert view.status_code == 200 and "Roundhay Park" in view.text
    assert client.get("/admin/letters/99999").status_code == 404
    sign_in(client, "om1")
    assert client.get(f"/admin/letters/{sent.letter_id}").status_code == 403


def test_childrens_social_care_notification_records_the_children_services_event(
        client: TestClient, auth: Callable[[str], dict[str, str]], app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    case_id = _case_with_exclusion(client, auth)
    with app.state.sessions.begin() as s:
        with pytest.raises(InvalidValue, match="describe the concern"):
            letters.csc_context(s, OM, case_id, concern="  ")
        context = letters.csc_context(s, OM, case_id, concern="Mr Bloggs has moved in with a partner and her "
                                      "two children.", children=["Child A (4)", "Child B (7)"])
        sent = letters.send_letter(s, OM, kind=LetterKind.CSC_NOTIFICATION, context=context,
                                   recipients=letters.recipients_for(s, ["CSC-LDS"]), mailer=OutboxMailer(tmp_path),
                                   now=NOW, case_id=case_id, crn="A123456")
    with app.state.sessions() as s:
        event = s.scalars(select(CaseEventRow).where(CaseEventRow.case_id == case_id,
                                                     CaseEventRow.kind == "children_services_notified")).one()
        assert event.data == {"letter_id": sent.letter_id, "agencies": ["CSC-LDS"]}
        assert "Child B (7)" in s.get(LetterRow, sent.letter_id).html  # type: ignore[union-attr]
        rows = s.scalars(select(LetterDeliveryRow).where(LetterDeliveryRow.letter_id == sent.letter_id)).all()
        assert [(r.kind, r.crn, r.status) for r in rows] == [("csc_notification", "A123456", "to_print")]


def test_partner_termination_needs_an_ended_order_and_contexts_respect_case_access(
        client: TestClient, auth: Callable[[str], dict[str, str]], app) -> None:  # type: ignore[no-untyped-def]
    case_id = _case_with_exclusion(client, auth)
    other_team = Actor(username="om3", role=Role.PRACTITIONER, staff_code="S3", team_code="T2",
                       organisation_code="NPS-NE")
    with app.state.sessions() as s:
        with pytest.raises(Conflict, match="has not ended"):
            letters.termination_context(s, OM, case_id)
        with pytest.raises(NotFound):
            letters.exclusion_context(s, other_team, case_id)  # another team's case is not disclosed
        with pytest.raises(NotFound, match="no exclusion requirement 424242"):
            letters.exclusion_context(s, OM, case_id, requirement_id=424242)
        with pytest.raises(InvalidValue, match="no recipients"):
            letters.send_letter(s, OM, kind=LetterKind.EXCLUSION_START, context={}, recipients=[],
                                mailer=FailingMailer(), now=NOW)
        with pytest.raises(InvalidValue, match="no organisation NOPE"):
            letters.recipients_for(s, ["NOPE"])
        with pytest.raises(Forbidden):
            letters.delivery_log(s, OM, now=NOW)
