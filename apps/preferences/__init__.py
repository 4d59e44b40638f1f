"""Member preferences, one-click unsubscribe and the team page, behind signed links.

The data lives on apps.teams (Member stamps, SubscriptionEvent, Team.send_empty_digest);
this app is the web-facing side. Seams for the apps built beside it:

- outbound rendering: `links.list_unsubscribe_headers(member, kind=...)`, and
  `links.preferences_url / team_url / unsubscribe_url` for the links in each email;
- outbound dispatch: `apps.teams.selectors.members_receiving_q(kind=..., local_date=...)`;
- outbound state machine: `services.messages_cancel_for_member` is the one place that
  cancels, to be moved onto `states.transition()`;
- inbound: `services.member_unsubscribe_by_address(address=...)` for mail to the mailto;
- entries: `selectors.entries_for_team(team_id=...)` feeds the team page.
"""
