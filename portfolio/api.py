"""Portfolio over the v1 API (scope "pilots"): the series behind a pilot's value-vs-efficiency
chart and the portfolio summary. Both read the rollups (no per-request aggregation of
observations) and are scoped like the pages: a person sees the pilots `visible_to` them, a
machine client with `pilots:read` the whole organisation."""

import calendar
from decimal import Decimal

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from hrapi.permissions import visible
from pilots.models import Approach, Pilot
from portfolio.charts import value_series
from portfolio.rollups import Totals
from portfolio.selectors import (
    dashboard_pilots,
    horizon_date,
    pilot_totals,
    settings_and_refreshed_at,
)
from portfolio.serializers import SummarySerializer, ValueVsEfficiencySerializer

DENIED = {
    401: OpenApiResponse(description="No credentials."),
    403: OpenApiResponse(description="The token lacks the pilots:read scope."),
}
# What the series reads of its pilot: the long texts of the charter stay in the database.
SERIES_PILOT_FIELDS = (
    "name",
    "approach",
    "status",
    "started_at",
    "ended_at",
    "patience_horizon_weeks",
)
ZERO = Totals(*[Decimal("0")] * 4, 0, 0, 0, value=Decimal("0"), efficiency=Decimal("0"))


class ValueVsEfficiencyView(APIView):
    scope = "pilots"

    @extend_schema(
        responses={
            200: ValueVsEfficiencySerializer,
            404: OpenApiResponse(description="No such pilot, or not one you may see."),
            **DENIED,
        },
        description="Per calendar month since the pilot's start: value created and "
        "efficiency gains in money (hours at the loaded hourly rate) and in own units, and "
        "both cumulative — the series behind the pilot's chart. Fresh within a minute.",
    )
    def get(self, request, pk: int):
        pilot = get_object_or_404(visible(Pilot.objects.only(*SERIES_PILOT_FIELDS), request), pk=pk)
        settings, refreshed_at = settings_and_refreshed_at()
        periods = [
            {**p, "period_end": _month_end(p["period_start"])}
            for p in value_series(pilot, settings=settings)
        ]
        body = {
            "pilot": pilot.pk,
            "name": pilot.name,
            "approach": pilot.approach,
            "status": pilot.status,
            "started_at": pilot.started_at,
            "patience_horizon_weeks": pilot.patience_horizon_weeks,
            "horizon_date": horizon_date(pilot),
            "currency": settings.currency,
            "hourly_rate": settings.hourly_rate,
            "refreshed_at": refreshed_at,
            "periods": periods,
        }
        return Response(ValueVsEfficiencySerializer(body).data)


def _month_end(month):
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _per_person(amount: Decimal, people: int) -> Decimal | None:
    return (amount / people).quantize(Decimal("0.01")) if people else None


def _totals(pilots: list[dict]) -> dict:
    people = sum(p["people"] for p in pilots)
    value = sum((p["value"] for p in pilots), Decimal("0"))
    efficiency = sum((p["efficiency"] for p in pilots), Decimal("0"))
    return {
        "pilots": len(pilots),
        "people": people,
        "value": value,
        "efficiency": efficiency,
        "value_per_person": _per_person(value, people),
        "efficiency_per_person": _per_person(efficiency, people),
    }


class PortfolioSummaryView(APIView):
    scope = "pilots"

    @extend_schema(
        responses={200: SummarySerializer, **DENIED},
        description="Totals to date per approach and per pilot (the pilots you may see), in "
        "money and own units. Not paginated: one row per pilot, read from the rollups.",
    )
    def get(self, request):
        settings, refreshed_at = settings_and_refreshed_at()
        pilots = list(dashboard_pilots(visible(Pilot.objects.all(), request)))
        totals = pilot_totals([p.pk for p in pilots], settings=settings)
        rows = [_pilot_row(p, totals.get(p.pk, ZERO)) for p in pilots]
        body = {
            "currency": settings.currency,
            "hourly_rate": settings.hourly_rate,
            "refreshed_at": refreshed_at,
            "approaches": [
                {"approach": a.value, **_totals([r for r in rows if r["approach"] == a])}
                for a in Approach
            ],
            "pilots": rows,
        }
        return Response(SummarySerializer(body).data)


def _pilot_row(pilot: Pilot, totals: Totals) -> dict:
    return {
        "id": pilot.pk,
        "name": pilot.name,
        "approach": pilot.approach,
        "status": pilot.status,
        "people": pilot.member_count + pilot.supervisor_count,
        **totals.__dict__,
    }
