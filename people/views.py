"""Web endpoints of the people app: the person picker's suggestions and, for HR admins, a
person's history."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from core.roles import is_hr_admin
from people import search, selectors
from people.models import Person

HISTORY_PER_PAGE = 100


@login_required
@require_GET
def person_search(request):
    """Active people matching `q`, for the person picker: name and external id only (the
    form needs no more), at most search.SUGGESTIONS of them, and whether there are more."""
    people = search.suggestions(Person.objects.visible_to(request.user), request.GET.get("q", ""))
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
    person = get_object_or_404(Person, external_id=external_id)
    entries = selectors.person_history(person)
    page = Paginator(entries, HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "people/history.html", {"person": person, "page": page})
