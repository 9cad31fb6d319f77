"""Public open data: the catalogue (HTML and DCAT/CKAN-style JSON) and the datasets as CSV and JSON. No login."""

import csv
import io

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from chumchon.core.safe_cells import csv_row
from chumchon.core.thai.errors import ThaiInputError
from chumchon.core.thai.fiscal import FiscalYear
from chumchon.insights import opendata

FORMATS = {"csv": "text/csv", "json": "application/json"}


def _entries(request) -> list[dict]:
    entries = []
    latest = opendata.release()  # the catalogue, too, asks for a new release when it is due
    changed = latest.made if latest is not None else None
    for d in opendata.DATASETS.values():
        resources = [{"name": f"{d.title_en} ({fmt.upper()})", "format": fmt.upper(), "mediaType": media,
                      "url": request.build_absolute_uri(reverse("open_data:dataset", args=[d.slug, fmt]))}
                     for fmt, media in FORMATS.items()]
        entries.append({"dataset": d, "modified": changed, "resources": resources})
    return entries


def catalogue(request):
    return render(request, "insights/open_data.html", {
        "entries": _entries(request), "licence": opendata.LICENCE, "threshold": opendata.SUPPRESS_BELOW,
        "max_age_minutes": settings.OPEN_DATA_MAX_AGE // 60})


def catalogue_json(request):
    """A DCAT catalogue (JSON-LD) whose datasets also carry the CKAN names (title, notes, license_id,
    metadata_modified, resources), so a CKAN harvester or a DCAT reader can take it."""
    datasets = []
    for e in _entries(request):
        d, changed = e["dataset"], e["modified"]
        datasets.append({
            "@type": "dcat:Dataset", "identifier": f"chumchon-welfare-{d.slug}", "name": f"chumchon-welfare-{d.slug}",
            "title": d.title_th, "title_en": d.title_en, "description": d.description, "notes": d.description,
            "license": opendata.LICENCE["url"], "license_id": opendata.LICENCE["id"],
            "modified": changed.isoformat() if changed else None,
            "metadata_modified": changed.isoformat() if changed else None,
            "keyword": ["สวัสดิการชุมชน", "community welfare fund", "open data"], "language": ["th", "en"],
            "distribution": [{"@type": "dcat:Distribution", "title": r["name"], "downloadURL": r["url"],
                              "mediaType": r["mediaType"], "format": r["format"]} for r in e["resources"]],
            "resources": [{"name": r["name"], "url": r["url"], "format": r["format"]} for r in e["resources"]],
        })
    return JsonResponse({
        "@context": {"@vocab": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "title": "dct:title", "description": "dct:description", "license": "dct:license",
                     "modified": "dct:modified", "identifier": "dct:identifier", "language": "dct:language",
                     "format": "dct:format"},
        "@type": "dcat:Catalog", "title": "Chumchon open data: community welfare funds",
        "description": "De-identified yearly aggregates of Thailand's community welfare funds (กองทุนสวัสดิการชุมชน). "
                       f"Counts of fewer than {opendata.SUPPRESS_BELOW} people are suppressed, and so are a few "
                       "other cells (complementary suppression), so that none can be worked out from a total or "
                       "from the year before's members.",
        "license": opendata.LICENCE["url"], "homepage": request.build_absolute_uri(reverse("open_data:catalogue")),
        "dataset": datasets,
    }, json_dumps_params={"ensure_ascii": False})


def dataset(request, dataset: str, fmt: str):
    d = opendata.DATASETS.get(dataset)
    if d is None or fmt not in FORMATS:
        raise Http404
    fiscal_year = None
    if request.GET.get("fiscal_year"):
        try:
            fiscal_year = FiscalYear.parse(request.GET["fiscal_year"]).be_year
        except (ThaiInputError, TypeError) as exc:
            return JsonResponse({"error": {"fiscal_year": str(exc)}}, status=400)
    rows = opendata.records(d, fiscal_year)
    if fmt == "json":
        return JsonResponse({"dataset": f"chumchon-welfare-{d.slug}", "licence": opendata.LICENCE["id"],
                             "suppressed_below": opendata.SUPPRESS_BELOW, "columns": list(opendata.COLUMNS),
                             "rows": [{k: (f"{v:.2f}" if hasattr(v, "quantize") else v) for k, v in r.items()}
                                      for r in rows]}, json_dumps_params={"ensure_ascii": False})
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(opendata.COLUMNS)
    for r in rows:
        writer.writerow(csv_row(r[c] for c in opendata.COLUMNS))  # a fund's name never a formula
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="chumchon-welfare-{d.slug}.csv"'
    return response
