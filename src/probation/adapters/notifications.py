"""Notifications (appointment reminders) by email or SMS. In development and tests the outbox
adapter writes one JSON file per message under `settings.outbox_dir`; a production adapter
implements the same `Notifier` protocol (e.g. GOV.UK Notify) without changing the services."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


@dataclass(frozen=True, kw_only=True)
class Message:
    channel: Channel
    to: str
    subject: str
    body: str
    reference: str  # e.g. "appointment-12-reminder": one message per reference
    created_at: datetime
    metadata: dict[str, Any] = field(default_factory=dict)


class Notifier(Protocol):
    def send(self, message: Message) -> str:
        """Send (or queue) the message; return an identifier for it."""


class OutboxNotifier:
    """Writes each message as `<outbox_dir>/<reference>.json`; sending the same reference twice
    overwrites the file, so a retried run does not duplicate a reminder."""

    def __init__(self, outbox_dir: str | Path) -> None:
        self.directory = Path(outbox_dir)

    def send(self, message: Message) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", message.reference) + ".json"
        payload = asdict(message)
        payload["channel"] = message.channel.value
        payload["created_at"] = message.created_at.isoformat()
        path = self.directory / name
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(payload, indent=2, sort_keys=True), encoding="utf-8")
        tmp.replace(path)
        return str(path)


class MemoryNotifier:
    """Keeps messages in memory (tests)."""

    def __init__(self) -> None:
        self.sent: list[Message] = []

    def send(self, message: Message) -> str:
        self.sent.append(message)
        return message.reference
