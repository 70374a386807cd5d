"""The OpenID Connect client: authorization code with PKCE (S256) through authlib.

authlib rather than mozilla-django-oidc: authlib reads the provider's discovery document
(mozilla-django-oidc wants every endpoint in settings), validates the ID token's signature,
issuer, audience, expiry and nonce, sends PKCE's code challenge and verifier itself, and puts
one timeout on every HTTP call it makes (discovery, keys, token, userinfo) through the
session's `default_timeout`. It is actively maintained and framework-neutral: its Django
integration only needs the session, so it works with Django 5.2 as with earlier versions.
The state, nonce and code verifier live in the server-side session, never in a cookie.
"""

from __future__ import annotations

import time
from functools import lru_cache

from authlib.integrations.django_client import OAuth
from django.conf import settings

# The discovery document and keys are read once and then kept this long per process.
METADATA_MAX_AGE = 3600


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)


def local_passwords() -> bool:
    """Local passwords stay on unless switched off, which needs single sign-on on."""
    return settings.LOCAL_PASSWORDS or not enabled()


def provider_name() -> str:
    return settings.OIDC_PROVIDER_NAME


def _config() -> tuple:
    return (
        settings.OIDC_ISSUER,
        settings.OIDC_CLIENT_ID,
        settings.OIDC_CLIENT_SECRET,
        settings.OIDC_SCOPES,
        settings.OIDC_DISCOVERY,
        settings.OIDC_DISCOVERY_URL,
        settings.OIDC_AUTHORIZATION_ENDPOINT,
        settings.OIDC_TOKEN_ENDPOINT,
        settings.OIDC_JWKS_URI,
        settings.OIDC_USERINFO_ENDPOINT,
        settings.OIDC_TIMEOUT,
    )


@lru_cache(maxsize=4)
def _client_for(config: tuple):
    (issuer, client_id, secret, scopes, discovery, discovery_url, authorize, token, jwks,
     userinfo, timeout) = config  # fmt: skip
    # Settings win over the discovery document where given; without discovery they are all.
    metadata = {
        key: value
        for key, value in {
            "issuer": issuer,
            "jwks_uri": jwks,
            "userinfo_endpoint": userinfo,
            "authorization_endpoint": authorize,
            "token_endpoint": token,
        }.items()
        if value
    }
    return OAuth().register(
        name="redefine",
        client_id=client_id,
        client_secret=secret or None,
        server_metadata_url=discovery_url if discovery else None,
        authorize_url=authorize or None,
        access_token_url=token or None,
        client_kwargs={
            "scope": scopes,
            "code_challenge_method": "S256",
            "default_timeout": timeout,
            "token_endpoint_auth_method": "client_secret_basic" if secret else "none",
        },
        **metadata,
    )


def client():
    """The configured client; the provider's metadata is read again after METADATA_MAX_AGE."""
    app = _client_for(_config())
    loaded = app.server_metadata.get("_loaded_at")
    if loaded is not None and time.time() - loaded > METADATA_MAX_AGE:
        for key in ("_loaded_at", "jwks"):
            app.server_metadata.pop(key, None)
    return app


def issuer_of(claims: dict) -> str:
    """The ID token's issuer (authlib checked it against the discovery document's)."""
    return str(claims.get("iss") or settings.OIDC_ISSUER)
