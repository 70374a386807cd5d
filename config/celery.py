"""The Celery app and its beat schedule (one comment per entry saying why it runs then)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("redefine")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Re-publishes tasks whose broker send failed (Redis down at commit time): nothing is lost.
    "outbox-sweep": {"task": "core.tasks.outbox_sweep", "schedule": 60.0},
}
