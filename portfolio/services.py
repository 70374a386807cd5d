"""Writes of the portfolio: the organisation settings (and the rollup refresh they need)."""

from decimal import Decimal

from django.db import transaction

from core.outbox import enqueue
from portfolio.models import OrganisationSettings


@transaction.atomic
def organisation_settings_update(
    *, hourly_rate: Decimal, currency: str, emails: dict[str, bool] | None = None
) -> OrganisationSettings:
    """Save the loaded hourly rate and currency, and which kinds of e-mail are sent
    (`emails`: field name → on). Hours convert at read time, but which metric units count as
    money depends on the currency, so the rollups are rebuilt after commit."""
    settings = OrganisationSettings.load()
    settings.hourly_rate = hourly_rate
    settings.currency = currency.upper()
    for field, on in (emails or {}).items():
        setattr(settings, field, bool(on))
    settings.full_clean()
    settings.save()
    enqueue("portfolio.tasks.refresh_rollups")
    return settings


@transaction.atomic
def rollups_request_refresh() -> None:
    """Queue a rebuild now rather than at the next minute (a leader's "Refresh" button)."""
    enqueue("portfolio.tasks.refresh_rollups")
