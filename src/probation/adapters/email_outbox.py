"""Email delivery: an SMTP adapter (standard library smtplib) and the local outbox of .eml files used
in development and whenever SMTP is not configured. Both are `Mailer`s (adapters/email.py).

`EmailNotifier` lets the appointment reminders of adapters/notifications.py (the `Notifier`
protocol) go out through the same mailers, so there is one email path, not two.

Configuration (read here, not in probation.config): PROBATION_SMTP_HOST, PROBATION_SMTP_PORT
(587), PROBATION_SMTP_USER, PROBATION_SMTP_PASSWORD, PROBATION_SMTP_FROM, PROBATION_SMTP_STARTTLS
(true).
"""

from __future__ import annotations

import re
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from time import time

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from probation.adapters.email import Email, Mailer, MailError
from probation.adapters.notifications import Channel, Message

DEFAULT_SENDER = "probation-notices@localhost"


class SmtpSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PROBATION_SMTP_", extra="ignore", populate_by_name=True)

    host: str = ""
    port: int = Field(587, ge=1, le=65535)
    user: str = ""
    password: SecretStr = SecretStr("")  # never printed in logs or reprs
    sender: str = Field(DEFAULT_SENDER, validation_alias="PROBATION_SMTP_FROM")
    starttls: bool = True
    timeout_s: float = 20.0

    @property
    def configured(self) -> bool:
        return bool(self.host.strip())


def _safe(reference: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", reference)


def to_mime(email: Email, sender: str, *, at: float | None = None) -> EmailMessage:
    """The message in RFC 5322 form: plain text, an HTML alternative, then the attachments."""
    mime = EmailMessage()
    mime["From"] = sender
    try:
        mime["To"] = email.to
        mime["Subject"] = email.subject
    except ValueError as exc:  # a line break in a header: refused at input now, kept out here too
        raise MailError(f"the message cannot be addressed: {exc}") from exc
    mime["Date"] = formatdate(at if at is not None else time(), usegmt=True)
    mime["Message-ID"] = make_msgid(idstring=_safe(email.reference)[:40], domain="probation.invalid")
    mime["X-Probation-Reference"] = email.reference
    mime.set_content(email.body)
    if email.html:
        mime.add_alternative(email.html, subtype="html")
    for a in email.attachments:
        maintype, _, subtype = a.mime_type.partition("/")
        mime.add_attachment(a.content, maintype=maintype, subtype=subtype or "octet-stream", filename=a.filename)
    return mime


class SmtpMailer:
    """Sends through an SMTP server, with STARTTLS and a login when configured. Any refusal or
    connection failure is raised as MailError for the caller to log as a failed delivery."""

    channel = "smtp"

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def send(self, email: Email) -> str:
        s = self.settings
        mime = to_mime(email, s.sender)
        try:
            with smtplib.SMTP(s.host, s.port, timeout=s.timeout_s) as smtp:
                if s.starttls:
                    smtp.starttls()
                if s.user:
                    smtp.login(s.user, s.password.get_secret_value())
                refused = smtp.send_message(mime)
        except (smtplib.SMTPException, OSError) as exc:
            raise MailError(f"SMTP {s.host}:{s.port} did not accept the message: {exc}") from exc
        if refused:
            raise MailError(f"SMTP {s.host}:{s.port} refused {', '.join(refused)}")
        return str(mime["Message-ID"])


class OutboxMailer:
    """Development delivery: each message as `<outbox_dir>/<reference>.eml`, which any mail client
    opens. The same reference overwrites its file, so a retried send does not duplicate a message."""

    channel = "outbox"

    def __init__(self, outbox_dir: str | Path, sender: str = DEFAULT_SENDER) -> None:
        self.directory = Path(outbox_dir)
        self.sender = sender

    def send(self, email: Email) -> str:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            path = self.directory / (_safe(email.reference) + ".eml")
            tmp = path.with_suffix(".eml.tmp")
            tmp.write_bytes(bytes(to_mime(email, self.sender)))
            tmp.replace(path)
        except OSError as exc:
            raise MailError(f"cannot write to the outbox {self.directory}: {exc.strerror or exc}") from exc
        return str(path)


def mailer_for(outbox_dir: str | Path, *, env: str = "development",
               smtp: SmtpSettings | None = None) -> SmtpMailer | OutboxMailer:
    """SMTP when a host is configured outside development; otherwise the local outbox."""
    settings = smtp if smtp is not None else SmtpSettings.model_validate({})
    if settings.configured and env != "development":
        return SmtpMailer(settings)
    return OutboxMailer(outbox_dir, sender=settings.sender)


class EmailNotifier:
    """A `Notifier` (adapters/notifications.py) that sends email messages through a Mailer."""

    def __init__(self, mailer: Mailer) -> None:
        self.mailer = mailer

    def send(self, message: Message) -> str:
        if message.channel is not Channel.EMAIL:
            raise MailError(f"message {message.reference} is {message.channel.value}, not email")
        return self.mailer.send(Email(to=message.to, subject=message.subject, body=message.body,
                                      reference=message.reference))
