import pytest

from chumchon.core.thai.errors import DateInputError, MoneyInputError, NationalIdError, ThaiInputError


@pytest.mark.parametrize("cls", [ThaiInputError, DateInputError, MoneyInputError, NationalIdError])
def test_message_is_thai_then_english(cls):
    error = cls("some_code", "ข้อความภาษาไทย", "English message")
    assert isinstance(error, ValueError)
    assert isinstance(error, ThaiInputError)
    assert error.code == "some_code"
    assert error.message_th == "ข้อความภาษาไทย"
    assert error.message_en == "English message"
    assert str(error) == "ข้อความภาษาไทย (English message)"
    assert error.args == ("ข้อความภาษาไทย (English message)",)
