"""Council forms: they parse what the officer types; the rules are in services."""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chumchon.core import uploads
from chumchon.core.forms import BEDateField, MoneyField, WholeNumberField
from chumchon.core.thai.dates import format_date
from chumchon.councils.models import CommunityOrganization, Council, CouncilMember, Meeting, PlanItem, PlanItemLink
from chumchon.councils.models import Proposal as ProposalModel


def clean_upload(upload, what_th: str, what_en: str):
    """A scan or photo: JPEG, PNG or PDF whose content, end and file name agree, at most 10 MB
    (:func:`chumchon.core.uploads.clean_upload`)."""
    return uploads.clean_upload(upload, what_th, what_en, uploads.SCANS)


class CouncilForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    name_th = forms.CharField(label=_("Name (Thai)"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Council.Kind.choices)
    subdistrict = forms.CharField(label=_("Subdistrict code (6 digits)"), max_length=6)
    founded_on = BEDateField(label=_("Founding date"), not_future=True)
    registration_number = forms.CharField(label=_("Registration number"), max_length=40, required=False)
    registered_on = BEDateField(label=_("Registration date"), required=False, not_future=True)


class CouncilEditForm(forms.Form):
    """What the council's edit page corrects (``services.council_update``): its code and subdistrict stay."""

    name_th = forms.CharField(label=_("Name (Thai)"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Council.Kind.choices)
    founded_on = BEDateField(label=_("Founding date"), not_future=True)
    registration_number = forms.CharField(label=_("Registration number"), max_length=40, required=False)
    registered_on = BEDateField(label=_("Registration date"), required=False, not_future=True)


class OrganisationRegisterForm(forms.Form):
    name_th = forms.CharField(label=_("Organisation name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=CommunityOrganization.Kind.choices)
    village_number = WholeNumberField(label=_("Village number (Moo)"), min_value=1, max_value=99, required=False)
    founded_on = BEDateField(label=_("Founding date"), required=False, not_future=True)
    members_count = WholeNumberField(label=_("Number of members"), min_value=0, initial=0)
    leaders = forms.CharField(label=_("Leaders"), max_length=300, required=False)
    contact = forms.CharField(label=_("Contact"), max_length=300, required=False)
    number = forms.CharField(label=_("Registration number"), max_length=40)
    registered_on = BEDateField(label=_("Registration date"), not_future=True)
    documents = forms.CharField(label=_("Documents presented"), widget=forms.Textarea(attrs={"rows": 2}),
                                required=False)
    document_file = forms.FileField(label=_("Document file (scan)"), required=False,
                                    help_text=_("A photo or scan: JPEG, PNG or PDF, at most 10 MB."))

    def clean_document_file(self):
        return clean_upload(self.cleaned_data.get("document_file"), "ไฟล์เอกสาร", "the document")


class OrganisationEditForm(forms.Form):
    """What an organisation's edit page corrects (``services.organisation_update``): its name and registrations
    stay."""

    kind = forms.ChoiceField(label=_("Kind"), choices=CommunityOrganization.Kind.choices)
    village_number = WholeNumberField(label=_("Village number (Moo)"), min_value=1, max_value=99, required=False)
    founded_on = BEDateField(label=_("Founding date"), required=False, not_future=True)
    members_count = WholeNumberField(label=_("Number of members"), min_value=0)
    leaders = forms.CharField(label=_("Leaders"), max_length=300, required=False)
    contact = forms.CharField(label=_("Contact"), max_length=300, required=False)


class DeregisterForm(forms.Form):
    on = BEDateField(label=_("De-registration date"), not_future=True)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=CouncilMember.Kind.choices)
    position = forms.ChoiceField(label=_("Position"), choices=CouncilMember.Position.choices)
    represents = forms.ModelChoiceField(label=_("Represents (registered organisation)"), required=False,
                                        queryset=CommunityOrganization.objects.none(), empty_label="- เลือก -")
    term_start = BEDateField(label=_("Term start"))
    term_end = BEDateField(label=_("Term end"), required=False)

    def __init__(self, *args, council=None, **kwargs):
        super().__init__(*args, **kwargs)
        if council is not None:  # the organisations registered with this council now
            self.fields["represents"].queryset = (CommunityOrganization.objects.filter(
                registrations__council=council, registrations__deregistered_on=None)
                .select_related("organisation").order_by("organisation__name_th").distinct())
        self.fields["represents"].label_from_instance = lambda o: o.organisation.name_th


class MemberTermEndForm(forms.Form):
    on = BEDateField(label=_("Term end"), not_future=True,
                     help_text=_("The last day the member served (resigned, died or was removed)."))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class MeetingForm(forms.Form):
    date = BEDateField(label=_("Meeting date"), not_future=True)
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    present = forms.ModelMultipleChoiceField(
        label=_("Members present (tick their names)"), required=False, queryset=CouncilMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ticked names are kept with the meeting and give the count; or just type how many came."))
    attendees = WholeNumberField(label=_("Members present"), min_value=0, required=False)
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 3}))
    resolutions = forms.CharField(label=_("Resolutions"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    minutes = forms.FileField(label=_("Minutes (scan)"), required=False,
                              help_text=_("A photo or scan: JPEG, PNG or PDF, at most 10 MB."))

    def __init__(self, *args, council=None, **kwargs):
        super().__init__(*args, **kwargs)
        if council is not None:  # members of the last year or so: those who could have come
            since = timezone.localdate() - datetime.timedelta(days=400)
            self.fields["present"].queryset = (council.members.filter(Q(term_end__isnull=True) | Q(term_end__gte=since))
                                               .order_by("name"))

    def clean_minutes(self):
        return clean_upload(self.cleaned_data.get("minutes"), "ไฟล์รายงานการประชุม", "the minutes")


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Proposal"), max_length=300)
    agency = forms.CharField(label=_("Sent to (agency)"), max_length=200)
    sent_on = BEDateField(label=_("Date sent"), not_future=True)
    meeting = forms.ModelChoiceField(label=_("Resolved at the meeting of"), required=False,
                                     queryset=Meeting.objects.none(), empty_label="- เลือก -")

    def __init__(self, *args, council=None, **kwargs):
        super().__init__(*args, **kwargs)
        if council is not None:  # the council's meetings, newest first
            self.fields["meeting"].queryset = Meeting.objects.filter(council=council).order_by("-date", "-pk")
        self.fields["meeting"].label_from_instance = lambda m: f"{format_date(m.date)} ({m.get_kind_display()})"


class FollowUpForm(forms.Form):
    date = BEDateField(label=_("Date"), not_future=True)
    status = forms.ChoiceField(label=_("Status"), choices=ProposalModel.Status.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class PlanForm(forms.Form):
    # No min/max here: the service's message says what a B.E. year is (2026 → "use a B.E. year such as 2569").
    fiscal_year = WholeNumberField(label=_("Fiscal year (B.E.)"))
    title = forms.CharField(label=_("Plan title"), max_length=300)
    approved_on = BEDateField(label=_("Approval date"), required=False, not_future=True)


class PlanItemForm(forms.Form):
    issue = forms.CharField(label=_("Issue"), max_length=300)
    activity = forms.CharField(label=_("Activity"), max_length=300)
    budget_needed = MoneyField(label=_("Budget needed (baht)"))
    done_by = forms.ChoiceField(label=_("Who does it"), choices=PlanItem.DoneBy.choices)


class PlanItemLinkForm(forms.Form):
    agency_kind = forms.ChoiceField(label=_("Kind of agency"), choices=PlanItemLink.AgencyKind.choices)
    local_administration = forms.ModelChoiceField(label=_("Local administration"), queryset=None, required=False)
    agency_name = forms.CharField(label=_("Agency"), max_length=200, required=False)
    amount = MoneyField(label=_("Budget given (baht)"))
    fiscal_year = WholeNumberField(label=_("Budget fiscal year (B.E.)"))

    def __init__(self, *args, local_administrations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_administration"].queryset = local_administrations
