"""One set of bounds, declared on the model fields, refuses the same input on the pages, in
the API and in the services, with a message a person can act on."""

from django.urls import reverse

from pilots.models import Workgroup
from tests.pilots.test_pages import _pilot_form


def test_a_zero_cadence_gets_a_message_not_a_constraint_name(client, bob, pilot):
    client.force_login(bob)
    response = client.post(
        reverse("pilots:workgroup_add", args=[pilot.pk]),
        {"name": "Triage", "supervisor": "P-BOB", "cadence_days": 0},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "At least 1 day." in page and "cadence_positive" not in page
    assert not Workgroup.objects.exists()


def test_number_inputs_advertise_their_real_bounds(client, bob, pilot):
    client.force_login(bob)
    page = client.get(f"/pilots/{pilot.pk}/").content.decode()
    assert 'name="cadence_days"' in page and 'min="0"' not in page
    form = client.get(reverse("pilots:edit", args=[pilot.pk])).content.decode()
    assert 'name="patience_horizon_weeks"' in form and 'min="1"' in form and 'max="520"' in form


def test_the_form_refuses_a_zero_horizon_a_zero_window_and_a_book_long_vision(client, bob):
    client.force_login(bob)
    response = client.post(
        reverse("pilots:create"),
        _pilot_form(patience_horizon_weeks=0, baseline_window_weeks=0, vision="x" * 108_000),
    )
    page = response.content.decode()
    assert "At least 1 week." in page
    assert "At most 2000 characters" in page
    assert "pilot_patience_positive" not in page


def test_the_api_refuses_what_the_form_refuses(api, bob):
    api.force_authenticate(bob)
    body = {**_pilot_form(baseline_window_weeks=0, vision="x" * 2001)}
    response = api.post("/api/v1/pilots/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) >= {"baseline_window_weeks", "vision"}
