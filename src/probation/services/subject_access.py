"""Subject access (DPA 2018 s.45): everything the platform holds about one person, as one JSON
bundle and one PDF, for an administrator answering the person's request.

The bundle is built from the map of where a person's records live (services/personal_data.py), so
a new table is exported as soon as it is mapped, with every column. A table its feature summarises
is exported as that summary (EM positions by day: how many, the first and the last, in London
time), never row by row; the audit log
shows who read or changed the record and when, list reads included. The export is itself audited.
It is the complete record: exemptions (s.45(4)) are for the information-rights team to apply
before disclosure, not for the platform to guess.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from html.parser import HTMLParser
from typing import Any

from sqlalchemy import exists, not_, select
from sqlalchemy.orm import Session

from probation.adapters import documents
from probation.adapters.db.tables import AuditRow, CaseRow, PersonRow
from probation.domain.calendar import LONDON
from probation.domain.errors import Forbidden, NotFound
from probation.domain.people import CRN_PATTERN
from probation.domain.roles import Role
from probation.services import access, audit
from probation.services.context import Actor
from probation.services.personal_data import Section, Subject, condition, holdings, summaries, tables

FORMAT = "probation-subject-access/1"
DETAIL = "subject access export"
AUTHORISED = frozenset({Role.ADMINISTRATOR})
DOCUMENTS = documents.Renderer(documents.TEMPLATES / "data_protection")
_AUDIT_PAGE = 1000


def ensure_authorised(session: Session, actor: Actor, crn: str | None, *, now: datetime) -> None:
    """Only administrators export a person's whole record; a refusal is kept in the audit log."""
    if actor.role in AUTHORISED:
        return
    audit.keep(session, audit.Kept(at=now, username=actor.username, role=actor.role.value, action="denied",
                                   subject=crn[:40] if crn else None, detail=DETAIL, channel=actor.channel))
    raise Forbidden(f"the {actor.role.label} role cannot export a person's whole record", field="role",
                    value=actor.role.value, rule="subject access exports are made by administrators")


def subject_of(session: Session, crn: str) -> Subject:
    if not CRN_PATTERN.match(crn):
        raise NotFound(f"no person with case reference {crn}", field="crn", value=crn,
                       rule="CRN format: one capital letter then six digits")
    person_id = session.scalar(select(PersonRow.id).where(PersonRow.crn == crn))
    if person_id is None:
        raise NotFound(f"no person with case reference {crn}", field="crn", value=crn,
                       rule="the case reference must exist")
    case_ids = list(session.scalars(select(CaseRow.id).where(CaseRow.person_id == person_id).order_by(CaseRow.id)))
    return Subject(person_id=person_id, crn=crn, case_ids=case_ids)


def ensure_whole_record_visible(session: Session, actor: Actor, who: Subject) -> None:
    """A restricted case is visible only to the staff named on it, administrators included, and the
    export holds every case: a person with a case the actor may not see is answered as unknown (the
    restriction names the information-rights officer who is to answer the request)."""
    hidden = session.scalar(select(exists().where(CaseRow.person_id == who.person_id,
                                                  not_(access.case_filter(actor)))))
    if hidden:
        raise NotFound(f"no person with case reference {who.crn}", field="crn", value=who.crn,
                       rule="the case reference must exist")


def export(session: Session, actor: Actor, crn: str, *, now: datetime) -> dict[str, Any]:
    """The bundle (JSON-ready): every mapped table's rows for the person, positions by day, and the
    record's audit trail. Audited as a read of the CRN."""
    ensure_authorised(session, actor, crn, now=now)
    who = subject_of(session, crn)
    ensure_whole_record_visible(session, actor, who)
    all_tables = tables()
    sections = []
    for section in Section:
        found: dict[str, list[dict[str, Any]]] = {}
        for h in holdings(section=section):
            if h.summarised:
                continue
            t = all_tables[h.table]
            order = [c for c in t.primary_key.columns]
            rows = session.execute(select(t).where(condition(session, h, who)).order_by(*order)).mappings()
            found[h.table] = [{k: _json(v) for k, v in r.items()} for r in rows]
        sections.append({"key": section.value, "title": section.heading, "tables": found})
    bundle = {
        "format": FORMAT,
        "crn": crn,
        "generated_at": now.isoformat(),
        "generated_by": actor.username,
        "sections": sections,
        **{key: summary(session, who) for key, summary in summaries().items()},
        "record_access": [{"at": r.at.isoformat(), "username": r.username, "role": r.role, "action": r.action,
                           "detail": r.detail, "channel": r.channel} for r in _audit_rows(session, crn)],
    }
    audit.read(session, actor, [crn], DETAIL, at=now)
    return bundle


def _audit_rows(session: Session, crn: str) -> Iterator[AuditRow]:
    offset = 0
    while True:
        page = audit.search(session, audit.AuditQuery(subject=crn, limit=_AUDIT_PAGE, offset=offset))
        yield from page
        if len(page) < _AUDIT_PAGE:
            return
        offset += _AUDIT_PAGE


def _json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


# The PDF ----------------------------------------------------------------------------------------

def render_html(bundle: dict[str, Any]) -> str:
    sections = [{"title": s["title"],
                 "tables": [{"name": _words(name), "rows": [_readable(name, row) for row in rows]}
                            for name, rows in s["tables"].items()]}
                for s in bundle["sections"]]
    person = (bundle["sections"][0]["tables"].get("person") or [{}])[0]
    return DOCUMENTS.html(
        "subject_access.html", bundle=bundle, sections=sections, person=person,
        generated=datetime.fromisoformat(bundle["generated_at"]).astimezone(LONDON).strftime("%-d %B %Y at %H:%M"))


def render_pdf(bundle: dict[str, Any]) -> bytes:
    return DOCUMENTS.pdf(render_html(bundle))


def _words(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _readable(table: str, row: dict[str, Any]) -> list[tuple[str, str]]:
    """A row as (label, text) pairs, empty values left out; a letter's HTML as its text."""
    out = []
    for key, value in row.items():
        if value is None or value == [] or value == {} or value == "":
            continue
        if key == "html":
            text = _text_of(str(value))
        elif isinstance(value, dict | list):
            text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        elif isinstance(value, bool):
            text = "yes" if value else "no"
        else:
            text = str(value)
        out.append((_words(key), text))
    return out


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("style", "script", "head"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "head") and self._skip:
            self._skip -= 1
        elif tag in ("p", "div", "br", "tr", "li", "h1", "h2", "h3"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _text_of(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)
