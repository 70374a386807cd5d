"""Every page a supervisor uses fits a 390 px phone whatever was typed into it (a pasted
300-character word, 5,000 characters of text), its buttons and checkboxes are at least 44 px
to tap, and My groups puts the next thing to do first. Screenshots at 390 and 1280 px go to
$SCREENSHOT_DIR."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching import services
from metrics.models import MetricDefinition
from metrics.services import observations_upsert
from pilots.models import Charter, PilotStatus
from tests.browser.support import SCREENSHOTS, login, screenshot
from tests.coaching.conftest import make_pilot, make_workgroup, run_full_cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORD = "https://example.com/" + "x" * 280  # a pasted URL: 300 characters, no space
PROSE = ("The billing handoff waits for the Monday batch, again. " * 92)[:5000]


@pytest.fixture
def hostile(bob, carol, erin):
    """Carol coaches a running group whose cycles hold hostile text, and a group of a
    pilot not started yet whose charter she has not signed."""
    pilot = make_pilot(bob, started_days_ago=40, name=f"Claims {WORD[:150]}")
    group = make_workgroup(pilot, carol, name=f"Triage {WORD[:150]}", members=[erin])
    done = run_full_cycle(group, carol, changes_next=PROSE)
    cycle = services.cycle_start(workgroup=group, by=carol)
    services.cycle_save_data(cycle=cycle, by=carol, data_sought=PROSE, context=WORD)
    services.cycle_complete_stage(cycle=cycle, by=carol)
    services.cycle_add_action(cycle=cycle, by=carol, description=WORD, kind="task")
    services.cycle_add_action(cycle=cycle, by=carol, description=PROSE[:500], kind="task")
    services.opportunity_add(
        cycle=cycle,
        by=carol,
        title=WORD[:200],
        description=PROSE,
        estimated_value=12345678901,
        estimated_efficiency=120,
        efficiency_unit="hours",
    )
    later = make_pilot(bob, status=PilotStatus.APPROVED, name="Intake pilot")
    unsigned = make_workgroup(later, carol, name="Intake")
    Charter.objects.create(workgroup=unsigned)
    metric = MetricDefinition.objects.create(
        key="cases_closed",
        name=f"Cases {WORD[:150]}",
        unit="cases",
        kind="performance",
        direction="higher_is_better",
        aggregation="mean",
    )
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday(), weeks=6)
    rows = [
        {
            "metric": metric.key,
            "subject_type": "person",
            "subject_id": carol.person.external_id,
            "period_start": monday + dt.timedelta(weeks=i),
            "period_end": monday + dt.timedelta(weeks=i, days=6),
            "value": str(30 + i),
            "source": "hris",
        }
        for i in range(6)
    ]
    observations_upsert(rows=rows)
    return {"group": group, "done": done, "open": cycle, "unsigned": unsigned}


def _screens(page, name: str) -> None:
    """The full page, and a long page also in parts of 1,600 px one can read."""
    screenshot(page, name)
    if not SCREENSHOTS:
        return
    width = page.viewport_size["width"]
    height = page.evaluate("document.documentElement.scrollHeight")
    for part, top in enumerate(range(0, height, 1600)):
        box = {"x": 0, "y": top, "width": width, "height": min(1600, height - top)}
        page.screenshot(path=f"{SCREENSHOTS}/{name}-part{part}.png", full_page=True, clip=box)


def _supervisor_pages(hostile) -> dict[str, str]:
    return {
        "my-groups": reverse("coaching:mine"),
        "cycle-open": reverse("coaching:cycle", args=[hostile["open"].pk]),
        "cycle-done": reverse("coaching:cycle", args=[hostile["done"].pk]),
        "timeline": reverse("coaching:timeline", args=[hostile["group"].pk]),
        "charter": reverse("pilots:charter", args=[hostile["unsigned"].pk]),
        "my-metrics": reverse("metrics:mine"),
    }


SMALL_TARGETS = """() => [...document.querySelectorAll(
    'main button, main .btn, main input[type=checkbox], main input[type=radio], main select,'
    + ' main summary')]
  .filter(e => e.offsetParent !== null)
  .map(e => {
    // A checkbox or radio is tapped through its label: the label is the target.
    const target = (e.type === 'checkbox' || e.type === 'radio') && e.closest('label')
      ? e.closest('label') : e;
    const box = target.getBoundingClientRect();
    const name = e.tagName + (e.name ? '[' + e.name + '] ' : ' ');
    return [name + (e.textContent || '').trim().slice(0, 30),
            Math.round(box.width), Math.round(box.height)];
  })
  .filter(([, w, h]) => w < 44 || h < 44)"""


def test_every_supervisor_page_fits_a_phone_with_hostile_content(live_server, phone, hostile):
    login(phone, live_server, "carol")
    for name, url in _supervisor_pages(hostile).items():
        phone.goto(f"{live_server.url}{url}")
        phone.wait_for_load_state("networkidle")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (name, width)
        assert phone.evaluate(SMALL_TARGETS) == [], name
        _screens(phone, f"supervisor-{name}-390")
    assert phone.console_errors == []


def test_the_same_pages_at_desktop_width(live_server, page, hostile):
    login(page, live_server, "carol")
    for name, url in _supervisor_pages(hostile).items():
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280, name
        _screens(page, f"supervisor-{name}-1280")


def test_my_groups_offers_signing_the_charter_first(live_server, phone, hostile):
    login(phone, live_server, "carol")
    phone.goto(f"{live_server.url}{reverse('coaching:mine')}")
    card = phone.locator(f"#group-{hostile['unsigned'].pk}")
    assert card.locator("[data-next-step]").inner_text() == "Sign your charter"
    card.locator("[data-next-step]").tap()
    phone.wait_for_load_state("networkidle")
    assert phone.url.endswith(reverse("pilots:charter", args=[hostile["unsigned"].pk]) + "#sign")
