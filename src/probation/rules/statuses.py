"""The status of one obligation on one date (DESIGN.md: the central idea)."""

from __future__ import annotations

from enum import StrEnum


class ObligationStatus(StrEnum):
    NOT_YET_DUE = "not_yet_due"  # its window has not opened, or what starts it has not happened
    DUE = "due"  # open, deadline not passed, no evidence yet
    MET = "met"  # evidence recorded by the deadline
    MET_LATE = "met_late"  # evidence recorded after the deadline
    OVERDUE = "overdue"  # deadline passed, no evidence
    NOT_APPLICABLE = "not_applicable"  # the row does not apply to the case (the reason is given)
    AWAITING_EVIDENCE = "awaiting_evidence"  # the platform does not record its evidence yet

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def is_met(self) -> bool:
        return self in (ObligationStatus.MET, ObligationStatus.MET_LATE)

    @property
    def needs_action(self) -> bool:
        """On a worklist: due now or overdue."""
        return self in (ObligationStatus.DUE, ObligationStatus.OVERDUE)


# Worklist order: overdue first, then due.
URGENCY = {ObligationStatus.OVERDUE: 0, ObligationStatus.DUE: 1}
