"""Assessment forms: starting one, the answer sheet built from an instrument's items, and editing an item."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chumchon.assessments.models import Assessment, Item
from chumchon.assessments.selectors import instrument_names, subject_suggestions
from chumchon.core import uploads
from chumchon.core.forms import BEDateField, WholeNumberField
from chumchon.core.thai.fiscal import fiscal_year_of


class StartForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Instrument"))
    fiscal_year = WholeNumberField(label=_("Fiscal year (B.E.)"), min_value=1900, max_value=2800)
    subject = forms.CharField(
        label=_("Subject (subdistrict code or organisation code)"), max_length=32,
        help_text=_("A subdistrict's 6-digit code (e.g. 500203) or an organisation's code (e.g. CM-500203); type "
                    "a name to be offered the codes in your area."),
        widget=forms.TextInput(attrs={"list": "subjects", "autocomplete": "off"}))
    mode = forms.ChoiceField(label=_("Kind"), choices=Assessment.Mode.choices)
    assessors = forms.CharField(label=_("Assessors"), max_length=300, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = list(instrument_names().items())
        self.subjects = subject_suggestions(user) if user is not None else []

    def clean_fiscal_year(self) -> int:
        """A B.E. year; a C.E. year (2026) is taken as the B.E. one it means (2569) — they cannot be confused."""
        year = self.cleaned_data["fiscal_year"]
        year = year + 543 if year < 2400 else year
        running = fiscal_year_of(timezone.localdate()).be_year
        if year > running + 1:  # next year's plan may be assessed ahead; not years that have not come
            raise forms.ValidationError(
                f"ปีงบประมาณ {year} ยังไม่มาถึง: ประเมินได้ถึงปี {running + 1} (fiscal year {year} has not come: "
                f"assessments go up to {running + 1})", code="future")
        if not 2400 <= year <= 2800:
            raise forms.ValidationError(
                f"ปีงบประมาณ {year} ไม่ถูกต้อง: ใช้ปี พ.ศ. เช่น 2569 (fiscal year {year}: use the B.E. year, e.g. 2569)",
                code="year")
        return year


class AnswerSheetForm(forms.Form):
    """One answer box, one evidence box and one evidence file per item. Answers are kept as typed text: the
    engine checks them, so the message says what the item allows."""

    assessors = forms.CharField(label=_("Assessors"), max_length=300, required=False)
    assessed_on = BEDateField(label=_("Assessment date"), required=False, not_future=True)

    def __init__(self, *args, items, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            existing = answers.get(item.code)
            value = "" if existing is None else f"{existing.value.normalize():f}"
            if item.answer_type == Item.AnswerType.YES_NO:
                widget = forms.Select(choices=[("", "—"), ("1", _("yes")), ("0", _("no"))])
            elif item.answer_type == Item.AnswerType.SCALE:
                widget = forms.Select(choices=[("", "—")] + [(str(n), str(n)) for n in range(item.scale_max + 1)])
            else:
                widget = forms.TextInput(attrs={"inputmode": "decimal"})
            self.fields[f"answer_{item.code}"] = forms.CharField(label=f"{item.code} {item.text}", required=False,
                                                                 widget=widget, initial=value)
            self.fields[f"evidence_{item.code}"] = forms.CharField(
                label=_("Evidence") + (" *" if item.evidence_required else ""), required=False, max_length=500,
                initial=existing.evidence if existing else "")
            self.fields[f"evidence_file_{item.code}"] = forms.FileField(label=_("Evidence file"), required=False)

    def clean(self):
        data = super().clean()
        for item in self.items:  # a scan or photo like every other upload (core.uploads), never any file at all
            name = f"evidence_file_{item.code}"
            try:
                data[name] = uploads.clean_upload(data.get(name), f"ไฟล์หลักฐานข้อ {item.code}",
                                                  f"the evidence file of item {item.code}", uploads.SCANS)
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        return data

    def rows(self):
        """(item, answer field, evidence field, file field) per item, grouped by dimension for the template."""
        groups = {}
        for item in self.items:
            groups.setdefault(item.dimension, []).append(
                (item, self[f"answer_{item.code}"], self[f"evidence_{item.code}"], self[f"evidence_file_{item.code}"]))
        return list(groups.items())


class ItemEditForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = ["text_th", "text_en", "answer_type", "points", "scale_max", "number_target", "number_max",
                  "evidence_required"]
