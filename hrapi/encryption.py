"""Webhook signing secrets encrypted at rest: Fernet (AES-128-CBC with HMAC-SHA256, from the
`cryptography` package) under a key derived from settings.WEBHOOK_SECRET_KEY.

A database dump or a backup therefore holds no usable secret. Old keys in
WEBHOOK_SECRET_KEY_FALLBACKS still decrypt, so the key can be rotated without breaking
deliveries; `manage.py webhook_secrets_reencrypt` then moves every secret to the new key.
"""

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet(key: str) -> Fernet:
    # HKDF turns a passphrase-like setting of any length into Fernet's 32 random-looking bytes.
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"redefine webhook secrets"
    ).derive(key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


@cache
def _keys(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([_fernet(key) for key in keys])


def _current() -> MultiFernet:
    return _keys((settings.WEBHOOK_SECRET_KEY, *settings.WEBHOOK_SECRET_KEY_FALLBACKS))


def encrypt(raw: str) -> str:
    return _current().encrypt(raw.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A webhook secret cannot be decrypted: WEBHOOK_SECRET_KEY changed without listing "
            "the old key in WEBHOOK_SECRET_KEY_FALLBACKS."
        ) from exc


def reencrypt(token: str) -> str:
    """The same secret under the current key (for key rotation)."""
    return _current().rotate(token.encode()).decode()
