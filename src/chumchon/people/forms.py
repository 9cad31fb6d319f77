"""Forms parse what people type; the rules (unique ID, scope) live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chumchon.core.forms import BEDateField, NationalIdField, WholeNumberField
from chumchon.geo.models import Subdistrict
from chumchon.people.models import Sex, Title, sex_from_title


class SubdistrictCodeField(forms.CharField):
    """A subdistrict typed as its 6-digit DOPA code (phones type digits faster than they scroll 7,436 names)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 6)
        kwargs.setdefault("min_length", 6)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        found = Subdistrict.objects.select_related("district__province").filter(code=code.strip()).first()
        if found is None:
            raise forms.ValidationError(
                "ไม่พบรหัสตำบล %(code)s (unknown subdistrict code %(code)s)", code="unknown", params={"code": code}
            )
        return found


class PersonForm(forms.Form):
    title = forms.ChoiceField(label=_("Title"), choices=Title.choices, required=False)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    national_id = NationalIdField(label=_("National ID"), required=False,
                                  help_text=_("13 digits; leave empty for someone who has none."))
    birth_date = BEDateField(label=_("Birth date"), required=False, not_future=True)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNSPECIFIED)
    house_number = forms.CharField(label=_("House number"), max_length=20, required=False)
    village_number = WholeNumberField(label=_("Village number (Moo)"), min_value=1, max_value=99, required=False)
    subdistrict = SubdistrictCodeField(label=_("Subdistrict code"),
                                       help_text=_("6-digit DOPA code, e.g. 500101."))
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    email = forms.EmailField(label=_("Email"), required=False)

    def clean(self) -> dict:
        """Sex left "not stated" is taken from a title that says it (นาง: female), as the import does."""
        data = super().clean()
        if data.get("sex") in (None, "", Sex.UNSPECIFIED) and data.get("title"):
            data["sex"] = sex_from_title(data["title"])
        return data


class RevealForm(forms.Form):
    purpose = forms.CharField(label=_("Why do you need to see this?"), max_length=200,
                              help_text=_("Recorded in the personal-data access log."))
