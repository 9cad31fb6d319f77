"""How every message to a person is written: Thai first, English after it in brackets — one rule for the pages,
the API, the command line and the files (``ผิดพลาด (wrong)``)."""

from django.core.exceptions import ValidationError


def bilingual(th: str, en: str) -> str:
    """``th (en)``."""
    return f"{th} ({en})"


def field_error(field: str, th: str, en: str, code: str = "invalid") -> ValidationError:
    """The error of one field, in Thai (English), with the code tests and the API look at."""
    return ValidationError({field: ValidationError(bilingual(th, en), code=code)})
