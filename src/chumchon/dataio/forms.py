from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from chumchon.access.roles import Action
from chumchon.access.scoping import restrict
from chumchon.core.forms import BEDateField
from chumchon.dataio.exports import may_export
from chumchon.dataio.kinds import KINDS
from chumchon.dataio.models import ImportJob
from chumchon.welfare.models import Fund

MAX_UPLOAD_MB = 200


FUNDS_LISTED = 300  # more funds than this (national and regional staff): the fund is typed by its code


class FundField(forms.ModelChoiceField):
    """A fund chosen from the list of those the user may use — or, when there are too many to list
    (``FUNDS_LISTED``: a country has thousands), typed by its code."""

    typed = False

    def prepare_value(self, value):
        if self.typed and isinstance(value, Fund):
            return value.code
        return super().prepare_value(value)

    def to_python(self, value):
        if self.typed and value not in self.empty_values:
            code = str(value).strip()
            found = self.queryset.filter(organisation__code__iexact=code).first()
            if found is None:
                raise forms.ValidationError(
                    f"ไม่พบกองทุนรหัส {code[:40]} ในกองทุนที่คุณใช้ได้ (no fund with code {code[:40]} among yours)",
                    code="invalid_choice")
            return found
        return super().to_python(value)


def _funds(form: forms.Form, user, action: str) -> None:
    """The funds the user may import into (or export from); when there is only one — a fund's own committee —
    it is already chosen; when there are more than ``FUNDS_LISTED``, the fund is typed by its code."""
    funds = form.fields["fund"]
    funds.queryset = restrict(Fund.objects.select_related("organisation").order_by("organisation__code"), user, action)
    funds.label_from_instance = lambda f: f"{f.code} {f.name}"
    listed = list(funds.queryset.values_list("pk", flat=True)[:FUNDS_LISTED + 1])
    if len(listed) > FUNDS_LISTED:
        funds.typed = True
        funds.widget = forms.TextInput(attrs={"placeholder": "CM-500203", "autocomplete": "off",
                                              "autocapitalize": "characters", "spellcheck": "false"})
        funds.help_text = format_lazy("{} {}", _("Type the fund's code (e.g. CM-500203)."), funds.help_text)
    elif not form.is_bound and len(listed) == 1:
        funds.initial = listed[0]


class ImportForm(forms.Form):
    # A fund's member list is what most files hold (then its contribution history): chosen unless the link says.
    kind = forms.ChoiceField(label=_("What the file holds"), choices=[
        (name, ImportJob.Kind(name).label) for name in KINDS], initial="memberships")
    fund = FundField(label=_("Fund"), queryset=Fund.objects.none(), required=False,
                     help_text=_("Leave empty for people, councils and organisations, or when each row names its fund "
                                 "(national staff)."))
    # The phone's file picker offers spreadsheets first (the check still reads whatever comes, by its content).
    file = forms.FileField(label=_("File (xlsx or CSV)"), widget=forms.ClearableFileInput(attrs={
        "accept": ".xlsx,.csv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"}))
    mode = forms.ChoiceField(label=_("When some rows have problems"), choices=ImportJob.Mode.choices,
                             initial=ImportJob.Mode.ALL_OR_NOTHING, widget=forms.RadioSelect)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _funds(self, user, Action.CHANGE)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                f"ไฟล์ใหญ่เกิน {MAX_UPLOAD_MB} MB: ใช้คำสั่ง chumchon import แทน "
                f"(the file is larger than {MAX_UPLOAD_MB} MB: use the chumchon import command)")
        return upload


class ExportForm(forms.Form):
    """What to export: the kind (its columns are the import template's), the fund, the format, and for personal
    data the purpose, which is kept in the audit log and each person's access log."""

    kind = forms.ChoiceField(label=_("What to export"), choices=[
        (name, ImportJob.Kind(name).label) for name in KINDS])
    fund = FundField(label=_("Fund"), queryset=Fund.objects.none(), required=False,
                     help_text=_("Empty: all you may see (people, councils and organisations)."))
    format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "Excel (xlsx)"), ("csv", "CSV (UTF-8)")],
                               initial="xlsx", widget=forms.RadioSelect)
    since = BEDateField(label=_("From (contributions and payouts)"), required=False)
    as_of = BEDateField(label=_("Balances as at the start of (opening balances)"), required=False)
    purpose = forms.CharField(label=_("Purpose (files with personal data)"), max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _funds(self, user, Action.VIEW)
        # Only what the user may export is offered: files of personal data ask for the right to see it.
        kinds = self.fields["kind"]
        kinds.choices = [(name, label) for name, label in kinds.choices if may_export(user, name)]
        self.refused_kinds = [ImportJob.Kind(name).label for name in KINDS if not may_export(user, name)]
