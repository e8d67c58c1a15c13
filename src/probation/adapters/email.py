"""Email messages with attachments and the `Mailer` protocol the letter services send through.
Delivery adapters (SMTP with smtplib, and the development outbox of .eml files) are in
adapters/email_outbox.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class MailError(Exception):
    """The message could not be delivered (server refused, unreachable, bad address)."""


@dataclass(frozen=True, kw_only=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str = "application/pdf"


@dataclass(frozen=True, kw_only=True)
class Email:
    to: str
    subject: str
    body: str
    reference: str  # one message per reference: a retry with the same reference replaces it
    html: str | None = None
    attachments: tuple[Attachment, ...] = ()


class Mailer(Protocol):
    def send(self, email: Email) -> str:
        """Deliver the message; return its identifier. Raise MailError when it cannot be sent."""
