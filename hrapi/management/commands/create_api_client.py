"""`manage.py create_api_client NAME --scopes a,b`: a new API client; prints its token once."""

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from hrapi.models import RETIRED_SCOPES, SCOPES
from hrapi.services import api_client_create


class Command(BaseCommand):
    help = "Create a named API client with scopes and print its bearer token (shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="A unique name, e.g. the HR system's name.")
        parser.add_argument(
            "--scopes",
            required=True,
            help=f"Comma-separated scopes. Known: {', '.join(SCOPES)}.",
        )

    def handle(self, *args, name: str, scopes: str, **options):
        wanted = [s.strip() for s in scopes.split(",") if s.strip()]
        if not wanted:
            raise CommandError(f"Give at least one scope. Known: {', '.join(SCOPES)}.")
        try:
            client, raw = api_client_create(name=name.strip(), scopes=wanted)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for scope in sorted(set(wanted) & set(RETIRED_SCOPES)):
            reason = RETIRED_SCOPES[scope]
            self.stderr.write(f"Scope {scope!r} is retired and was left out: {reason}.")
        self.stderr.write(
            f"Created API client {client.name!r} with scopes {', '.join(client.scopes)}. "
            "Store this token now: it is shown only once."
        )
        self.stdout.write(raw)
