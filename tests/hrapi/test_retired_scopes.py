"""`pilots:write` granted nothing, so it is retired: no client holds it, no form offers it,
and a provisioning script that still asks for it gets a working token without it."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hrapi.forms import SCOPE_CHOICES
from hrapi.models import ApiClient

pytestmark = pytest.mark.django_db


def test_an_old_script_asking_for_pilots_write_gets_a_token_without_it(capsys):
    call_command("create_api_client", "hris", "--scopes", "pilots:read,pilots:write")
    out, err = capsys.readouterr()
    assert out.strip() and "'pilots:write' is retired" in err
    assert ApiClient.objects.get(name="hris").scopes == ["pilots:read"]


def test_asking_only_for_a_retired_scope_is_refused_with_the_reason():
    with pytest.raises(CommandError, match="never act on pilots"):
        call_command("create_api_client", "robot", "--scopes", "pilots:write")
    assert not ApiClient.objects.exists()


def test_the_integrations_page_no_longer_offers_it():
    assert "pilots:write" not in [scope for scope, _ in SCOPE_CHOICES]
