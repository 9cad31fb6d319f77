"""The reader's language: Thai unless English was chosen — one rule for every page, file and message."""

from django.utils.translation import get_language


def reader_lang() -> str:
    """``"en"`` when the reader chose English, else ``"th"`` (the language :func:`format_date` and friends take)."""
    return "en" if (get_language() or "th").lower().startswith("en") else "th"


def in_reader_language(th: str, en: str) -> str:
    """``en`` for an English reader when there is one, else ``th``."""
    return en if en and reader_lang() == "en" else th
