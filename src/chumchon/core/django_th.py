"""Django's own messages that reach our users, given Thai in our catalogue, Thai first with the English after it.

Our messages for bad input are "Thai (English)" (``core.thai.errors``, the forms in ``core.forms``). The messages
Django writes itself — a required field left empty, too many decimal places, a value too long, a choice that is
not offered, a record that exists already, a failed login — came out Thai only (Django's Thai catalogue), and some
in English only, because that catalogue lacks them: the blank choice of every select ("- Select an option -", new
in Django 6.1), decimal places and digits, lengths, null characters, a model's "already exists". A treasurer
typing ``12.345`` into an amount read English.

Listing them here (marked, never called) puts them into our catalogue when ``make messages`` extracts it, where
each gets its Thai; our catalogue is read before Django's (``LOCALE_PATHS``), so ours is what is shown. In
English, Django's wording stays as it is. ``tests/core/test_django_th.py`` checks that each is still a message
Django has (a Django upgrade that rewords one fails it, instead of quietly showing English again) and that each
reads Thai first with its English.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# Messages with one form: the message ids exactly as Django writes them.
MESSAGES = (
    # A select's blank choice (forms built from models, ModelChoiceField).
    gettext_noop("- Select an option -"),
    # Form fields (django.forms.fields, django.forms.models).
    gettext_noop("This field is required."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a number."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a valid time."),
    gettext_noop("Enter a valid date/time."),
    gettext_noop("No file was submitted. Check the encoding type on the form."),
    gettext_noop("No file was submitted."),
    gettext_noop("The submitted file is empty."),
    gettext_noop("Enter a valid URL."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    gettext_noop("Enter a list of values."),
    gettext_noop("Enter a complete value."),
    gettext_noop("“%(pk)s” is not a valid value."),
    # Validators (django.core.validators).
    gettext_noop("Enter a valid value."),
    gettext_noop("Enter a valid integer."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is a multiple of step size %(limit_value)s."),
    gettext_noop("Null characters are not allowed."),
    gettext_noop("File extension “%(extension)s” is not allowed. Allowed extensions are: %(allowed_extensions)s."),
    # A model's own checks (full_clean, a ModelForm's validation).
    gettext_noop("Value %(value)r is not a valid choice."),
    gettext_noop("This field cannot be null."),
    gettext_noop("This field cannot be blank."),
    gettext_noop("%(model_name)s with this %(field_label)s already exists."),
    gettext_noop("%(model_name)s with this %(field_labels)s already exists."),
    gettext_noop("Constraint “%(name)s” is violated."),
    gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice."),
    # Logging in (django.contrib.auth's login form).
    gettext_noop("Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."),
    gettext_noop("This account is inactive."),
)

# Messages with a singular and a plural (Thai has one form: the plural's English goes after the Thai).
PLURAL_MESSAGES = (
    ngettext_lazy("Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
                  "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
                  "limit_value"),
    ngettext_lazy("Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
                  "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
                  "limit_value"),
    ngettext_lazy("Ensure that there are no more than %(max)s digit in total.",
                  "Ensure that there are no more than %(max)s digits in total.", "max"),
    ngettext_lazy("Ensure that there are no more than %(max)s decimal place.",
                  "Ensure that there are no more than %(max)s decimal places.", "max"),
    ngettext_lazy("Ensure that there are no more than %(max)s digit before the decimal point.",
                  "Ensure that there are no more than %(max)s digits before the decimal point.", "max"),
    ngettext_lazy("Ensure this filename has at most %(max)d character (it has %(length)d).",
                  "Ensure this filename has at most %(max)d characters (it has %(length)d).", "max"),
)
