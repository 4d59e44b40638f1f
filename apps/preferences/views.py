"""The pages behind the links in every email: preferences, unsubscribe, team.

Access is the signed token in the URL and nothing else, so each view starts
by reading it; a link that was tampered with, has expired or names a member
who left gets a page saying what to do, with a 400 or 410 status.
"""

import functools

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from apps.teams.models import ChangeSource, Member

from . import links, selectors, services
from .forms import PreferencesForm, zone_names

TEAM_PAGE_SIZE = 100
SCOPE_LABELS = {
    "reminders": _("the daily reminder"),
    "digests": _("the morning digest"),
    "all": _("all Donemail mail"),
}


def link_problem(request, *, status: int, reason: str):
    return render(request, "pages/link_problem.html", {"reason": reason}, status=status)


def signed_member(purpose: str):
    """Decorator: turn the URL's token into `member` (and `scope`) or answer the problem page."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, token: str):
            try:
                data = links.token_read(token=token, purpose=purpose)
            except links.LinkExpired:
                return link_problem(request, status=410, reason="expired")
            except links.LinkInvalid:
                return link_problem(request, status=400, reason="invalid")
            member = (
                Member.objects.select_related("team")
                .filter(pk=data.member_id, is_active=True).first()
            )
            if member is None:
                return link_problem(request, status=410, reason="gone")
            return view(request, member=member, scope=data.scope, token=token)

        return never_cache(wrapper)

    return decorate


@require_http_methods(["GET", "POST"])
@signed_member(links.PREFERENCES)
def preferences(request, *, member, scope, token):
    form = PreferencesForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.preferences_update(
            member=member, reminder_hour=data["reminder_hour"], digest_hour=data["digest_hour"],
            time_zone=data["time_zone"], weekdays=data["weekdays"],
            paused_until=data["paused_until"], reminders=data["reminders"],
            digests=data["digests"], source=ChangeSource.PREFERENCES,
        )
        messages.success(request, _("Saved. Your next emails follow these settings."))
        return redirect(request.path)
    return render(request, "pages/preferences.html", {
        "member": member, "form": form, "zones": zone_names(),
        "team_url": links.team_url(member),
    }, status=400 if form.is_bound else 200)


# Mailbox providers POST `List-Unsubscribe=One-Click` with no CSRF token and no
# cookie (RFC 8058); the signed token in the URL is the credential instead.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@signed_member(links.UNSUBSCRIBE)
def unsubscribe(request, *, member, scope, token):
    """GET only shows a button (link scanners fetch every URL in a message);
    POST, from the button or from the provider, unsubscribes."""
    context = {
        "member": member, "scope": scope, "scope_label": SCOPE_LABELS[scope],
        "preferences_url": links.preferences_url(member),
    }
    if request.method == "POST":
        services.member_unsubscribe(member=member, scope=scope, source=ChangeSource.ONE_CLICK)
        return render(request, "pages/unsubscribed.html", context)
    return render(request, "pages/unsubscribe.html", context)


@require_http_methods(["GET"])
@signed_member(links.TEAM)
def team(request, *, member, scope, token):
    entries = selectors.entries_for_team(team_id=member.team_id)
    page = Paginator(entries, TEAM_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "pages/team.html", {
        "member": member, "team": member.team, "page": page,
        "preferences_url": links.preferences_url(member),
        "max_age_days": settings.SIGNED_LINK_MAX_AGE_DAYS,
    })
