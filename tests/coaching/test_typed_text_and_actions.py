"""Nothing typed is lost: a submission from a stale tab or one the services refuse comes back
with the text as typed and the reason; actions are corrected or removed while their stage is
open (and the history keeps what they said), never after. With htmx the answer is the same
page, whose part the form targets."""

import pytest
from django.urls import reverse

from coaching import services
from coaching.models import CycleAction, Stage
from core.errors import NotAllowed, StateConflict

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(workgroup, carol):
    cycle = services.cycle_start(workgroup=workgroup, by=carol)
    services.cycle_save_data(cycle=cycle, by=carol, data_sought="Queue age")
    services.cycle_complete_stage(cycle=cycle, by=carol)
    return cycle


@pytest.fixture
def action(cycle, carol):
    return services.cycle_add_action(cycle=cycle, by=carol, description="Shadow", kind="task")


def _url(cycle, tail=""):
    return reverse("coaching:cycle", args=[cycle.pk]) + tail


def test_a_stale_tab_keeps_the_reflection_typed_and_says_why(client, carol, cycle, action):
    """Tab A is still on the data stage: saving it now is refused, the text comes back."""
    client.force_login(carol)
    typed = "What the customers told us on Monday, word for word."
    page = client.post(_url(cycle, "data/"), {"data_sought": typed, "save": "1"})
    html = page.content.decode()
    assert page.status_code == 409
    assert "data-refused" in html and "only possible during the data stage" in html
    assert typed in html


def test_a_refused_reflection_keeps_every_field_in_the_form(client, carol, cycle, action):
    services.cycle_complete_stage(cycle=cycle, by=carol)
    client.force_login(carol)
    data = {"learned": "Long lesson " * 40, "surprised": "A surprise", "confidence": "11"}
    page = client.post(_url(cycle, "reflection/"), data)
    html = page.content.decode()
    assert page.status_code == 400
    assert data["learned"].strip() in html and "A surprise" in html
    assert "less than or equal to 10" in html


def test_the_supervisor_corrects_an_action_and_the_history_keeps_the_old_text(
    client, carol, erin, cycle, action
):
    client.force_login(carol)
    prefix = f"action-{action.pk}"
    page = client.post(
        _url(cycle, f"actions/{action.pk}/"),
        {
            f"{prefix}-description": "Shadow the night shift",
            f"{prefix}-kind": "relationship",
            f"{prefix}-owner": erin.person.pk,
        },
    )
    assert page.status_code == 302
    action.refresh_from_db()
    assert (action.description, action.kind, action.owner) == (
        "Shadow the night shift",
        "relationship",
        erin.person,
    )
    old = action.history.order_by("history_date").first()
    assert old.description == "Shadow" and action.history.count() == 2
    assert action.history.first().history_user == carol


def test_the_supervisor_removes_an_action_while_the_stage_is_open(client, carol, cycle, action):
    client.force_login(carol)
    page = client.post(_url(cycle, f"actions/{action.pk}/remove/"))
    assert page.status_code == 302
    assert not CycleAction.objects.filter(pk=action.pk).exists()
    assert CycleAction.history.filter(id=action.pk, history_type="-").count() == 1


def test_actions_are_fixed_once_their_stage_is_done(carol, cycle, action):
    services.cycle_complete_stage(cycle=cycle, by=carol)
    with pytest.raises(StateConflict):
        services.cycle_update_action(action=action, by=carol, description="Later", kind="task")
    with pytest.raises(StateConflict):
        services.cycle_remove_action(action=action, by=carol)
    assert CycleAction.objects.get(pk=action.pk).description == "Shadow"


def test_only_the_supervisor_changes_actions(client, bob, dan, cycle, action):
    for user in (bob, dan):
        with pytest.raises(NotAllowed):
            services.cycle_remove_action(action=action, by=user)
    client.force_login(bob)  # the sponsor reads the cycle but offers no edit form
    html = client.get(_url(cycle)).content.decode()
    assert "Edit or remove" not in html
    assert client.post(_url(cycle, f"actions/{action.pk}/remove/")).status_code == 403
    assert CycleAction.objects.filter(pk=action.pk).exists()


def test_a_refused_action_edit_keeps_the_typed_text_in_its_form(client, carol, cycle, action):
    client.force_login(carol)
    prefix = f"action-{action.pk}"
    page = client.post(
        _url(cycle, f"actions/{action.pk}/"),
        {f"{prefix}-description": "Typed with care", f"{prefix}-kind": "neither"},
    )
    html = page.content.decode()
    assert page.status_code == 400
    assert 'value="Typed with care"' in html and 'details class="action-edit" open' in html


def test_with_htmx_a_new_action_answers_the_page_with_the_message(client, carol, cycle, action):
    client.force_login(carol)
    page = client.post(
        _url(cycle, "actions/"),
        {"description": "Coffee with billing", "kind": "relationship"},
        headers={"HX-Request": "true"},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="stage-action"' in html and "Coffee with billing" in html
    assert 'class="flash"' in html and "Action added." in html
    cycle.refresh_from_db()
    assert cycle.stage == Stage.ACTION
