"""Web pages of metrics: a supervisor's "My metrics", CSV imports for HR admins (with a
progress page polling a JSON status), and the sponsor's re-baseline action."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.exports import table_response
from core.roles import is_hr_admin
from metrics.baselines import baseline_rebaseline
from metrics.forms import ImportForm, PeriodForm, RebaselineForm
from metrics.imports import error_report_csv, import_job_create
from metrics.models import ImportJob
from metrics.selectors import my_metrics, sponsor_alerts
from people.models import Person
from pilots.models import Pilot


@login_required
def mine(request):
    person = Person.objects.filter(user=request.user).first()
    form = PeriodForm(request.GET if "period_start" in request.GET else None)
    period = form.cleaned_data if form.is_valid() else {}
    context = {"person": person, "period_form": form}
    if person is not None:
        context |= my_metrics(person, **period)
        context["sponsor_alerts"] = sponsor_alerts(person)
        if not form.is_bound:
            context["period_form"] = PeriodForm(
                initial={
                    "period_start": context["period_start"],
                    "period_end": context["period_end"],
                }
            )
    return render(request, "metrics/mine.html", context)


@login_required
def mine_export(request, key, fmt):
    """One metric chart's data table of My metrics, for the period the page shows."""
    person = get_object_or_404(Person, user=request.user)
    form = PeriodForm(request.GET if "period_start" in request.GET else None)
    period = form.cleaned_data if form.is_valid() else {}
    card = next((c for c in my_metrics(person, **period)["cards"] if c.row.metric.key == key), None)
    if card is None:
        raise Http404("No such metric.")
    return table_response(
        card.chart["columns"], card.chart["rows"], filename=f"my-metrics-{key}", fmt=fmt
    )


def _hr_admin_only(request):
    if not is_hr_admin(request.user):
        raise PermissionDenied


@login_required
def imports(request):
    _hr_admin_only(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(upload=form.cleaned_data["file"], by=request.user)
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("metrics:import", pk=job.pk)
    jobs = ImportJob.objects.visible_to(request.user).select_related("created_by")[:20]
    return render(request, "metrics/imports.html", {"form": form, "jobs": jobs})


def _job(request, pk) -> ImportJob:
    _hr_admin_only(request)
    return get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)


@login_required
def import_detail(request, pk):
    return render(request, "metrics/import.html", {"job": _job(request, pk)})


@login_required
def import_status(request, pk):
    job = _job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "rows_total": job.rows_total,
            "rows_done": job.rows_done,
            "percent": job.percent,
            "created": job.created,
            "updated": job.updated,
            "unchanged": job.unchanged,
            "error_count": len(job.errors),
            "message": job.message,
            "errors_url": reverse("metrics:import-errors", args=[job.pk]) if job.errors else None,
        }
    )


@login_required
def import_errors(request, pk):
    job = _job(request, pk)
    response = HttpResponse(error_report_csv(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response


@login_required
@require_POST
def rebaseline(request, pilot_id):
    pilot = get_object_or_404(Pilot.objects.visible_to(request.user), pk=pilot_id)
    form = RebaselineForm(request.POST, pilot=pilot)
    if not form.is_valid():
        messages.error(request, "Choose a supervisor and a metric, and give a reason.")
    else:
        try:
            baseline_rebaseline(pilot=pilot, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, "Re-baselined: a new version is in force, the old one is kept."
            )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("metrics:mine")
    return redirect(target)
