"""Goals fixtures: a small organisation (ORG → Claims → teams A and B; ORG → Billing → team
C), target metrics, and the cast's rights: dan heads Claims, carol heads team A, alice holds
the portfolio right, hilda is an HR admin, erin a member, mallory has no role."""

from datetime import date
from decimal import Decimal

import pytest

from goals import services
from goals.models import GoalLevel, UnitHead
from metrics.models import MetricDefinition, Observation
from people.models import OrgUnit, Person
from tests.coaching.conftest import make_pilot, make_workgroup

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture
def units(org):
    root = org.parent  # "ORG" from the shared fixture; `org` is TEAM1
    claims = OrgUnit.objects.create(
        external_id="CLAIMS", name="Claims", kind="department", parent=root
    )
    billing = OrgUnit.objects.create(
        external_id="BILLING", name="Billing", kind="department", parent=root
    )
    return {
        "org": root,
        "claims": claims,
        "team_a": OrgUnit.objects.create(
            external_id="TEAM-A", name="Team A", kind="team", parent=claims
        ),
        "team_b": OrgUnit.objects.create(
            external_id="TEAM-B", name="Team B", kind="team", parent=claims
        ),
        "billing": billing,
        "team_c": OrgUnit.objects.create(
            external_id="TEAM-C", name="Team C", kind="team", parent=billing
        ),
    }


def metric(key, *, aggregation="mean", direction="higher_is_better", kind="performance"):
    return MetricDefinition.objects.create(
        key=key,
        name=key.replace("_", " ").capitalize(),
        unit="u",
        kind=kind,
        direction=direction,
        aggregation=aggregation,
    )


@pytest.fixture
def metrics(db):
    return {
        "csat": metric("csat"),
        "handling": metric("handling", direction="lower_is_better"),
        "value": metric("value_created", aggregation="sum", kind="value"),
        "backlog": metric("backlog", aggregation="last", direction="lower_is_better"),
    }


@pytest.fixture
def heads(units, dan, carol):
    UnitHead.objects.create(org_unit=units["claims"], person=dan.person)
    UnitHead.objects.create(org_unit=units["team_a"], person=carol.person)


def make_goal(
    by,
    unit,
    metric,
    *,
    title="Goal",
    level=GoalLevel.ORGANISATION,
    parent=None,
    start="0",
    target="100",
    period=YEAR,
    owner=None,
    pilot=None,
):
    return services.goal_create(
        by=by,
        title=title,
        level=level,
        org_unit=unit,
        owner=owner or Person.objects.filter(user=by).first() or Person.objects.first(),
        period_start=period[0],
        period_end=period[1],
        metric=metric,
        start_value=Decimal(start),
        target_value=Decimal(target),
        parent=parent,
        pilot=pilot,
    )


def person_in(unit, external_id):
    return Person.objects.create(external_id=external_id, full_name=external_id, org_unit=unit)


def observe(metric, subject_type, subject_id, start, end, value, source="test"):
    return Observation.objects.create(
        metric=metric,
        subject_type=subject_type,
        subject_id=subject_id,
        period_start=start,
        period_end=end,
        value=Decimal(str(value)),
        source=source,
    )


__all__ = ["make_goal", "make_pilot", "make_workgroup", "observe", "person_in", "YEAR"]
