"""The audit history a dispute needs: django-simple-history records that name their actor (a
user or an API client) and, where a service knows it, the reason.

The request middleware of simple-history gives each record the logged-in user; a bearer-token
request has no user, so a signal receiver adds the API client DRF authenticated. Work outside
a request (a CSV import in a worker, a management command) says who it acts for with
`acting_as(...)`. Bulk writes go through `bulk_create_recorded` / `bulk_update_recorded`,
simple-history's bulk helpers with the same actor and reason.
"""

from __future__ import annotations

import contextvars
import functools
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import models
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record
from simple_history.utils import (
    bulk_create_with_history,
    bulk_update_with_history,
    get_change_reason_from_object,
)


@dataclass(frozen=True)
class Actor:
    user: object | None = None
    api_client: object | None = None
    reason: str = ""


NOBODY = Actor()
_acting: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("acting", default=None)


@contextmanager
def acting_as(*, user=None, api_client=None, reason: str = ""):
    """Record the changes made inside the block as made by this user or client, for this
    reason (what a request says is kept where the block says nothing)."""
    outer = _acting.get() or NOBODY
    token = _acting.set(
        Actor(
            user=user or outer.user,
            api_client=api_client or outer.api_client,
            reason=reason or outer.reason,
        )
    )
    try:
        yield
    finally:
        _acting.reset(token)


def recorded_by(service):
    """Record a service's writes as made by its `by` (a login or an API client), so the
    history names the actor outside a request too: a task, a command, the demo."""

    @functools.wraps(service)
    def wrapper(*args, by, **kwargs):
        from hrapi.models import ApiClient

        if isinstance(by, ApiClient):
            actor = {"api_client": by}
        else:
            actor = {"user": by if getattr(by, "is_authenticated", False) else None}
        with acting_as(**actor):
            return service(*args, by=by, **kwargs)

    return wrapper


def _request():
    return getattr(HistoricalRecords.context, "request", None)


def current_user():
    explicit = (_acting.get() or NOBODY).user
    if explicit is not None:
        return explicit
    user = getattr(_request(), "user", None)
    return user if user is not None and user.is_authenticated else None


def current_api_client():
    """The API client of the bearer-token request being served (DRF sets `auth` on the
    underlying request), or the one named by `acting_as`."""
    from hrapi.models import ApiClient

    explicit = (_acting.get() or NOBODY).api_client
    if explicit is not None:
        return explicit
    auth = getattr(_request(), "auth", None)
    return auth if isinstance(auth, ApiClient) else None


def current_reason() -> str:
    return (_acting.get() or NOBODY).reason


def _history_user(request=None, instance=None, **kwargs):
    return current_user()


class HistoricalActor(models.Model):
    """What every historical record carries besides simple-history's own columns."""

    # PROTECT: a client that wrote history is revoked, never deleted, so the actor stays known.
    history_api_client = models.ForeignKey(
        "hrapi.ApiClient",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="API client",
    )

    class Meta:
        abstract = True


class History(HistoricalRecords):
    """HistoricalRecords with the actor and the reason of the request or `acting_as` block."""

    def __init__(self, **kwargs):
        kwargs.setdefault("bases", [HistoricalActor])
        kwargs.setdefault("get_user", _history_user)
        super().__init__(**kwargs)

    def get_change_reason_for_object(self, instance, history_type, using):
        return get_change_reason_from_object(instance) or current_reason() or None


@receiver(pre_create_historical_record)
def _record_api_client(sender, history_instance, **kwargs):
    if hasattr(history_instance, "history_api_client_id"):
        history_instance.history_api_client = current_api_client()


def _actor_attrs() -> dict:
    return {
        "default_user": current_user(),
        "default_change_reason": current_reason() or None,
        "custom_historical_attrs": {"history_api_client": current_api_client()},
    }


def bulk_create_recorded(model, objs: list, *, batch_size: int):
    """bulk_create that writes one history record per row, with the current actor."""
    return bulk_create_with_history(objs, model, batch_size=batch_size, **_actor_attrs())


def record_created(model, objs: list, *, batch_size: int) -> None:
    """The creation records of rows already written (by a bulk_create whose rows needed a
    second write, such as a parent set once every row had its key): one record each, of
    the rows as they ended."""
    model.history.bulk_history_create(objs, batch_size=batch_size, **_actor_attrs())


def bulk_update_recorded(model, objs: list, fields: list[str], *, batch_size: int) -> None:
    bulk_update_with_history(objs, model, fields, batch_size=batch_size, **_actor_attrs())
