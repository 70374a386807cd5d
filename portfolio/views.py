"""Web pages of the portfolio: the leaders' dashboard, a pilot's charts, the chart CSVs, the
XLSX export and the organisation settings. Views are thin: selectors read the rollups,
charts.py shapes the data, the templates and one JS file draw it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.health import figures_freshness
from core.roles import Role, has_role, is_hr_admin, sees_portfolio
from evidence.selectors import add_evidence
from pilots.models import Pilot
from portfolio import charts, services
from portfolio.exports import chart_export, dashboard_xlsx
from portfolio.filters import PilotFilter
from portfolio.forms import EMAIL_KINDS, OrganisationSettingsForm
from portfolio.models import OrganisationSettings
from portfolio.selectors import (
    FLAG_LABELS,
    FLAT_SHARE,
    NEAR_STOP_MIN_WEEKS,
    add_confidence,
    add_workgroup_health,
    dashboard_rows,
    summarise,
)
from weekly.charts import approach_strategic_chart, pilot_strategic_chart

# Totals and charts cover every filtered pilot; the table shows a page, so the per-workgroup
# reads (cadence, baselines, self-containment) stay small in a 500-pilot organisation.
PILOTS_PER_PAGE = 50


def _leader_only(user) -> None:
    if not (sees_portfolio(user) or has_role(user, Role.LEADER)):
        raise PermissionDenied("The portfolio is for leaders.")


def _filtered(request) -> PilotFilter:
    _leader_only(request.user)
    return PilotFilter(request.GET or None, queryset=Pilot.objects.visible_to(request.user))


def _portfolio_charts(rows, settings) -> dict[str, charts.Chart]:
    add_confidence(rows)  # one query for every row, the page's and the CSV's alike
    return {
        "scatter": charts.portfolio_scatter_chart(rows, settings=settings),
        "approaches": charts.approach_comparison_chart(rows, settings=settings),
        "strategic-share": approach_strategic_chart([row.pilot for row in rows]),
        "confidence": charts.portfolio_confidence_chart(rows),
    }


@login_required
def dashboard(request):
    filterset = _filtered(request)
    settings = OrganisationSettings.load()
    rows = dashboard_rows(filterset.qs, settings=settings)
    page = Paginator(rows, PILOTS_PER_PAGE).get_page(request.GET.get("page"))
    add_workgroup_health(page.object_list)
    add_evidence(page.object_list)  # effect vs comparison, and the 0–10 after the end
    filters = request.GET.copy()
    filters.pop("page", None)
    context = {
        "filter": filterset,
        "rows": rows,
        "page": page,
        "totals": summarise(rows),
        "near_stop_weeks": NEAR_STOP_MIN_WEEKS,
        "flat_percent": int(FLAT_SHARE * 100),
        "charts": _portfolio_charts(rows, settings).values(),
        "figures": figures_freshness(),
        "settings": settings,
        "flag_labels": FLAG_LABELS,
        "query": filters.urlencode(),
        "confidence_guidance": charts.PORTFOLIO_CONFIDENCE_GUIDANCE,
        "can_edit_settings": sees_portfolio(request.user) or is_hr_admin(request.user),
    }
    return render(request, "portfolio/dashboard.html", context)


@login_required
def dashboard_chart_csv(request, key, fmt="csv"):
    if key not in ("scatter", "approaches", "strategic-share", "confidence"):
        raise Http404("No such chart.")
    settings = OrganisationSettings.load()
    rows = dashboard_rows(_filtered(request).qs, settings=settings)
    return chart_export(_portfolio_charts(rows, settings)[key], f"portfolio-{key}", fmt)


@login_required
def dashboard_export(request):
    rows = dashboard_rows(_filtered(request).qs)
    add_workgroup_health(rows)
    add_confidence(rows)
    return dashboard_xlsx(rows)


def _visible_pilot(request, pk) -> Pilot:
    return get_object_or_404(Pilot.objects.visible_to(request.user), pk=pk)


def _pilot_charts(pilot: Pilot, settings) -> dict[str, charts.Chart]:
    workgroups = list(pilot.workgroups.order_by("name", "id"))
    return {
        "value-vs-efficiency": charts.value_vs_efficiency_chart(pilot, settings=settings),
        "leading-indicators": charts.leading_indicators_chart(pilot, workgroups),
        "cadence": charts.cadence_chart(pilot, workgroups),
        "confidence": charts.confidence_chart(pilot, workgroups),
        "strategic-share": pilot_strategic_chart(pilot),
    }


@login_required
def pilot_charts(request, pk):
    pilot = _visible_pilot(request, pk)
    settings = OrganisationSettings.load()
    row = dashboard_rows(Pilot.objects.filter(pk=pilot.pk), settings=settings)[0]
    add_workgroup_health([row])
    context = {
        "pilot": pilot,
        "row": row,
        "charts": _pilot_charts(pilot, settings).values(),
        "figures": figures_freshness(),
        "settings": settings,
        "flag_labels": FLAG_LABELS,
        "confidence_guidance": charts.CONFIDENCE_GUIDANCE,
    }
    return render(request, "portfolio/pilot.html", context)


@login_required
def pilot_chart_csv(request, pk, key, fmt="csv"):
    pilot = _visible_pilot(request, pk)
    built = _pilot_charts(pilot, OrganisationSettings.load())
    if key not in built:
        raise Http404("No such chart.")
    return chart_export(built[key], f"pilot-{pilot.pk}-{key}", fmt)


@login_required
@require_POST
def refresh(request):
    _leader_only(request.user)
    services.rollups_request_refresh()
    messages.success(request, "The figures are being recalculated; they refresh every minute.")
    return redirect("portfolio:dashboard")


@login_required
def organisation_settings(request):
    if not (sees_portfolio(request.user) or is_hr_admin(request.user)):
        raise PermissionDenied("Only HR admins and portfolio leaders change these settings.")
    form = OrganisationSettingsForm(
        request.POST if request.method == "POST" else None, instance=OrganisationSettings.load()
    )
    if request.method == "POST" and form.is_valid():
        services.organisation_settings_update(
            hourly_rate=form.cleaned_data["hourly_rate"],
            currency=form.cleaned_data["currency"],
            emails={kind: form.cleaned_data[kind] for kind in EMAIL_KINDS},
        )
        messages.success(request, "Settings saved; the figures are being recalculated.")
        return redirect("portfolio:dashboard")
    return render(request, "portfolio/settings.html", {"form": form})
