"""Is a claimed message still wanted, at the moment it is about to be sent?

Dispatch checks who receives mail when it creates the rows, and unsubscribing,
pausing or a suppression cancels the rows already made. One window is left:
a member read by dispatch just before their unsubscribe committed gets a row
that the unsubscribe's cancel could not see yet. Checking again after the
claim, in one query per batch, closes it: the member's wishes as they are
when the message goes out win over what they were when it was made.
"""

from collections import defaultdict

from apps.delivery.selectors import suppressed_email_exists
from apps.teams.models import Member
from apps.teams.selectors import members_receiving_q

UNWANTED = "not sent: the member no longer gets this mail (paused, unsubscribed, " \
    "left the team or the address suppressed since it was made)"


def messages_unwanted(messages) -> list:
    """The messages among `messages` (with .member_id, .kind, .local_date)
    whose member no longer receives them."""
    groups = defaultdict(list)
    for message in messages:
        groups[(message.kind, message.local_date)].append(message)
    unwanted = []
    for (kind, local_date), group in groups.items():
        wanted = set(
            Member.objects.filter(id__in={m.member_id for m in group})
            .filter(members_receiving_q(kind=kind, local_date=local_date))
            .exclude(suppressed_email_exists())
            .values_list("id", flat=True)
        )
        unwanted.extend(m for m in group if m.member_id not in wanted)
    return unwanted
