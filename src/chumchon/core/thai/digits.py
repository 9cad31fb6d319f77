"""Thai digits (เลขไทย ๐-๙) used in official documents alongside Arabic digits (0-9)."""

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ARABIC_DIGITS = "0123456789"

_TO_ARABIC = str.maketrans(THAI_DIGITS, ARABIC_DIGITS)
_TO_THAI = str.maketrans(ARABIC_DIGITS, THAI_DIGITS)


def to_arabic_digits(text: str) -> str:
    """Replace Thai digits with Arabic ones: ``"๒๕๖๙"`` -> ``"2569"``; other characters are kept."""
    return text.translate(_TO_ARABIC)


def to_thai_digits(text: str) -> str:
    """Replace Arabic digits with Thai ones: ``"2569"`` -> ``"๒๕๖๙"``; other characters are kept."""
    return text.translate(_TO_THAI)
