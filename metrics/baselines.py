"""Freezing baselines at pilot start, re-baselining, and the protection rule."""


def baselines_freeze_for_start(*, pilot, frozen_at, override_reason: str = "") -> None:
    """Freeze every supervisor's performance metrics for `pilot`, inside the caller's
    transaction (pilot start). Raises core.errors.DomainError(code="baseline_missing_data")
    when data is missing and no override reason is given.

    Placeholder until the metrics capability lands: freezes nothing.
    """
