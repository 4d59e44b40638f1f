import pytest

from apps.teams import weekdays


def test_parse_and_format_round_trip():
    assert weekdays.parse("mon,wed,fri") == 0b0010101
    assert weekdays.format_mask(weekdays.parse("sat, sun")) == "sat,sun"
    assert weekdays.parse("all") == weekdays.ALL
    assert weekdays.format_mask(weekdays.ALL) == "all"


@pytest.mark.parametrize("text", ["funday", "mon,xyz", "", ","])
def test_parse_refuses_unknown_days_clearly(text):
    with pytest.raises(ValueError):
        weekdays.parse(text)


def test_form_field_turns_checkboxes_into_a_mask_and_back():
    field = weekdays.WeekdaysFormField(required=True)
    assert field.clean(["0", "4"]) == 0b10001
    assert field.prepare_value(0b10001) == ["0", "4"]
