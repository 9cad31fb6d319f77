"""Thai PDFs (receipts, vouchers, forms, statements) with WeasyPrint and the vendored Sarabun font.

WeasyPrint reads nothing but the font files: every other URL is refused, so text from the database can never
make the renderer fetch something. Templates extend ``pdf/base.html``, which declares the fonts.
"""

from pathlib import Path

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from chumchon.core.thai.dates import format_datetime

SARABUN_DIR = (Path(__file__).parent / "static" / "vendor" / "sarabun").resolve()


def font_faces() -> list[dict]:
    """One family per subset (Latin first, then Thai), so each glyph comes from the file that has it."""
    return [
        {"family": f"Chumchon Sarabun {subset.title()}", "weight": weight,
         "url": (SARABUN_DIR / f"sarabun-{subset}-{weight}-normal.woff2").as_uri()}
        for subset in ("latin", "thai") for weight in (400, 700)
    ]


def _fonts_only_fetcher():
    from weasyprint.urls import URLFetcher

    class FontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            path = Path(url.removeprefix("file://")).resolve() if url.startswith("file://") else None
            if path is None or path.parent != SARABUN_DIR:
                raise ValueError(f"refused to fetch {url!r} while rendering a PDF")
            return super().fetch(url, headers)

    return FontsOnly(allowed_protocols=("file",))


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string(template, {**context, "font_faces": font_faces(),
                                       "printed": format_datetime(timezone.now(), "th")})
    return HTML(string=html, url_fetcher=_fonts_only_fetcher()).write_pdf(font_config=FontConfiguration())


def pdf_response(template: str, context: dict, *, filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
