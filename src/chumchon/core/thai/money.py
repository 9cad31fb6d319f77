"""Baht amounts: always ``Decimal`` with two places (1 บาท = 100 สตางค์ satang), never float.

Amounts are written ``1,234.50`` (optionally ``฿1,234.50``). Cheques, receipts and vouchers also spell the
amount out in Thai words (``หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์``), ending in ถ้วน ("exactly") when
there are no satang.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from bahttext import bahttext

from chumchon.core.thai.digits import to_arabic_digits
from chumchon.core.thai.errors import MoneyInputError

BAHT = Decimal("0.01")
# A quadrillion baht: far beyond any fund, and small enough that bahttext (which works in float) is exact.
LIMIT = Decimal(10) ** 15

_CURRENCY = re.compile(r"฿|บาท|thb", re.IGNORECASE)
_AMOUNT = re.compile(r"([+\-−]?)\s*(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?")


def _too_large() -> MoneyInputError:
    return MoneyInputError(
        "too_large",
        "จำนวนเงินมากเกินไป (ต้องน้อยกว่า 1,000 ล้านล้านบาท)",
        "the amount is too large; it must be below 10^15 baht",
    )


def to_baht(value: Decimal | int | str) -> Decimal:
    """The amount as a Decimal with exactly two places, rounding half up (0.005 -> 0.01).

    Accepts Decimal, int or a plain numeric str (``"1234.5"``); floats are refused because binary floating
    point cannot hold satang exactly.
    """
    if isinstance(value, float):
        raise TypeError("money is never a float: pass a Decimal, int or str")
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(f"to_baht needs a Decimal, int or str, not {type(value).__name__}")
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise MoneyInputError(
            "invalid", f'"{str(value)[:30]}" ไม่ใช่จำนวนเงิน', f'"{str(value)[:30]}" is not an amount'
        ) from None
    if not amount.is_finite():
        raise MoneyInputError("invalid", "จำนวนเงินต้องเป็นตัวเลข", "the amount must be a number")
    if abs(amount) >= LIMIT:
        raise _too_large()
    with localcontext() as context:
        context.prec = 40  # enough for any amount below LIMIT, whatever its exponent
        rounded = amount.quantize(BAHT, rounding=ROUND_HALF_UP)
    if abs(rounded) >= LIMIT:
        raise _too_large()
    return rounded if rounded else abs(rounded)  # no "-0.00"


def parse_money(text: str | Decimal | int, *, allow_negative: bool = False) -> Decimal:
    """Read an amount as people type it: ``1,234.50``, ``1234.5 บาท``, ``฿1,234``, Thai digits.

    Commas must group thousands; at most two decimal places (trailing zeros aside); negative amounts
    only with ``allow_negative``.
    """
    if isinstance(text, Decimal | int) and not isinstance(text, bool):
        text = format(text, "f") if isinstance(text, Decimal) else str(text)  # "1000", never "1E+3"
    if not isinstance(text, str):
        raise TypeError(f"parse_money needs a str, not {type(text).__name__}")
    cleaned = _CURRENCY.sub(" ", to_arabic_digits(text)).strip()  # "฿ 1,234", "-฿5", "5 บาท"
    if not cleaned:
        raise MoneyInputError("empty", "ยังไม่ได้กรอกจำนวนเงิน", "no amount was entered")
    match = _AMOUNT.fullmatch(cleaned)
    if not match or not (match.group(2) or match.group(3)):
        shown = text.strip()[:30]
        raise MoneyInputError(
            "invalid",
            f'"{shown}" ไม่ใช่จำนวนเงิน กรุณากรอกตัวเลข เช่น 1,234.50 (ใช้ , คั่นหลักพัน และ . คั่นทศนิยม)',
            f'"{shown}" is not an amount; type a number such as 1,234.50 '
            "with a comma for thousands and a dot for decimals",
        )
    sign, whole, fraction = match.group(1), match.group(2).replace(",", ""), match.group(3) or ""
    if len(fraction.rstrip("0")) > 2:
        raise MoneyInputError(
            "too_many_decimals",
            "ทศนิยมเกินสองตำแหน่ง (สตางค์มีได้แค่ 2 หลัก)",
            "more than two decimal places; satang have only 2 digits",
        )
    amount = to_baht(f"{whole or '0'}.{fraction or '0'}")
    if sign in ("-", "−") and amount:
        if not allow_negative:
            raise MoneyInputError("negative", "จำนวนเงินต้องไม่ติดลบ", "the amount must not be negative")
        amount = -amount
    return amount


def format_baht(value: Decimal | int | str | None, *, symbol: bool = False) -> str:
    """``1,234.50`` (``฿1,234.50`` with ``symbol``); negatives ``-1,234.50``; None gives ``""``."""
    if value is None:
        return ""
    amount = to_baht(value)
    text = f"{abs(amount):,.2f}"
    if symbol:
        text = "฿" + text
    return "-" + text if amount < 0 else text


def _words(number: int) -> str:
    """Thai words for a whole number, e.g. 21 -> ยี่สิบเอ็ด, 101 -> หนึ่งร้อยเอ็ด (เอ็ด is a final one)."""
    return bahttext(number).removesuffix("บาทถ้วน")


def baht_text(value: Decimal | int | str | None) -> str:
    """The amount in Thai words as on a receipt: 1234.50 -> ``หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์``,
    100 -> ``หนึ่งร้อยบาทถ้วน``, 0.25 -> ``ยี่สิบห้าสตางค์``, -5 -> ``ลบห้าบาทถ้วน``. None gives ``""``.

    bahttext is given whole numbers only (it converts through float and says ``เอ็ดสตางค์`` for one satang),
    so baht and satang are spelled separately.
    """
    if value is None:
        return ""
    amount = to_baht(value)
    sign = "ลบ" if amount < 0 else ""
    baht, satang = divmod(int(abs(amount) * 100), 100)
    if not satang:
        return f"{sign}{_words(baht)}บาทถ้วน"
    baht_part = f"{_words(baht)}บาท" if baht else ""
    return f"{sign}{baht_part}{_words(satang)}สตางค์"
