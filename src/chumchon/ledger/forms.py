"""Forms for the books: they parse what the treasurer types; the rules are in services."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from chumchon.core.forms import BEDateField, MoneyField
from chumchon.ledger.models import Account


class EntryForm(forms.Form):
    date = BEDateField(label=_("Date"), not_future=True)  # the books record what happened
    memo = forms.CharField(label=_("Description"), max_length=300)
    reference = forms.CharField(label=_("Document reference"), max_length=64, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", f"manual-{uuid.uuid4()}")


class LineForm(forms.Form):
    account = forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.none(), required=False,
                                     empty_label=_("Choose an account"))
    debit = MoneyField(label=_("Debit"), required=False)
    credit = MoneyField(label=_("Credit"), required=False)

    def __init__(self, *args, book=None, **kwargs):
        super().__init__(*args, **kwargs)
        if book is not None:
            self.fields["account"].queryset = book.accounts.filter(is_active=True).order_by("code")
            self.fields["account"].label_from_instance = lambda a: f"{a.code} {a.name}"

    def clean(self):
        data = super().clean()
        if (data.get("debit") or data.get("credit")) and not data.get("account") and "account" not in self.errors:
            # an amount on a line without an account was dropped without a word before
            self.add_error("account", forms.ValidationError(
                "บรรทัดนี้มีจำนวนเงินแต่ยังไม่ได้เลือกบัญชี (this line has an amount but no account)", code="required"))
        return data


LineFormSet = forms.formset_factory(LineForm, extra=4, max_num=40, absolute_max=40)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why must this year be reopened?"), max_length=300)
