"""The iCalendar writer (RFC 5545 folding and escaping) and the outbox notifier."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from probation.adapters.ical import CalendarEvent, calendar, escape_text, fold
from probation.adapters.notifications import Channel, Message, OutboxNotifier

AT = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_text_values_escape_commas_semicolons_backslashes_and_newlines() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_long_lines_fold_at_75_octets_without_splitting_a_character() -> None:
    line = "SUMMARY:" + "é" * 100
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line


def test_times_are_written_in_utc_and_cancelled_events_say_so() -> None:
    bst = timezone(timedelta(hours=1))
    text = calendar([CalendarEvent(uid="u1", starts_at=datetime(2027, 6, 4, 12, 30, tzinfo=bst),
                                   ends_at=datetime(2027, 6, 4, 13, 30, tzinfo=bst), summary="Meet",
                                   cancelled=True, sequence=1)], name="Test", stamp=AT)
    assert "DTSTART:20270604T113000Z\r\n" in text and "STATUS:CANCELLED\r\n" in text
    assert "SEQUENCE:1\r\n" in text and "DTSTAMP:20261123T100000Z\r\n" in text
    assert text.count("BEGIN:VEVENT") == 1 and text.endswith("END:VCALENDAR\r\n")


def test_the_outbox_writes_one_json_file_per_message_and_a_retry_overwrites(tmp_path: Path) -> None:
    notifier = OutboxNotifier(tmp_path / "outbox")
    message = Message(channel=Channel.SMS, to="07700900123", subject="Reminder", body="Tomorrow 10:00",
                      reference="appointment-1-reminder", created_at=AT)
    notifier.send(message)
    notifier.send(message)
    files = list((tmp_path / "outbox").iterdir())
    assert [f.name for f in files] == ["appointment-1-reminder.json"]
    payload = json.loads(files[0].read_text())
    assert payload["channel"] == "sms" and payload["to"] == "07700900123"
    assert payload["created_at"] == "2026-11-23T10:00:00+00:00"
