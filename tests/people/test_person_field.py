"""The person picker's form field: it takes the chosen person's id (what the script sends) or,
without JavaScript, an exact external id or email, and refuses unknown or inactive people
with a message that says what to do."""

import pytest
from django import forms

from people.forms import PersonField
from people.models import Person

pytestmark = pytest.mark.django_db


class SponsorForm(forms.Form):
    sponsor = PersonField(required=False)
    note = forms.CharField(required=False)


class SupervisorForm(forms.Form):
    supervisor = PersonField()


def _clean(data, form_class=SponsorForm):
    form = form_class(data)
    form.is_valid()
    return form


def test_the_chosen_id_wins_over_the_text_left_in_the_box(carol, dan):
    form = _clean({"sponsor": str(carol.person.pk), "sponsor_search": "Dan (P-DAN)"})
    assert form.cleaned_data["sponsor"] == carol.person


@pytest.mark.parametrize("typed", ["P-CAROL", " p-carol ", "carol@example.com", "Carol (P-CAROL)"])
def test_without_javascript_an_exact_external_id_or_email_is_enough(carol, dan, typed):
    assert _clean({"sponsor_search": typed}).cleaned_data["sponsor"] == carol.person


def test_nothing_typed_is_no_one_when_the_field_is_optional(carol):
    assert _clean({"sponsor": "", "sponsor_search": "  "}).cleaned_data["sponsor"] is None
    assert _clean({}).cleaned_data["sponsor"] is None


def test_nothing_typed_is_required_when_the_field_is(carol):
    form = _clean({"supervisor_search": ""}, SupervisorForm)
    assert form.errors["supervisor"] == ["This field is required."]


def test_an_unknown_person_is_a_form_error_and_the_input_is_kept(carol):
    form = _clean({"sponsor_search": "Carrol", "note": "keep me"})
    assert form.errors["sponsor"] == [
        "No one has the external id or email “Carrol”. Type their exact external id or "
        "email, or part of their name and choose a suggestion."
    ]
    html = str(form["sponsor"])
    assert 'name="sponsor_search"' in html and 'value="Carrol"' in html
    assert 'value="keep me"' in str(form["note"])


def test_an_inactive_person_is_refused_by_id_or_by_text(carol):
    Person.objects.filter(pk=carol.person.pk).update(active=False)
    message = "Carol (P-CAROL) is no longer active: choose someone else."
    assert _clean({"sponsor": str(carol.person.pk)}).errors["sponsor"] == [message]
    assert _clean({"sponsor_search": "P-CAROL"}).errors["sponsor"] == [message]


def test_an_active_person_sharing_an_inactive_persons_email_is_found(org, carol):
    Person.objects.filter(pk=carol.person.pk).update(active=False)
    new = Person.objects.create(
        external_id="P-CAROL2", full_name="Carol", email="carol@example.com"
    )
    assert _clean({"sponsor_search": "carol@example.com"}).cleaned_data["sponsor"] == new


def test_an_email_two_active_people_share_asks_for_the_external_id(carol):
    Person.objects.create(external_id="P-C2", full_name="Carol Two", email="Carol@Example.com")
    form = _clean({"sponsor_search": "carol@example.com"})
    assert "type their external id instead" in form.errors["sponsor"][0]


@pytest.mark.parametrize("chosen", ["0", "-1", "abc", "1.5", "٣", "9" * 400, "99999999"])
def test_an_id_that_is_no_one_is_refused_without_a_server_error(carol, chosen):
    assert _clean({"sponsor": chosen}).errors["sponsor"] == [
        "That person does not exist. Type a name and choose a suggestion."
    ]


def test_a_chosen_person_is_shown_again_with_their_id_and_label(carol):
    form = _clean({"sponsor": str(carol.person.pk), "sponsor_search": "Carol (P-CAROL)"})
    html = str(form["sponsor"])
    assert f'name="sponsor" value="{carol.person.pk}"' in html
    assert 'value="Carol (P-CAROL)"' in html


def test_an_initial_person_renders_as_chosen(carol):
    form = SponsorForm(initial={"sponsor": carol.person})
    html = str(form["sponsor"])
    assert f'value="{carol.person.pk}"' in html and 'value="Carol (P-CAROL)"' in html


def test_a_model_forms_initial_id_renders_as_chosen(carol):
    class ManagerForm(forms.ModelForm):
        manager = PersonField(required=False)

        class Meta:
            model = Person
            fields = ["manager"]

    someone = Person.objects.create(external_id="X1", full_name="X", manager=carol.person)
    html = str(ManagerForm(instance=someone)["manager"])
    assert f'value="{carol.person.pk}"' in html and 'value="Carol (P-CAROL)"' in html
