"""The supervisor's "My week" page: one tap records how the week split between strategy and
detail, with the trend of the last weeks. Views are thin: the service decides."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from core.errors import DomainError
from weekly.charts import trend_view
from weekly.forms import CHOICES, WeeklySplitForm
from weekly.permissions import is_supervisor
from weekly.selectors import open_weeks, person_trend
from weekly.services import split_record


def _supervisor_only(user) -> None:
    if not is_supervisor(user):
        raise PermissionDenied("The weekly split is for supervisors.")


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, True):
        return redirect(target)
    return redirect("weekly:mine")


@login_required
def mine(request):
    _supervisor_only(request.user)
    person = request.user.person
    status, form = 200, WeeklySplitForm()
    if request.method == "POST":
        form = WeeklySplitForm(request.POST)
        if form.is_valid():
            try:
                entry, _ = split_record(person=person, by=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(
                    request,
                    f"Week of {entry.week:%d %b} recorded: {entry.strategic_percent} % strategic, "
                    f"{entry.detail_percent} % detail.",
                )
                return _back(request)
        else:
            status = 400
    trend = person_trend(person)
    context = {
        "form": form,
        "weeks": open_weeks(trend),
        "choices": CHOICES,
        "trend": trend_view(person, trend, "Your last weeks"),
        "next": request.GET.get("next", ""),
    }
    return render(request, "weekly/mine.html", context, status=status)
