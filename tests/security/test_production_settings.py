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
        ALLOWED_HOSTS="example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_mode_refuses_to_start_without_a_required_setting(run_production, missing):
    env = {"SECRET_KEY": random_secret_key(), "ALLOWED_HOSTS": "example.com"}
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
        ALLOWED_HOSTS="example.com",
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["plain"] == [301, "https://example.com/healthz"]
    status, headers = seen["tls"]
    assert status in (200, 503)  # 503 only says the broker is down; headers are what we check
    assert headers["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert "default-src 'self'" in headers["Content-Security-Policy"]
