from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app (or a backup code)"), max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
    )


# The password rules of settings.AUTH_PASSWORD_VALIDATORS, in our words: Django's Thai catalogue has none of them,
# so a Thai page showed them in English. A validator not listed here keeps Django's words.
def _rule_of(validator) -> str:
    match type(validator).__name__:
        case "MinimumLengthValidator":
            n = validator.min_length
            return ngettext("At least %(min_length)d character.", "At least %(min_length)d characters.", n) % {
                "min_length": n}
        case "UserAttributeSimilarityValidator":
            return gettext("Not like your name, username or email address.")
        case "CommonPasswordValidator":
            return gettext("Not one of the passwords many people use.")
        case "NumericPasswordValidator":
            return gettext("Not only numbers.")
    return str(validator.get_help_text())


def _problem_of(error: ValidationError) -> ValidationError:
    """One validator's refusal, in our words (Thai, then English, from the catalogue)."""
    match error.code:
        case "password_too_short":
            n = error.params["min_length"]
            message = ngettext("The new password is too short: it needs at least %(min_length)d character.",
                               "The new password is too short: it needs at least %(min_length)d characters.",
                               n) % {"min_length": n}
        case "password_too_similar":
            message = gettext("The new password is too much like your name, username or email address.")
        case "password_too_common":
            message = gettext("The new password is one that many people use, so it is easy to guess. Choose another.")
        case "password_entirely_numeric":
            message = gettext("The new password cannot be only numbers. Add some letters.")
        case _:
            return error
    return ValidationError(message, code=error.code)


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form (the current password, then the new one twice, checked by the site's password validators),
    with our labels and messages. The validators' problems are shown under the new password, where its rules are."""

    error_messages = {
        "password_incorrect": _("Your current password is not right. Please type it again."),
        "password_mismatch": _("The two new passwords are not the same. Please type the new password in both boxes "
                               "again."),
    }
    old_password = forms.CharField(
        label=_("Current password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password1 = forms.CharField(
        label=_("New password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("New password again"), strip=False, help_text=_("Type the new password once more, to be sure of it."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    field_order = ["old_password", "new_password1", "new_password2"]

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        rules = [_rule_of(v) for v in password_validation.get_default_password_validators()]
        if rules:
            items = format_html_join("", "<li>{}</li>", ((rule,) for rule in rules))
            self.fields["new_password1"].help_text = format_html("{}<ul>{}</ul>", gettext("The new password must be:"),
                                                                 items)

    @sensitive_variables("password")
    def _validate_new_password(self):
        password = self.cleaned_data.get("new_password1")
        if password:
            try:
                password_validation.validate_password(password, self.user)
            except ValidationError as error:
                self.add_error("new_password1", [_problem_of(e) for e in error.error_list])

    def clean(self):
        # SetPasswordForm.clean, with the validators' problems on the new password rather than on its repeat.
        self.validate_passwords("new_password1", "new_password2")
        self._validate_new_password()
        return forms.Form.clean(self)
