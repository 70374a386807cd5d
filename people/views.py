"""Web endpoints of the people app: the person picker's suggestions."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from people import search
from people.models import Person


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
