"""API clients: the management command, the HR admin page and the admin, tokens shown once."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from hrapi.models import AccessGroup, ApiClient, ApiToken, hash_token
from hrapi.services import api_client_create

pytestmark = pytest.mark.django_db


def test_the_command_prints_the_token_once_and_stores_only_its_hash():
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_api_client",
        "payroll",
        "--scopes",
        "people:read,metrics:write",
        stdout=out,
        stderr=err,
    )
    raw = out.getvalue().strip()
    client = ApiClient.objects.get(name="payroll")
    assert client.scopes == ["metrics:write", "people:read"]
    assert ApiToken.objects.get(client=client).token_hash == hash_token(raw)
    assert "shown only once" in err.getvalue()


def test_the_command_names_unknown_scopes_and_lists_the_known_ones():
    known = "Known: goals:read, metrics:read"
    with pytest.raises(CommandError, match=f"Unknown scopes: people:admin.*{known}"):
        call_command(
            "create_api_client", "payroll", "--scopes", "people:admin", stdout=io.StringIO()
        )
    assert not ApiClient.objects.exists()


def test_the_command_refuses_a_duplicate_name():
    api_client_create(name="payroll", scopes=["people:read"])
    with pytest.raises(CommandError, match="already exists"):
        call_command(
            "create_api_client", "payroll", "--scopes", "people:read", stdout=io.StringIO()
        )


def test_the_command_refuses_an_empty_scope_list():
    with pytest.raises(CommandError, match="at least one scope"):
        call_command("create_api_client", "payroll", "--scopes", " , ", stdout=io.StringIO())


def test_only_hr_admins_see_the_integrations_page(client, mallory, carol):
    for user in (mallory, carol):
        client.force_login(user)
        assert client.get(reverse("hrapi:index")).status_code == 403


def test_the_integrations_page_lists_clients_with_scopes_and_last_use(client, hilda):
    api_client_create(name="payroll", scopes=["people:read"])
    client.force_login(hilda)
    page = client.get(reverse("hrapi:index")).content.decode()
    assert "payroll" in page and "people:read" in page and "never" in page


def test_creating_a_client_on_the_page_shows_the_token_once(client, hilda):
    client.force_login(hilda)
    response = client.post(
        reverse("hrapi:index"), {"name": "payroll", "scopes": ["people:read", "scim"]}
    )
    token = response.context["new_token"]
    assert token and token in response.content.decode()
    assert ApiToken.objects.get(client__name="payroll").token_hash == hash_token(token)
    assert token not in client.get(reverse("hrapi:index")).content.decode()


def test_an_empty_submission_is_answered_with_the_missing_fields(client, hilda):
    client.force_login(hilda)
    response = client.post(reverse("hrapi:index"), {})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors


def test_the_page_reports_a_duplicate_name_on_the_form(client, hilda):
    api_client_create(name="payroll", scopes=["people:read"])
    client.force_login(hilda)
    response = client.post(reverse("hrapi:index"), {"name": "payroll", "scopes": ["scim"]})
    assert response.context["new_token"] is None
    assert "already exists" in response.content.decode()


def test_revoking_on_the_page_revokes_every_token(client, hilda):
    api_client, _ = api_client_create(name="payroll", scopes=["people:read"])
    client.force_login(hilda)
    client.post(reverse("hrapi:revoke", args=[api_client.pk]))
    api_client.refresh_from_db()
    assert api_client.revoked_at is not None
    assert not api_client.tokens.filter(revoked_at__isnull=True).exists()


def test_revoking_needs_a_post(client, hilda):
    api_client, _ = api_client_create(name="payroll", scopes=["people:read"])
    client.force_login(hilda)
    assert client.get(reverse("hrapi:revoke", args=[api_client.pk])).status_code == 405


def test_the_page_costs_the_same_queries_for_one_or_many_clients(
    client, hilda, django_assert_num_queries
):
    client.force_login(hilda)
    api_client_create(name="one", scopes=["people:read"])
    # session, user, user permissions, group permissions (is_hr_admin), groups for the nav,
    # clients with their last use, access groups with their member counts
    AccessGroup.objects.create(display_name="Leads")
    client.get(reverse("hrapi:index"))
    with django_assert_num_queries(7) as small:
        client.get(reverse("hrapi:index"))
    for n in range(5):
        api_client_create(name=f"more-{n}", scopes=["scim"])
        AccessGroup.objects.create(display_name=f"Group {n}", role="leader")
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("hrapi:index"))


def test_the_admin_shows_a_new_token_once_in_the_answer_to_its_post(client, hilda):
    hilda.is_superuser = True
    hilda.save()
    client.force_login(hilda)
    response = client.post(
        "/admin/hrapi/apiclient/add/",
        {
            "name": "payroll",
            "contact_email": "",
            "scopes": ["people:read"],
            "tokens-TOTAL_FORMS": 0,
            "tokens-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    token = re.search(r"rdf_[\w-]+", response.content.decode()).group(0)
    assert ApiToken.objects.get(client__name="payroll").token_hash == hash_token(token)
    assert list(response.context["messages"]) == []
    change_page = client.get(f"/admin/hrapi/apiclient/{ApiToken.objects.get().client_id}/change/")
    assert token not in change_page.content.decode()


def test_the_admin_revoke_action_revokes_clients(client, hilda):
    hilda.is_superuser = True
    hilda.save()
    api_client, _ = api_client_create(name="payroll", scopes=["people:read"])
    client.force_login(hilda)
    client.post(
        "/admin/hrapi/apiclient/",
        {"action": "revoke", "_selected_action": [api_client.pk]},
    )
    api_client.refresh_from_db()
    assert api_client.revoked_at is not None
