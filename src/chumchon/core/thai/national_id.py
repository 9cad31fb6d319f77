"""Thai national ID numbers (เลขประจำตัวประชาชน), 13 digits written ``1-2345-67890-12-3``.

The first digit is the kind of registration (1-8; never 0 or 9). The last is a check digit:
(11 - (Σ dᵢ·(13 - i) for i = 0..11) mod 11) mod 10. Because the third digit is weighted 11 (= 0 mod 11),
a mistake in the third digit is never caught by the check digit, and since both remainders 0 and 10 give
check digit 1, a few other single-digit mistakes slip through too.

The number is personal data: show it masked (``x-xxxx-xxxxx-12-3``) wherever the full number is not needed.
"""

from stdnum import exceptions as stdnum_errors
from stdnum.th import pin

from chumchon.core.thai.digits import to_arabic_digits
from chumchon.core.thai.errors import NationalIdError

LENGTH = 13
_GROUPS = (1, 4, 5, 2, 1)
_SEPARATORS = str.maketrans("", "", " -.–—\t\n\r\u00a0")


def normalize(text: str | None) -> str:
    """The number without spaces, dashes or dots and with Thai digits made Arabic:
    ``"๑-๒๓๔๕-..."`` -> ``"12345..."``. Does not check it; see :func:`validate`."""
    if text is None:
        return ""
    return to_arabic_digits(str(text)).translate(_SEPARATORS)


def _not_13_digits(number: str) -> NationalIdError:
    if not (number.isascii() and number.isdigit()):
        return NationalIdError(
            "not_13_digits",
            "เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลัก (มีตัวอักษรอื่นปนอยู่)",
            "a national ID number is 13 digits; this one contains other characters",
        )
    return NationalIdError(
        "not_13_digits",
        f"เลขประจำตัวประชาชนต้องมี 13 หลัก (กรอกมา {len(number)} หลัก)",
        f"a national ID number has 13 digits, not {len(number)}",
    )


def validate(text: str | None) -> str:
    """The normalised 13-digit number, or a :class:`NationalIdError` saying what is wrong."""
    number = normalize(text)
    if not number:
        raise NationalIdError("empty", "ยังไม่ได้กรอกเลขประจำตัวประชาชน", "no national ID number was entered")
    try:
        return pin.validate(number)
    except (stdnum_errors.InvalidLength, stdnum_errors.InvalidFormat):
        raise _not_13_digits(number) from None
    except stdnum_errors.InvalidComponent:
        raise NationalIdError(
            "bad_first_digit",
            f"เลขประจำตัวประชาชนขึ้นต้นด้วย {number[0]} ไม่ได้ (หลักแรกต้องเป็น 1 ถึง 8)",
            f"a national ID number cannot start with {number[0]}; the first digit is 1 to 8",
        ) from None
    except stdnum_errors.InvalidChecksum:
        raise NationalIdError(
            "checksum",
            "เลขประจำตัวประชาชนไม่ถูกต้อง (หลักสุดท้ายไม่ตรงกับเลขตรวจสอบ) กรุณาตรวจสอบว่ากรอกครบและถูกทุกหลัก",
            "the national ID number is not valid: its check digit does not match; check every digit",
        ) from None


def is_valid(text: str | None) -> bool:
    try:
        validate(text)
    except NationalIdError:
        return False
    return True


def _digits13(text: str | None) -> str:
    """13 digits for display; the check digit is not verified (old records may carry typos)."""
    number = normalize(text)
    if len(number) != LENGTH or not (number.isascii() and number.isdigit()):
        raise _not_13_digits(number)
    return number


def _group(number: str) -> str:
    parts, position = [], 0
    for size in _GROUPS:
        parts.append(number[position : position + size])
        position += size
    return "-".join(parts)


def format_id(text: str | None) -> str:
    """``1234567890123`` -> ``1-2345-67890-12-3``."""
    return _group(_digits13(text))


def mask(text: str | None) -> str:
    """Only the last three digits shown, groups kept: ``x-xxxx-xxxxx-12-3``."""
    number = _digits13(text)
    return _group("x" * (LENGTH - 3) + number[-3:])


def check_digit(first12: str) -> str:
    """The check digit (last digit) for the first twelve digits."""
    digits = normalize(first12)
    if len(digits) != LENGTH - 1 or not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"check_digit needs 12 digits, got {first12!r}")
    return pin.calc_check_digit(digits)


def make_valid(first12: str) -> str:
    """A valid 13-digit number from twelve digits (the first 1-8), e.g. for demo data."""
    digits = normalize(first12)
    number = digits + check_digit(digits)
    return validate(number)
