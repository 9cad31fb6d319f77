"""Errors for bad user input, explained in Thai first and English second.

Volunteers of a community fund read Thai; the English half helps developers and support staff.
``code`` is a short, stable identifier (used as the Django ``ValidationError`` code and in tests).
"""


class ThaiInputError(ValueError):
    """Input a person typed (or imported) that we cannot accept."""

    def __init__(self, code: str, message_th: str, message_en: str) -> None:
        self.code = code
        self.message_th = message_th
        self.message_en = message_en
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.message_th} ({self.message_en})"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message_en={self.message_en!r})"


class DateInputError(ThaiInputError):
    """A date (วันที่) or fiscal year (ปีงบประมาณ) that cannot be understood."""


class MoneyInputError(ThaiInputError):
    """An amount of money (จำนวนเงิน) that cannot be understood."""


class NationalIdError(ThaiInputError):
    """A national ID number (เลขประจำตัวประชาชน) that is not valid."""
