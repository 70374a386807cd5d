"""The demo organisation: one step module per app's data, each with a `seed(ctx)`, run in order."""

import importlib
import random
from dataclasses import dataclass, field

# Each module's `seed(ctx)` must be idempotent: a second run changes nothing. Metrics come
# before pilots so that supervisors have performance history when their pilots start (and
# baselines freeze from real data); pilot- and workgroup-level outcomes come with portfolio.
# Below-baseline alerts need started pilots, so they are recorded right after pilots. Goals
# set their targets against the outcomes, so they come after the portfolio.
DEMO_STEPS = [
    "demo.people",
    "demo.metrics",
    "demo.pilots",
    "demo.alerts",
    "demo.coaching",
    "demo.evidence",  # before the portfolio's: its pilots get outcomes and rollups too
    "demo.portfolio",
    "demo.goals",
    "demo.weekly",
]


@dataclass
class DemoContext:
    seed: int
    people: int
    pilots: int
    months: int
    reset_logins: bool = False
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role, username, password)
    notes: list[str] = field(default_factory=list)
    shared: dict = field(default_factory=dict)  # what one step hands to the next

    def rng_for(self, step: str) -> random.Random:
        """A generator per step, so adding data in one step leaves the others' data unchanged."""
        return random.Random(f"{self.seed}:{step}")  # noqa: S311 - demo data, not security


def run_demo(ctx: DemoContext) -> DemoContext:
    for dotted in DEMO_STEPS:
        try:
            module = importlib.import_module(dotted)
        except ModuleNotFoundError as exc:
            if exc.name != dotted:
                raise
            continue
        module.seed(ctx)
    return ctx
