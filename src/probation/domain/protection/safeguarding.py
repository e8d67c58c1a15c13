"""Safeguarding and information sharing (Manage rows 9, 10, 11, 12, 14, 15, 18, 19, 23 and 33):
checks with Children's Social Care and the police, concerns about a child and the notification
that follows, information shared with other agencies, safety plans offered, and home visits.

Each record is one dated fact with the event that evidences its row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from probation.domain.errors import InvalidValue, require
from probation.domain.events import EventKind


class SafeguardingKind(StrEnum):
    CHILDREN_SERVICES_CHECK = "children_services_check"            # row 9
    CHILD_CONCERN = "child_concern"                                # row 23: the occurrence
    CHILDREN_SERVICES_NOTIFICATION = "children_services_notification"  # row 23: the evidence
    DOMESTIC_ABUSE_CHECK = "domestic_abuse_check"                  # row 10
    INFORMATION_SHARED = "information_shared"                      # rows 18 and 19
    SAFETY_PLAN_OFFER = "safety_plan_offer"                        # rows 14 and 15
    HOME_VISIT = "home_visit"                                      # rows 11 and 33


class Need(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    NONE = "none"


@dataclass(frozen=True, kw_only=True)
class KindRules:
    event: EventKind
    rows: tuple[int, ...]
    agency: Need
    outcomes: tuple[str, ...] = ()   # empty: no outcome is recorded
    topics: tuple[str, ...] = ()     # empty: no topic is recorded
    note: Need = Need.OPTIONAL
    related: Need = Need.NONE        # id of an earlier record this one answers


RULES: dict[SafeguardingKind, KindRules] = {
    SafeguardingKind.CHILDREN_SERVICES_CHECK: KindRules(
        event=EventKind.CHILDREN_SERVICES_CHECKED, rows=(9,), agency=Need.REQUIRED,
        outcomes=("not_known", "known", "currently_involved")),
    SafeguardingKind.CHILD_CONCERN: KindRules(
        event=EventKind.CHILD_CONCERN_IDENTIFIED, rows=(23,), agency=Need.NONE, note=Need.REQUIRED),
    SafeguardingKind.CHILDREN_SERVICES_NOTIFICATION: KindRules(
        event=EventKind.CHILDREN_SERVICES_NOTIFIED, rows=(23,), agency=Need.REQUIRED,
        related=Need.REQUIRED),
    SafeguardingKind.DOMESTIC_ABUSE_CHECK: KindRules(
        event=EventKind.DOMESTIC_ABUSE_CHECKED, rows=(10,), agency=Need.REQUIRED,
        outcomes=("no_information", "known_perpetrator", "believed_risk", "known_victim")),
    SafeguardingKind.INFORMATION_SHARED: KindRules(
        event=EventKind.INTER_AGENCY_INFORMATION_SHARED, rows=(18, 19), agency=Need.REQUIRED,
        note=Need.REQUIRED),
    SafeguardingKind.SAFETY_PLAN_OFFER: KindRules(
        event=EventKind.SAFETY_PLAN_OFFERED, rows=(14, 15), agency=Need.NONE,
        outcomes=("accepted", "declined"), topics=("vulnerability", "domestic_abuse")),
    SafeguardingKind.HOME_VISIT: KindRules(
        event=EventKind.HOME_VISIT_COMPLETED, rows=(11, 33), agency=Need.NONE,
        topics=("plan", "review")),
}


@dataclass(frozen=True, kw_only=True)
class SafeguardingRecord:
    kind: SafeguardingKind
    on: date
    agency_code: str | None = None
    outcome: str | None = None
    topic: str | None = None
    note: str | None = None
    related_id: int | None = None
    register: str | None = None     # the scheme the information sharing is for (row 19)

    def __post_init__(self) -> None:
        rules = RULES[self.kind]
        what = self.kind.value.replace("_", " ")
        _need(rules.agency, self.agency_code, "agency_code", what, "the agency")
        _need(rules.note, self.note, "note", what, "a note of what was found or said")
        _need(rules.related, self.related_id, "related_id", what, "the record it answers")
        _choice(rules.outcomes, self.outcome, "outcome", what)
        _choice(rules.topics, self.topic, "topic", what)

    @property
    def rules(self) -> KindRules:
        return RULES[self.kind]


def _need(need: Need, value: object, field: str, what: str, noun: str) -> None:
    given = value is not None and (not isinstance(value, str) or bool(value.strip()))
    if need is Need.REQUIRED:
        require(given, f"a {what} needs {noun}", field=field, value=None,
                rule=f"a {what} records {noun}")
    elif need is Need.NONE:
        require(not given, f"a {what} has no {field.replace('_', ' ')}", field=field, value=value,
                rule=f"{field} does not apply to a {what}")


def _choice(allowed: tuple[str, ...], value: str | None, field: str, what: str) -> None:
    if not allowed:
        require(value is None, f"a {what} has no {field}", field=field, value=value,
                rule=f"{field} does not apply to a {what}")
        return
    if value not in allowed:
        raise InvalidValue(f"{field} {value!r} is not one of {', '.join(allowed)}", field=field,
                           value=value, rule=f"a {what} {field} is one of {', '.join(allowed)}")


def validate_date(on: date, *, sentence_date: date, as_of: date, field: str = "on") -> None:
    """Work under this specification happens after commencement (pre-sentence work is out of its
    scope) and is recorded once it has happened."""
    require(on <= as_of, f"date {on.isoformat()} is after today ({as_of.isoformat()})", field=field,
            value=on.isoformat(), rule="a record is made once the thing has happened")
    require(on >= sentence_date, f"date {on.isoformat()} is before the sentence date "
            f"{sentence_date.isoformat()}", field=field, value=on.isoformat(),
            rule="managing the sentence starts at commencement")
