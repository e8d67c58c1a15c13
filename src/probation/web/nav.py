"""The service navigation: each page module registers its entries, so base.html never changes
when a feature adds a page. Entries show only to the roles named."""

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


_ITEMS: dict[str, NavItem] = {}


def register_nav(label: str, href: str, roles: set[Role] | frozenset[Role], *, order: int = 50,
                 prefix: str | None = None) -> None:
    _ITEMS[href] = NavItem(label=label, href=href, roles=frozenset(roles), order=order, prefix=prefix)


def nav_for(role: Role) -> list[NavItem]:
    return sorted((i for i in _ITEMS.values() if role in i.roles), key=lambda i: (i.order, i.label))


PEOPLE_ROLES = frozenset(r for r in Role if r.sees_people)
register_nav("Caseload", "/caseload", PEOPLE_ROLES, order=10, prefix="/ca")
