"""An email address is one address with no line break: it becomes a message's To header."""

from __future__ import annotations

import pytest

from probation.adapters.email import Email, MailError
from probation.adapters.email_outbox import to_mime
from probation.domain.email_address import check_email, email_problem
from probation.domain.errors import InvalidValue


@pytest.mark.parametrize("value", ["jo@example.org\r\nBcc: all@example.org", "jo@example.org\n", "jo@exa\rmple.org",
                                   "jo@example.org\x00", "jo bloggs@example.org", "jo@example", "@example.org",
                                   "jo@@example.org", "jo@example.org\u2028", "j" * 250 + "@example.org"])
def test_an_address_with_a_line_break_or_not_an_address_is_refused(value: str) -> None:
    assert email_problem(value)
    with pytest.raises(InvalidValue) as refused:
        check_email(value, field="person.email")
    assert refused.value.field == "person.email" and "line breaks" in (refused.value.rule or "")


@pytest.mark.parametrize("value", ["jo@example.org", "jo.bloggs+probation@mail.example.org", "o'neill@example.co.uk"])
def test_an_ordinary_address_is_accepted(value: str) -> None:
    assert email_problem(value) is None
    check_email(value)


def test_a_line_break_already_stored_fails_the_delivery_not_the_request() -> None:
    email = Email(to="jo@example.org\r\nBcc: all@example.org", subject="Warning", body="x", reference="r1")
    with pytest.raises(MailError, match="cannot be addressed"):
        to_mime(email, "sender@example.org")
