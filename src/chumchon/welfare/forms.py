"""Welfare forms: they parse what the committee types; the rules are in services."""

import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from chumchon.access.roles import Action
from chumchon.core import uploads
from chumchon.core.forms import BEDateField, MoneyField, NationalIdField, WholeNumberField
from chumchon.ledger.models import FundSource
from chumchon.people.forms import PersonForm
from chumchon.people.selectors import person_list
from chumchon.welfare.models import BenefitKind
from chumchon.welfare.selectors import member_by_number
from chumchon.welfare.services.common import HEALTH_CONSENT, unknown_member


def _key() -> str:
    return str(uuid.uuid4())


class KeyedForm(forms.Form):
    """A form that carries an idempotency key made when the page was shown: pressing Save twice saves once."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", _key())


class MemberEnrolForm(PersonForm):
    member_number = forms.CharField(label=_("Member number"), max_length=20)
    joined_on = BEDateField(label=_("Joining date"), not_future=True)


class ContributionForm(KeyedForm):
    amount = MoneyField(label=_("Amount (baht)"))
    date = BEDateField(label=_("Date paid"), not_future=True)


class MembershipEndForm(forms.Form):
    status = forms.ChoiceField(label=_("How the membership ends"), choices=[
        ("resigned", _("resigned")), ("transferred", _("transferred out")), ("deceased", _("deceased"))])
    on = BEDateField(label=_("Date"), not_future=True)
    reason = forms.CharField(label=_("Note"), max_length=200, required=False)


class RefundForm(KeyedForm):
    date = BEDateField(label=_("Date paid"), not_future=True)
    cash_account = forms.ChoiceField(label=_("Paid from"), choices=[("1101", _("cash")), ("1102", _("bank"))])


FREQUENCY_CHOICES = [("daily", _("daily")), ("weekly", _("weekly")), ("monthly", _("monthly (30 days)")),
                     ("yearly", _("yearly (365 days)"))]


class FundSettingsForm(forms.Form):
    """The fund's plan, as its regulations set it (ระเบียบกองทุน)."""

    daily_rate = MoneyField(label=_("Contribution per day (baht)"), min_value=Decimal("0.01"), max_value=1000)
    allowed_frequencies = forms.MultipleChoiceField(label=_("Payments the fund takes"), choices=FREQUENCY_CHOICES,
                                                    widget=forms.CheckboxSelectMultiple)
    whole_days_only = forms.BooleanField(label=_("Payments must cover whole days"), required=False)
    arrears_limit_days = WholeNumberField(label=_("Notice, then lapse, after days in arrears"), min_value=1,
                                          max_value=3650)
    admin_cost_cap_percent = MoneyField(label=_("Cap on administration costs (percent of income)"), max_value=100)
    refund_on_resignation = forms.BooleanField(
        label=_("Refund contributions to a member who resigns without ever receiving a benefit"), required=False)


class LapseRunForm(forms.Form):
    """The arrears run's day (ตรวจสมาชิกค้างชำระ) and, when applying, how many members the page showed."""

    on = BEDateField(label=_("As of"), not_future=True)
    expected = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)


class GrantForm(KeyedForm):
    source = forms.ChoiceField(label=_("Source"), choices=[
        (FundSource.GOVERNMENT, FundSource.GOVERNMENT.label), (FundSource.LOCAL, FundSource.LOCAL.label),
        (FundSource.DONATIONS, FundSource.DONATIONS.label), (FundSource.OTHER, FundSource.OTHER.label)])
    amount = MoneyField(label=_("Amount (baht)"))
    date = BEDateField(label=_("Date received"), not_future=True)
    members_covered = WholeNumberField(label=_("Members it matches"), min_value=0, required=False)
    reference = forms.CharField(label=_("Reference"), max_length=64, required=False)


