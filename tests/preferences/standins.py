"""Stand-ins shaped like Entry (member.name, text, local_date), which arrives
with the inbound issue, for rendering the team page template before it lands."""

import datetime as dt
from types import SimpleNamespace

from django.core.paginator import Paginator
from django.template.loader import render_to_string


def entry(name: str, text: str, day: int) -> SimpleNamespace:
    return SimpleNamespace(
        member=SimpleNamespace(name=name), text=text, local_date=dt.date(2026, 11, day),
    )


def team_page_html(entries: list, *, per_page: int, page: int = 1) -> str:
    return render_to_string("pages/team.html", {
        "team": SimpleNamespace(name="Platform"),
        "page": Paginator(entries, per_page).get_page(page), "preferences_url": "/p/",
    })
