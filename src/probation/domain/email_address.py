"""An email address as the platform keeps it: one address, name@domain, with no space, line break
or other control character. An address becomes a message's To header; a carriage return or line
feed in it would add headers of the sender's choosing (or, as the mail library refuses it, make the
letter fail when it is sent, long after the address was accepted)."""

from __future__ import annotations

import re

from probation.domain.errors import InvalidValue

MAX_LENGTH = 254  # RFC 5321's limit on a forward path, less its angle brackets
_PART = r"[^@\s\x00-\x1f\x7f]+"
_ADDRESS = re.compile(rf"{_PART}@{_PART}\.{_PART}")
RULE = "one email address like name@example.org, with no spaces, line breaks or control characters"


def email_problem(value: str) -> str | None:
    """Why `value` cannot be an email address, or None when it can."""
    if len(value) > MAX_LENGTH:
        return f"the email address is {len(value)} characters, over {MAX_LENGTH}"
    if not _ADDRESS.fullmatch(value):  # fullmatch: `$` would let a trailing line feed through
        return f"{value!r} is not an email address"
    return None


def check_email(value: str | None, *, field: str = "email") -> None:
    problem = email_problem(value) if value else None
    if problem:
        raise InvalidValue(problem, field=field, value=value, rule=RULE)
