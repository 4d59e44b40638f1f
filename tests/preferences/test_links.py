import datetime as dt
from email import message_from_bytes, policy
from email.headerregistry import HeaderRegistry

import pytest
import time_machine
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives

from apps.preferences import checks, links

from .conftest import path_of

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def test_a_token_reads_back_as_its_member_and_scope():
    token = links.token_make(member_id=42, purpose=links.UNSUBSCRIBE, scope="digests")
    assert links.token_read(token=token, purpose=links.UNSUBSCRIBE) == links.LinkData(42, "digests")


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("purpose, scope", [
    (links.PREFERENCES, None), (links.TEAM, None), (links.UNSUBSCRIBE, "reminders"),
])
def test_a_token_is_what_django_signing_dumps_makes(purpose, scope):
    """token_make keeps its signer and JSON encoder between calls; the
    bytes must stay signing.dumps's, which every link already sent holds."""
    from django.core import signing

    payload = {"m": 42} if scope is None else {"m": 42, "s": scope}
    expected = signing.dumps(payload, salt=f"donemail.links.{purpose}", compress=False)
    assert links.token_make(member_id=42, purpose=purpose, scope=scope) == expected


def test_a_new_secret_key_signs_new_tokens_and_refuses_the_old(settings):
    old = links.token_make(member_id=42, purpose=links.PREFERENCES)
    settings.SECRET_KEY = "another secret key, long enough for the test " * 2

    new = links.token_make(member_id=42, purpose=links.PREFERENCES)

    assert new != old
    assert links.token_read(token=new, purpose=links.PREFERENCES).member_id == 42
    with pytest.raises(links.LinkInvalid):
        links.token_read(token=old, purpose=links.PREFERENCES)


def test_a_token_made_for_one_purpose_is_refused_for_another():
    token = links.token_make(member_id=42, purpose=links.PREFERENCES)
    with pytest.raises(links.LinkInvalid):
        links.token_read(token=token, purpose=links.TEAM)


@pytest.mark.parametrize("tamper", [
    lambda t: t.replace(t[1], "x" if t[1] != "x" else "y", 1),  # payload
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),          # signature
    lambda t: t[: len(t) // 2],                                  # cut off by a mail app
    lambda t: "garbage",
])
def test_a_tampered_token_is_invalid(tamper):
    token = links.token_make(member_id=42, purpose=links.PREFERENCES)
    with pytest.raises(links.LinkInvalid):
        links.token_read(token=tamper(token), purpose=links.PREFERENCES)


def test_a_preferences_link_expires_after_the_setting_but_unsubscribe_lives_longer(settings):
    settings.SIGNED_LINK_MAX_AGE_DAYS = 60
    settings.UNSUBSCRIBE_LINK_MAX_AGE_DAYS = 365
    with time_machine.travel(NOW, tick=False):
        prefs = links.token_make(member_id=7, purpose=links.PREFERENCES)
        unsub = links.token_make(member_id=7, purpose=links.UNSUBSCRIBE, scope="all")
    with time_machine.travel(NOW + dt.timedelta(days=59), tick=False):
        assert links.token_read(token=prefs, purpose=links.PREFERENCES).member_id == 7
    with time_machine.travel(NOW + dt.timedelta(days=61), tick=False):
        with pytest.raises(links.LinkExpired):
            links.token_read(token=prefs, purpose=links.PREFERENCES)
        assert links.token_read(token=unsub, purpose=links.UNSUBSCRIBE).scope == "all"
    with time_machine.travel(NOW + dt.timedelta(days=366), tick=False):
        with pytest.raises(links.LinkExpired):
            links.token_read(token=unsub, purpose=links.UNSUBSCRIBE)


def test_links_are_absolute_under_public_url(member, public_url):
    for url in (links.preferences_url(member), links.team_url(member),
                links.unsubscribe_url(member, scope="reminders")):
        assert url.startswith("https://donemail.example.com/")


def test_the_mailto_address_fits_a_local_part_and_survives_lowercasing(member, public_url):
    address = links.unsubscribe_address(member, scope="reminders")
    local, domain = address.split("@")
    assert domain == "in.donemail.example.com"
    assert len(local) <= 64 and local == local.lower()
    assert links.unsubscribe_address_parse(address=address.upper()) == links.LinkData(
        member.pk, "reminders",
    )


