"""What /healthz and the pages with rolled-up figures say about the background processes:
the broker's kind and reachability, the worker's and beat's last heartbeat, and how old the
portfolio's figures are (with a warning when the scheduler has stopped)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from celery import current_app
from django.db import DatabaseError
from django.db.models import Subquery
from django.utils import timezone

from core.models import Heartbeat

# Beat sends the heartbeat every 30 s and refreshes the figures every 30 s; five minutes of
# silence is no hiccup but a stopped scheduler or worker.
STALE_AFTER = timedelta(minutes=5)
PROCESSES = ("beat", "worker")


def broker_kind() -> str:
    """`inline` (tasks run in the caller), `filesystem` (the embedded broker of `make run`),
    `redis`, or whatever other transport the URL names."""
    if current_app.conf.task_always_eager:
        return "inline"
    return str(current_app.conf.broker_url).split("://", 1)[0] or "unknown"


def broker_status() -> str:
    if current_app.conf.task_always_eager:
        return "inline"
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any failure is reported, never raised
        return f"error: {exc.__class__.__name__}"


def heartbeat_record(name: str) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})


def heartbeats() -> dict[str, datetime | None]:
    seen = dict(Heartbeat.objects.filter(name__in=PROCESSES).values_list("name", "at"))
    return {name: seen.get(name) for name in PROCESSES}


def age_seconds(at: datetime | None, now: datetime | None = None) -> int | None:
    if at is None:
        return None
    return max(int(((now or timezone.now()) - at).total_seconds()), 0)


def age_words(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    if seconds < 36 * 3600:
        return f"{round(seconds / 3600)} h"
    return f"{round(seconds / 86400)} days"


@dataclass(frozen=True)
class Freshness:
    """How old the rolled-up figures are, and whether the scheduler that refreshes them runs."""

    refreshed_at: datetime | None
    label: str  # "updated 40 s ago"
    warning: str  # empty while beat and a worker are alive

    @property
    def stale(self) -> bool:
        return bool(self.warning)


def figures_freshness(now: datetime | None = None) -> Freshness:
    """One query: the rollups' time with both heartbeats as subqueries."""
    from portfolio.models import RollupState

    now = now or timezone.now()
    beats = {
        f"{name}_at": Subquery(Heartbeat.objects.filter(name=name).values("at")[:1])
        for name in PROCESSES
    }
    state = (
        RollupState.objects.filter(pk=1).annotate(**beats).values("refreshed_at", *beats).first()
        or {}
    )
    refreshed_at = state.get("refreshed_at")
    figures_age = age_seconds(refreshed_at, now)
    label = "not computed yet" if figures_age is None else f"updated {age_words(figures_age)} ago"
    return Freshness(refreshed_at, label, _warning(state, now))


def _warning(state: dict, now: datetime) -> str:
    ages = [age_seconds(state.get(f"{name}_at"), now) for name in PROCESSES]
    if any(age is None for age in ages):
        return (
            "The scheduler has not run yet, so these figures are not refreshed: start the "
            "worker and beat (`make run` starts them with the web server)."
        )
    oldest = max(ages)
    if oldest < STALE_AFTER.total_seconds():
        return ""
    return (
        f"The scheduler has not run for {age_words(oldest)}, so these figures may be out of "
        "date: the worker or beat has stopped."
    )


def report() -> dict:
    """The /healthz body: status of the database is added by the view."""
    now = timezone.now()
    try:
        beats = heartbeats()
    except DatabaseError:  # not migrated yet: say so instead of failing the probe
        beats = dict.fromkeys(PROCESSES)
    return {
        "broker": broker_status(),
        "broker_kind": broker_kind(),
        **{
            name: {
                "last_heartbeat": at.isoformat() if at else None,
                "age_seconds": age_seconds(at, now),
            }
            for name, at in beats.items()
        },
    }


def stale_process(name: str, max_age: timedelta = STALE_AFTER) -> str:
    """Empty when `name` beat recently; otherwise why not (the docker health checks)."""
    at = heartbeats().get(name)
    if at is None:
        return f"no {name} heartbeat recorded yet"
    age = age_seconds(at)
    if age > max_age.total_seconds():
        return f"last {name} heartbeat {age_words(age)} ago"
    return ""


def _scheduled_heartbeat_published(sender=None, **kwargs):
    """Beat is the only sender of the heartbeat task: publishing it is beat's heartbeat."""
    if sender == "core.tasks.heartbeat":
        heartbeat_record("beat")
