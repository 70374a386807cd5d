"""Web pages of the people app: the people list and a person's page for HR admins (portfolio
leaders read them), the actions on a person's access, the person picker's suggestions, and
a person's history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.errors import DomainError
from core.roles import GRANTABLE_ROLES, is_hr_admin
from people import search, selectors, services
from people.filters import PersonPageFilter
from people.forms import ReasonForm, RoleChangeForm
from people.models import Person
from people.permissions import (
    activation_refusal,
    can_list_people,
    can_manage_people,
    invite_refusal,
    role_change_refusal,
    sees_everyone,
)

HISTORY_PER_PAGE = 100
PEOPLE_PER_PAGE = 50
HISTORY_EXCERPT = 5


@login_required
@require_GET
def person_list(request):
    if not can_list_people(request.user):
        raise PermissionDenied
    people = selectors.people_list(Person.objects.visible_to(request.user))
    filters = PersonPageFilter(request.GET or None, queryset=people)
    shown = filters.qs if filters.is_bound and filters.is_valid() else people
    page = Paginator(shown.order_by("full_name", "id"), PEOPLE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    selectors.label_people(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "page": page,
        "query": query.urlencode(),
        "filtered": any(query.get(name) for name in filters.form.fields),
    }
    return render(request, "people/list.html", context)


def _person_for(request, external_id: str) -> Person:
    if not can_list_people(request.user):
        raise PermissionDenied
    if "\x00" in external_id:  # PostgreSQL refuses NUL in text: no one has such an id
        raise Http404
    people = Person.objects.visible_to(request.user).with_relations()
    return get_object_or_404(people, external_id=external_id)


@login_required
@require_GET
def person_detail(request, external_id):
    person = _person_for(request, external_id)
    held = set(person.user.groups.values_list("name", flat=True)) if person.user else set()
    user, manages = request.user, can_manage_people(request.user)
    roles = [
        (name, label, name in held, role_change_refusal(user, person, name, grant=name not in held))
        for name, label in GRANTABLE_ROLES.items()
    ]
    context = {
        "person": person,
        "path": selectors.org_unit_paths([person.org_unit]).get(person.org_unit_id),
        "roles": roles,
        "pilots": selectors.person_pilots(person),
        # The history is HR's (people:history): portfolio leaders read the rest.
        "history": selectors.person_history(person)[:HISTORY_EXCERPT] if manages else None,
        "invitation": person.invitations.select_related("invited_by").first(),
        "manages": manages,
        "may_invite": invite_refusal(user, person) is None,
        "activation_refused": activation_refusal(user, person),
        "reason_form": ReasonForm(),
    }
    return render(request, "people/detail.html", context)


def _act(request, external_id, action, done: str):
    """Run one service for an HR admin on the person's page, and tell them how it went."""
    if not can_manage_people(request.user):
        raise PermissionDenied
    person = _person_for(request, external_id)
    try:
        action(person)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done.format(name=person.full_name))
    return redirect("people:detail", external_id=person.external_id)


def _reason(request) -> str:
    form = ReasonForm(request.POST)
    return form.cleaned_data["reason"] if form.is_valid() else ""


@login_required
@require_POST
def person_invite(request, external_id):
    return _act(
        request,
        external_id,
        lambda person: services.person_invite(person=person, by=request.user),
        "An invitation to log in is on its way to {name}.",
    )


@login_required
@require_POST
def person_role(request, external_id):
    form = RoleChangeForm(request.POST)
    if not form.is_valid():
        if not can_manage_people(request.user):
            raise PermissionDenied
        messages.error(request, "Choose one of the roles listed.")
        return redirect("people:detail", external_id=external_id)
    role, grant = form.cleaned_data["role"], form.cleaned_data["change"] == "grant"
    change = services.person_role_grant if grant else services.person_role_withdraw
    label = GRANTABLE_ROLES[role]
    return _act(
        request,
        external_id,
        lambda person: change(person=person, role=role, by=request.user, reason=_reason(request)),
        f"{{name}} {'now holds' if grant else 'no longer holds'} the {label} role.",
    )


@login_required
@require_POST
def person_deactivate(request, external_id):
    return _act(
        request,
        external_id,
        lambda person: services.person_deactivate(
            person=person, by=request.user, reason=_reason(request)
        ),
        "{name} is deactivated: their login is disabled and their sessions ended.",
    )


@login_required
@require_POST
def person_reactivate(request, external_id):
    return _act(
        request,
        external_id,
        lambda person: services.person_reactivate(
            person=person, by=request.user, reason=_reason(request)
        ),
        "{name} is active again.",
    )


@login_required
@require_GET
def person_search(request):
    """Active people matching `q`, for the person picker: name and external id only (the
    form needs no more), at most search.SUGGESTIONS of them, and whether there are more."""
    typed = search.cleaned(request.GET.get("q", ""))
    if len(typed) < search.MIN_LENGTH:  # too short to search: no query, not even for roles
        return JsonResponse({"results": [], "more": False})
    people = search.suggestions(
        Person.objects.visible_to(request.user),
        request.GET.get("q", ""),
        emails=sees_everyone(request.user),
    )
    shown = people[: search.SUGGESTIONS]
    return JsonResponse(
        {
            "results": [
                {"id": p.pk, "name": p.full_name, "external_id": p.external_id} for p in shown
            ],
            "more": len(people) > len(shown),
        }
    )


@login_required
@require_GET
def person_history(request, external_id):
    if not is_hr_admin(request.user):
        raise PermissionDenied
    person = _person_for(request, external_id)
    entries = selectors.person_history(person)
    page = Paginator(entries, HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "people/history.html", {"person": person, "page": page})
