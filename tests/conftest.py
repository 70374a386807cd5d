"""Shared fixtures: the cast of users every test file can rely on, and API clients.

alice  – leader with the portfolio right (sees every pilot)
bob    – leader who sponsors his own pilots only
carol  – supervisor
dan    – another supervisor (carol's peer: must never see carol's metrics)
erin   – member of a workgroup
hilda  – HR admin
mallory – logged in, no role at all
"""

import os

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings
from rest_framework.test import APIClient

from core.roles import PORTFOLIO_GROUP, Role, ensure_role_groups
from hrapi.services import api_client_create
from people.models import OrgUnit, Person

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SERVICES = bool(os.environ.get("REDIS_URL")) and os.environ.get("DATABASE_URL", "").startswith(
    "postgres"
)
# "gw0", "gw1", … in a pytest-xdist worker (`pytest -n 2`), empty in a plain run.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def pytest_collection_modifyitems(config, items):
    if SERVICES and not XDIST_WORKER:
        return
    if SERVICES:
        # Each xdist worker has its own test database (test_<name>_gw0, …); the real Celery
        # worker reads test_<name> only, so these run in a separate plain invocation.
        reason = "services tests need the worker's database: run them without -n (.ci/run does)"
    else:
        reason = (
            "needs PostgreSQL and Redis with a Celery worker: runs in the services pass "
            "(set DATABASE_URL=postgres://… and REDIS_URL=redis://…)"
        )
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if "services" in item.keywords:
            item.add_marker(skip)


class _WorkerLines:
    """Stands in for the terminal reporter in an xdist worker: keeps the lines written."""

    def __init__(self):
        self.lines = []

    def write_line(self, line, **markup):
        self.lines.append(line)


def pytest_sessionfinish(session, exitstatus):
    """In an xdist worker, run the test packages' own end-of-run summaries (the matrix's cell
    count, the form fuzzer's example count) and send their lines to the controller, which
    prints them: workers have no terminal. Each counter lives in one file and `--dist
    loadfile` keeps a file on one worker, so the lines are whole."""
    config = session.config
    if not hasattr(config, "workeroutput"):
        return
    reporter = _WorkerLines()
    for plugin in config.pluginmanager.get_plugins():
        name = getattr(plugin, "__name__", "")
        if name.startswith("tests.") and name != __name__:
            summary = getattr(plugin, "pytest_terminal_summary", None)
            if summary is not None:
                summary(terminalreporter=reporter)
    config.workeroutput["redefine_summary"] = reporter.lines


def pytest_configure(config):
    if config.pluginmanager.hasplugin("xdist") and not hasattr(config, "workeroutput"):
        config.pluginmanager.register(_XdistController(), "redefine-xdist-summary")


class _XdistController:
    def __init__(self):
        self.lines = []

    def pytest_testnodedown(self, node, error):
        self.lines += getattr(node, "workeroutput", {}).get("redefine_summary", [])

    def pytest_terminal_summary(self, terminalreporter):
        for line in self.lines:
            terminalreporter.write_line(line)


class WorkerRedisCache(RedisCache):
    """Redis cache of one xdist worker: its keys carry the worker's prefix, and clear() drops
    only those (a FLUSHDB would reset another worker's throttling counters mid-test)."""

    def clear(self):
        client = self._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        return True


@pytest.fixture(scope="session", autouse=True)
def _own_cache_per_xdist_worker():
    """Workers of one `pytest -n` run share the Redis database of REDIS_URL (the services
    pass); each keeps to its own keys. The embedded default's cache is per process anyway."""
    from django.conf import settings

    cache = settings.CACHES["default"]
    if not XDIST_WORKER or cache["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
        yield
        return
    own = {**cache, "BACKEND": f"{__name__}.WorkerRedisCache", "KEY_PREFIX": XDIST_WORKER}
    with override_settings(CACHES={"default": own}):
        yield


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """The production hasher spends a noticeable fraction of a second per password on
    purpose; every user the fixtures create would pay it. Tests check who may do what, not
    the hash, so they use a fast one (the live server threads share these settings)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _inline_tasks_unless_services(request):
    """Tasks run inline in every test but those marked `services`: a test of what a task
    does must not race a real worker that cannot see its uncommitted rows. The services
    tests exercise the real broker and worker on purpose."""
    from config.celery import app

    if "services" in request.keywords:
        yield
        return
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture(autouse=True)
def _role_groups(db):
    ensure_role_groups()


@pytest.fixture
def org(db):
    root = OrgUnit.objects.create(external_id="ORG", name="Org", kind="division")
    return OrgUnit.objects.create(external_id="TEAM1", name="Team one", kind="team", parent=root)


def _user_with_person(username: str, groups: list[str], org_unit, external_id: str) -> User:
    user = User.objects.create_user(
        username=username, password=f"{username}-pw-123!", email=f"{username}@example.com"
    )
    user.groups.add(*[Group.objects.get(name=g) for g in groups])
    Person.objects.create(
        external_id=external_id,
        full_name=username.capitalize(),
        email=user.email,
        org_unit=org_unit,
        user=user,
    )
    return user


@pytest.fixture
def alice(org):
    return _user_with_person("alice", [Role.LEADER, PORTFOLIO_GROUP], org, "P-ALICE")


@pytest.fixture
def bob(org):
    return _user_with_person("bob", [Role.LEADER], org, "P-BOB")


@pytest.fixture
def carol(org):
    return _user_with_person("carol", [Role.SUPERVISOR], org, "P-CAROL")


@pytest.fixture
def dan(org):
    return _user_with_person("dan", [Role.SUPERVISOR], org, "P-DAN")


@pytest.fixture
def erin(org):
    return _user_with_person("erin", [Role.MEMBER], org, "P-ERIN")


@pytest.fixture
def hilda(org):
    user = _user_with_person("hilda", [Role.HR_ADMIN], org, "P-HILDA")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def mallory(org):
    return _user_with_person("mallory", [], org, "P-MALLORY")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def client_with_scopes(db):
    """Factory: an APIClient authenticated as a machine client holding the given scopes."""

    def make(*scopes: str, name: str | None = None) -> APIClient:
        client, raw = api_client_create(
            name=name or f"hr-{'-'.join(scopes) or 'none'}", scopes=list(scopes)
        )
        api_client = APIClient()
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        api_client.api_client = client
        return api_client

    return make
