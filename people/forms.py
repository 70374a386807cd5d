"""The person picker: a form field for choosing one active person among thousands.

The page shows a text box; static/js/person_picker.js suggests people as one types (from
people:search) and puts the chosen person's id in a hidden input of the field's own name.
Without JavaScript the box is the value: an exact external id or email. Either way the
server decides, and an unknown or inactive person is a form error with the input kept.
"""

from dataclasses import dataclass

from django import forms
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from core.filters import MAX_ID
from core.roles import GRANTABLE_ROLES
from core.widgets import OnePassSelect
from people import search
from people.models import Person

TYPED_SUFFIX = "_search"


def _is_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID


@dataclass(frozen=True)
class Picked:
    """What the browser sent: the chosen person's id (with JavaScript) and the typed text."""

    chosen: str = ""
    typed: str = ""


class PersonPicker(forms.Widget):
    template_name = "people/_person_picker.html"

    def __init__(self, attrs=None, placeholder="Name, external id or email"):
        super().__init__(attrs)
        self.placeholder = placeholder

    def value_from_datadict(self, data, files, name):
        return Picked(data.get(name, "").strip(), data.get(name + TYPED_SUFFIX, ""))

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + TYPED_SUFFIX not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        picked = value if isinstance(value, Picked) else Picked()
        context["widget"].update(
            chosen=picked.chosen,
            typed=picked.typed,
            typed_name=name + TYPED_SUFFIX,
            placeholder=self.placeholder,
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's template engine, not the form renderer's: the template lives with
        # the other templates in templates/people/.
        return render_to_string(self.template_name, self.get_context(name, value, attrs))


class PersonField(forms.Field):
    """Cleans to an active Person (or None when optional and left empty)."""

    widget = PersonPicker
    default_error_messages = {
        "unknown_id": _("That person does not exist. Type a name and choose a suggestion."),
        "unknown": _(
            "No one has the external id or email “%(typed)s”. Type their exact external id "
            "or email, or part of their name and choose a suggestion."
        ),
        "inactive": _("%(label)s is no longer active: choose someone else."),
        "ambiguous": _(
            "More than one person has the email “%(typed)s”: type their external id instead."
        ),
    }

    def prepare_value(self, value):
        """What the widget shows: a Person, or the id a model form's initial data holds (one
        query, only on an unbound form), becomes the chosen id and its label."""
        if isinstance(value, int | str) and _is_id(str(value)):
            value = Person.objects.filter(pk=int(value)).first() or value
        if isinstance(value, Person):
            return Picked(str(value.pk), search.label(value))
        return value

    def to_python(self, value) -> Person | None:
        if isinstance(value, Person) or value is None:
            return value
        picked = value if isinstance(value, Picked) else Picked(str(value))
        if picked.chosen:
            return self._chosen(picked.chosen)
        if search.cleaned(picked.typed):
            return self._typed(picked.typed)
        return None

    def _chosen(self, chosen: str) -> Person:
        if not _is_id(chosen):
            raise forms.ValidationError(self.error_messages["unknown_id"], code="unknown_id")
        person = Person.objects.filter(pk=int(chosen)).first()
        if person is None:
            raise forms.ValidationError(self.error_messages["unknown_id"], code="unknown_id")
        return self._active(person)

    def _typed(self, typed: str) -> Person:
        text = search.cleaned(typed)
        matches = search.exact_matches(text)
        active = [person for person in matches if person.active]
        if len(active) > 1:
            raise forms.ValidationError(
                self.error_messages["ambiguous"], code="ambiguous", params={"typed": text}
            )
        if not matches:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"typed": text}
            )
        return self._active(active[0] if active else matches[0])

    def _active(self, person: Person) -> Person:
        if not person.active:
            raise forms.ValidationError(
                self.error_messages["inactive"],
                code="inactive",
                params={"label": search.label(person)},
            )
        return person


class RoleChangeForm(forms.Form):
    """Grant or withdraw one role on the person page (one small form per role)."""

    role = forms.ChoiceField(choices=list(GRANTABLE_ROLES.items()))
    change = forms.ChoiceField(choices=[("grant", "Grant"), ("withdraw", "Withdraw")])


class ReasonForm(forms.Form):
    """Why access changes, kept in the person's history."""

    reason = forms.CharField(
        required=False,
        max_length=500,
        label="Why (kept in the history)",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class _OrgUnitPaths:
    """Org units named by their path ("Claims › Claims team 1"), in tree order: a tree holds
    many "Team 1"s, and a flat list of names cannot tell them apart. The path comes with the
    choices' own query (django-tree-queries' recursive query), whatever queryset is set."""

    def _set_queryset(self, queryset):
        if queryset is not None:
            queryset = queryset.with_paths()
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def label_from_instance(self, obj):
        return obj.path


class OrgUnitChoiceField(_OrgUnitPaths, forms.ModelChoiceField):
    widget = OnePassSelect


class OrgUnitMultipleChoiceField(_OrgUnitPaths, forms.ModelMultipleChoiceField):
    pass