class ClaimForm(KeyedForm):
    """A claim as the treasurer types it. Given the fund and the user, it finds the member and the beneficiary
    itself, so that every mistake — an unknown member, a date to come, consent missing for health data — comes
    back in one round; the service checks the rules again."""

    member_number = forms.CharField(label=_("Member number"), max_length=20,
                                    widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    kind = forms.ModelChoiceField(label=_("Benefit"), queryset=BenefitKind.objects.all(), empty_label=None)
    event_date = BEDateField(label=_("Date of the event"), not_future=True)
    units = forms.DecimalField(label=_("Units (nights, days)"), min_value=0, max_digits=8, decimal_places=2,
                               initial=1)
    beneficiary_national_id = NationalIdField(
        label=_("Beneficiary's national ID"), required=False,
        help_text=_("Leave empty when the member receives it; otherwise the dependant's national ID number."))
    consent = forms.BooleanField(
        label=_("The claimant gave explicit consent to record health data (PDPA s.26)"), required=False)
    evidence = forms.FileField(label=_("Evidence (certificate, receipt)"), required=False,
                               help_text=_("A photo or scan: JPEG, PNG or PDF, at most 10 MB."))

    def __init__(self, *args, fund=None, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fund, self.user = fund, user

    def clean_member_number(self):
        typed = self.cleaned_data["member_number"]
        membership = member_by_number(self.user, self.fund, typed, Action.CHANGE)
        if membership is None:
            raise forms.ValidationError("{} ({})".format(*unknown_member(typed)), code="unknown")
        return membership

    def clean_beneficiary_national_id(self):
        number = self.cleaned_data.get("beneficiary_national_id")
        if not number:
            return None
        # Only someone the user may see can be named: a claim must not reveal another fund's people.
        person = person_list(self.user, query=number).first()
        if person is None:
            raise forms.ValidationError(
                "ไม่พบผู้รับสวัสดิการที่มีเลขประจำตัวประชาชนนี้ในพื้นที่ของกองทุน: ลงทะเบียนบุคคลก่อน "
                "(beneficiary not found: no one with this national ID in the fund's area; register the person first)",
                code="unknown")
        return person

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        if kind is not None and kind.health_data and not data.get("consent"):
            self.add_error("consent", forms.ValidationError("{} ({})".format(*HEALTH_CONSENT), code="consent"))
        return data

    def clean_evidence(self):
        """JPEG, PNG or PDF whose content, end and file name agree, at most 10 MB
        (:func:`chumchon.core.uploads.clean_upload`)."""
        return uploads.clean_upload(self.cleaned_data.get("evidence"), "ไฟล์หลักฐาน", "the evidence file", uploads.SCANS)


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class PayForm(forms.Form):
    date = BEDateField(label=_("Date paid"), not_future=True)
    cash_account = forms.ChoiceField(label=_("Paid from"), choices=[("1101", _("cash")), ("1102", _("bank"))])
    source = forms.ChoiceField(label=_("Out of the fund's money from"), initial="members", choices=[
        ("members", _("members' contributions")), ("government", _("government matching via the institute")),
        ("local", _("local administration matching"))])


class PensionForm(forms.Form):
    date = BEDateField(label=_("Payment date"), not_future=True)


class SheetHeaderForm(forms.Form):
    village = WholeNumberField(label=_("Village number (Moo)"), min_value=1, max_value=99)
    date = BEDateField(label=_("Collection date"), not_future=True)


class RuleForm(forms.Form):
    """A new version of one benefit rule. Tiers are typed as "years:amount" pairs, e.g. "0:3000, 5:10000"."""

    kind = forms.ModelChoiceField(label=_("Benefit"), queryset=BenefitKind.objects.all(), empty_label=None)
    effective_from = BEDateField(label=_("In force from"))
    is_offered = forms.BooleanField(label=_("Offered"), required=False, initial=True)
    amount_type = forms.ChoiceField(label=_("Amount"), choices=[
        ("fixed", _("fixed amount per event")), ("per_unit", _("amount per unit (e.g. per night)")),
        ("tiered", _("by years of membership")), ("periodic", _("periodic (pension)"))])
    amount = MoneyField(label=_("Amount (fixed or per period)"), required=False)
    unit_amount = MoneyField(label=_("Amount per unit"), required=False)
    tiers = forms.CharField(label=_("Tiers (years:amount, …)"), required=False)
    period = forms.ChoiceField(label=_("Period"), required=False,
                               choices=[("", "—"), ("monthly", _("monthly")), ("yearly", _("yearly"))])
    waiting_days = WholeNumberField(label=_("Waiting period (days of membership)"), min_value=0, initial=180)
    arrears_tolerance_days = WholeNumberField(label=_("Arrears allowed (days)"), min_value=0, initial=90)
    cap_per_event = MoneyField(label=_("Cap per event"), required=False)
    cap_per_year = MoneyField(label=_("Cap per fiscal year"), required=False)
    cap_lifetime = MoneyField(label=_("Cap per lifetime"), required=False)
    min_age = WholeNumberField(label=_("Minimum age"), min_value=0, max_value=120, required=False)
    beneficiary = forms.ChoiceField(label=_("Who may receive"), choices=[
        ("member", _("the member")), ("dependant", _("a dependant")), ("either", _("the member or a dependant"))])
    evidence_required = forms.CharField(label=_("Evidence required"), max_length=300, required=False)

    def clean_tiers(self):
        raw = self.cleaned_data.get("tiers", "").strip()
        if not raw:
            return []
        tiers = []
        for part in raw.replace("，", ",").split(","):
            years, sep, amount = part.strip().partition(":")
            if not sep or not years.strip().isdigit():
                raise forms.ValidationError(
                    f"ขั้นอัตรา '{part.strip()}' ไม่ถูกต้อง ให้พิมพ์ ปี:จำนวนเงิน เช่น 5:10000 "
                    f"(tier '{part.strip()}' is not years:amount, e.g. 5:10000)", code="invalid")
            tiers.append({"years": int(years), "amount": amount.strip().replace(",", "")})
        return tiers
