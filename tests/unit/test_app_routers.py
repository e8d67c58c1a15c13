"""The application factory lists its routers explicitly (probation.app.ROUTERS). This fails if a
module of the service defines a router that is not listed, so a new feature cannot be left out
silently, wherever its module lives."""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import APIRouter

import probation
from probation.app import ROUTERS
from probation.web import pages


def _module_routers() -> dict[str, APIRouter]:
    found: dict[str, APIRouter] = {}
    for info in pkgutil.walk_packages(probation.__path__, prefix="probation."):
        if ".migrations" in info.name:
            continue  # Alembic's environment runs the migrations when imported
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, APIRouter) and not name.startswith("_"):
                found[f"{info.name}.{name}"] = value
    return found


def test_every_router_in_the_code_is_listed() -> None:
    listed = [*ROUTERS, pages.router]  # the core pages' router is included by pages.install
    routers = _module_routers()
    assert len(routers) >= len(listed), "fewer routers found than listed: the walk is broken"
    missing = sorted(name for name, router in routers.items()
                     if not any(router is r for r in listed))
    assert not missing, f"routers missing from probation.app.ROUTERS: {missing}"


def test_no_router_is_listed_twice() -> None:
    assert len({id(r) for r in ROUTERS}) == len(ROUTERS)
