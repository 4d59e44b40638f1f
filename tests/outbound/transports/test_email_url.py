"""EMAIL_URL: every documented form parses, and every bad one is refused
with a message that names the problem (and never shows the secret)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.outbound.transports.email_url import (
    IMPLICIT_TLS, PLAIN, STARTTLS, SendGridConfig, SmtpConfig, email_url_parse,
)


def test_plain_smtp_with_host_and_port():
    assert email_url_parse("smtp://127.0.0.1:1025") == SmtpConfig(
        host="127.0.0.1", port=1025, security=PLAIN)


@pytest.mark.parametrize("url, security, port", [
    ("smtp://mail.example.org", PLAIN, 25),
    ("smtp+tls://u:p@mail.example.org", STARTTLS, 587),
    ("smtp+ssl://u:p@mail.example.org", IMPLICIT_TLS, 465),
    ("SMTP+TLS://u:p@mail.example.org:2525", STARTTLS, 2525),
])
def test_each_scheme_has_its_security_and_default_port(url, security, port):
    config = email_url_parse(url)
    assert (config.security, config.port) == (security, port)


def test_an_ipv6_host():
    assert email_url_parse("smtp://[::1]:2525").host == "::1"


def test_credentials_are_url_decoded():
    config = email_url_parse("smtp+tls://apikey%40example.org:p%40ss%3Aw%2Frd@smtp.example.org:587")
    assert (config.username, config.password) == ("apikey@example.org", "p@ss:w/rd")


def test_query_options_are_read():
    config = email_url_parse(
        "smtp+ssl://u:p@smtp.example.org?timeout=10&cafile=/etc/ca.pem&local_hostname=mx1")
    assert (config.timeout, config.cafile, config.local_hostname) == (10.0, "/etc/ca.pem", "mx1")


def test_sendgrid_with_key_in_the_url():
    assert email_url_parse("sendgrid://?api_key=SG.abc&timeout=5") == SendGridConfig(
        api_key="SG.abc", api_host="https://api.sendgrid.com", timeout=5.0)


def test_sendgrid_key_from_the_setting_and_a_regional_host():
    config = email_url_parse("sendgrid://api.eu.sendgrid.com", sendgrid_api_key="SG.env")
    assert (config.api_key, config.api_host) == ("SG.env", "https://api.eu.sendgrid.com")


def test_sendgrid_plain_http_only_to_loopback():
    config = email_url_parse("sendgrid://127.0.0.1:8025?api_key=k&http=true")
    assert config.api_host == "http://127.0.0.1:8025"
    with pytest.raises(ImproperlyConfigured, match="loopback hosts only"):
        email_url_parse("sendgrid://api.sendgrid.com?api_key=k&http=true")


@pytest.mark.parametrize("url, problem", [
    ("smtps://mail.example.org", "unknown scheme smtps://"),
    ("mail.example.org:25", "unknown scheme"),
    ("", "unknown scheme (none)"),
    ("smtp://", "no host"),
    ("smtp+tls://user:pass@:587", "no host"),
    ("smtp://mail.example.org:99999", "port is not a number"),
    ("smtp://mail.example.org:abc", "port is not a number"),
    ("smtp://mail.example.org/path", "no path"),
    ("smtp://mail.example.org?timeout=soon", "timeout='soon' is not a number"),
    ("smtp://mail.example.org?timeout=0", "more than 0"),
    ("smtp://mail.example.org?timout=5", "unknown option timout"),
    ("smtp://mail.example.org?timeout=5&timeout=6", "more than once"),
    ("smtp+tls://user@mail.example.org", "both a user name and a password"),
    ("sendgrid://", "no API key"),
    ("sendgrid://?api_key=k&http=maybe", "is not true or false"),
    ("sendgrid://user:key@api.sendgrid.com", "not before the host"),
])
def test_bad_urls_are_refused_naming_the_problem(url, problem):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL") as error:
        email_url_parse(url)
    assert problem in str(error.value)


def test_secrets_never_appear_in_the_error():
    with pytest.raises(ImproperlyConfigured) as error:
        email_url_parse("smtp+tls://user:hunter2@mail.example.org?bogus=1")
    with pytest.raises(ImproperlyConfigured) as sendgrid_error:
        email_url_parse("sendgrid://?api_key=SG.secret&bogus=1")
    assert "hunter2" not in str(error.value) and "***" in str(error.value)
    assert "SG.secret" not in str(sendgrid_error.value)


@pytest.mark.parametrize("url, secret", [
    ("sendgrid://SG.secretkey123@api.sendgrid.com", "SG.secretkey123"),
    ("sendgrid://apikey:SG.secretkey123@api.sendgrid.com", "SG.secretkey123"),
    ("smtp+tls://SG.secretkey123@mail.example.org", "SG.secretkey123"),
    ("smtp+tls://apikey:SG.secretkey123@mail.example.org?timeout=soon", "SG.secretkey123"),
    ("sendgrid://?api_key=SG.secretkey123&http=maybe", "SG.secretkey123"),
    ("sendgrid://?API%5FKEY=SG.secretkey123", "SG.secretkey123"),
    ("sendgrid://?apikey=SG.secretkey123", "SG.secretkey123"),  # misspelt: unknown option
    ("sendgrid://?api_key=SG.secret#key123&bogus=1", "key123"),
    ("smtp://[SG.secretkey123", "SG.secretkey123"),  # cannot even be split
])
def test_no_part_of_a_secret_appears_in_any_error(url, secret):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL") as error:
        email_url_parse(url)
    assert secret not in str(error.value)
    assert "apikey:" not in str(error.value)  # the whole userinfo goes, user name too
