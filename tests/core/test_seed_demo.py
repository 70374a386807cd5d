"""The demo organisation: believable, deterministic, idempotent, and strict about options."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from people.models import OrgUnit, Person

pytestmark = pytest.mark.django_db


def _snapshot():
    return list(
        Person.objects.order_by("external_id").values_list(
            "external_id", "full_name", "manager__external_id"
        )
    )


def test_builds_an_organisation_with_managers_and_role_logins(capsys):
    call_command("seed_demo", "--people", "60", "--pilots", "0")
    out = capsys.readouterr().out
    assert Person.objects.count() == 60
    assert OrgUnit.objects.filter(kind="division").exists()
    assert OrgUnit.objects.filter(kind="team", parent__kind="department").exists()
    assert Person.objects.filter(manager__isnull=True).count() == 1
    for username in ["leader", "sponsor", "supervisor", "member", "hradmin"]:
        assert username in out
        assert User.objects.get(username=username).person.external_id.startswith("E")


def test_running_twice_changes_nothing_and_prints_no_passwords(capsys):
    call_command("seed_demo", "--people", "40", "--pilots", "0")
    first = _snapshot()
    capsys.readouterr()
    call_command("seed_demo", "--people", "40", "--pilots", "0")
    assert _snapshot() == first
    assert "exist already" in capsys.readouterr().out


def test_the_same_seed_builds_the_same_people(django_db_blocker):
    call_command("seed_demo", "--people", "30", "--pilots", "0", "--seed", "7")
    first = _snapshot()
    Person.objects.all().delete()
    call_command("seed_demo", "--people", "30", "--pilots", "0", "--seed", "7")
    assert _snapshot() == first


@pytest.mark.parametrize("option", ["--people=-5", "--people=0", "--months=0", "--pilots=-1"])
def test_out_of_range_sizes_get_a_clear_message(option):
    with pytest.raises(CommandError, match="must be between"):
        call_command("seed_demo", option)
    assert Person.objects.count() == 0


def test_unknown_options_are_refused():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--bogus")


@pytest.mark.django_db(transaction=True)  # commits like `make run`, so queued e-mails go out
def test_seeding_e_mails_none_of_the_fictional_people(mailoutbox):
    call_command("seed_demo", "--people", "60", "--pilots", "3", "--months", "3")
    from pilots.models import Workgroup

    assert Workgroup.objects.exists()  # charters were requested, alerts raised, but not sent
    assert mailoutbox == []
