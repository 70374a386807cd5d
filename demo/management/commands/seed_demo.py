"""Build (or top up) a believable demo organisation, deterministically."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from demo.steps import DemoContext, run_demo


def _bounded(name: str, value: int, low: int, high: int) -> int:
    if not low <= value <= high:
        raise CommandError(f"--{name} must be between {low} and {high}, got {value}.")
    return value


class Command(BaseCommand):
    help = "Create a demo organisation with logins for each role. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument("--people", type=int, default=200, help="People (20–100000).")
        parser.add_argument("--pilots", type=int, default=8, help="Pilots (0–2000).")
        parser.add_argument("--months", type=int, default=9, help="Months of history (1–36).")
        parser.add_argument(
            "--reset-logins",
            action="store_true",
            help="Give the demo logins new passwords and print them again.",
        )

    def handle(self, *args, **options):
        ctx = DemoContext(
            seed=options["seed"],
            people=_bounded("people", options["people"], 20, 100_000),
            pilots=_bounded("pilots", options["pilots"], 0, 2_000),
            months=_bounded("months", options["months"], 1, 36),
            reset_logins=options["reset_logins"],
        )
        # The demo's people are fictional: what seeding sets off (charter requests, alerts)
        # is sent to no one, and `make run`'s console keeps the logins in sight.
        no_mail = override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
        with no_mail, transaction.atomic():
            run_demo(ctx)
        for note in ctx.notes:
            self.stdout.write(note)
        if ctx.logins:
            self.stdout.write(self.style.SUCCESS("Demo logins (shown once, keep them):"))
            for role, username, password in ctx.logins:
                self.stdout.write(f"  {role:<12} {username:<14} {password}")
        else:
            self.stdout.write(
                "Demo logins exist already; run `manage.py seed_demo --reset-logins` to print "
                "new passwords."
            )
