"""Reads behind the member pages."""


def entries_for_team(*, team_id: int):
    """The team's done items, newest day first, each with `.member.name`,
    `.text` and `.local_date`.

    The Entry model arrives with the inbound issue; until it is merged this is
    the one place to wire it: return
    `Entry.objects.filter(member__team_id=team_id).select_related("member")
    .order_by("-local_date", "member__name", "id")`. The team page paginates
    whatever this returns, so a queryset keeps it one LIMIT query per page.
    """
    return []
