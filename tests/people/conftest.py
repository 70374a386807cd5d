"""Fixtures for the people API: machine clients with and without the people scopes."""

import pytest


@pytest.fixture
def reader(client_with_scopes):
    return client_with_scopes("people:read", name="hr-reader")


@pytest.fixture
def writer(client_with_scopes):
    return client_with_scopes("people:read", "people:write", name="hr-writer")
