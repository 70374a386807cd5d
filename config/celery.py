"""The Celery app and its beat schedule (one comment per entry saying why it runs then)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("redefine")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Beat sending this is beat's heartbeat, a worker running it the worker's: /healthz and the
    # pages with figures say when either stopped, instead of showing stale figures as fresh.
    "core-heartbeat": {"task": "core.tasks.heartbeat", "schedule": 30.0},
    # Re-publishes tasks whose broker send failed (Redis down at commit time): nothing is lost.
    "outbox-sweep": {"task": "core.tasks.outbox_sweep", "schedule": 60.0},
    # Daily: catches weeks below baseline whose data arrived by a path that did not queue the check.
    "metrics-below-baseline": {
        "task": "metrics.tasks.alerts_check_below_baseline",
        "schedule": 24 * 60 * 60.0,
    },
    # Supervisors get their overdue-cycle reminder from the start of the working day; the
    # reminder rows are unique per workgroup and day, so the later runs send nothing to a group
    # already reminded but catch a group that fell due during the day, or a scheduler that was
    # not running at 07:00 (a laptop's `make run`). Working hours only: nobody is mailed at night.
    "coaching-overdue-reminders": {
        "task": "coaching.tasks.raise_overdue_reminders",
        "schedule": crontab(hour="7-18", minute="*/15"),
    },
    # Sponsors read one coaching digest a week, on Monday morning; unique per sponsor and week,
    # so the hourly runs of the other working days only catch a Monday the scheduler missed.
    "coaching-sponsor-digest": {
        "task": "coaching.tasks.raise_sponsor_digests",
        "schedule": crontab(hour="7-18", minute=30, day_of_week="mon-fri"),
    },
    # Supervisors record how their week split between strategy and detail while it is still
    # fresh: Friday early afternoon, before the weekend. Reminders are unique per person and
    # week, so a second run sends nothing; those who already recorded the week get none.
    "weekly-split-reminders": {
        "task": "weekly.tasks.raise_split_reminders",
        "schedule": crontab(hour=14, minute=0, day_of_week="fri"),
    },
    # The portfolio dashboard reads rollups, not raw observations: refreshing them every
    # 30 s puts any write (an observation, an addressed opportunity, a completed cycle) in the
    # figures within a minute, refresh time included, without hooks in other apps' writes.
    # The pages show the figures' age and warn when this stops.
    "portfolio-refresh-rollups": {"task": "portfolio.tasks.refresh_rollups", "schedule": 30.0},
    # Webhook deliveries that failed wait out their backoff (1, 2, 4, 8 min); this queues the
    # next attempt once it is due, so retries survive worker restarts.
    "hrapi-webhook-retry-due": {"task": "hrapi.tasks.webhook_retry_due", "schedule": 60.0},
    # The portfolio's "effect vs comparison" column reads stored estimates; a quarter of an
    # hour keeps them close to the data without re-running every randomisation test a minute.
    "evidence-refresh-effects": {"task": "evidence.tasks.refresh_effects", "schedule": 15 * 60.0},
    # Follow-ups of ended pilots go out in the morning of their due day (+6 weeks, +6 months…);
    # a wave is claimed before its invitations are made, so a second run sends nothing.
    "evidence-send-due-followups": {
        "task": "evidence.tasks.send_due_followups",
        "schedule": crontab(hour=8, minute=0),
    },
}
