"""iCalendar (RFC 5545) export of appointments, written by hand: CRLF line ends, lines folded at
75 octets, TEXT values escaped, times in UTC ("Z" form, so no VTIMEZONE is needed)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

PRODID = "-//Probation service-delivery platform//Appointments//EN"


@dataclass(frozen=True, kw_only=True)
class CalendarEvent:
    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str | None = None
    description: str | None = None
    cancelled: bool = False
    sequence: int = 0  # raised when an appointment is rearranged (RFC 5545 3.8.7.4)


def escape_text(value: str) -> str:
    """RFC 5545 3.3.11: backslash, semicolon and comma are escaped; newlines become \\n."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """RFC 5545 3.1: lines longer than 75 octets continue on lines starting with a space,
    never splitting a UTF-8 character."""
    out: list[str] = []
    current = ""
    limit = 75
    for ch in line:
        if len((current + ch).encode("utf-8")) > limit:
            out.append(current)
            current = " " + ch
            limit = 75
        else:
            current += ch
    out.append(current)
    return "\r\n".join(out)


def utc(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("calendar times carry a time zone")
    return at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(events: Iterable[CalendarEvent], *, name: str, stamp: datetime) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape_text(name)}"]
    for e in events:
        lines += ["BEGIN:VEVENT", f"UID:{e.uid}", f"DTSTAMP:{utc(stamp)}",
                  f"DTSTART:{utc(e.starts_at)}", f"DTEND:{utc(e.ends_at)}",
                  f"SUMMARY:{escape_text(e.summary)}", f"SEQUENCE:{e.sequence}",
                  f"STATUS:{'CANCELLED' if e.cancelled else 'CONFIRMED'}"]
        if e.location:
            lines.append(f"LOCATION:{escape_text(e.location)}")
        if e.description:
            lines.append(f"DESCRIPTION:{escape_text(e.description)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