def test_a_forged_mailto_address_is_not_ours(member, public_url):
    address = links.unsubscribe_address(member, scope="reminders")
    forged = address.replace(f"-{member.pk}-", f"-{member.pk + 1}-")
    assert links.unsubscribe_address_parse(address=forged) is None
    other_scope = address.replace("+reminders-", "+all-")
    assert links.unsubscribe_address_parse(address=other_scope) is None
    elsewhere = address.replace("in.donemail.example.com", "evil.example.com")
    assert links.unsubscribe_address_parse(address=elsewhere) is None
    assert links.unsubscribe_address_parse(address="reply+abc@in.donemail.example.com") is None


@pytest.mark.parametrize("kind,scope", [("reminder", "reminders"), ("digest", "digests")])
def test_list_unsubscribe_headers_survive_a_real_message_round_trip(
    member, public_url, client, kind, scope,
):
    headers = links.list_unsubscribe_headers(member, kind=kind)
    raw = EmailMultiAlternatives(
        "Subject", "Body", "Donemail <donemail@example.com>", [member.email], headers=headers,
    ).message().as_bytes()
    assert b"\r\nBcc" not in raw and b"\nBcc" not in raw
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    value = str(parsed["List-Unsubscribe"])
    uris = [part.strip() for part in value.split(",")]
    assert len(uris) == 2 and all(u.startswith("<") and u.endswith(">") for u in uris)
    https, mailto = (u[1:-1] for u in uris)
    assert https.startswith("https://donemail.example.com/unsubscribe/")
    assert mailto.startswith("mailto:unsubscribe+") and mailto.endswith("@in.donemail.example.com")
    assert links.unsubscribe_address_parse(address=mailto.removeprefix("mailto:")).scope == scope
    # The header registry parses it as an unstructured header without defects.
    header = HeaderRegistry()("List-Unsubscribe", value)
    assert not header.defects
    # And the https URI is the one-click endpoint for this member and list.
    assert links.token_read(
        token=path_of(https).split("/")[2], purpose=links.UNSUBSCRIBE,
    ) == links.LinkData(member.pk, scope)


def test_a_public_url_carrying_a_header_injection_is_refused(member, settings):
    settings.PUBLIC_URL = "https://donemail.example.com/x\r\nBcc: victim@example.com"
    with pytest.raises(ImproperlyConfigured):
        links.list_unsubscribe_headers(member, kind="reminder")
    assert [type(m) for m in checks.public_url_check(None)] == [Error]


def test_an_unknown_kind_has_no_unsubscribe_headers(member):
    with pytest.raises(ValueError):
        links.list_unsubscribe_headers(member, kind="newsletter")


@pytest.mark.parametrize("url,expected", [
    ("https://donemail.example.com", []),
    ("http://localhost:8000", []),
    ("http://donemail.example.com", ["preferences.W001"]),
    ("donemail.example.com", ["preferences.E001"]),
])
def test_the_system_check_reads_public_url(settings, url, expected):
    settings.PUBLIC_URL = url
    assert [m.id for m in checks.public_url_check(None)] == expected


@pytest.mark.parametrize("make, route", [
    (lambda m: links.preferences_url(m), "preferences:preferences"),
    (lambda m: links.team_url(m), "preferences:team"),
    (lambda m: links.unsubscribe_url(m, scope="digests"), "preferences:unsubscribe"),
])
def test_a_link_is_what_reverse_gives_for_its_token(member, public_url, make, route):
    """Links put the token into a route reversed once; the URL must be reverse()'s own."""
    from django.urls import reverse

    url = make(member)
    token = path_of(url).rstrip("/").rsplit("/", 1)[-1]
    assert url == f"https://donemail.example.com{reverse(route, args=[token])}"


def test_a_link_follows_the_script_prefix(member, public_url):
    """Served under a path (SCRIPT_NAME /donemail/): the cached route must not stay at /."""
    from django.urls import set_script_prefix

    set_script_prefix("/donemail/")
    try:
        assert path_of(links.team_url(member)).startswith("/donemail/team/")
    finally:
        set_script_prefix("/")
    assert path_of(links.team_url(member)).startswith("/team/")
