"""``{% load dataio %}``: whether a list's export button is for this user (``user|may_export:"people"``)."""

from django import template

from chumchon.dataio import exports

register = template.Library()


@register.filter
def may_export(user, kind: str) -> bool:
    return exports.may_export(user, kind)
