"""The one way a message is written: Thai first, English after it in brackets."""

from chumchon.core.errors import bilingual, field_error


def test_thai_first_english_in_brackets():
    assert bilingual("ต้องระบุชื่อ", "a name is required") == "ต้องระบุชื่อ (a name is required)"


def test_a_field_error_names_its_field_and_keeps_its_code():
    exc = field_error("name_th", "ต้องระบุชื่อ", "a name is required", "required")
    assert exc.message_dict == {"name_th": ["ต้องระบุชื่อ (a name is required)"]}
    assert exc.error_dict["name_th"][0].code == "required"
    assert field_error("x", "ก", "a").error_dict["x"][0].code == "invalid"
