"""Reachability of the broker for /healthz."""

from celery import current_app


def broker_status() -> str:
    if current_app.conf.task_always_eager:
        return "inline"
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any failure is reported, never raised
        return f"error: {exc.__class__.__name__}"
