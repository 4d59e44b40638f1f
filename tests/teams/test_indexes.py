"""Dispatch finds a zone's members through an index, not a scan of every member."""

from contextlib import contextmanager

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.outbound.selectors import zones_in_use
from apps.teams.models import Member

INDEX = "member_zone_active"


@contextmanager
def seqscan_avoided():
    """PostgreSQL is told to avoid sequential scans, as it rightly would on a
    big table (a test table is tiny); SQLite plans by the schema alone."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        yield cursor


def plan(sql: str, params=None) -> str:
    explain = "EXPLAIN" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    with seqscan_avoided() as cursor:
        cursor.execute(f"{explain} {sql}", params)
        return "\n".join(str(row) for row in cursor.fetchall())


def test_members_have_an_index_on_zone_and_activity(db):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Member._meta.db_table)
    assert constraints[INDEX]["index"] and constraints[INDEX]["columns"] == [
        "time_zone", "is_active"]


def test_the_zones_of_active_members_are_read_from_the_index(team):
    Member.objects.create(team=team, name="Ada", email="ada@example.com", time_zone="Asia/Tokyo")
    with CaptureQueriesContext(connection) as queries:
        assert zones_in_use() == ["Asia/Tokyo"]
    [query] = queries  # the SQL as run, parameters inlined
    assert INDEX in plan(query["sql"])


def test_one_zones_active_members_are_found_through_the_index(db):
    members = Member.objects.filter(time_zone="Asia/Tokyo", is_active=True)  # as members_due
    with seqscan_avoided():
        assert INDEX in members.values("pk").explain()
