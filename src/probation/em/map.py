"""A map of zones and a trail for an evidence pack, drawn as SVG in British National Grid metres
(no tile server): zone polygons (holes kept), the trail as a line with its fixes, the alert
position marked, a scale bar of a round length and a north arrow (grid north is up in BNG)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

ZONE_STYLE = {"exclusion": ("#d4351c", "#d4351c33"), "inclusion": ("#00703c", "#00703c22")}


@dataclass(frozen=True, kw_only=True)
class MapZone:
    zone_id: str
    kind: str  # exclusion | inclusion
    grid: BaseGeometry  # Polygon or MultiPolygon in BNG metres


def _nice(length: float) -> float:
    """A round scale-bar length (1, 2 or 5 x 10^n metres) no longer than `length`."""
    if length <= 0:
        return 1.0
    exp = math.floor(math.log10(length))
    for m in (5, 2, 1):
        if m * 10**exp <= length:
            return float(m * 10**exp)
    return float(10**exp)


def render_svg(zones: Sequence[MapZone], trail: Sequence[tuple[float, float]], *,
               marks: Sequence[tuple[float, float, str]] = (), width: int = 640,
               height: int = 480, margin_m: float = 50.0, title: str = "") -> str:
    """SVG text. `trail` is (easting, northing) in time order; `marks` are labelled points."""
    geoms = [z.grid for z in zones]
    pts = list(trail) + [(x, y) for x, y, _ in marks]
    boxes: list[tuple[float, float, float, float]] = [g.bounds for g in geoms]
    if pts:
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    if not boxes:
        boxes = [(0.0, 0.0, 100.0, 100.0)]
    minx = min(b[0] for b in boxes) - margin_m
    miny = min(b[1] for b in boxes) - margin_m
    maxx = max(b[2] for b in boxes) + margin_m
    maxy = max(b[3] for b in boxes) + margin_m
    pad = 30
    scale = min((width - 2 * pad) / max(maxx - minx, 1.0), (height - 2 * pad) / max(maxy - miny, 1.0))

    def sx(x: float) -> float:
        return pad + (x - minx) * scale

    def sy(y: float) -> float:
        return height - pad - (y - miny) * scale  # northing grows upwards

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="Arial, sans-serif" font-size="11">',
             f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f8f8f8" stroke="#b1b4b6"/>']
    if title:
        parts.append(f'<text x="{pad}" y="18" font-size="12" font-weight="bold">{escape(title)}</text>')
    for zone in zones:
        stroke, fill = ZONE_STYLE.get(zone.kind, ("#1d70b8", "#1d70b822"))
        polys = list(zone.grid.geoms) if isinstance(zone.grid, MultiPolygon) else [zone.grid]
        for poly in polys:
            assert isinstance(poly, Polygon)  # zones are polygons, validated when made
            rings = [poly.exterior, *poly.interiors]
            d = " ".join("M " + " L ".join(f"{sx(x):.1f} {sy(y):.1f}" for x, y in ring.coords) + " Z"
                         for ring in rings)
            parts.append(f'<path d="{d}" fill="{fill}" stroke="{stroke}" stroke-width="2" '
                         'fill-rule="evenodd"/>')
        c = zone.grid.representative_point()
        parts.append(f'<text x="{sx(c.x):.1f}" y="{sy(c.y):.1f}" fill="{stroke}" '
                     f'text-anchor="middle">{escape(zone.zone_id)} ({escape(zone.kind)})</text>')
    if len(trail) > 1:
        line = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in trail)
        parts.append(f'<polyline points="{line}" fill="none" stroke="#1d70b8" stroke-width="1.5"/>')
    for x, y in trail:
        parts.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="2.2" fill="#1d70b8"/>')
    for x, y, label in marks:
        parts.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="6" fill="none" '
                     'stroke="#0b0c0c" stroke-width="2"/>')
        parts.append(f'<text x="{sx(x) + 8:.1f}" y="{sy(y) - 8:.1f}" font-weight="bold">'
                     f'{escape(label)}</text>')
    # Scale bar: a round length about a quarter of the map's width.
    bar_m = _nice((maxx - minx) / 4)
    bar_px = bar_m * scale
    bx, by = pad, height - 12
    parts.append(f'<line x1="{bx}" y1="{by}" x2="{bx + bar_px:.1f}" y2="{by}" stroke="#0b0c0c" '
                 'stroke-width="3"/>')
    label = f"{bar_m / 1000:g} km" if bar_m >= 1000 else f"{bar_m:g} m"
    parts.append(f'<text x="{bx + bar_px + 6:.1f}" y="{by + 4}">{label}</text>')
    # North arrow (grid north).
    ax, ay = width - pad, pad + 10
    parts.append(f'<polygon points="{ax},{ay - 14} {ax - 7},{ay + 8} {ax},{ay + 3} {ax + 7},{ay + 8}" '
                 'fill="#0b0c0c"/>')
    parts.append(f'<text x="{ax}" y="{ay + 22}" text-anchor="middle" font-weight="bold">N</text>')
    parts.append(f'<text x="{width - pad}" y="{height - 6}" text-anchor="end" fill="#505a5f">'
                 'British National Grid (EPSG:27700), metres</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def trail_length_m(trail: Sequence[tuple[float, float]]) -> float:
    if len(trail) < 2:
        return 0.0
    return float(shapely.length(shapely.linestrings(list(trail))))
