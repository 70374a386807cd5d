"""The effect endpoint of the v1 API (scope "pilots"), scoped like the pilot itself: a person
reads the effect of the pilots `visible_to` them, a machine client with `pilots:read` any."""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from core.filters import MAX_ID
from evidence.effects import INTERVAL, METHOD, P_VALUE_METHODS, pilot_effect
from evidence.serializers import PilotEffectSerializer
from hrapi.permissions import visible
from pilots.models import Pilot
from portfolio.models import OrganisationSettings


def _metric_body(found) -> dict:
    result = found.result
    return {
        "metric": found.metric,
        **found.figures(),
        "method": METHOD,
        "interval": INTERVAL,
        "p_value_method": P_VALUE_METHODS[result.p_value_method] if result else None,
        "money_per_group_week": found.money_per_group_week,
        "not_estimable": found.not_estimable or None,
        "not_estimable_message": found.reason or None,
    }


def effect_body(effect, settings) -> dict:
    comparison = effect.comparison
    return {
        "pilot": effect.pilot.pk,
        "comparison_version": comparison.version if comparison else None,
        "comparison_frozen_at": comparison.frozen_at if comparison else None,
        "comparison_workgroups": [m.workgroup_id for m in comparison.members.all()]
        if comparison
        else [],
        "pre_period_start": comparison.pre_start if comparison else None,
        "pre_period_end": comparison.pre_end if comparison else None,
        "currency": settings.currency,
        "metrics": [_metric_body(found) for found in effect.metrics],
        "not_estimable": effect.not_estimable or None,
        "not_estimable_message": effect.reason or None,
    }


class PilotEffectView(APIView):
    scope = "pilots"

    @extend_schema(
        responses={
            200: PilotEffectSerializer,
            401: OpenApiResponse(description="No credentials."),
            403: OpenApiResponse(description="The token lacks the pilots:read scope."),
            404: OpenApiResponse(description="No such pilot, or not one you may see."),
        },
        description="Per outcome metric, the difference-in-differences estimate against the "
        "pilot's frozen comparison group (the version in force): each workgroup collapsed "
        "to its post-period mean minus its pre-period mean; pilot minus comparison, with a "
        "Welch 95 % interval and a randomisation p-value (exact when there are at most "
        "10,000 relabellings, else 10,000 seeded draws). Refused with a `not_estimable` "
        "reason below 3 groups a side or 8 pre-period weeks.",
    )
    def get(self, request, pk: int):
        if pk > MAX_ID:  # no such pilot; SQLite cannot even compare the number
            raise Http404
        pilot = get_object_or_404(visible(Pilot.objects.all(), request), pk=pk)
        settings = OrganisationSettings.load()
        return Response(
            PilotEffectSerializer(
                effect_body(pilot_effect(pilot, settings=settings), settings)
            ).data
        )
