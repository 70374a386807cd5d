"""On a phone, a portfolio leader sets up a pilot for another sponsor with the person picker:
types part of a name, taps the suggestion, and the pilot is created with that sponsor."""

import pytest

from people.models import Person
from pilots.models import Pilot
from tests.browser.support import fill_pilot_form, login, pick_person, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_picks_a_sponsor_on_a_phone(live_server, phone, alice, bob, org):
    Person.objects.bulk_create(
        Person(external_id=f"B{i:03d}", full_name=f"Bobby Tables {i}", org_unit=org)
        for i in range(30)
    )
    Person.objects.create(external_id="P-BOBO", full_name="Bob Gone", active=False)
    login(phone, live_server, "alice")
    phone.goto(f"{live_server.url}/pilots/new/")
    fill_pilot_form(phone, "Claims on the phone")

    phone.locator("#id_sponsor").press_sequentially("bob", delay=40)
    options = phone.get_by_role("listbox").get_by_role("option")
    options.first.wait_for()
    assert options.count() == 20  # 31 active people match: the first twenty, by name
    assert "type more to narrow" in phone.inner_text(".person-status")
    assert "Bob Gone" not in phone.get_by_role("listbox").inner_text()
    box = phone.locator("#id_sponsor").bounding_box()
    listbox = phone.get_by_role("listbox").bounding_box()
    assert listbox["x"] >= 0 and listbox["x"] + listbox["width"] <= 390  # fits the screen
    assert listbox["y"] >= box["y"] + box["height"] - 1  # under the box
    screenshot(phone, "person-picker-phone-open")

    phone.locator("#id_sponsor").fill("")
    pick_person(phone, "#id_sponsor", "p-bob", "Bob (P-BOB)")
    screenshot(phone, "person-picker-phone-chosen")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Create draft pilot").tap()

    pilot = Pilot.objects.get()
    assert pilot.sponsor == bob.person and phone.url.endswith(f"/pilots/{pilot.pk}/")
    assert "Claims on the phone" in phone.inner_text("h1")
    assert phone.console_errors == []
