"""Demo step run after demo.pilots: record the below-baseline alerts of the supervisors whose
pilots started before their dip, so the demo's pages show protection in action. Only rows are
created (idempotent); emails are left to the daily task of a running system."""

from demo.steps import DemoContext
from metrics.alerts import alerts_create_below_baseline


def seed(ctx: DemoContext) -> None:
    created = alerts_create_below_baseline()
    if created:
        ctx.notes.append(f"Metrics: {created} below-baseline alerts during protection.")
