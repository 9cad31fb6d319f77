"""Writes to the geography: loading the national area lists and adding local administrations."""

import json
from dataclasses import dataclass
from pathlib import Path

import geothai
from django.db import transaction

from chumchon.core.audit import audit_record
from chumchon.geo.models import District, LocalAdministration, Province, Region, RegionScheme, Subdistrict

DEFAULT_REGIONS_FILE = Path(__file__).parent / "data" / "regions-nso7.json"


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated"


def _sync(model, rows: dict[str, dict], fields: list[str]) -> tuple[int, int]:
    """Make the table hold exactly ``rows`` (keyed by code) for the given fields; return (created, updated)."""
    existing = model.objects.in_bulk(list(rows))
    to_create, to_update = [], []
    for code, values in rows.items():
        current = existing.get(code)
        if current is None:
            to_create.append(model(code=code, **values))
        elif any(getattr(current, f) != values[f] for f in fields):
            for f in fields:
                setattr(current, f, values[f])
            to_update.append(current)
    model.objects.bulk_create(to_create, batch_size=2000)
    if to_update:
        model.objects.bulk_update(to_update, fields, batch_size=2000)
    return len(to_create), len(to_update)


@transaction.atomic
def geography_load(*, actor=None) -> dict[str, LoadResult]:
    """Load all provinces, districts and subdistricts from the geothai package (DOPA codes, CC-BY-4.0 data).

    Idempotent: a second run creates and updates nothing. Areas are never deleted here (rows elsewhere refer
    to them); an area DOPA abolished stays until an administrator merges it.
    """
    provinces = {p.code: {"name_th": p.name_th, "name_en": p.name_en} for p in geothai.provinces()}
    districts, subdistricts = {}, {}
    for p in geothai.provinces():
        for d in geothai.districts(p.code):
            districts[d.code] = {"name_th": d.name_th, "name_en": d.name_en, "province_id": p.code}
            for s in geothai.subdistricts(d.code):
                subdistricts[s.code] = {
                    "name_th": s.name_th, "name_en": s.name_en, "district_id": d.code, "province_id": p.code,
                    "postal_codes": ",".join(s.postal_codes),
                }
    result = {
        "provinces": LoadResult(*_sync(Province, provinces, ["name_th", "name_en"])),
        "districts": LoadResult(*_sync(District, districts, ["name_th", "name_en", "province_id"])),
        "subdistricts": LoadResult(
            *_sync(Subdistrict, subdistricts, ["name_th", "name_en", "district_id", "province_id", "postal_codes"])
        ),
    }
    if any(r.created or r.updated for r in result.values()):
        audit_record(
            actor=actor, action="geo.load", summary=f"geothai {geothai.DATA_VERSION}: "
            + "; ".join(f"{k} {v}" for k, v in result.items()),
        )
    return result


@transaction.atomic
def regions_load(*, path: Path = DEFAULT_REGIONS_FILE, actor=None, make_default: bool | None = None) -> RegionScheme:
    """Load a region scheme from a JSON file (see geo/data/regions-nso7.json for the shape). Idempotent.

    Every province must be in exactly one region of the scheme: a grouping with a gap or an overlap would
    make area totals wrong, so it is refused whole.
    """
    spec = json.loads(Path(path).read_text(encoding="utf-8"))
    seen: dict[str, str] = {}
    for region in spec["regions"]:
        for code in region["provinces"]:
            if code in seen:
                raise ValueError(
                    f"จังหวัดรหัส {code} อยู่ในสองภาค ({seen[code]}, {region['code']}) "
                    f"(province {code} is in two regions)"
                )
            seen[code] = region["code"]
    known = set(Province.objects.values_list("code", flat=True))
    missing, unknown = known - set(seen), set(seen) - known
    if missing or unknown:
        raise ValueError(
            f"กลุ่มภาคต้องครอบคลุมทุกจังหวัดพอดี: ขาด {sorted(missing)} ไม่รู้จัก {sorted(unknown)} "
            f"(the scheme must cover every province exactly once: missing {sorted(missing)}, "
            f"unknown {sorted(unknown)})"
        )
    from chumchon.insights import services as insights_services

    insights_services.lock_regions()  # no summaries refresh reads the grouping while it changes
    grouping = _default_grouping()
    if make_default is None:
        make_default = not RegionScheme.objects.filter(is_default=True).exclude(code=spec["code"]).exists()
    if make_default:
        RegionScheme.objects.filter(is_default=True).exclude(code=spec["code"]).update(is_default=False)
    scheme, created = RegionScheme.objects.update_or_create(
        code=spec["code"],
        defaults={"name_th": spec["name_th"], "name_en": spec["name_en"], "source": spec.get("source", ""),
                  "is_default": make_default},
    )
    changed = created
    for order, item in enumerate(spec["regions"]):
        region, r_created = Region.objects.get_or_create(
            scheme=scheme, code=item["code"],
            defaults={"name_th": item["name_th"], "name_en": item["name_en"], "order": order},
        )
        if (region.name_th, region.name_en, region.order) != (item["name_th"], item["name_en"], order):
            region.name_th, region.name_en, region.order = item["name_th"], item["name_en"], order
            region.save()
            changed = True
        current = set(region.provinces.values_list("code", flat=True))
        if current != set(item["provinces"]):
            region.provinces.set(item["provinces"])
            changed = True
        changed = changed or r_created
    if changed:
        audit_record(actor=actor, action="geo.regions_load", obj=scheme, summary=f"region scheme {scheme.code}")
    if _default_grouping() != grouping:
        # The funds add into other regions now: the region rows follow in this transaction, from the province rows.
        insights_services.summaries_regions_rebuild()
    return scheme


def _default_grouping() -> set[tuple[int, str]]:
    """(region id, province code) of every region of the default scheme."""
    return set(Region.objects.filter(scheme__is_default=True, provinces__isnull=False)
               .values_list("pk", "provinces"))


@transaction.atomic
def local_administration_create(
    *, actor, name_th: str, kind: str, subdistrict: Subdistrict, name_en: str = "", dla_code: str | None = None,
    covers: list[Subdistrict] | None = None,
) -> LocalAdministration:
    """Register a local administration (อบต./เทศบาล) with its office subdistrict and the subdistricts it covers."""
    la = LocalAdministration(
        name_th=name_th.strip(), name_en=name_en.strip(), kind=kind, subdistrict=subdistrict, dla_code=dla_code or None
    )
    la.full_clean()
    la.save()
    la.covers.set(covers or [subdistrict])
    audit_record(actor=actor, action="geo.local_administration_create", obj=la, summary=la.name_th)
    return la
