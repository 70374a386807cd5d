"""A person who was just deprovisioned tries to keep working: with the browser session they
already have, and by logging in again. Whatever channel deactivated them (REST DELETE, a bulk
row, SCIM DELETE, SCIM PATCH, the admin), the very next request with the old cookie is
anonymous and the login fails; reactivation gives the same password its access back."""

import json

import pytest
from django.test import Client

from core.models import UserSession

PASSWORD = "carol-pw-123!"
SCIM = "application/scim+json"


def _logged_in(username="carol", password=PASSWORD) -> Client:
    browser = Client()
    answer = browser.post("/accounts/login/", {"username": username, "password": password})
    assert answer.status_code == 302, "the login should have worked"
    return browser


def _is_anonymous(browser: Client) -> bool:
    answer = browser.get("/pilots/")
    return answer.status_code == 302 and "/accounts/login/" in answer.url


def _login_works(password=PASSWORD) -> bool:
    answer = Client().post("/accounts/login/", {"username": "carol", "password": password})
    return answer.status_code == 302


@pytest.fixture
def hr(client_with_scopes):
    return client_with_scopes("people:read", "people:write", name="hris")


@pytest.fixture
def idp(client_with_scopes):
    return client_with_scopes("scim", name="idp")


def _scim(api, method, path, body=None):
    return api.generic(
        method,
        f"/scim/v2{path}",
        json.dumps(body) if body is not None else "",
        content_type=SCIM,
        HTTP_ACCEPT=SCIM,
    )


def _patch_active(value: bool) -> dict:
    return {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "active", "value": value}],
    }


def _rest_delete(hr, idp, carol):
    assert hr.delete("/api/v1/people/P-CAROL/").status_code == 204


def _rest_reactivate(hr, idp, carol):
    assert hr.patch("/api/v1/people/P-CAROL/", {"active": True}, format="json").status_code == 200


def _bulk_deactivate(hr, idp, carol):
    rows = {"rows": [{"external_id": "P-CAROL", "active": False}]}
    assert hr.post("/api/v1/people/bulk/", rows, format="json").json()["updated"] == 1


def _bulk_reactivate(hr, idp, carol):
    rows = {"rows": [{"external_id": "P-CAROL", "active": True}]}
    assert hr.post("/api/v1/people/bulk/", rows, format="json").json()["updated"] == 1


def _scim_delete(hr, idp, carol):
    assert _scim(idp, "DELETE", f"/Users/{carol.person.pk}").status_code == 204


def _scim_patch_inactive(hr, idp, carol):
    answer = _scim(idp, "PATCH", f"/Users/{carol.person.pk}", _patch_active(False))
    assert answer.status_code == 200


def _scim_patch_active(hr, idp, carol):
    answer = _scim(idp, "PATCH", f"/Users/{carol.person.pk}", _patch_active(True))
    assert answer.status_code == 200


def _scim_reprovision(hr, idp, carol):
    body = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "P-CAROL",
        "name": {"givenName": "Carol", "familyName": "C"},
        "emails": [{"value": "carol@example.com", "type": "work", "primary": True}],
        "active": True,
    }
    assert _scim(idp, "POST", "/Users", body).status_code == 201


def _admin_form(person, active: bool) -> dict:
    form = {
        "external_id": person.external_id,
        "full_name": person.full_name,
        "email": person.email,
        "org_unit": person.org_unit_id or "",
    }
    return form | ({"active": "on"} if active else {})


def _admin_set(active: bool):
    def run(hr, idp, carol):
        from django.contrib.auth.models import User

        admin = Client()
        admin.force_login(User.objects.get(username="hilda"))
        carol.person.refresh_from_db()
        url = f"/admin/people/person/{carol.person.pk}/change/"
        answer = admin.post(url, _admin_form(carol.person, active))
        assert answer.status_code == 302, answer.content.decode()[:2000]

    return run


CHANNELS = {
    "REST DELETE, REST PATCH active": (_rest_delete, _rest_reactivate),
    "bulk row active false, bulk row active true": (_bulk_deactivate, _bulk_reactivate),
    "SCIM DELETE, SCIM re-provisioning": (_scim_delete, _scim_reprovision),
    "SCIM PATCH active false, SCIM PATCH active true": (_scim_patch_inactive, _scim_patch_active),
    "the admin, the admin": (_admin_set(False), _admin_set(True)),
}


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_deprovisioned_person_loses_their_session_and_login_at_once(
    channel, carol, hilda, hr, idp
):
    deactivate, reactivate = CHANNELS[channel]
    phone, laptop = _logged_in(), _logged_in()
    assert not _is_anonymous(phone)
    assert UserSession.objects.filter(user=carol).count() == 2

    deactivate(hr, idp, carol)

    assert _is_anonymous(phone) and _is_anonymous(laptop)
    assert not UserSession.objects.filter(user=carol).exists()
    assert not _login_works()
    carol.refresh_from_db()
    assert carol.is_active is False

    reactivate(hr, idp, carol)

    carol.refresh_from_db()
    assert carol.is_active is True
    assert _login_works()
    assert _is_anonymous(phone)  # the old sessions stay gone; a new login is a new session


def test_a_deprovisioned_persons_api_session_is_refused_too(carol, hr):
    browser = _logged_in()
    assert browser.get("/api/v1/pilots/").status_code == 200
    hr.delete("/api/v1/people/P-CAROL/")
    assert browser.get("/api/v1/pilots/").status_code == 401  # anonymous: log in first


def test_deactivating_one_person_leaves_everyone_elses_sessions_alone(carol, dan, hr):
    dans = _logged_in("dan", "dan-pw-123!")
    hr.delete("/api/v1/people/P-CAROL/")
    assert not _is_anonymous(dans)


def test_deactivation_and_reactivation_are_in_the_persons_history_with_the_client(carol, hr):
    hr.delete("/api/v1/people/P-CAROL/")
    hr.patch("/api/v1/people/P-CAROL/", {"active": True}, format="json")
    records = list(carol.person.history.order_by("history_date", "history_id"))
    assert [r.active for r in records] == [True, False, True]
    assert {r.history_api_client.name for r in records[1:]} == {"hris"}


def test_a_second_delete_changes_nothing(carol, hr):
    hr.delete("/api/v1/people/P-CAROL/")
    before = carol.person.history.count()
    assert hr.delete("/api/v1/people/P-CAROL/").status_code == 204
    assert carol.person.history.count() == before


def test_nobody_deletes_a_person_in_the_admin(carol, client, hilda):
    client.force_login(hilda)
    answer = client.post(f"/admin/people/person/{carol.person.pk}/delete/", {"post": "yes"})
    assert answer.status_code == 403
    carol.person.refresh_from_db()
    carol.refresh_from_db()
    assert carol.is_active
