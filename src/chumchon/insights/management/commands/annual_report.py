"""`chumchon annual-report --fiscal-year 2565 [--area CODE] --format html|pdf|json [--output FILE]` (also
`annual_report`): the annual report from the area summaries. ``--area`` is ``TH`` (the nation, the default), a
DOPA code (2-digit province, 4-digit district, 6-digit subdistrict), ``region:<id>``, or a fund's code."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.template.loader import render_to_string

from chumchon.core.thai.errors import ThaiInputError
from chumchon.core.thai.fiscal import FiscalYear
from chumchon.insights import report, selectors
from chumchon.insights.models import NATION_CODE, Level


def area_from_code(code: str):
    code = (code or NATION_CODE).strip()
    if code.upper() == NATION_CODE:
        level = Level.NATION
        code = NATION_CODE
    elif code.startswith("region:"):
        level, code = Level.REGION, code.removeprefix("region:")
    elif code.isdigit() and len(code) in (2, 4, 6):
        level = {2: Level.PROVINCE, 4: Level.DISTRICT, 6: Level.SUBDISTRICT}[len(code)]
    else:
        level = Level.FUND
    try:
        return selectors.area_of(level, code)
    except Http404:
        raise CommandError(f"ไม่พบพื้นที่ {code} (--area: no area or fund with code {code!r})") from None


class Command(BaseCommand):
    help = "The annual report of a fiscal year, for the nation or an area, as HTML, PDF or JSON."

    def add_arguments(self, parser):
        parser.add_argument("--fiscal-year", required=True, help="B.E. fiscal year, e.g. 2565")
        parser.add_argument("--area", default=NATION_CODE, help="TH, a DOPA code, region:<id> or a fund code")
        parser.add_argument("--format", choices=["html", "pdf", "json"], default="json")
        parser.add_argument("--output", help="file to write (default: standard output; PDF needs a file)")

    def handle(self, *args, fiscal_year: str, area: str, format: str, output: str | None, **options):
        try:
            fy = FiscalYear.parse(fiscal_year).be_year
        except ThaiInputError as exc:
            raise CommandError(f"--fiscal-year: {exc}") from None
        data = report.annual_report(fy, area_from_code(area))
        if format == "json":
            content = json.dumps(report.report_json(data), ensure_ascii=False, indent=2).encode()
        else:
            from chumchon.insights.views import report_context

            context = report_context(data)
            if format == "pdf":
                from chumchon.core.pdf import render_pdf

                content = render_pdf("insights/pdf/annual_report.html", context)
            else:
                from chumchon.core.pdf import font_faces

                content = render_to_string("insights/pdf/annual_report.html",
                                           {**context, "font_faces": font_faces(), "printed": ""}).encode()
        if output:
            with open(output, "wb") as handle:
                handle.write(content)
            self.stdout.write(f"wrote {output}")
        elif format == "pdf":
            raise CommandError("--format pdf needs --output FILE")
        else:
            self.stdout.write(content.decode(), ending="\n")
