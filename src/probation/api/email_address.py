"""An email address as the API accepts it (`domain.email_address`): a line break in one is
refused at input, with a 422 naming the field, rather than failing when a letter is sent."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from probation.domain.email_address import RULE, email_problem


def _address(value: str) -> str:
    problem = email_problem(value)
    if problem:
        raise ValueError(f"{problem}: {RULE}")
    return value


EmailAddress = Annotated[str, AfterValidator(_address)]
