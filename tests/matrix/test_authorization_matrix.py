"""The authorization matrix: every role × every object type × every action, on the web and
the API, on the role's own object and on someone else's, including mass assignment.

One test per endpoint row and side; inside it every principal is tried in a savepoint that is
rolled back, so allowed writes never leak into the next cell. A cell fails when an expected
DENY lets the request through or changes data, when an expected ALLOW is refused, when any
request answers 5xx, or when a protected field changes whatever the answer.
"""

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve
from rest_framework.test import APIClient

from coaching.models import Cycle, CycleAction, Opportunity
from hrapi.models import ApiClient
from metrics.models import Baseline, Observation
from people.models import OrgUnit, Person
from pilots.models import Charter, Pilot, PilotTransition, Workgroup, WorkgroupMember
from tests.matrix.cast import SIDES
from tests.matrix.conftest import CELLS
from tests.matrix.endpoints import ENDPOINTS, Endpoint
from tests.matrix.rules import PRINCIPALS, Expect, expected

pytestmark = pytest.mark.django_db

DENIED = {401, 403, 404, 405}
WATCHED = [Pilot, PilotTransition, Workgroup, WorkgroupMember, Charter, Cycle, CycleAction,
           Opportunity, Observation, Baseline, Person, OrgUnit, ApiClient]  # fmt: skip


class _Rollback(Exception):
    pass


@dataclass
class Seen:
    status: int
    location: str
    text: str
    changed: bool
    protected_changed: list[str]
    invariant: str | None


def _client_for(endpoint: Endpoint, principal: str, cast):
    client = APIClient() if endpoint.channel == "api" else Client()
    if principal.startswith("client:"):
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {cast.tokens[principal[7:]]}"
    elif principal != "anonymous":
        client.force_login(cast.users[principal])
    return client


def _snapshot() -> dict:
    return {m.__name__: sorted(map(repr, m.objects.values())) for m in WATCHED}


def _protected_values(endpoint, cast, side) -> dict:
    if endpoint.protected is None:
        return {}
    values = {}
    for instance, fields in endpoint.protected(cast, side):
        fresh = type(instance).objects.filter(pk=instance.pk).values(*fields).first()
        values[f"{type(instance).__name__}#{instance.pk}"] = fresh
    return values


def _request(endpoint: Endpoint, principal: str, cast, side: str) -> Seen:
    client = _client_for(endpoint, principal, cast)
    path = endpoint.path(cast, side)
    body = endpoint.body(cast, side) if endpoint.body else None
    before, protected_before = _snapshot(), _protected_values(endpoint, cast, side)
    kwargs = {"format": "json"} if endpoint.channel == "api" and body is not None else {}
    try:
        with transaction.atomic():
            response = getattr(client, endpoint.method)(path, body, **kwargs)
            seen = Seen(
                status=response.status_code,
                location=response.get("Location", ""),
                text=response.content.decode(errors="replace").replace(": ", ":"),
                changed=_snapshot() != before,
                protected_changed=[
                    key
                    for key, value in _protected_values(endpoint, cast, side).items()
                    if value != protected_before[key]
                ],
                invariant=endpoint.invariant(cast, side) if endpoint.invariant else None,
            )
            raise _Rollback
    except _Rollback:
        pass
    return seen


def _verdict(endpoint: Endpoint, expect: Expect, seen: Seen, marker: str | None) -> str | None:
    """None when the cell holds, else what went wrong."""
    if seen.status >= 500:
        return f"server error {seen.status}"
    if seen.protected_changed:
        return f"protected fields changed: {seen.protected_changed}"
    if seen.invariant:
        return seen.invariant
    to_login = seen.status == 302 and "/accounts/login/" in seen.location
    refused = seen.status in DENIED or to_login
    if expect is Expect.OPEN:
        return None
    if endpoint.action in {"list", "read"}:
        shown = marker is not None and marker in seen.text
        if expect is Expect.ALLOW and (refused or seen.status != 200 or marker and not shown):
            return f"expected to see it, got {seen.status} (marker shown: {shown})"
        if expect is Expect.DENY and shown:
            return f"LEAK: shown with {seen.status}"
        # A list may answer 200 without the object; a page about one object must refuse.
        if expect is Expect.DENY and (endpoint.action == "read" or not marker) and not refused:
            return f"expected a refusal, got {seen.status}"
        return None
    if expect is Expect.ALLOW and refused:
        return f"expected to be allowed, got {seen.status} {seen.location}"
    if expect is Expect.DENY and seen.changed:
        return f"LEAK: data changed with {seen.status}"
    if expect is Expect.DENY and 200 <= seen.status < 300:
        return f"expected a refusal, got {seen.status}"
    return None


def _route_exists(path: str) -> bool:
    try:
        match = resolve(path.split("?")[0])
    except Resolver404:
        return False
    return match.url_name != "api-not-found"


@pytest.mark.parametrize("side", SIDES, ids=["own", "other"])
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.id)
def test_each_role_gets_exactly_what_the_product_rules_allow(endpoint, side, cast):
    if not _route_exists(endpoint.path(cast, side)):
        CELLS["cells skipped (endpoint not built)"] += len(PRINCIPALS)
        pytest.skip(f"{endpoint.method.upper()} {endpoint.path(cast, side)} is not built yet")
    failures = _failures(endpoint, side, cast)
    assert not failures, f"{endpoint.method.upper()} {endpoint.path(cast, side)}\n" + "\n".join(
        failures
    )


def _failures(endpoint: Endpoint, side: str, cast, *, count: bool = True) -> list[str]:
    """Every principal tried on one row and side; what went wrong, one line each."""
    marker = endpoint.marker(cast, side) if endpoint.marker else None
    failures = []
    for principal in PRINCIPALS:
        expect = expected(principal, endpoint.obj, endpoint.action, side, endpoint.channel)
        if endpoint.rule and not principal.startswith("client:"):
            expect = endpoint.rule(principal, side) or expect
        if endpoint.scope and principal.startswith("client:"):
            expect = Expect.ALLOW if principal == f"client:{endpoint.scope}" else Expect.DENY
        seen = _request(endpoint, principal, cast, side)
        if count:
            CELLS[f"cells {expect.value}"] += 1
        problem = _verdict(endpoint, expect, seen, marker)
        if problem:
            failures.append(f"{principal} ({expect.value}): {problem}")
    return failures


def _row(note: str, channel: str, action: str) -> Endpoint:
    return next(e for e in ENDPOINTS if (e.note, e.channel, e.action) == (note, channel, action))


@pytest.mark.parametrize("channel", ["api", "web"])
def test_the_matrix_catches_an_injected_leak(channel, cast, monkeypatch):
    """Break the approval rule on purpose (everyone may take every move): the harness must
    report the sponsor and the others who now approve, on the page and the API alike."""
    monkeypatch.setattr("pilots.permissions.can_take_move", lambda user, pilot, name: True)
    failures = _failures(_row("approve", channel, "lifecycle"), "A", cast, count=False)
    assert any(line.startswith("bob (deny): LEAK") for line in failures), failures


@pytest.mark.parametrize("channel", ["api", "web"])
def test_the_matrix_catches_a_sponsor_let_into_their_workgroups(channel, cast, monkeypatch):
    monkeypatch.setattr("pilots.permissions.check_not_sponsor", lambda *a, **k: None)
    monkeypatch.setattr("pilots.workgroups.check_not_sponsor", lambda *a, **k: None)
    failures = _failures(_row("sponsor-supervises", channel, "create"), "A", cast, count=False)
    assert any(line.startswith("bob (deny): LEAK") for line in failures), failures
