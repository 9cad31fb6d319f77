"""The person form: what a title says of a person's sex is not asked twice."""

import pytest

from chumchon.people.forms import PersonForm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("title", "sex", "kept"), [
    ("นาง", "U", "F"), ("นาย", "U", "M"), ("เด็กหญิง", "U", "F"), ("", "U", "U"), ("นาง", "M", "M")])
def test_a_sex_not_stated_is_taken_from_the_title(world, title, sex, kept):
    subdistrict = world["fund_a"].organisation.subdistrict_id
    form = PersonForm({"title": title, "first_name": "มะลิ", "sex": sex, "subdistrict": subdistrict})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["sex"] == kept  # a sex chosen is never overridden
