"""One process per bench database: configure Django on it, sign in a portfolio leader and a
machine client, run the scenarios and write their raw measurements as JSON.

    python -m bench.scenarios.runner --database-url postgres://…/redefine_bench_small \
        --out bench/out/measure_small.json --runs 5
"""

import argparse
import importlib
import json
import os
import sys
import time
import traceback
from dataclasses import dataclass

SCENARIOS = [
    "dashboard",
    "rollups",
    "chart",
    "freeze",
    "effect",
    "lists",
    "memory",
    "ingest",
]  # ingest last


def configure_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["CONN_MAX_AGE"] = "600"  # one connection for the whole run, as a server keeps
    # Tasks go to a broker nobody consumes during the run, as the web process would hand them
    # to a worker: inline (eager) tasks would time the alert checks inside the bulk request.
    os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    os.environ["API_THROTTLE_RATE"] = "1000000/min"
    os.environ["AXES_ENABLED"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    # Settings load with DEBUG on (plain static storage, no collectstatic needed); switching it
    # off afterwards stops Django recording every query, as in production.
    settings.DEBUG = False
    settings.ROOT_URLCONF = "bench.urls"  # adds the bare DRF view (the API floor)


@dataclass
class Context:
    database_url: str
    runs: int
    warmup: int
    web: object  # django.test.Client signed in as a portfolio leader
    token: str  # bearer token of a machine client with every read/write scope

    def api_get(self, path: str, **params):
        return self.web_anonymous.get(
            path, params, headers={"Authorization": f"Bearer {self.token}"}
        )

    @property
    def web_anonymous(self):
        from django.test import Client

        if not hasattr(self, "_anonymous"):
            self._anonymous = Client()
        return self._anonymous


def make_context(database_url: str, runs: int, warmup: int) -> Context:
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from core.roles import PORTFOLIO_GROUP, Role
    from hrapi.models import SCOPES
    from hrapi.services import api_client_create
    from people.models import Person

    leader, _ = User.objects.get_or_create(username="bench-leader")
    roles = [Role.LEADER, PORTFOLIO_GROUP, Role.HR_ADMIN]  # HR admin: imports, integrations
    leader.groups.add(*Group.objects.filter(name__in=roles))
    Person.objects.filter(pk=1, user__isnull=True).update(user=leader)
    web = Client()
    web.force_login(leader)
    scopes = [s for s in SCOPES if s != "scim"]
    _, token = api_client_create(name=f"bench-{time.time_ns()}", scopes=scopes)
    return Context(database_url, runs, warmup, web, token)


def _flush_broker() -> None:
    """Drop the tasks queued during the run (only the bench's own Redis database)."""
    import redis

    try:
        redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    except redis.RedisError as exc:
        print(f"  could not flush the bench Redis database: {exc}", file=sys.stderr)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--only", default=",".join(SCENARIOS))
    args = parser.parse_args(argv)
    configure_django(args.database_url)
    ctx = make_context(args.database_url, args.runs, args.warmup)
    results = {}
    for name in args.only.split(","):
        started = time.perf_counter()
        try:
            module = importlib.import_module(f"bench.scenarios.{name}")
            results[name] = {"status": "ok", **module.measure(ctx)}
        except Exception as exc:  # noqa: BLE001 - one scenario's failure is a result, not a stop
            from bench.scenarios.timing import NotAvailable

            if isinstance(exc, NotAvailable):
                results[name] = {"status": "not available yet", "reason": str(exc)}
            else:
                traceback.print_exc()
                results[name] = {"status": "error", "reason": f"{type(exc).__name__}: {exc}"}
        results[name]["seconds"] = round(time.perf_counter() - started, 2)
        print(
            f"  {name}: {results[name]['status']} ({results[name]['seconds']} s)", file=sys.stderr
        )
    _flush_broker()
    with open(args.out, "w") as handle:
        json.dump(results, handle, indent=2, default=str)


if __name__ == "__main__":
    main()
