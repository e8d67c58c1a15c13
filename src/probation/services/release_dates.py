"""Release dates of custodial cases: calculated from the sentence when the case is created and
stored, so obligations (licence and post-sentence supervision rows) and enforcement read them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from probation.adapters.db.tables_release import ReleaseDatesRow
from probation.domain.release import ReleaseFacts, ReleaseTrack, SentenceLength, calculate_release_dates
from probation.domain.sentences import Sentence, SentenceType


def release_values(*, case_id: int, sentence: Sentence, date_of_birth: date, now: datetime,
                   track: ReleaseTrack = ReleaseTrack.STANDARD, remand_days: int = 0) -> dict[str, Any] | None:
    """The release_dates row for a custodial sentence, or None when it cannot be calculated without
    guessing (no offence date: the ORA rules depend on it)."""
    if sentence.type is not SentenceType.CUSTODIAL or sentence.offence.offence_date is None:
        return None
    assert sentence.custodial_term_days is not None
    dates = calculate_release_dates(ReleaseFacts(
        sentence_date=sentence.sentence_date, length=SentenceLength(days=sentence.custodial_term_days),
        offence_date=sentence.offence.offence_date, date_of_birth=date_of_birth, remand_days=remand_days,
        track=track))
    return {
        "case_id": case_id, "track": track.value, "remand_days": remand_days,
        "conditional_release_date": dates.conditional_release_date, "release_day": dates.release_day,
        "sentence_expiry": dates.sentence_expiry,
        "licence_start": dates.licence.start if dates.licence else None,
        "licence_end": dates.licence.end if dates.licence else None,
        "tused": dates.tused, "pss_start": dates.pss.start if dates.pss else None,
        "pss_end": dates.pss.end if dates.pss else None,
        "rules": [str(getattr(r, "id", r)) for r in dates.rules], "computed_at": now,
    }


def record(session: Session, *, case_id: int, sentence: Sentence, date_of_birth: date, now: datetime) -> None:
    values = release_values(case_id=case_id, sentence=sentence, date_of_birth=date_of_birth, now=now)
    if values is not None:
        session.add(ReleaseDatesRow(**values))
