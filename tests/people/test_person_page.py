"""A person's page: their details with the org unit's path, the pilots they sponsor and the
workgroups they supervise or belong to, their roles and the start of their history."""

import pytest

from tests.factories import PilotFactory, make_workgroup

pytestmark = pytest.mark.django_db


def test_the_page_shows_details_pilots_roles_and_recent_history(client, hilda, bob, carol, erin):
    pilot = PilotFactory(name="Claims pilot", sponsor=bob.person)
    make_workgroup(pilot, carol, name="Triage", members=[erin])
    client.force_login(hilda)
    for external_id, seen in (
        ("P-BOB", "Sponsor"),
        ("P-CAROL", "Supervisor"),
        ("P-ERIN", "Member"),
    ):
        page = client.get(f"/people/{external_id}/").content.decode()
        pilots = page[page.index('id="pilots"') :].split("</section>")[0]
        assert "Claims pilot" in pilots and seen in pilots
    page = client.get("/people/P-CAROL/").content.decode()
    assert "carol@example.com" in page and "Org › Team one" in page
    assert 'data-role="supervisor" data-held="yes"' in page
    assert 'data-role="leader" data-held="no"' in page
    assert 'href="/people/P-CAROL/history/"' in page


def test_external_ids_with_slashes_reach_their_own_page(client, hilda, org):
    from people.models import Person

    Person.objects.create(external_id="HR/42", full_name="Slash Person", org_unit=org)
    client.force_login(hilda)
    assert b"Slash Person" in client.get("/people/HR/42/").content
    assert client.get("/people/HR/42/history/").status_code == 200
    assert client.get("/people/search/", {"q": "Slash"}).json()["results"][0]["name"] == (
        "Slash Person"
    )


def test_the_menu_and_the_home_page_lead_hr_admins_there(client, hilda, carol):
    client.force_login(hilda)
    home = client.get("/").content.decode()
    assert 'href="/people/">People</a>' in home and 'data-role="hr_admin-people"' in home
    client.force_login(carol)
    assert 'href="/people/"' not in client.get("/").content.decode()


def test_portfolio_leaders_who_may_read_the_people_pages_find_them_in_the_menu(client, alice, bob):
    client.force_login(alice)
    assert 'href="/people/">People</a>' in client.get("/pilots/").content.decode()
    assert client.get("/people/").status_code == 200
    client.force_login(bob)  # a leader without the portfolio: neither the page nor the link
    assert 'href="/people/"' not in client.get("/pilots/").content.decode()
    assert client.get("/people/").status_code == 403


@pytest.mark.parametrize(
    "path", ["/people/%00/", "/people/a%00b/history/", "/people/%F0%9F%98%80/"]
)
def test_hostile_paths_are_a_404_not_a_500(client, hilda, path):
    client.force_login(hilda)
    assert client.get(path).status_code == 404
    assert client.post(path.replace("history/", "") + "deactivate/").status_code == 404
