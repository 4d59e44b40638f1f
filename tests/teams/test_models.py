import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.teams.models import Member


def make(team, **fields):
    defaults = dict(team=team, name="Grace", email="grace@example.com", time_zone="UTC")
    defaults.update(fields)
    return Member(**defaults)


def messages_of(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def test_a_valid_member_passes_full_clean(team):
    member = make(team, time_zone="Asia/Kathmandu", reminder_hour=0, digest_hour=23)
    member.full_clean()
    member.save()
    assert len(member.reply_token) == 20


@pytest.mark.parametrize("field", ["reminder_hour", "digest_hour"])
@pytest.mark.parametrize("hour", [24, 25, 100])
def test_an_hour_outside_0_to_23_is_refused_with_a_clear_message(team, field, hour):
    with pytest.raises(ValidationError) as exc:
        make(team, **{field: hour}).full_clean()
    assert field in exc.value.message_dict
    assert "use 0 to 23" in messages_of(exc.value)


def test_the_database_refuses_an_hour_of_25_too(team):
    with pytest.raises(IntegrityError), transaction.atomic():
        make(team, reminder_hour=25).save()


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "Europe/Londn", "EST5EDT6", ""])
def test_a_time_zone_zoneinfo_does_not_know_is_refused(team, zone):
    with pytest.raises(ValidationError) as exc:
        make(team, time_zone=zone).full_clean()
    assert "time_zone" in exc.value.message_dict


def test_an_invalid_email_is_refused(team):
    with pytest.raises(ValidationError) as exc:
        make(team, email="grace at example").full_clean()
    assert "email" in exc.value.message_dict


def test_a_duplicate_email_in_a_team_is_refused_whatever_its_case(team):
    make(team).save()
    with pytest.raises(ValidationError) as exc:
        make(team, email="Grace@Example.com").full_clean()
    assert "already in this team" in messages_of(exc.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        make(team, email="GRACE@example.com").save()


def test_the_same_email_may_be_in_two_teams(team):
    from apps.teams.models import Team

    other = Team.objects.create(name="Other", slug="other")
    make(team).save()
    make(other).full_clean()


def test_reply_tokens_are_unique_and_address_safe(team):
    tokens = {make(team, email=f"m{i}@example.com").reply_token for i in range(200)}
    assert len(tokens) == 200
    assert all(t.isalnum() and t == t.lower() for t in tokens)


def test_weekdays_default_to_the_working_week(team):
    member = make(team)
    member.save()
    member.refresh_from_db()
    assert member.weekdays_display == "mon,tue,wed,thu,fri"


def test_a_weekday_mask_beyond_seven_days_is_refused_by_the_database(team):
    with pytest.raises(IntegrityError), transaction.atomic():
        make(team, weekdays=1 << 7).save()


def test_member_str_names_person_and_address(member):
    assert str(member) == "Ada Lovelace <ada@example.com>"
    assert isinstance(Member.objects.get(pk=member.pk).team.name, str)
