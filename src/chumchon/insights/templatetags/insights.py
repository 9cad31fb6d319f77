"""Template helpers of the insights app: a figure's value in its unit, and the server-drawn graphics."""

from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from chumchon.core.thai.money import format_baht
from chumchon.insights import graphics

register = template.Library()


@register.filter
def figure_value(figure) -> str:
    if figure.unit == "baht":
        return format_baht(figure.value)
    if figure.unit == "percent":
        return f"{figure.value:.2f} %"
    if isinstance(figure.value, Decimal):
        return f"{figure.value:,.2f}"
    return intcomma(figure.value)


@register.simple_tag
def chart_svg(chart: dict, lang: str = "th"):
    fmt = (lambda v: format_baht(v)) if chart["unit"] == "baht" else (lambda v: intcomma(v))
    return graphics.bar_chart(chart["series"], title=chart["title_en" if lang == "en" else "title_th"], fmt=fmt)
