"""A local OpenID provider for the tests: oidc-provider-mock's Flask app on a loopback port,
behind a small WSGI layer that enforces PKCE (S256) as a real provider does (the mock
accepts any verifier), and counts the token requests it checked."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import threading
import warnings
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import httpx
import werkzeug.serving


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class PkceEnforcer:
    """Remembers each authorization code's challenge; the token request must prove it."""

    def __init__(self, app):
        self.app = app
        self.challenges: dict[str, tuple[str, str]] = {}
        self.verified = 0
        self.refused = 0
        self.authorize_queries: list[dict] = []

    def __call__(self, environ, start_response):
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD")
        if path == "/oauth2/token" and method == "POST":
            return self._token(environ, start_response)
        if path == "/oauth2/authorize":
            return self._authorize(environ, start_response)
        return self.app(environ, start_response)

    def _authorize(self, environ, start_response):
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        self.authorize_queries.append(query)

        def remember(status, headers, exc_info=None):
            for name, value in headers:
                if name.lower() == "location" and "code=" in value:
                    code = parse_qs(urlsplit(value).query)["code"][0]
                    self.challenges[code] = (
                        query.get("code_challenge", ""),
                        query.get("code_challenge_method", ""),
                    )
            return start_response(status, headers, exc_info)

        return self.app(environ, remember)

    def _token(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        if form.get("grant_type") == "authorization_code":
            challenge, method = self.challenges.pop(form.get("code", ""), ("", ""))
            verifier = form.get("code_verifier", "")
            if method != "S256" or not verifier or s256(verifier) != challenge:
                self.refused += 1
                answer = json.dumps(
                    {"error": "invalid_grant", "error_description": "PKCE verification failed"}
                ).encode()
                start_response(
                    "400 Bad Request",
                    [("Content-Type", "application/json"), ("Content-Length", str(len(answer)))],
                )
                return [answer]
            self.verified += 1
        environ["wsgi.input"] = io.BytesIO(body)
        return self.app(environ, start_response)


class LocalProvider:
    def __init__(self, server, enforcer: PkceEnforcer):
        self.server, self.enforcer = server, enforcer
        self.url = f"http://localhost:{server.server_port}"

    def add_user(self, sub: str, **claims) -> None:
        """What the provider says about `sub` (email, email_verified, name…)."""
        response = httpx.put(f"{self.url}/users/{sub}", json=claims, timeout=5)
        assert response.status_code == 204, response.text

    def settings(self, **extra) -> dict:
        return {
            "OIDC_ISSUER": self.url,
            "OIDC_CLIENT_ID": "redefine-tests",
            "OIDC_CLIENT_SECRET": "not-a-real-secret",
            "OIDC_DISCOVERY": True,
            "OIDC_DISCOVERY_URL": f"{self.url}/.well-known/openid-configuration",
            "OIDC_PROVIDER_NAME": "Acme ID",
            "OIDC_TIMEOUT": 5.0,
            **extra,
        }


@contextmanager
def running_provider():
    import authlib.deprecate  # noqa: F401 - sets its "always" filter before ours below

    with warnings.catch_warnings():  # the mock imports authlib's deprecated server modules
        warnings.simplefilter("ignore")
        import oidc_provider_mock

    enforcer = PkceEnforcer(oidc_provider_mock.app(require_nonce=True))
    server = werkzeug.serving.make_server("localhost", 0, enforcer, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield LocalProvider(server, enforcer)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
