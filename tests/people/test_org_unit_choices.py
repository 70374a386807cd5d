"""Org units in every form and filter are named by their path, so two "Team 1"s under
different departments can be told apart, in tree order and in one query."""

import pytest

from people.forms import OrgUnitChoiceField
from people.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_team_ones(db):
    root = OrgUnit.objects.create(external_id="ACME", name="Acme")
    claims = OrgUnit.objects.create(external_id="CL", name="Claims", parent=root)
    billing = OrgUnit.objects.create(external_id="BI", name="Billing", parent=root)
    OrgUnit.objects.create(external_id="CL1", name="Team 1", parent=claims)
    OrgUnit.objects.create(external_id="BI1", name="Team 1", parent=billing)
    return root


def _labels(page: str, select_name: str) -> list[str]:
    select = page.split(f'name="{select_name}"', 1)[1].split("</select>", 1)[0]
    return [part.split(">", 1)[1].split("<", 1)[0] for part in select.split("<option")[1:]]


def test_the_pilot_form_tells_two_team_ones_apart(client, bob, two_team_ones):
    client.force_login(bob)
    labels = _labels(client.get("/pilots/new/").content.decode(), "org_unit")
    assert "Acme › Billing › Team 1" in labels and "Acme › Claims › Team 1" in labels
    assert labels.index("Acme › Billing") < labels.index("Acme › Billing › Team 1")


def test_the_people_page_filter_shows_paths_too(client, hilda, two_team_ones):
    client.force_login(hilda)
    labels = _labels(client.get("/people/").content.decode(), "org_unit")
    assert "Acme › Claims › Team 1" in labels


def test_the_choices_cost_one_query_whatever_the_depth(two_team_ones, django_assert_num_queries):
    field = OrgUnitChoiceField(queryset=OrgUnit.objects.all())
    with django_assert_num_queries(1):
        labels = [label for _, label in field.choices]
    assert labels[1:3] == ["Acme", "Acme › Billing"]


def test_a_narrowed_queryset_keeps_the_whole_path(two_team_ones):
    field = OrgUnitChoiceField(queryset=OrgUnit.objects.filter(external_id="CL1"))
    assert [label for _, label in field.choices][1:] == ["Acme › Claims › Team 1"]
