import pytest
from hypothesis import given
from hypothesis import strategies as st

from chumchon.core.thai import national_id
from chumchon.core.thai.digits import to_thai_digits
from chumchon.core.thai.errors import NationalIdError

VALID = "1234545678781"  # 1-2345-45678-78-1


def reference_check_digit(first12: str) -> str:
    """The published algorithm, written independently of the code under test."""
    total = sum(int(digit) * (13 - i) for i, digit in enumerate(first12))
    return str((11 - total % 11) % 10)


@pytest.mark.parametrize(
    "text",
    ["1234545678781", "1-2345-45678-78-1", " 1 2345 45678 78 1 ", "1.2345.45678.78.1", to_thai_digits(VALID)],
)
def test_normalize_and_validate(text):
    assert national_id.normalize(text) == VALID
    assert national_id.validate(text) == VALID
    assert national_id.is_valid(text)


def test_normalize_none():
    assert national_id.normalize(None) == ""


def test_known_valid_number():
    assert national_id.is_valid("3100600445635")


def _error(text):
    with pytest.raises(NationalIdError) as info:
        national_id.validate(text)
    return info.value


@pytest.mark.parametrize("text", ["", "  ", " - ", None])
def test_empty(text):
    error = _error(text)
    assert error.code == "empty"
    assert error.message_th == "ยังไม่ได้กรอกเลขประจำตัวประชาชน"


def test_too_short():
    error = _error("123454567878")
    assert error.code == "not_13_digits"
    assert error.message_th == "เลขประจำตัวประชาชนต้องมี 13 หลัก (กรอกมา 12 หลัก)"


def test_too_long():
    assert _error("12345456787812").code == "not_13_digits"


def test_letters():
    error = _error("12345456787a1")
    assert error.code == "not_13_digits"
    assert "มีตัวอักษรอื่นปนอยู่" in error.message_th


@pytest.mark.parametrize("first", ["0", "9"])
def test_bad_first_digit(first):
    twelve = first + VALID[1:12]
    error = _error(twelve + reference_check_digit(twelve))
    assert error.code == "bad_first_digit"
    assert f"ขึ้นต้นด้วย {first} ไม่ได้" in error.message_th


def test_checksum():
    error = _error(VALID[:12] + "2")
    assert error.code == "checksum"
    assert "เลขตรวจสอบ" in error.message_th
    assert not national_id.is_valid(VALID[:12] + "2")


def test_format_and_mask():
    assert national_id.format_id(VALID) == "1-2345-45678-78-1"
    assert national_id.format_id("1 2345 45678 78 1") == "1-2345-45678-78-1"
    assert national_id.mask(VALID) == "x-xxxx-xxxxx-78-1"
    assert national_id.mask("1-2345-67890-12-3") == "x-xxxx-xxxxx-12-3"


def test_format_does_not_verify_check_digit():
    assert national_id.format_id("1234567890123") == "1-2345-67890-12-3"


@pytest.mark.parametrize("text", ["123", "", "12345678901ab"])
def test_format_and_mask_need_13_digits(text):
    with pytest.raises(NationalIdError):
        national_id.format_id(text)
    with pytest.raises(NationalIdError):
        national_id.mask(text)


def test_check_digit_and_make_valid():
    assert national_id.check_digit("123454567878") == "1"
    assert national_id.make_valid("123454567878") == VALID
    with pytest.raises(ValueError, match="12 digits"):
        national_id.check_digit("123")
    with pytest.raises(NationalIdError):
        national_id.make_valid("023454567878")


def test_remainders_0_and_10_share_check_digit_1():
    remainder_0 = next(f"1{n:011d}" for n in range(10**4) if sum_mod_11(f"1{n:011d}") == 0)
    remainder_10 = next(f"1{n:011d}" for n in range(10**4) if sum_mod_11(f"1{n:011d}") == 10)
    assert national_id.check_digit(remainder_0) == national_id.check_digit(remainder_10) == "1"


def test_third_digit_is_not_protected():
    changed = VALID[:2] + "9" + VALID[3:]  # weight 11 = 0 mod 11
    assert national_id.is_valid(changed)


def sum_mod_11(first12: str) -> int:
    return sum(int(digit) * (13 - i) for i, digit in enumerate(first12)) % 11


FIRST12 = st.from_regex(r"\A[1-8][0-9]{11}\Z")


@given(FIRST12)
def test_make_valid_always_validates(first12):
    number = national_id.make_valid(first12)
    assert number[:12] == first12
    assert national_id.validate(number) == number
    assert national_id.check_digit(first12) == reference_check_digit(first12)


@given(FIRST12, st.integers(min_value=0, max_value=12), st.integers(min_value=1, max_value=9))
def test_single_digit_changes(first12, position, shift):
    """A wrong digit is caught, except in the two blind spots of the algorithm: the third digit has
    weight 11 (= 0 mod 11) so it never affects the check digit, and remainders 0 and 10 share
    check digit 1."""
    number = national_id.make_valid(first12)
    changed_digit = str((int(number[position]) + shift) % 10)
    changed = number[:position] + changed_digit + number[position + 1 :]
    if position == 12 or changed[0] in "09":
        assert not national_id.is_valid(changed)
    elif position == 2:
        assert national_id.is_valid(changed)
    else:
        collision = {sum_mod_11(number[:12]), sum_mod_11(changed[:12])} == {0, 10}
        assert national_id.is_valid(changed) == collision
