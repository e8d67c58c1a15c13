"""The web form toolkit every page module uses: the posted form with its CSRF token checked,
reading GOV.UK date and time inputs, putting a refused command's message on its field, and the
one-off message (flash) shown on the page a form redirects to."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

from fastapi import Depends, Form, Request
from starlette.datastructures import FormData

from probation.domain.calendar import FIRST_YEAR, LAST_YEAR, outside_years
from probation.domain.errors import DomainError, InvalidValue
from probation.web.session import check_csrf

CSRF_FIELD = "csrf_token"
FLASH = "flash"  # the session key of the one-off message


async def checked_form(request: Request) -> FormData:
    """The posted form, once it carries this session's CSRF token (403, as for every form, if not)."""
    form = await request.form()
    check_csrf(request, str(form.get(CSRF_FIELD, "")))
    return form


def csrf_checked(request: Request, csrf: str = Form("", alias=CSRF_FIELD)) -> None:
    """For a route that takes its form fields as parameters: the posted form carries this
    session's CSRF token (403, as for every form, if not). Used as `csrf: None = CSRF`."""
    check_csrf(request, csrf)


CSRF = Depends(csrf_checked)


def form_values(form: Any) -> dict[str, Any]:
    """What was typed, to show again on a form with errors (the CSRF token is not a value)."""
    return {k: str(v) for k, v in form.items() if k != CSRF_FIELD}


def flash(request: Request, message: Any, *, key: str = FLASH) -> None:
    request.session[key] = message


def take_flash(request: Request, *, key: str = FLASH) -> str | None:
    value = request.session.pop(key, None)
    return str(value) if value else None


def form_error(exc: DomainError, fields: dict[str, str], default: str) -> dict[str, str]:
    """Where a refused command's message goes: the form field its `field` names, else `default`."""
    key = fields.get(exc.field or "") or (exc.field if exc.field in fields.values() else None) or default
    return {key: exc.message[:1].upper() + exc.message[1:]}


def attempt(errors: dict[str, str], name: str, parse: Callable[[], Any]) -> Any:
    """Run a parser; record its InvalidValue under the form field name and return None."""
    try:
        return parse()
    except InvalidValue as exc:
        errors[name] = exc.message
        return None


def date_parts(form: Any, name: str) -> dict[str, str]:
    return {p: str(form.get(f"{name}-{p}", "")) for p in ("day", "month", "year")}


def parse_form_date(form: Any, name: str, label: str, errors: dict[str, str]) -> Any:
    parts = date_parts(form, name)
    return attempt(errors, name, lambda: parse_date(parts["day"], parts["month"], parts["year"],
                                                    field=name, label=label))


def parse_date(day: str, month: str, year: str, *, field: str, label: str) -> date:
    """A GOV.UK date input (three boxes); messages follow the Design System's date pattern."""
    parts = {"day": day.strip(), "month": month.strip(), "year": year.strip()}
    if not any(parts.values()):
        raise InvalidValue(f"Enter {label}", field=field, value=None, rule="the date is required")
    missing = [k for k, v in parts.items() if not v]
    if missing:
        raise InvalidValue(f"{label.capitalize()} must include a {' and '.join(missing)}", field=field,
                           value=None, rule="a date has a day, month and year")
    try:
        value = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except (ValueError, OverflowError):  # "99999999999" as a year overflows before it is out of range
        raise InvalidValue(f"{label.capitalize()} must be a real date", field=field,
                           value=f"{year}-{month}-{day}"[:40], rule="a date that exists in the calendar") from None
    if value.year < 1900:
        raise InvalidValue(f"{label.capitalize()} must be a real date", field=field,
                           value=value.isoformat(), rule="years have four digits")
    if outside_years(value):  # year 9999 overflows an order's end date: a 500 before this
        raise InvalidValue(f"{label.capitalize()} must be between {FIRST_YEAR} and {LAST_YEAR}", field=field,
                           value=value.isoformat(), rule=f"a date within the years {FIRST_YEAR}-{LAST_YEAR}")
    return value


def form_id(value: str) -> int | None:
    """A record id chosen in a form (a select's value), or None when it is not one: ASCII digits
    within the ids the API accepts (2**53), so "²" or twenty nines is a form error, not a 500."""
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 16:
        return None
    number = int(text)
    return number if 0 < number <= 2**53 else None


def parse_time(value: str, *, field: str, label: str) -> time:
    text = value.strip().lower().replace(".", ":")
    if not text:
        raise InvalidValue(f"Enter {label}", field=field, value=None, rule="the time is required")
    try:
        return time.fromisoformat(text if len(text) > 2 else f"{int(text):02d}:00")
    except ValueError:
        raise InvalidValue(f"Enter {label} in the 24-hour clock, like 14:30", field=field, value=value,
                           rule="times are HH:MM") from None
