"""The specification catalogue: every output row of the five service specifications as
versioned data (data/<spec_id>-<version>.yaml), with the timescale configuration
(data/timescales.yaml) and provider contracts (data/contracts/*.yaml). See docs/CATALOGUE.md."""

from probation.catalogue.loader import CatalogueError, load_catalogue, load_contract
from probation.catalogue.models import (
    NATIONAL_MINIMUM_ONLY,
    Catalogue,
    CatalogueRow,
    Contract,
    OutputLevel,
    Provision,
    Scope,
    SpecId,
)

DEFAULT_CONTRACT = "default.yaml"

__all__ = [
    "DEFAULT_CONTRACT",
    "NATIONAL_MINIMUM_ONLY",
    "Catalogue",
    "CatalogueError",
    "CatalogueRow",
    "Contract",
    "OutputLevel",
    "Provision",
    "Scope",
    "SpecId",
    "load_catalogue",
    "load_contract",
]
