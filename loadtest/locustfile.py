"""Load scenario on loopback: leaders browse the portfolio, supervisors log coaching cycles,
an HR system pushes observations through the API. Run by loadtest/run.sh, which prepares the
cast (LOAD_CAST: logins and an API token, see loadtest/prepare.py).

The app runs in production mode (secure cookies) behind a pretend TLS proxy: requests say
`X-Forwarded-Proto: https` and carry their cookies by hand, as python-requests keeps Secure
cookies away from http:// URLs.
"""

import itertools
import json
import os
import random
import re
from datetime import date, timedelta
from pathlib import Path

from locust import HttpUser, between, events, task

CAST = json.loads(Path(os.environ["LOAD_CAST"]).read_text())
PROXY = {"X-Forwarded-Proto": "https"}
_supervisor_logins = itertools.cycle(CAST["supervisors"] or ["leader"])


class _Browser(HttpUser):
    """A logged-in person using the web pages."""

    abstract = True
    username = ""

    def on_start(self):
        self.cookies = {}
        page = self._get("/accounts/login/", name="login page")
        self._post(
            "/accounts/login/",
            {"username": self.username, "password": CAST["password"]},
            name="log in",
            expect=302,
        )
        assert page.status_code == 200

    def _headers(self, **extra):
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {
            **PROXY,
            "Cookie": cookie,
            "Referer": self.host.replace("http://", "https://") + "/",
            **extra,
        }

    def _keep_cookies(self, response):
        self.cookies.update({c.name: c.value for c in response.cookies})
        return response

    def _get(self, path, name=None):
        response = self.client.get(path, headers=self._headers(), name=name or path)
        return self._keep_cookies(response)

    def _post(self, path, data, name=None, expect=(302,)):
        expect = (expect,) if isinstance(expect, int) else expect
        body = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        with self.client.post(
            path,
            data=body,
            headers=self._headers(),
            name=name or path,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            self._keep_cookies(response)
            if response.status_code in expect:
                response.success()
            else:
                response.failure(f"{response.status_code} (expected {expect})")
        return response


class Leader(_Browser):
    """Leaders with the portfolio right, looking at the dashboard and pilots' charts."""

    weight = 3
    wait_time = between(1, 4)

    def on_start(self):
        self.username = random.choice(CAST["leaders"])
        super().on_start()
        self.pilot_ids = []

    @task(3)
    def dashboard(self):
        page = self._get("/portfolio/", name="/portfolio/")
        self.pilot_ids = sorted(set(re.findall(r"/portfolio/pilots/(\d+)/", page.text)))

    @task(2)
    def pilot_charts(self):
        if self.pilot_ids:
            pilot = random.choice(self.pilot_ids)
            self._get(f"/portfolio/pilots/{pilot}/", name="/portfolio/pilots/[id]/")

    @task(1)
    def summary_api(self):
        self._get("/api/v1/portfolio/summary/", name="/api/v1/portfolio/summary/")


# Each stage's form(s), posted in order when the cycle page offers the first one.
# "complete" is the "Save and move on" button; without it a stage is only saved.
STAGE_FORMS = [
    [("data", {"data_sought": "Queue times by hour", "context": "Load test", "complete": ""})],
    [("actions", {"description": "Try a triage huddle", "kind": "task"}), ("actions/done", {})],
    [("reflection", {"learned": "Mornings are the bottleneck", "confidence": "6",
                     "complete": ""})],
    [("adaptation", {"changes_next": "Move the huddle earlier", "complete": ""})],
]  # fmt: skip


class Supervisor(_Browser):
    """Supervisors moving their groups' coaching cycles through the four stages."""

    weight = 2
    wait_time = between(2, 5)

    def on_start(self):
        self.username = next(_supervisor_logins)
        super().on_start()

    @task
    def log_cycle_step(self):
        mine = self._get("/coaching/", name="/coaching/")
        cycles = re.findall(r"/coaching/cycles/(\d+)/", mine.text)
        starts = re.findall(r"/coaching/workgroups/(\d+)/start/", mine.text)
        if cycles:
            self._advance(random.choice(cycles))
        elif starts:
            # A supervisor shared by two locust users may lose the race: a clear refusal
            # (the page again with the reason, or 409) is the right answer, not a failure.
            self._post(f"/coaching/workgroups/{random.choice(starts)}/start/", {},
                       name="start cycle", expect=(302, 409))  # fmt: skip

    def _advance(self, cycle_id):
        page = self._get(f"/coaching/cycles/{cycle_id}/", name="/coaching/cycles/[id]/")
        for forms in STAGE_FORMS:
            if f'action="/coaching/cycles/{cycle_id}/{forms[0][0]}/"' in page.text:
                for step, data in forms:
                    self._post(f"/coaching/cycles/{cycle_id}/{step}/", data,
                               name=f"cycle {step}", expect=(302, 200, 409))  # fmt: skip
                return


class HrSystem(HttpUser):
    """An HR system pushing a batch of observations every few seconds."""

    weight = 1
    wait_time = between(2, 6)

    def on_start(self):
        self.client.headers.update({**PROXY, "Authorization": f"Bearer {CAST['token']}"})
        metrics = self.client.get("/api/v1/metric-definitions/", name="metric definitions")
        people = self.client.get("/api/v1/people/?page_size=200", name="people")
        self.metrics = [m["key"] for m in metrics.json()["results"]]
        self.people = [p["external_id"] for p in people.json()["results"] if p["active"]]

    @task
    def push_observations(self):
        week = date(2026, 11, 23) - timedelta(weeks=random.randint(0, 30))
        rows = [
            {
                "metric": random.choice(self.metrics),
                "subject_type": "person",
                "subject_id": random.choice(self.people),
                "period_start": str(week),
                "period_end": str(week + timedelta(days=6)),
                "value": f"{random.uniform(1, 500):.2f}",
                "source": "load-test",
            }
            for _ in range(50)
        ]
        # The natural key may repeat inside a batch by chance; keep the last of each.
        unique = {(r["metric"], r["subject_id"], r["period_start"]): r for r in rows}
        body = {"rows": list(unique.values())}
        for attempt in range(3):
            with self.client.post(
                "/api/v1/observations/bulk/",
                json=body,
                name="/api/v1/observations/bulk/",
                catch_response=True,
            ) as response:
                # 409 means another push wrote the same key at the same moment; the API says
                # "send the batch again", and an HR system does (the bulk is idempotent).
                if response.status_code == 409 and attempt < 2:
                    response.success()
                    continue
                if response.status_code not in (200, 201):
                    response.failure(f"{response.status_code}: {response.text[:200]}")
            return


@events.quitting.add_listener
def _report(environment, **kwargs):
    stats = environment.stats.total
    print(
        f"LOAD SUMMARY requests={stats.num_requests} failures={stats.num_failures} "
        f"p95_ms={stats.get_response_time_percentile(0.95):.0f} "
        f"median_ms={stats.get_response_time_percentile(0.5):.0f} rps={stats.total_rps:.1f}"
    )
