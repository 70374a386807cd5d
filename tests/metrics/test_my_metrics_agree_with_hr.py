"""My metrics shows, for any period the supervisor chooses, exactly what HR reads from
`protected-metrics` for it: the same actual, baseline, protected value, protection flag and
pilot; "below baseline" only for weeks inside the period where a baseline is in force."""

# ruff: noqa: F401, F811

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from metrics.alerts import alerts_create_below_baseline
from metrics.baselines import baselines_freeze_for_start
from tests.metrics.conftest import START, cases, handling, mark_running, pilot, start_of, weekly

pytestmark = pytest.mark.django_db

CARD = re.compile(
    r'data-metric="(?P<metric>[^"]+)" data-actual-value="(?P<actual>[^"]*)" '
    r'data-baseline-value="(?P<baseline>[^"]*)" data-protected-value="(?P<protected>[^"]*)" '
    r'data-protection-applied="(?P<applied>\w+)" data-pilot="(?P<pilot>[^"]*)"'
)


def _number(text):
    return None if text in ("", None) else Decimal(text)


@pytest.fixture
def running(pilot, cases, handling, carol, dan):
    for person in (carol.person, dan.person):
        weekly(cases, person, ["40"] * 6, START - dt.timedelta(weeks=6))
        weekly(handling, person, ["14"] * 6, START - dt.timedelta(weeks=6))
    baselines_freeze_for_start(pilot=pilot, frozen_at=start_of(pilot, START))
    mark_running(pilot, START)
    weekly(cases, carol.person, ["35", "44", "30", "41"], START)
    weekly(handling, carol.person, ["12", "15", "16", "13"], START)
    alerts_create_below_baseline()
    return pilot


PERIODS = [
    (START - dt.timedelta(weeks=6), START - dt.timedelta(days=1)),  # before the start
    (START - dt.timedelta(weeks=1), START + dt.timedelta(days=6)),  # straddles the start
    (START, START + dt.timedelta(weeks=4, days=-1)),  # the first four weeks
    (START + dt.timedelta(weeks=1), START + dt.timedelta(weeks=1, days=6)),  # one week
]


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_the_page_and_the_api_agree_for_any_period(client, carol, running, start, end):
    client.force_login(carol)
    query = {"period_start": start.isoformat(), "period_end": end.isoformat()}
    api = client.get(
        reverse("person-protected-metrics", args=[carol.person.external_id]), query
    ).json()["results"]
    html = client.get(reverse("metrics:mine"), query).content.decode()
    page = {m["metric"]: m.groupdict() for m in CARD.finditer(html)}
    assert sorted(page) == sorted(row["metric"] for row in api)
    for row in api:
        shown = page[row["metric"]]
        assert _number(shown["actual"]) == _number(row["actual"])
        assert _number(shown["baseline"]) == _number(row["baseline"])
        assert _number(shown["protected"]) == _number(row["protected_value"])
        assert (shown["applied"] == "true") == row["protection_applied"]
        assert _number(shown["pilot"]) == _number(row["pilot"])
    protected = any(row["pilot"] for row in api)
    assert ("HR sees your <strong>protected value</strong>" in html) == protected


def test_below_baseline_is_counted_only_inside_the_chosen_period(client, carol, running):
    client.force_login(carol)
    week_three = START + dt.timedelta(weeks=2)
    query = {"period_start": week_three, "period_end": week_three + dt.timedelta(days=6)}
    html = client.get(reverse("metrics:mine"), query).content.decode()
    # Week three: 30 cases (below 40) and 16 minutes (above 14): one week each, no more.
    assert html.count("Below baseline 1 week<") == 2
    before = {"period_start": START - dt.timedelta(weeks=4), "period_end": START}
    html = client.get(reverse("metrics:mine"), before | {"period_end": START - dt.timedelta(1)})
    assert "Below baseline" not in html.content.decode()
    assert "No pilot protects this period" in html.content.decode()


def test_a_metric_chart_exports_as_csv_and_xlsx(client, carol, running):
    client.force_login(carol)
    query = {"period_start": START, "period_end": START + dt.timedelta(weeks=4, days=-1)}
    csv = client.get(reverse("metrics:mine_export", args=["cases_closed", "csv"]), query)
    lines = csv.content.decode().splitlines()
    assert lines[0] == "week_start,actual,baseline_in_force"
    assert f"{START.isoformat()},35.0,40.0" in lines
    xlsx = client.get(reverse("metrics:mine_export", args=["cases_closed", "xlsx"]), query)
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx.content[:2] == b"PK"


def test_a_reversed_period_is_refused_with_a_message(client, carol, running):
    client.force_login(carol)
    query = {"period_start": START, "period_end": START - dt.timedelta(days=3)}
    html = client.get(reverse("metrics:mine"), query).content.decode()
    assert "Must be on or after the start." in html
