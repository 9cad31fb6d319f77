from hypothesis import given
from hypothesis import strategies as st

from chumchon.core.thai.digits import to_arabic_digits, to_thai_digits


def test_thai_to_arabic():
    assert to_arabic_digits("๐๑๒๓๔๕๖๗๘๙") == "0123456789"
    assert to_arabic_digits("วันที่ ๒๕ พ.ย. ๒๕๖๙") == "วันที่ 25 พ.ย. 2569"


def test_arabic_to_thai():
    assert to_thai_digits("25/11/2569") == "๒๕/๑๑/๒๕๖๙"
    assert to_thai_digits("no digits") == "no digits"


@given(st.text())
def test_round_trip(text):
    assert to_arabic_digits(to_thai_digits(to_arabic_digits(text))) == to_arabic_digits(text)
    assert to_arabic_digits(to_thai_digits(text)) == to_arabic_digits(text)


@given(st.text(alphabet=st.characters(exclude_characters="0123456789๐๑๒๓๔๕๖๗๘๙")))
def test_other_characters_untouched(text):
    assert to_thai_digits(text) == text
    assert to_arabic_digits(text) == text
