"""Production mode (DEBUG=false) is safe by configuration: the deploy check is clean and
missing secrets stop the process with a clear error instead of a silent fallback."""

import json

import pytest

from tests.security.conftest import random_secret_key

PRODUCTION_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name) for name in [
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_HTTPONLY", "X_FRAME_OPTIONS", "SECURE_CONTENT_TYPE_NOSNIFF",
]}))
"""


def test_the_deploy_check_reports_nothing_with_production_settings(run_production):
    result = run_production(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY=random_secret_key(),
        WEBHOOK_SECRET_KEY=random_secret_key(),
        ALLOWED_HOSTS="example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "WEBHOOK_SECRET_KEY"])
def test_production_mode_refuses_to_start_without_a_required_setting(run_production, missing):
    env = {
        "SECRET_KEY": random_secret_key(),
        "ALLOWED_HOSTS": "example.com",
        "WEBHOOK_SECRET_KEY": random_secret_key(),
    }
    del env[missing]
    result = run_production(["manage.py", "check"], **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{missing} must be set when DEBUG is false" in result.stderr


def test_production_mode_turns_on_secure_cookies_hsts_and_the_ssl_redirect(run_production):
    result = run_production(
        ["-c", PRODUCTION_SETTINGS],
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=random_secret_key(),
        WEBHOOK_SECRET_KEY=random_secret_key(),
        ALLOWED_HOSTS="example.com",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and values["SECURE_HSTS_PRELOAD"]
    assert values["SESSION_COOKIE_HTTPONLY"]
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"]


HEALTHZ_OVER_HTTP_AND_HTTPS = """
import json, django
django.setup()
from django.test import Client
c = Client(HTTP_HOST="example.com")
plain = c.get("/healthz")
tls = c.get("/healthz", secure=True)
print(json.dumps({"plain": [plain.status_code, plain.get("Location", "")],
                  "tls": [tls.status_code, dict(tls.headers)]}))
"""


def test_production_mode_redirects_to_https_and_sends_hsts_on_a_real_response(run_production):
    result = run_production(
        ["-c", HEALTHZ_OVER_HTTP_AND_HTTPS],
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=random_secret_key(),
        WEBHOOK_SECRET_KEY=random_secret_key(),
        ALLOWED_HOSTS="example.com",
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["plain"] == [301, "https://example.com/healthz"]
    status, headers = seen["tls"]
    assert status in (200, 503)  # 503 only says the broker is down; headers are what we check
    assert headers["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert "default-src 'self'" in headers["Content-Security-Policy"]


FORGED_AND_PROXIED_HTTPS = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
c = Client(HTTP_HOST="example.com")
forged = c.get("/healthz", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="192.0.2.10")
proxied = c.get("/healthz", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="127.0.0.1")
print(json.dumps({"header": settings.SECURE_PROXY_SSL_HEADER,
                  "forged": forged.status_code, "proxied": proxied.status_code}))
"""


def _https_answers(run_production, **env) -> dict:
    result = run_production(
        ["-c", FORGED_AND_PROXIED_HTTPS],
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=random_secret_key(),
        WEBHOOK_SECRET_KEY=random_secret_key(),
        ALLOWED_HOSTS="example.com",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_a_proxy_a_forged_x_forwarded_proto_does_not_pass_for_https(run_production):
    seen = _https_answers(run_production)
    assert seen["header"] is None
    assert seen["forged"] == 301 and seen["proxied"] == 301


def test_behind_a_named_proxy_only_that_proxy_can_say_the_request_was_https(run_production):
    seen = _https_answers(run_production, TRUSTED_PROXIES="127.0.0.1")
    assert seen["header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert seen["forged"] == 301  # a client that is not the proxy is still redirected
    assert seen["proxied"] in (200, 503)


def test_the_deploy_check_stays_clean_behind_a_proxy(run_production):
    result = run_production(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY=random_secret_key(),
        WEBHOOK_SECRET_KEY=random_secret_key(),
        ALLOWED_HOSTS="example.com",
        TRUSTED_PROXIES="10.0.0.0/8,fd00::/8",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_malformed_proxy_list_stops_the_start(run_production):
    result = run_production(
        ["manage.py", "check"],
        SECRET_KEY=random_secret_key(),
        WEBHOOK_SECRET_KEY=random_secret_key(),
        ALLOWED_HOSTS="example.com",
        TRUSTED_PROXIES="proxy.internal",
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr
