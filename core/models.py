"""The task outbox (the intent to run a background task, stored with the change that caused
it), the health probe's runs, and login sessions that know their user."""

import uuid

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class OutboxTaskQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at__isnull=True)


class OutboxTask(models.Model):
    """One background task that must run. Written in the caller's transaction, so a broker
    outage at commit time loses nothing: the sweep publishes what was not sent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    publish_attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    objects = OutboxTaskQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_unsent_idx",
                condition=models.Q(sent_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.task_name}({self.kwargs})"


class ProbeRun(models.Model):
    """One run of the `core.tasks.slow_probe` diagnostic: how often a worker started it and how
    often it completed (exactly once, even when a worker dies mid-task)."""

    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    worker_pid = models.PositiveIntegerField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completions = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"probe {self.pk} ({self.completions} completions)"


class UserSession(AbstractBaseSession):
    """A database session that records whose login it holds, so that deprovisioning can end
    every session of a user in the same request (Django's documented way of extending the
    database session engine; see core/sessions.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    @classmethod
    def get_session_store_class(cls):
        from core.sessions import SessionStore

        return SessionStore


class Heartbeat(models.Model):
    """When a background process last showed it is alive: `beat` when the scheduler last sent
    its heartbeat task, `worker` when a worker last ran it. /healthz and every page with
    rolled-up figures read these, so stale figures are never presented as fresh."""

    name = models.CharField(max_length=20, primary_key=True)
    at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} alive at {self.at}"
