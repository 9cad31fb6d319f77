from django import forms
from django.utils.translation import gettext_lazy as _

from chumchon.geo.models import LocalAdministration


class LocalAdministrationForm(forms.Form):
    name_th = forms.CharField(label=_("Name (Thai)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=LocalAdministration.Kind.choices)
    dla_code = forms.CharField(label=_("DLA code"), max_length=10, required=False)
