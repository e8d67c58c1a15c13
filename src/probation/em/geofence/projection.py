"""WGS84 longitude/latitude to British National Grid (EPSG:27700) metres, and the checks that a
position is one the grid can hold.

The transformer is built once (building one costs milliseconds) with always_xy=True so arrays are
always (longitude, latitude) in and (easting, northing) out. Without the OSTN15 grid file PROJ
uses the published Helmert approximation (a few metres), which is well inside GPS accuracy; the
engine and the reference implementation use the same transformer, so they agree exactly.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyproj

# EPSG:27700 area of use (pyproj CRS.area_of_use): west, south, east, north in degrees.
BNG_BOUNDS = (-9.01, 49.75, 2.01, 61.01)


@cache
def transformer() -> pyproj.Transformer:
    return pyproj.Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)


def to_bng(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Eastings and northings (metres) of arrays of longitudes and latitudes (degrees)."""
    if len(lon) == 0:
        return np.zeros(0), np.zeros(0)
    x, y = transformer().transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def coordinate_problems(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Boolean mask of positions that cannot be used: not finite, off the globe, or outside the
    area British National Grid covers."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    west, south, east, north = BNG_BOUNDS
    with np.errstate(invalid="ignore"):
        inside = (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
    problems: np.ndarray = ~(np.isfinite(lon) & np.isfinite(lat) & inside)
    return problems


def coordinate_reason(lon: float, lat: float) -> str:
    """Why one position was rejected, naming the value and the rule."""
    if not (np.isfinite(lon) and np.isfinite(lat)):
        return f"position lat {lat}, lon {lon} is not a finite number"
    if not -90.0 <= lat <= 90.0:
        return f"latitude {lat} is outside -90..90"
    if not -180.0 <= lon <= 180.0:
        return f"longitude {lon} is outside -180..180"
    west, south, east, north = BNG_BOUNDS
    return (
        f"position lat {lat}, lon {lon} is outside the area British National Grid covers "
        f"(lat {south}..{north}, lon {west}..{east})"
    )
