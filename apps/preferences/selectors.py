"""Reads behind the member pages."""

from apps.entries.models import Entry


def entries_for_team(*, team_id: int):
    """The team's done items, newest day first, each with `.member.name`,
    `.text` and `.local_date`; within a day by person, in the order they wrote.

    The team page paginates whatever this returns, so a queryset keeps it one
    LIMIT query per page.
    """
    return (
        Entry.objects.filter(member__team_id=team_id).select_related("member")
        .order_by("-local_date", "member__name", "member_id", "position", "id")
    )
