"""The supervisor's "My week" page: one tap records how the week split between strategy and
detail, with the trend of the last weeks. Views are thin: the service decides."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from core.errors import DomainError
from weekly.forms import CHOICES, WeeklySplitForm
from weekly.models import WeeklySplit
from weekly.permissions import is_supervisor
from weekly.selectors import person_trend
from weekly.services import editable_until, split_record, week_of


def _supervisor_only(user) -> None:
    if not is_supervisor(user):
        raise PermissionDenied("The weekly split is for supervisors.")


def open_weeks(person, today=None) -> list[dict]:
    """This week and last week (both still open), each with what was recorded."""
    today = today or timezone.localdate()
    current = week_of(today)
    weeks = [current, current - timedelta(weeks=1)]
    recorded = {e.week: e for e in WeeklySplit.objects.filter(person=person, week__in=weeks)}
    return [
        {
            "week": week,
            "label": "This week" if week == current else "Last week",
            "entry": recorded.get(week),
            "until": editable_until(week),
        }
        for week in weeks
    ]


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
    context = {
        "form": form,
        "weeks": open_weeks(person),
        "choices": CHOICES,
        "trend": person_trend(person),
        "next": request.GET.get("next", ""),
    }
    return render(request, "weekly/mine.html", context, status=status)
