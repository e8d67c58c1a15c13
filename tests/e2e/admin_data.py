"""Seeding for the administrator journey: one letter in the delivery log of the live server's
database (found beside the session's other temporary files), so the letters page shows a row."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from probation.adapters.db import load_all_tables
from probation.adapters.db.engine import make_engine, make_session_factory
from probation.adapters.db.tables import CaseRow, OrganisationRow
from probation.adapters.email_outbox import OutboxMailer
from probation.domain.roles import Role
from probation.services import letters
from probation.services.context import Actor


def live_database(base: Path) -> str:
    found = sorted(base.glob("e2e*/e2e.sqlite3"))
    if not found:
        raise RuntimeError(f"the live server's database was not found under {base}")
    return f"sqlite:///{found[0]}"


def seed_letter(url: str, outbox: Path) -> int:
    load_all_tables()
    engine = make_engine(url)
    actor = Actor(username="admin", role=Role.ADMINISTRATOR, display_name="admin")
    try:
        with make_session_factory(engine).begin() as session:
            session.get(OrganisationRow, "POL-WY").email = "liaison@westyorkshire.police.example"  # type: ignore[union-attr]
            case = session.scalars(select(CaseRow).where(CaseRow.crn == "E000000")).one()
            context = letters.csc_context(session, actor, case.id, concern="A child is living at the address.")
            sent = letters.send_letter(session, actor, kind=letters.LetterKind.CSC_NOTIFICATION, context=context,
                                       recipients=letters.recipients_for(session, ["CSC-LDS", "POL-WY"]),
                                       mailer=OutboxMailer(outbox), now=datetime.now(UTC), case_id=case.id,
                                       crn=case.crn)
            return sent.letter_id
    finally:
        engine.dispose()
