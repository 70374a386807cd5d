"""The local OpenID provider, started once for the sign-in tests."""

import pytest

from tests.oidc_provider import running_provider


@pytest.fixture(scope="session")
def provider():
    with running_provider() as local:
        yield local


@pytest.fixture
def sso(provider, settings):
    """Single sign-on switched on against the local provider (local passwords stay on)."""
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    return provider
