"""What goes into a member's morning digest (first cut; the digest issue
owns this module and the digest templates)."""

import datetime as dt

from .models import Entry


def digest_context(*, member, local_date: dt.date) -> dict:
    """Template context for the digest of `local_date`'s entries of `member`'s
    team: `people` (each with `name` and `entries`, the member first),
    `quiet` (names of those who wrote nothing), `item_count`, and
    `skip_reason` when the digest must not be sent."""
    team = member.team
    teammates = list(team.members.filter(is_active=True).order_by("name", "id"))
    by_member = {m.pk: [] for m in teammates}
    for entry in Entry.objects.filter(member__team=team, local_date=local_date).order_by(
        "member_id", "position", "id"
    ):
        by_member.setdefault(entry.member_id, []).append(entry)
    ordered = sorted(teammates, key=lambda m: m.pk != member.pk)
    people = [{"name": m.name, "entries": by_member[m.pk]} for m in ordered if by_member[m.pk]]
    quiet = [m.name for m in ordered if not by_member[m.pk]]
    item_count = sum(len(p["entries"]) for p in people)
    context = {"people": people, "quiet": quiet, "item_count": item_count}
    if not item_count and not team.send_empty_digest:
        context["skip_reason"] = "empty digest: nobody wrote anything and the team sends none"
    return context
