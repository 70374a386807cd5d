"""Rebuild every pilot's rollups from scratch (the periodic refresh is incremental)."""

from django.core.management.base import BaseCommand

from portfolio.rollups import rollups_rebuild, rollups_refresh


class Command(BaseCommand):
    help = (
        "Rebuild the portfolio rollups from observations, opportunities and cycles. "
        "--incremental recomputes only the cells changed since the last refresh."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--incremental", action="store_true", help="only the stale cells (as the worker)"
        )

    def handle(self, *args, incremental=False, **options):
        state = rollups_refresh() if incremental else rollups_rebuild()
        what = "every cell" if state.cells is None else f"{state.cells} stale cells"
        self.stdout.write(f"Rollups: {what} recomputed in {state.duration_ms} ms.")
