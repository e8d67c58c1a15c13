"""The service navigation: the core's entries listed here (`MENU`), a package's own (electronic
monitoring's) added by the application factory with `extend`, so the factory shows every entry of
the service in one place. base.html never changes when a feature adds a page, and entries show only
to the roles named."""

from __future__ import annotations

from dataclasses import dataclass

from probation.domain.roles import Role


@dataclass(frozen=True, kw_only=True)
class NavItem:
    label: str
    href: str
    roles: frozenset[Role]
    order: int = 50
    prefix: str | None = None  # path prefix that marks the entry as current (default: href)


def item(label: str, href: str, roles: set[Role] | frozenset[Role], *, order: int = 50,
         prefix: str | None = None) -> NavItem:
    return NavItem(label=label, href=href, roles=frozenset(roles), order=order, prefix=prefix)


PEOPLE_ROLES = frozenset(r for r in Role if r.sees_people)
ADMIN = {Role.ADMINISTRATOR}

MENU: tuple[NavItem, ...] = (
    item("Caseload", "/caseload", PEOPLE_ROLES, order=10, prefix="/ca"),
    item("Worklist", "/worklist", PEOPLE_ROLES, order=15),
    item("Updates", "/updates", {Role.PRACTITIONER, Role.TEAM_MANAGER}, order=18),
    item("Deliveries", "/deliveries", {Role.PROVIDER_STAFF}, order=20),
    item("Risk escalations", "/risk-team/escalations", {Role.NPS_RISK, Role.ADMINISTRATOR}, order=20,
         prefix="/risk-team"),
    item("Assurance", "/assurance", {Role.COMMISSIONER, Role.ADMINISTRATOR}, order=60),
    item("Users", "/admin/users", ADMIN, order=80),
    item("Teams and providers", "/admin/teams", ADMIN, order=81, prefix="/admin/providers"),
    item("Audit log", "/admin/audit", ADMIN, order=82),
    item("Letters", "/admin/letters", ADMIN, order=83),
    item("Subject access", "/admin/subject-access", ADMIN, order=84),
)

_EXTENDED: dict[str, NavItem] = {}


def extend(*entries: NavItem) -> None:
    """Entries of a package that keeps its own pages (called by the application factory; adding
    the same entry again changes nothing)."""
    _EXTENDED.update((e.href, e) for e in entries)


def nav_for(role: Role) -> list[NavItem]:
    items = {i.href: i for i in MENU} | _EXTENDED
    return sorted((i for i in items.values() if role in i.roles), key=lambda i: (i.order, i.label))
