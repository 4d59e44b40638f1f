import pytest
from django.core.management import CommandError, call_command

from apps.teams.models import Member, Team


def test_seed_creates_teams_of_members_with_spread_zones_and_hours(db):
    call_command("seed_demo", teams=3, members=10)
    assert Team.objects.count() == 3
    assert Member.objects.count() == 30
    assert Member.objects.values("time_zone").distinct().count() > 5
    assert Member.objects.values("reminder_hour").distinct().count() > 1


def test_seed_twice_adds_nothing_twice(db, capsys):
    call_command("seed_demo", teams=2, members=4)
    call_command("seed_demo", teams=2, members=4)
    assert Member.objects.count() == 8
    assert "0 teams and 0 members created" in capsys.readouterr().out


def test_seed_pins_zone_hours_and_weekdays_when_asked(db):
    call_command(
        "seed_demo", teams=1, members=5, zone="Pacific/Chatham",
        reminder_hour="9", digest_hour="7", weekdays="sat,sun",
    )
    assert set(Member.objects.values_list("time_zone", "reminder_hour", "digest_hour", "weekdays")) == {
        ("Pacific/Chatham", 9, 7, 0b1100000)
    }


@pytest.mark.parametrize("args, message", [
    ({"zone": "Mars/Olympus"}, "not an IANA time zone"),
    ({"reminder_hour": "25"}, "not an hour"),
    ({"digest_hour": "-1"}, "not an hour"),
    ({"weekdays": "funday"}, "not a weekday"),
])
def test_seed_refuses_bad_options_clearly(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("seed_demo", teams=1, members=1, **args)
    assert Member.objects.count() == 0


def test_a_big_seeding_leaves_the_members_table_analysed(db, postgres_only):
    """So a dispatch run right after it (a demo, bench/outbound.py) finds a
    batch's members by primary key, not by reading the whole table."""
    from django.db import connection

    call_command("seed_demo", teams=3, members=400)

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'teams_member'")
        [(estimated,)] = cursor.fetchall()
    assert estimated == Member.objects.count() == 1200
