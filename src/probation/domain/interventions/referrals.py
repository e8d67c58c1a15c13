"""Referrals from the plan to a service or programme and how they progress (Manage row 20):
sent, accepted, started, completed, or withdrawn with a reason. An outcome is recorded only when
a referral that started is completed; a referral that never started has no outcome."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from probation.domain.errors import Conflict, InvalidValue, require
from probation.domain.protection.plans import Outcome


class ReferralStatus(StrEnum):
    SENT = "sent"
    ACCEPTED = "accepted"
    STARTED = "started"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


class WithdrawalReason(StrEnum):
    DECLINED_BY_PERSON = "declined_by_person"
    NOT_SUITABLE = "not_suitable"          # the service assessed the person as unsuitable
    NOT_ENGAGING = "not_engaging"
    CIRCUMSTANCES_CHANGED = "circumstances_changed"  # moved, in custody, employed at session times
    SENTENCE_ENDED = "sentence_ended"
    OTHER = "other"


NEXT: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    ReferralStatus.SENT: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.WITHDRAWN}),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.STARTED, ReferralStatus.WITHDRAWN}),
    ReferralStatus.STARTED: frozenset({ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN}),
    ReferralStatus.COMPLETED: frozenset(),
    ReferralStatus.WITHDRAWN: frozenset(),
}

# Referrals that hold one of the service's places.
TAKING_PLACES = frozenset({ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.STARTED})


def parse_status(raw: str) -> ReferralStatus:
    try:
        return ReferralStatus(raw)
    except ValueError:
        raise InvalidValue(f"status {raw!r} is not known", field="status", value=raw,
                           rule="one of " + ", ".join(s.value for s in ReferralStatus)) from None


def check_transition(referral_id: int, current: ReferralStatus, new: ReferralStatus, *,
                     on: date, last_change: date, as_of: date,
                     reason: WithdrawalReason | None, notes: str | None,
                     outcome: Outcome | None) -> None:
    """The status moves forward one step; a withdrawal says why; only completion has an outcome."""
    if new is ReferralStatus.COMPLETED and current in (ReferralStatus.SENT, ReferralStatus.ACCEPTED):
        raise Conflict(f"referral {referral_id} never started, so it cannot be completed with an "
                       "outcome", field="status", value=new.value,
                       rule="an outcome is recorded for a referral that started")
    if new not in NEXT[current]:
        allowed = ", ".join(sorted(s.value for s in NEXT[current])) or "nothing (it is closed)"
        raise Conflict(f"referral {referral_id} is {current.value}; it cannot become {new.value}",
                       field="status", value=new.value,
                       rule=f"a {current.value} referral becomes {allowed}")
    iso = on.isoformat()
    require(on <= as_of, f"date {iso} is after today ({as_of.isoformat()})", field="on", value=iso,
            rule="a change is recorded once it happened")
    require(on >= last_change, f"date {iso} is before the referral's last change "
            f"({last_change.isoformat()})", field="on", value=iso,
            rule="a referral's changes are in date order")
    if new is ReferralStatus.WITHDRAWN:
        require(reason is not None, "a withdrawal needs a reason", field="reason", value=None,
                rule="one of " + ", ".join(r.value for r in WithdrawalReason))
        if reason is WithdrawalReason.OTHER:
            require(bool((notes or "").strip()), "'other' withdrawal without notes", field="notes",
                    value=notes, rule="an 'other' withdrawal says why in the notes")
    else:
        require(reason is None, f"a reason is given for {new.value}", field="reason",
                value=reason.value if reason else None, rule="only a withdrawal has a reason")
    if new is ReferralStatus.COMPLETED:
        require(outcome is not None, "completion without an outcome", field="outcome", value=None,
                rule="one of " + ", ".join(o.value for o in Outcome))
    else:
        require(outcome is None, f"an outcome is given for {new.value}", field="outcome",
                value=outcome.value if outcome else None,
                rule="the outcome is recorded when a started referral is completed")


def check_session_booking(referral_id: int, status: ReferralStatus) -> None:
    if status not in (ReferralStatus.ACCEPTED, ReferralStatus.STARTED):
        raise Conflict(f"referral {referral_id} is {status.value}; sessions are booked once it is "
                       "accepted and until it ends", field="status", value=status.value,
                       rule="sessions belong to an accepted or started referral")


def check_attendance(referral_id: int, status: ReferralStatus) -> None:
    if status is not ReferralStatus.STARTED:
        raise Conflict(f"referral {referral_id} is {status.value}; attendance is recorded for a "
                       "referral that started", field="status", value=status.value,
                       rule="record the start of the referral before its attendance")
