"""Prepare a seeded database for the load test: logins for leaders and for the supervisor of
every running workgroup (one account per locust supervisor, so they never race on a cycle),
and an HR API client. Writes the cast as JSON for the locustfile; passwords are per run."""

import json
import os
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import transaction  # noqa: E402

from core.roles import PORTFOLIO_GROUP, Role  # noqa: E402
from hrapi.models import ApiClient  # noqa: E402
from hrapi.services import api_client_create  # noqa: E402
from pilots.models import Workgroup  # noqa: E402

CLIENT_NAME = "load-test HR system"


def _login_for(person, username: str, password: str, groups: list[str]) -> str:
    user = person.user or User.objects.create(username=username)
    user.set_password(password)
    user.is_active = True
    user.save()
    user.groups.add(*Group.objects.filter(name__in=groups))
    if person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user"])
    return user.username


@transaction.atomic
def prepare(password: str) -> dict:
    leader = User.objects.get(username="leader")
    leader.set_password(password)
    leader.save()
    supervisors = []
    running = Workgroup.objects.filter(pilot__status="running").select_related("supervisor__user")
    for workgroup in running.order_by("pk"):
        username = f"load-sup-{workgroup.supervisor_id}"
        supervisors.append(_login_for(workgroup.supervisor, username, password, [Role.SUPERVISOR]))
    ApiClient.objects.filter(name=CLIENT_NAME).delete()
    _, token = api_client_create(
        name=CLIENT_NAME, scopes=["metrics:read", "metrics:write", "people:read"]
    )
    return {
        "password": password,
        "leaders": ["leader"],
        "leader_groups": [PORTFOLIO_GROUP],
        "supervisors": sorted(set(supervisors)),
        "token": token,
    }


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.write_text(json.dumps(prepare(secrets.token_urlsafe(12))))
    out.chmod(0o600)
    print(f"load cast written to {out}")
