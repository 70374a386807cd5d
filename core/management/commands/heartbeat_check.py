"""`manage.py heartbeat_check worker|beat`: exit 1 when that process has not beaten for five
minutes (the worker's and beat's container health checks)."""

from django.core.management.base import BaseCommand, CommandError

from core.health import PROCESSES, stale_process


class Command(BaseCommand):
    help = "Fail when the worker's or beat's last heartbeat is older than five minutes."

    def add_arguments(self, parser):
        parser.add_argument("process", choices=PROCESSES)

    def handle(self, *args, process, **options):
        problem = stale_process(process)
        if problem:
            raise CommandError(problem)
        self.stdout.write(f"{process}: ok")
